//! The JSON output: the stable contract other tools read (`version` 1).

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{
    Baseline, FileError, Finding, Fixed, Outcome, ReportOutcome, Status, Summary, Waived,
};

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    reports: Vec<JReport<'a>>,
    errors: Vec<JError<'a>>,
    warnings: Vec<JError<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JReport<'a> {
    path: &'a str,
    kind: Option<&'a str>,
    title: Option<&'a str>,
    department: Option<&'a str>,
    project: Option<&'a str>,
    year: Option<i64>,
    status: Status,
    diagnostics: Vec<JDiag<'a>>,
    errors: Vec<JError<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed: Option<&'a [Fixed]>,
}

#[derive(Serialize)]
struct JDiag<'a> {
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    labels: Vec<JLabel<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waived: Option<&'a Waived>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<Baseline>,
}

#[derive(Serialize)]
struct JLabel<'a> {
    path: &'a str,
    message: &'a str,
    line: usize,
    column: usize,
    offset: usize,
    length: usize,
}

#[derive(Serialize)]
struct JError<'a> {
    code: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
}

fn error(e: &FileError) -> JError<'_> {
    let pos = e.position();
    JError {
        code: &e.code,
        message: &e.message,
        help: e.help.as_deref(),
        file: &e.file,
        line: pos.map(|p| p.0),
        column: pos.map(|p| p.1),
    }
}

fn diag(f: &Finding) -> JDiag<'_> {
    JDiag {
        rule: &f.rule,
        severity: f.severity.as_str(),
        message: &f.message,
        help: f.help.as_deref(),
        labels: f
            .labels
            .iter()
            .map(|l| JLabel {
                path: &l.path,
                message: &l.message,
                line: l.line,
                column: l.column,
                offset: l.span.start,
                length: l.span.len(),
            })
            .collect(),
        waived: f.waived.as_ref(),
        baseline: f.baseline,
    }
}

fn report(r: &ReportOutcome, compared: bool) -> JReport<'_> {
    let m = r.meta.as_ref();
    JReport {
        path: &r.path,
        kind: m.map(|m| m.kind.as_str()),
        title: m.map(|m| m.title.as_str()),
        department: m.map(|m| m.department.as_str()),
        project: m.and_then(|m| m.project.as_deref()),
        year: m.map(|m| m.year),
        status: r.status(),
        diagnostics: r.findings.iter().map(diag).collect(),
        errors: r.errors.iter().map(error).collect(),
        fixed: compared.then_some(r.fixed.as_slice()),
    }
}

/// Writes the whole outcome as one pretty-printed JSON document.
pub fn render(outcome: &Outcome, w: &mut dyn Write) -> io::Result<()> {
    let doc = Doc {
        version: 1,
        reports: outcome
            .reports
            .iter()
            .map(|r| report(r, outcome.compared))
            .collect(),
        errors: outcome.errors.iter().map(error).collect(),
        warnings: outcome.warnings.iter().map(error).collect(),
        summary: outcome.summary(),
    };
    serde_json::to_writer_pretty(&mut *w, &doc)?;
    writeln!(w)
}
