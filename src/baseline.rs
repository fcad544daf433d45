//! Baselines (整改跟踪): comparing a run with the JSON output of an earlier
//! one. Reports are matched by identity (department, year, kind, project),
//! findings by rule and data path — not by line numbers — so edits
//! elsewhere in a file do not break the match.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostic::{Baseline, FileError, Fixed, Outcome, ReportOutcome};

/// A report's identity across runs.
type Identity = (String, i64, String, String);

/// A finding's key within a report: rule and primary data path.
type Key = (String, String);

/// The earlier run: per report identity, its findings in order.
#[derive(Debug, Default)]
pub struct Previous {
    reports: BTreeMap<Identity, Vec<(Key, Fixed)>>,
}

fn identity_of(r: &ReportOutcome) -> Option<Identity> {
    let m = r.meta.as_ref().filter(|m| m.identifies())?;
    Some((
        m.department.clone(),
        m.year,
        m.kind.clone(),
        m.project.clone().unwrap_or_default(),
    ))
}

/// Baseline files larger than this are refused (the JSON of a batch of
/// 10,000 reports is about 60 MB).
pub const MAX_BASELINE_BYTES: u64 = 256 * 1024 * 1024;

/// What a baseline keeps of an earlier run's JSON output: of each report
/// its identity and its findings' rule, severity, message and first data
/// path — the rest (the report's text, places, spans) is passed over as it
/// is parsed, so a baseline costs a fraction of its size in memory.
#[derive(Debug, Deserialize)]
struct Run {
    version: i64,
    reports: Vec<RunReport>,
}

#[derive(Debug, Deserialize)]
struct RunReport {
    #[serde(default)]
    department: Option<String>,
    #[serde(default)]
    year: Option<i64>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    project: Option<String>,
    #[serde(default)]
    diagnostics: Vec<RunFinding>,
}

#[derive(Debug, Deserialize)]
struct RunFinding {
    rule: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    labels: Vec<RunLabel>,
}

#[derive(Debug, Deserialize)]
struct RunLabel {
    #[serde(default)]
    path: String,
}

/// Reads an earlier run's JSON output. A file that is not one — not
/// JSON, another version, or a field of another type than jixiao writes
/// (a `diagnostics` that is not a list) — is an error saying where, never
/// a baseline that silently matches nothing.
pub fn load(path: &Path) -> Result<Previous, FileError> {
    let file = path.display().to_string();
    let fail = |m: String| {
        FileError::whole(
            "jixiao::baseline",
            &file,
            m,
            Some("--baseline 应指向之前某次 jixiao check --format json 的输出".into()),
        )
    };
    let (opened, _) = crate::report::read::open_capped(path, MAX_BASELINE_BYTES)
        .map_err(|e| fail(format!("无法读取基线文件 {file}：{}", e.reason())))?;
    // Parsed as it is read: only what is kept is held.
    let reader = std::io::BufReader::with_capacity(
        256 * 1024,
        std::io::Read::take(opened, MAX_BASELINE_BYTES),
    );
    let run: Run = serde_json::from_reader(reader).map_err(|e| {
        let what = if e.is_io() {
            "无法读完"
        } else if e.is_syntax() || e.is_eof() {
            "不是有效的 JSON"
        } else {
            "不是 jixiao 的 JSON 输出（字段的类型不对）"
        };
        fail(format!(
            "基线文件 {file} {what}：第 {} 行第 {} 列（{e}）",
            e.line(),
            e.column()
        ))
    })?;
    if run.version != 1 {
        return Err(fail(format!(
            "基线文件 {file} 不是 jixiao 的 JSON 输出（version 1）"
        )));
    }
    Ok(Previous::from_parsed(run.reports))
}

impl Previous {
    /// The earlier run made of reports in the shape of the JSON output's
    /// `reports` (the workbench keeps each round's report so); a report
    /// not of that shape is passed over.
    pub fn from_reports<'a>(reports: impl IntoIterator<Item = &'a Value>) -> Previous {
        Previous::from_parsed(
            reports
                .into_iter()
                .filter_map(|r| RunReport::deserialize(r).ok()),
        )
    }

    fn from_parsed(reports: impl IntoIterator<Item = RunReport>) -> Previous {
        let mut prev = Previous::default();
        for r in reports {
            let Some(year) = r.year else {
                continue;
            };
            let meta = crate::report::Meta {
                kind: r.kind.unwrap_or_default(),
                title: String::new(),
                department: r.department.unwrap_or_default(),
                project: r.project,
                year,
            };
            if !meta.identifies() {
                // Nothing to pair it with safely (see Meta::identifies).
                continue;
            }
            let id = (
                meta.department,
                year,
                meta.kind,
                meta.project.unwrap_or_default(),
            );
            let list = prev.reports.entry(id).or_default();
            for d in r.diagnostics {
                let path = d
                    .labels
                    .into_iter()
                    .next()
                    .map(|l| l.path)
                    .unwrap_or_default();
                let key = (d.rule.clone(), path.clone());
                let fixed = Fixed {
                    rule: d.rule,
                    severity: d.severity,
                    path,
                    message: d.message,
                };
                list.push((key, fixed));
            }
        }
        prev
    }

    /// Marks each current finding new or persisting and lists, per report,
    /// the earlier findings that are gone. Equal keys pair up one to one.
    pub fn apply(&self, outcome: &mut Outcome) {
        outcome.compared = true;
        for r in &mut outcome.reports {
            self.apply_report(r);
        }
    }

    /// Compares one report (for streamed batches).
    pub fn apply_report(&self, r: &mut ReportOutcome) {
        {
            let mut earlier: Vec<(Key, Fixed)> = identity_of(r)
                .and_then(|id| self.reports.get(&id))
                .cloned()
                .unwrap_or_default();
            for f in &mut r.findings {
                let key = (f.rule.clone(), f.labels[0].path.clone());
                f.baseline = Some(match earlier.iter().position(|(k, _)| *k == key) {
                    Some(i) => {
                        earlier.remove(i);
                        Baseline::Persisting
                    }
                    None => Baseline::New,
                });
            }
            if r.meta.is_some() {
                r.fixed = earlier.into_iter().map(|(_, f)| f).collect();
            }
        }
    }
}
