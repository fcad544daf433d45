//! Baselines (整改跟踪): comparing a run with the JSON output of an earlier
//! one. Reports are matched by identity (department, year, kind, project),
//! findings by rule and data path — not by line numbers — so edits
//! elsewhere in a file do not break the match.

use std::collections::BTreeMap;
use std::path::Path;

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
    let m = r.meta.as_ref()?;
    Some((
        m.department.clone(),
        m.year,
        m.kind.clone(),
        m.project.clone().unwrap_or_default(),
    ))
}

fn text(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap_or_default().to_string()
}

/// Baseline files larger than this are refused (the JSON of a batch of
/// 10,000 reports is about 60 MB).
pub const MAX_BASELINE_BYTES: u64 = 256 * 1024 * 1024;

/// Reads an earlier run's JSON output.
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
    let text_in = crate::report::read::capped_text(path, MAX_BASELINE_BYTES)
        .map_err(|e| fail(format!("无法读取基线文件 {file}：{e}")))?;
    let doc: Value = serde_json::from_str(&text_in)
        .map_err(|e| fail(format!("基线文件 {file} 不是有效的 JSON：{e}")))?;
    if doc["version"] != 1 || !doc["reports"].is_array() {
        return Err(fail(format!(
            "基线文件 {file} 不是 jixiao 的 JSON 输出（version 1）"
        )));
    }
    Ok(Previous::from_reports(
        doc["reports"].as_array().into_iter().flatten(),
    ))
}

impl Previous {
    /// The earlier run made of reports in the shape of the JSON output's
    /// `reports` (the workbench keeps each round's report so).
    pub fn from_reports<'a>(reports: impl IntoIterator<Item = &'a Value>) -> Previous {
        let mut prev = Previous::default();
        for r in reports {
            let Some(year) = r["year"].as_i64() else {
                continue;
            };
            let id = (
                text(r, "department"),
                year,
                text(r, "kind"),
                text(r, "project"),
            );
            let list = prev.reports.entry(id).or_default();
            for d in r["diagnostics"].as_array().into_iter().flatten() {
                let path = d["labels"][0]["path"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                let key = (text(d, "rule"), path.clone());
                let fixed = Fixed {
                    rule: text(d, "rule"),
                    severity: text(d, "severity"),
                    path,
                    message: text(d, "message"),
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
