//! Waivers (豁免): exceptions a reviewer accepted, written in a report's
//! `[[waivers]]` or in a batch waiver file (`--waivers FILE`). A valid waiver
//! marks the findings it covers as waived — still listed, not counted. A
//! waiver that waives nothing is reported, so that none goes stale unseen.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::config::Origin;
use crate::diagnostic::{FileError, Finding, Label, Outcome, Severity, Waived};
use crate::report::text::is_placeholder;
use crate::report::{Node, Report, Value, raw};

/// One waiver, wherever it was written.
#[derive(Debug, Clone)]
pub struct Waiver {
    pub rule: String,
    pub reason: Option<String>,
    pub approved_by: Option<String>,
    pub at: Option<String>,
    pub expires: Option<String>,
}

impl Waiver {
    fn from_node(n: &Node) -> Waiver {
        let text = |k: &str| n.get(k).and_then(Node::as_str).map(str::to_string);
        let date = |k: &str| match n.get(k).map(|v| &v.value) {
            Some(Value::Date(d)) => Some(d.clone()),
            _ => None,
        };
        Waiver {
            rule: text("rule").unwrap_or_default(),
            reason: text("reason"),
            approved_by: text("approved_by"),
            at: text("at"),
            expires: date("expires"),
        }
    }

    /// Why the waiver does not hold, if it does not: no real reason, or
    /// expired before `today`.
    pub fn void(&self, today: &str) -> Option<String> {
        if self.reason.as_deref().is_none_or(is_placeholder) {
            return Some("没有理由".into());
        }
        match &self.expires {
            Some(e) if e.as_str() < today => Some(format!("已于 {e} 到期")),
            _ => None,
        }
    }

    /// Marks the findings this waiver covers; returns how many.
    pub fn waive(&self, findings: &mut [Finding]) -> usize {
        let under = |p: &str, at: &str| {
            p == at
                || p.strip_prefix(at)
                    .is_some_and(|r| r.starts_with(['.', '[']))
        };
        let mut n = 0;
        for f in findings
            .iter_mut()
            .filter(|f| f.rule == self.rule && f.waived.is_none())
        {
            if self
                .at
                .as_deref()
                .is_none_or(|at| f.labels.iter().any(|l| under(&l.path, at)))
            {
                f.waived = Some(Waived {
                    reason: self.reason.clone().unwrap_or_default(),
                    approved_by: self.approved_by.clone(),
                    expires: self.expires.clone(),
                });
                n += 1;
            }
        }
        n
    }
}

/// Applies a report's own `[[waivers]]` to its findings. Void waivers are
/// left to the rule `waiver-valid`; a valid one that covers no finding adds
/// an `unused-waiver` warning at the waiver.
pub fn apply_in_report(report: &Report, findings: &mut Vec<Finding>) {
    let Some(rows) = report.root.get("waivers").and_then(Node::as_array) else {
        return;
    };
    let today = crate::clock::today();
    for (i, row) in rows.iter().enumerate() {
        let w = Waiver::from_node(row);
        if w.void(&today).is_some() || w.waive(findings) > 0 {
            continue;
        }
        let (line, column) = report.line_col(row.span.start);
        let at =
            w.at.as_deref()
                .map(|a| format!("（位置 {a}）"))
                .unwrap_or_default();
        findings.push(Finding {
            rule: crate::engine::host::UNUSED_WAIVER.into(),
            severity: Severity::Warning,
            message: format!("对规则 {} 的豁免{at}没有对应的发现，未起作用", w.rule),
            help: Some("问题已改正时请删除此豁免；否则核对规则 id 和 at 路径".into()),
            labels: vec![Label {
                path: format!("waivers[{i}]"),
                message: "未使用的豁免".into(),
                span: row.span.clone(),
                line,
                column,
                location: None,
            }],
            waived: None,
            baseline: None,
        });
    }
}

/// A waiver of a batch waiver file, with the report it applies to.
#[derive(Debug, Clone)]
struct FileWaiver {
    waiver: Waiver,
    /// The report's path as written, and the paths it may resolve to.
    report: String,
    candidates: Vec<PathBuf>,
    origin: Origin,
}

