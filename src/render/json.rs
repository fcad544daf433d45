//! The JSON output: the stable contract other tools read (`version` 1).

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{
    Baseline, FileError, Finding, Fixed, Outcome, ReportOutcome, Status, Waived,
};

#[derive(Serialize)]
struct JReport<'a> {
    path: &'a str,
    kind: Option<&'a str>,
    title: Option<&'a str>,
    department: Option<&'a str>,
    project: Option<&'a str>,
    year: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    imported_from: Option<&'a str>,
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
    /// The place in a submitted document, in words a reviewer finds there.
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a str>,
    /// What that place is made of: page, line, paragraph, table, row,
    /// column, sheet, cell (those that apply).
    #[serde(skip_serializing_if = "Option::is_none")]
    place: Option<JPlace<'a>>,
}

#[derive(Serialize)]
struct JPlace<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    paragraph: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    table: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    row: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sheet: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<&'a str>,
}

impl<'a> JPlace<'a> {
    fn of(l: &'a crate::diagnostic::Location) -> JPlace<'a> {
        JPlace {
            page: l.page,
            line: l.line,
            paragraph: l.paragraph,
            table: l.table,
            row: l.row,
            column: l.column,
            sheet: l.sheet.as_deref(),
            cell: l.cell.as_deref(),
        }
    }
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
                location: l.place(),
                place: l.location.as_ref().map(JPlace::of),
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
        imported_from: r.imported_from,
        status: r.status(),
        diagnostics: r.findings.iter().map(diag).collect(),
        errors: r.errors.iter().map(error).collect(),
        fixed: compared.then_some(r.fixed.as_slice()),
    }
}

/// One report as an element of the document's `reports`, as a JSON value
/// (the workbench's API gives each submission's report in this shape).
pub fn report_value(r: &ReportOutcome, compared: bool) -> serde_json::Value {
    serde_json::to_value(report(r, compared)).unwrap_or_default()
}

/// Pretty-prints `value` as if nested `depth` levels deep in the document
/// (serde_json indents by two spaces a level; JSON strings hold no raw
/// newlines, so indenting each line is exact).
fn nested(w: &mut dyn Write, value: &impl Serialize, depth: usize) -> io::Result<()> {
    // JSON strings hold no raw newline: every newline starts a line to
    // indent.
    let text = serde_json::to_string_pretty(value)?;
    let pad = format!("\n{}", "  ".repeat(depth));
    w.write_all(text.replace('\n', &pad).as_bytes())
}

/// One report as it appears in the document.
fn report_bytes(r: &ReportOutcome, compared: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(4096);
    // Writing to a Vec cannot fail.
    let _ = nested(&mut out, &report(r, compared), 2);
    out
}

/// The JSON document, written a report at a time, so that a batch of any
/// size is never held in memory.
#[derive(Debug, Default)]
pub struct Emitter {
    reports: usize,
    compared: bool,
}

/// Reports rendered on the workers.
struct Prepared {
    compared: bool,
}

impl super::Prepare for Prepared {
    fn prepare(&self, r: &ReportOutcome) -> Vec<u8> {
        report_bytes(r, self.compared)
    }
}

impl super::Emitter for Emitter {
    fn begin(&mut self, w: &mut dyn Write, run: &super::Begin<'_>) -> io::Result<()> {
        self.compared = run.compared;
        write!(
            w,
            "{{\n  \"version\": 1,\n  \"generator\": \"{}\",\n  \"config\": {},\n  \"reports\": [",
            super::mark::GENERATOR,
            serde_json::to_string(&run.config)?
        )
    }

    fn preparer(&self) -> Option<Box<dyn super::Prepare>> {
        Some(Box::new(Prepared {
            compared: self.compared,
        }))
    }

    fn report(&mut self, w: &mut dyn Write, _: &ReportOutcome, bytes: Vec<u8>) -> io::Result<()> {
        w.write_all(if self.reports == 0 {
            b"\n    "
        } else {
            b",\n    "
        })?;
        self.reports += 1;
        w.write_all(&bytes)
    }

    fn end(&mut self, w: &mut dyn Write, end: &super::End<'_>) -> io::Result<()> {
        w.write_all(if self.reports == 0 {
            b"],\n  \"errors\": "
        } else {
            b"\n  ],\n  \"errors\": "
        })?;
        nested(w, &end.errors.iter().map(error).collect::<Vec<_>>(), 1)?;
        w.write_all(b",\n  \"warnings\": ")?;
        nested(w, &end.warnings.iter().map(error).collect::<Vec<_>>(), 1)?;
        w.write_all(b",\n  \"summary\": ")?;
        nested(w, end.summary, 1)?;
        w.write_all(b"\n}\n")
    }
}

/// Writes the whole outcome as one pretty-printed JSON document.
pub fn render(outcome: &Outcome, w: &mut dyn Write) -> io::Result<()> {
    super::write_outcome(&mut Emitter::default(), outcome, w)
}
