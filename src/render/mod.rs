//! Renderers: each output format in its own file, each taking the check's
//! outcome and a writer and nothing else. This module holds the words they
//! share.

pub mod excerpt;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod mark;
pub mod markdown;
pub mod sarif;
pub mod xlsx;

use crate::diagnostic::{Outcome, ReportOutcome, RuleInfo, Status};

/// Where a label is, as a reader finds it: the paragraph or cell of an
/// imported Word or Excel document, else line:column.
pub fn place(l: &crate::diagnostic::Label) -> String {
    match &l.location {
        Some(loc) => loc.clone(),
        None => format!("{}:{}", l.line, l.column),
    }
}

pub fn status_zh(s: Status) -> &'static str {
    match s {
        Status::Pass => "通过",
        Status::Fail => "未通过",
        Status::Error => "出错",
    }
}

/// The kind of report in Chinese.
pub fn kind_zh(r: &ReportOutcome) -> &'static str {
    match r.meta.as_ref().map(|m| m.kind.as_str()) {
        Some("department") => "部门整体",
        Some("project") => "项目",
        _ => "—",
    }
}

/// The documentation of a rule that ran, if known.
pub fn rule<'a>(outcome: &'a Outcome, id: &str) -> Option<&'a RuleInfo> {
    outcome.rules.iter().find(|r| r.id == id)
}

/// A report's heading: department, project, title and year.
pub fn report_heading(r: &ReportOutcome) -> String {
    match &r.meta {
        Some(m) => {
            let project = m
                .project
                .as_deref()
                .map(|p| format!("（{p}）"))
                .unwrap_or_default();
            format!("{}{project} {}年 — {}", m.department, m.year, m.title)
        }
        None => r.path.clone(),
    }
}