/// A batch waiver file (`--waivers FILE`): `[[waivers]]` with `report`,
/// `rule`, `reason`, `approved_by`, `at` and `expires`.
#[derive(Debug, Clone)]
pub struct WaiverFile {
    waivers: Vec<FileWaiver>,
}

fn error(file: &str, source: &Arc<str>, span: Range<usize>, message: String) -> FileError {
    FileError {
        code: "jixiao::waivers".into(),
        message,
        help: Some("每个豁免写成 [[waivers]]：report = \"报告路径\"、rule = \"规则id\"、reason = \"理由\"，可选 approved_by、at、expires = 2027-03-31".into()),
        file: file.to_string(),
        source: Some(source.clone()),
        labels: vec![(span, "此处".into())],
    }
}

/// Reads a batch waiver file; malformed entries are errors with spans.
pub fn load(path: &Path) -> Result<WaiverFile, Vec<FileError>> {
    let file = path.display().to_string();
    let text =
        crate::report::read::capped_text(path, crate::report::MAX_FILE_BYTES).map_err(|e| {
            vec![FileError::whole(
                "jixiao::waivers::io",
                &file,
                format!("无法读取豁免文件 {file}：{e}"),
                None,
            )]
        })?;
    let source: Arc<str> = Arc::from(text.as_str());
    let root = raw::parse(&text).map_err(|e| {
        vec![error(
            &file,
            &source,
            e.span,
            format!("豁免文件 TOML 语法错误：{}", e.message),
        )]
    })?;
    let base = path.parent().unwrap_or(Path::new("."));
    let mut errors = Vec::new();
    let mut waivers = Vec::new();
    let rows = match (&root.value, root.get("waivers")) {
        (Value::Table(entries), Some(rows)) if entries.len() == 1 => {
            rows.as_array().unwrap_or_default()
        }
        _ => {
            return Err(vec![error(
                &file,
                &source,
                0..0,
                "豁免文件应只包含 [[waivers]] 表".into(),
            )]);
        }
    };
    const KEYS: &[&str] = &["report", "rule", "reason", "approved_by", "at", "expires"];
    for row in rows {
        let Value::Table(entries) = &row.value else {
            errors.push(error(
                &file,
                &source,
                row.span.clone(),
                "每个豁免应为 [[waivers]] 表".into(),
            ));
            continue;
        };
        for (k, v) in entries {
            let ok = match k.name.as_str() {
                "expires" => matches!(v.value, Value::Date(_)),
                name if KEYS.contains(&name) => v.as_str().is_some(),
                _ => {
                    errors.push(error(
                        &file,
                        &source,
                        k.span.clone(),
                        format!("豁免中没有 `{}` 这一项", k.name),
                    ));
                    continue;
                }
            };
            if !ok {
                let want = if k.name == "expires" {
                    "日期（如 2027-03-31，不加引号）"
                } else {
                    "字符串"
                };
                errors.push(error(
                    &file,
                    &source,
                    v.span.clone(),
                    format!("`{}` 应为{want}", k.name),
                ));
            }
        }
        let (Some(report), Some(_)) = (
            row.get("report").and_then(Node::as_str),
            row.get("rule").and_then(Node::as_str),
        ) else {
            errors.push(error(
                &file,
                &source,
                row.span.clone(),
                "豁免须写明 report（报告路径）和 rule（规则 id）".into(),
            ));
            continue;
        };
        let mut candidates = vec![base.join(report), PathBuf::from(report)];
        candidates.dedup();
        waivers.push(FileWaiver {
            waiver: Waiver::from_node(row),
            report: report.to_string(),
            candidates,
            origin: Origin::File {
                file: file.clone(),
                source: source.clone(),
                span: row.span.clone(),
            },
        });
    }
    if errors.is_empty() {
        Ok(WaiverFile { waivers })
    } else {
        Err(errors)
    }
}

impl WaiverFile {
    /// Applies the file's waivers to a checked batch; returns warnings for
    /// waivers that are void, name an unknown rule or a report not in the
    /// batch, or cover no finding.
    pub fn apply(&self, outcome: &mut Outcome, rule_ids: &BTreeSet<String>) -> Vec<FileError> {
        let run = self.start();
        for r in &mut outcome.reports {
            run.apply(r);
        }
        run.finish(rule_ids)
    }

