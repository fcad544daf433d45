//! The diagnostic model: what a check produces (findings of rules, errors of
//! files and rules, per report and for the whole run), independent of how it
//! is rendered.

use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

pub mod safe;

use crate::report::Meta;

/// The rule id of what an import could not decide (`engine::host` makes
/// these findings): notes for the reviewer, never for the department.
pub const IMPORT_UNCERTAIN: &str = "import-uncertain";

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

pub use crate::report::line_col;

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
    /// The place in a submitted document, as a reviewer finds it; `None`
    /// for a TOML file, where line and column say it.
    pub location: Option<Location>,
}

impl Label {
    /// The readable place in a submitted document, if the label has one.
    pub fn place(&self) -> Option<&str> {
        self.location.as_ref().map(|l| l.text.as_str())
    }
}

/// Where a label stands in a submitted document, in words a reviewer can
/// find there, with the parts that make it up for programs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// The place to read: `「（五）部门预算及执行情况」第 1 段：“2022年度，
    /// 本部门年初预算数为…”`, `表格「各部分指标得分情况汇总表」“过程”行
    /// “得分”列`, `自评表!H15（“项目验收合格率”的得分）`, `第 3 页第 12
    /// 行：“2022年度…”`.
    pub text: String,
    /// The page of a PDF.
    pub page: Option<usize>,
    /// The line of a text file or of a PDF page.
    pub line: Option<usize>,
    /// The paragraph of a Word body, counting empty ones as Word does.
    pub paragraph: Option<usize>,
    /// The table of a Word document (1-based, in document order).
    pub table: Option<usize>,
    /// The row and column in a table (1-based).
    pub row: Option<usize>,
    pub column: Option<usize>,
    /// The worksheet and cell of a workbook.
    pub sheet: Option<String>,
    pub cell: Option<String>,
}

impl Location {
    /// The short reference a reader of the file itself counts by, as the
    /// imported TOML's comments give it: "段落 6", "表 1 第 2 行第 3 列",
    /// "自评表!H15", "第 3 页第 12 行", "第 12 行".
    pub fn reference(&self) -> String {
        match self {
            Location {
                sheet: Some(s),
                cell: Some(c),
                ..
            } => format!("{s}!{c}"),
            Location {
                page: Some(p),
                line: Some(l),
                column,
                ..
            } => match column {
                Some(c) => format!("第 {p} 页第 {l} 行（表格第 {c} 列）"),
                None => format!("第 {p} 页第 {l} 行"),
            },
            Location { line: Some(l), .. } => format!("第 {l} 行"),
            Location {
                table: Some(t),
                row: Some(r),
                column: Some(c),
                ..
            } => format!("表 {t} 第 {r} 行第 {c} 列"),
            Location {
                paragraph: Some(p), ..
            } => format!("段落 {p}"),
            _ => self.text.clone(),
        }
    }
}

/// Why a finding does not count: a waiver in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Waived {
    pub reason: String,
    pub approved_by: Option<String>,
    /// The last day the waiver holds (YYYY-MM-DD), if it expires.
    pub expires: Option<String>,
}

impl Waived {
    /// "（批准：…）" when an approver is named, for messages.
    pub fn approver(&self) -> String {
        self.approved_by
            .as_deref()
            .map(|a| format!("（批准：{a}）"))
            .unwrap_or_default()
    }
}

/// How a finding compares with a baseline run (整改跟踪).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Baseline {
    /// Not in the baseline.
    New,
    /// Already in the baseline, still there.
    Persisting,
}

impl Baseline {
    /// As the JSON output spells it: `new`, `persisting`.
    pub fn as_str(self) -> &'static str {
        match self {
            Baseline::New => "new",
            Baseline::Persisting => "persisting",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Baseline::New => "新增",
            Baseline::Persisting => "未整改",
        }
    }
}

/// A finding of the baseline that the current run no longer has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fixed {
    pub rule: String,
    pub severity: String,
    pub path: String,
    pub message: String,
}

/// What a renderer shows about a rule: its documentation header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub basis: String,
    pub checks: String,
    pub why: String,
    /// `all`, `department` or `project`.
    pub applies: String,
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
    /// Set when the run compares with a baseline.
    pub baseline: Option<Baseline>,
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

impl Status {
    /// As the JSON output (and the workbench's ledger) spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Error => "error",
        }
    }

    /// The status [`Status::as_str`] spells so.
    pub fn parse(s: &str) -> Option<Status> {
        [Status::Pass, Status::Fail, Status::Error]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
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
    /// Findings of the baseline that are gone (when comparing).
    pub fixed: Vec<Fixed>,
    /// `"text"`, `"docx"` or `"xlsx"` when the report was imported from a
    /// submitted document: positions then index `source`, the document's
    /// readable text, and labels of Word and Excel name their place.
    pub imported_from: Option<&'static str>,
    /// How many rules checked the report (from the cache or run).
    pub rules_run: usize,
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
            c.count(f.severity);
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub reports: usize,
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
    pub findings: Counts,
    /// Findings per rule id (waived ones left out).
    pub rules: std::collections::BTreeMap<String, Counts>,
}

impl Summary {
    /// Counts one more report.
    pub fn add(&mut self, r: &ReportOutcome) {
        self.reports += 1;
        match r.status() {
            Status::Pass => self.passed += 1,
            Status::Fail => self.failed += 1,
            Status::Error => self.errors += 1,
        }
        self.findings.add(r.counts());
        for f in r.findings.iter().filter(|f| f.waived.is_none()) {
            self.rules
                .entry(f.rule.clone())
                .or_default()
                .count(f.severity);
        }
    }

    /// The one-sentence summary all page formats print.
    pub fn sentence(&self) -> String {
        format!(
            "检查报告 {} 份：通过 {}，未通过 {}，出错 {}；发现错误 {} 条、警告 {} 条、建议 {} 条。",
            self.reports,
            self.passed,
            self.failed,
            self.errors,
            self.findings.error,
            self.findings.warning,
            self.findings.advice
        )
    }

    /// 2 when a file or (`run_errors`) a rule could not be used, else 1
    /// when a report failed, else 0.
    pub fn exit_code(&self, run_errors: bool) -> i32 {
        if run_errors || self.errors > 0 {
            2
        } else if self.failed > 0 {
            1
        } else {
            0
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub advice: usize,
}

impl Counts {
    pub fn count(&mut self, s: Severity) {
        match s {
            Severity::Error => self.error += 1,
            Severity::Warning => self.warning += 1,
            Severity::Advice => self.advice += 1,
        }
    }

    pub fn add(&mut self, o: Counts) {
        self.error += o.error;
        self.warning += o.warning;
        self.advice += o.advice;
    }

    pub fn total(&self) -> usize {
        self.error + self.warning + self.advice
    }
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
    /// The documentation of every rule that ran, by id.
    pub rules: Vec<RuleInfo>,
    /// Whether findings were compared with a baseline.
    pub compared: bool,
    /// The configuration file the run used, if any.
    pub config: Option<String>,
}

impl Outcome {
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for r in &self.reports {
            s.add(r);
        }
        s
    }

    /// 2 when a file or rule could not be used, else 1 when a finding fails
    /// the check, else 0.
    pub fn exit_code(&self) -> i32 {
        self.summary().exit_code(!self.errors.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::Status;

    #[test]
    fn a_status_reads_back_as_spelt() {
        for s in [Status::Pass, Status::Fail, Status::Error] {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("passed"), None);
    }
}
