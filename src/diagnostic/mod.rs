//! The diagnostic model: what a check produces (findings of rules, errors of
//! files and rules, per report and for the whole run), independent of how it
//! is rendered.

use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use crate::report::Meta;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Advice,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "advice" => Some(Severity::Advice),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Advice => "advice",
        }
    }

    /// The Chinese word reviewers use.
    pub fn zh(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Advice => "建议",
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source.as_bytes()[..offset];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = source[line_start..offset].chars().count() + 1;
    (line, column)
}

/// A place in a report that a finding points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The data path the rule named (`summary[1].score`).
    pub path: String,
    pub message: String,
    /// Byte span in the report file.
    pub span: Range<usize>,
    pub line: usize,
    pub column: usize,
}

/// Why a finding does not count: a waiver in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Waived {
    pub reason: String,
    pub approved_by: Option<String>,
    /// The last day the waiver holds (YYYY-MM-DD), if it expires.
    pub expires: Option<String>,
}

/// One violation found by a rule in one report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// At least one; the first is the primary place.
    pub labels: Vec<Label>,
    pub waived: Option<Waived>,
}

impl Finding {
    /// Whether this finding fails the check.
    pub fn fails(&self) -> bool {
        self.severity == Severity::Error && self.waived.is_none()
    }
}

/// A file that could not be used: a report that does not load, or a rule
/// that does not compile or fails while running.
#[derive(Debug, Clone)]
pub struct FileError {
    pub code: String,
    pub message: String,
    pub help: Option<String>,
    /// The file at fault (a report or a rule file).
    pub file: String,
    /// Its text, when there is a place in it to show.
    pub source: Option<Arc<str>>,
    pub labels: Vec<(Range<usize>, String)>,
}

impl FileError {
    /// An error about a file as a whole, with no place in it to show.
    pub fn whole(code: &str, file: &str, message: String, help: Option<String>) -> FileError {
        FileError {
            code: code.into(),
            message,
            help,
            file: file.into(),
            source: None,
            labels: Vec::new(),
        }
    }

    /// Line and column of the first label.
    pub fn position(&self) -> Option<(usize, usize)> {
        let src = self.source.as_deref()?;
        let (span, _) = self.labels.first()?;
        Some(line_col(src, span.start))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    Error,
}

/// Everything the check says about one input file.
#[derive(Debug, Clone)]
pub struct ReportOutcome {
    pub path: String,
    pub source: Arc<str>,
    /// Present when the report loaded.
    pub meta: Option<Meta>,
    /// Ordered by source position, then rule id.
    pub findings: Vec<Finding>,
    pub errors: Vec<FileError>,
}

impl ReportOutcome {
    pub fn status(&self) -> Status {
        if !self.errors.is_empty() {
            Status::Error
        } else if self.findings.iter().any(Finding::fails) {
            Status::Fail
        } else {
            Status::Pass
        }
    }

    /// Findings per severity, waived ones left out.
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for f in self.findings.iter().filter(|f| f.waived.is_none()) {
            match f.severity {
                Severity::Error => c.error += 1,
                Severity::Warning => c.warning += 1,
                Severity::Advice => c.advice += 1,
            }
        }
        c
    }

    /// Puts findings in their canonical order: position, then rule, then
    /// message (so that equal input gives equal output).
    pub fn sort(&mut self) {
        self.findings.sort_by(|a, b| {
            let pos = |f: &Finding| f.labels.first().map_or(0, |l| l.span.start);
            pos(a)
                .cmp(&pos(b))
                .then_with(|| a.rule.cmp(&b.rule))
                .then_with(|| a.message.cmp(&b.message))
        });
    }
}

/// Counts over a whole run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub reports: usize,
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
    pub findings: Counts,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub advice: usize,
}

/// The result of one `check` run.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Ordered by path.
    pub reports: Vec<ReportOutcome>,
    /// Errors not tied to one report (rules that do not compile).
    pub errors: Vec<FileError>,
    /// Warnings not tied to one report (unused or void batch waivers).
    pub warnings: Vec<FileError>,
}

impl Outcome {
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            reports: self.reports.len(),
            ..Summary::default()
        };
        for r in &self.reports {
            match r.status() {
                Status::Pass => s.passed += 1,
                Status::Fail => s.failed += 1,
                Status::Error => s.errors += 1,
            }
            let c = r.counts();
            s.findings.error += c.error;
            s.findings.warning += c.warning;
            s.findings.advice += c.advice;
        }
        s
    }

    /// 2 when a file or rule could not be used, else 1 when a finding fails
    /// the check, else 0.
    pub fn exit_code(&self) -> i32 {
        let statuses: Vec<Status> = self.reports.iter().map(ReportOutcome::status).collect();
        if !self.errors.is_empty() || statuses.contains(&Status::Error) {
            2
        } else if statuses.contains(&Status::Fail) {
            1
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let src = "a\n权重 = 1\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 2), (2, 1));
        assert_eq!(line_col(src, "a\n权重 ".len()), (2, 4));
        assert_eq!(line_col(src, 999), (3, 1));
    }
}