    /// Starts applying the waivers report by report (for streamed batches).
    pub fn start(&self) -> WaiverRun<'_> {
        let today = crate::clock::today();
        WaiverRun {
            void: self
                .waivers
                .iter()
                .map(|fw| fw.waiver.void(&today))
                .collect(),
            canonical: self
                .waivers
                .iter()
                .map(|fw| {
                    fw.candidates
                        .iter()
                        .filter_map(|c| c.canonicalize().ok())
                        .collect()
                })
                .collect(),
            matched_report: self
                .waivers
                .iter()
                .map(|_| AtomicBool::new(false))
                .collect(),
            waived: self.waivers.iter().map(|_| AtomicUsize::new(0)).collect(),
            file: self,
        }
    }
}

/// The state of applying a waiver file across a batch.
pub struct WaiverRun<'a> {
    file: &'a WaiverFile,
    /// Why each waiver does not hold, if it does not.
    void: Vec<Option<String>>,
    canonical: Vec<Vec<PathBuf>>,
    /// Updated from worker threads as reports are checked.
    matched_report: Vec<AtomicBool>,
    waived: Vec<AtomicUsize>,
}

impl WaiverRun<'_> {
    /// Applies the waivers that name this report.
    pub fn apply(&self, report: &mut crate::diagnostic::ReportOutcome) {
        let path = Path::new(&report.path);
        let mut canonical = None;
        for (i, fw) in self.file.waivers.iter().enumerate() {
            let here = fw.candidates.iter().any(|c| c == path) || {
                let c = canonical.get_or_insert_with(|| path.canonicalize().ok());
                c.as_ref().is_some_and(|c| self.canonical[i].contains(c))
            };
            if !here {
                continue;
            }
            self.matched_report[i].store(true, Ordering::Relaxed);
            if self.void[i].is_none() {
                self.waived[i].fetch_add(fw.waiver.waive(&mut report.findings), Ordering::Relaxed);
            }
        }
    }

    /// Warnings for waivers that are void, name an unknown rule or a
    /// report not in the batch, or covered no finding.
    pub fn finish(self, rule_ids: &BTreeSet<String>) -> Vec<FileError> {
        let mut warnings = Vec::new();
        for (i, fw) in self.file.waivers.iter().enumerate() {
            let w = &fw.waiver;
            let warn = |message: String, help: &str| {
                fw.origin.error(
                    "jixiao::waivers::unused",
                    message,
                    Some(help.into()),
                    "此豁免",
                )
            };
            if let Some(why) = &self.void[i] {
                warnings.push(warn(
                    format!("对 {} 的规则 {} 的豁免{why}，不生效", fw.report, w.rule),
                    "写明理由，或更新到期日",
                ));
            } else if !rule_ids.contains(&w.rule) {
                warnings.push(warn(
                    format!("豁免的规则 {} 不存在", w.rule),
                    "核对规则 id（jixiao rules list）",
                ));
            } else if !self.matched_report[i].load(Ordering::Relaxed) {
                warnings.push(warn(
                    format!("豁免所指的报告 {} 不在本次检查中", fw.report),
                    "核对 report 路径（相对于豁免文件所在目录）",
                ));
            } else if self.waived[i].load(Ordering::Relaxed) == 0 {
                warnings.push(warn(
                    format!(
                        "对 {} 的规则 {} 的豁免没有对应的发现，未起作用",
                        fw.report, w.rule
                    ),
                    "问题已改正时请删除此豁免；否则核对规则 id 和 at 路径",
                ));
            }
        }
        warnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn void_waivers() {
        let w = |reason: Option<&str>, expires: Option<&str>| Waiver {
            rule: "r".into(),
            reason: reason.map(Into::into),
            approved_by: None,
            at: None,
            expires: expires.map(Into::into),
        };
        assert!(w(None, None).void("2026-01-01").is_some());
        assert!(w(Some("无"), None).void("2026-01-01").is_some());
        assert!(
            w(Some("已批准"), Some("2025-12-31"))
                .void("2026-01-01")
                .is_some()
        );
        assert!(
            w(Some("已批准"), Some("2026-01-01"))
                .void("2026-01-01")
                .is_none()
        );
    }
}
