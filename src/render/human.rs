//! The human output: miette's graphical report for every finding and error,
//! with the source lines and each labelled value underlined, then a summary.

use std::io::{self, Write};
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity as MSeverity,
};

use crate::diagnostic::safe::{sanitize_arc, sanitize_line, sanitize_text};
use crate::diagnostic::{FileError, Finding, Outcome, ReportOutcome, Severity};

/// How to draw: colour or not, and the width to wrap at.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            color: false,
            width: 100,
        }
    }
}

/// One diagnostic as miette wants it.
#[derive(Debug)]
struct Shown {
    code: String,
    message: String,
    severity: MSeverity,
    help: Option<String>,
    labels: Vec<LabeledSpan>,
    source: Arc<Indexed>,
}

/// A text as miette reads it, with an index of its lines. miette's own
/// `read_span` walks the text from its start for every label, a third of
/// the time spent drawing a batch; this one gives it only the text from a
/// few lines before the label, and shifts its answer back, which is the
/// same answer.
#[derive(Debug)]
struct Indexed {
    name: String,
    /// The places of a submitted document's labels, by where they start:
    /// a snippet is named by the place of its label instead of a line of
    /// the document's readable text.
    places: std::collections::BTreeMap<usize, String>,
    text: Arc<str>,
    /// The start of every line, with the number of line breaks before it
    /// as miette counts them (`\r\n`, `\n` and a lone `\r` are one each);
    /// lines are taken as ending at `\n`.
    lines: Vec<(usize, usize)>,
}

impl Indexed {
    fn new(name: &str, text: &Arc<str>) -> Arc<Indexed> {
        let bytes = text.as_bytes();
        let mut lines = vec![(0, 0)];
        let mut breaks = 0;
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'\n' => {
                    // `\r\n` was counted at its `\r`.
                    if i == 0 || bytes[i - 1] != b'\r' {
                        breaks += 1;
                    }
                    lines.push((i + 1, breaks));
                }
                b'\r' => breaks += 1,
                _ => {}
            }
        }
        Arc::new(Indexed {
            name: sanitize_line(name).into_owned(),
            places: Default::default(),
            text: sanitize_arc(text),
            lines,
        })
    }

    /// The text of a report whose labels name their places.
    fn placed(r: &ReportOutcome) -> Arc<Indexed> {
        let mut indexed = Indexed::new(&r.path, &r.source);
        if let Some(i) = Arc::get_mut(&mut indexed) {
            for l in r.findings.iter().flat_map(|f| &f.labels) {
                if let Some(p) = l.place() {
                    i.places
                        .entry(l.span.start)
                        .or_insert_with(|| sanitize_line(p).into_owned());
                }
            }
        }
        indexed
    }
}

impl miette::SourceCode for Indexed {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        // The line the span starts on, and `before + 1` lines more: enough
        // for miette to find the same context as in the whole text.
        let at = self
            .lines
            .partition_point(|(start, _)| *start <= span.offset());
        let (from, breaks) = self.lines[at.saturating_sub(before + 2)];
        let window = &self.text.as_bytes()[from..];
        let shifted =
            miette::SourceSpan::new(span.offset().saturating_sub(from).into(), span.len());
        let inner = window.read_span(&shifted, before, after)?;
        let found = *inner.span();
        let name = match self.places.get(&span.offset()) {
            Some(place) => format!("{} {place}", self.name),
            None => self.name.clone(),
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            name,
            inner.data(),
            miette::SourceSpan::new((found.offset() + from).into(), found.len()),
            inner.line() + breaks,
            inner.column(),
            inner.line_count() + breaks,
        )))
    }
}

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Shown {}

impl Diagnostic for Shown {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<MSeverity> {
        Some(self.severity)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        (!self.labels.is_empty()).then_some(&self.source as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty())
            .then(|| Box::new(self.labels.iter().cloned()) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
}

fn severity(s: Severity) -> MSeverity {
    match s {
        Severity::Error => MSeverity::Error,
        Severity::Warning => MSeverity::Warning,
        Severity::Advice => MSeverity::Advice,
    }
}

fn label(text: &str, span: &std::ops::Range<usize>) -> LabeledSpan {
    let text = (!text.is_empty()).then(|| text.to_string());
    LabeledSpan::new(text, span.start, span.len())
}

fn finding(f: &Finding, source: &Arc<Indexed>) -> Shown {
    // The severity in words: miette's ×, ⚠ and ☞ say it only to those who
    // know them.
    let mut message = format!("{}：{}", f.severity.zh(), f.message);
    let mut sev = severity(f.severity);
    if let Some(w) = &f.waived {
        let by = w.approver();
        message = format!(
            "［已豁免{by}：{}］{message}",
            w.reason.trim_end_matches('。')
        );
        sev = MSeverity::Advice;
    }
    Shown {
        code: sanitize_line(&f.rule).into_owned(),
        message: sanitize_line(&message).into_owned(),
        severity: sev,
        help: f.help.as_deref().map(|h| sanitize_text(h).into_owned()),
        labels: f
            .labels
            .iter()
            .map(|l| label(&sanitize_line(&l.message), &l.span))
            .collect(),
        source: source.clone(),
    }
}

fn error(e: &FileError, severity: MSeverity) -> Shown {
    let source = e.source.clone().unwrap_or_else(|| Arc::from(""));
    Shown {
        code: sanitize_line(&e.code).into_owned(),
        message: sanitize_line(&e.message).into_owned(),
        severity,
        help: e.help.as_deref().map(|h| sanitize_text(h).into_owned()),
        labels: if e.source.is_some() {
            e.labels
                .iter()
                .map(|(span, text)| label(&sanitize_line(text), span))
                .collect()
        } else {
            Vec::new()
        },
        source: Indexed::new(&e.file, &source),
    }
}

/// Draws miette diagnostics to a writer in one style (made once, shared
/// by the threads that render). The help is drawn here, after miette's
/// drawing, as 提示： (miette would label it "help:").
pub struct Painter {
    width: usize,
    color: bool,
    handler: GraphicalReportHandler,
    /// For a submitted document: its snippets are named by their places,
    /// not by a line and column of its readable text.
    placed: GraphicalReportHandler,
}

impl Painter {
    pub fn new(style: Style) -> Painter {
        let theme = if style.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(style.width)
            .with_context_lines(1);
        Painter {
            width: style.width,
            color: style.color,
            placed: handler.clone().without_primary_span_start(),
            handler,
        }
    }

    /// `  提示：…`, wrapped as miette wraps its text.
    fn help(&self, help: &str) -> String {
        let label = if self.color {
            "  \u{1b}[36m提示：\u{1b}[0m"
        } else {
            "  提示："
        };
        // First fit, as miette wraps its own text.
        let opts = textwrap::Options::new(self.width.saturating_sub(2))
            .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit)
            .initial_indent(label)
            .subsequent_indent("        ");
        let mut out = textwrap::fill(help, opts);
        out.push('\n');
        out
    }

    fn emit(&self, d: &Shown, w: &mut dyn Write) -> io::Result<()> {
        let mut s = String::new();
        let handler = if d.source.places.is_empty() {
            &self.handler
        } else {
            &self.placed
        };
        handler
            .render_report(&mut s, d)
            .map_err(|_| io::Error::other("rendering a diagnostic failed"))?;
        if let Some(h) = &d.help {
            s.push_str(&self.help(h));
        }
        w.write_all(s.as_bytes())?;
        writeln!(w)
    }
}

/// Writes errors that stopped a command before any report was checked
/// (a wrong configuration, a broken rule pack).
pub fn render_errors(errors: &[FileError], w: &mut dyn Write, style: Style) -> io::Result<()> {
    emit_all(errors, MSeverity::Error, w, style)
}

/// Renders problems that stop nothing (what an import found uncertain).
pub fn render_warnings(warnings: &[FileError], w: &mut dyn Write, style: Style) -> io::Result<()> {
    emit_all(warnings, MSeverity::Warning, w, style)
}

fn emit_all(
    all: &[FileError],
    severity: MSeverity,
    w: &mut dyn Write,
    style: Style,
) -> io::Result<()> {
    let p = Painter::new(style);
    for e in all {
        p.emit(&error(e, severity), w)?;
    }
    Ok(())
}

/// One report's diagnostics.
fn rendered(painter: &Painter, r: &ReportOutcome) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail; a diagnostic miette cannot draw is
    // left out rather than stopping the batch.
    for e in &r.errors {
        let _ = painter.emit(&error(e, MSeverity::Error), &mut out);
    }
    if !r.findings.is_empty() {
        // A text file's lines and columns are its own: only the places of
        // other documents name their snippets.
        let source = if super::has_margins(r) {
            Indexed::placed(r)
        } else {
            Indexed::new(&r.path, &r.source)
        };
        for f in &r.findings {
            let _ = painter.emit(&finding(f, &source), &mut out);
        }
    }
    out
}

/// A report's status line.
fn status_line(r: &ReportOutcome) -> String {
    let status = crate::render::status_zh(r.status());
    let c = r.counts();
    if r.errors.is_empty() {
        format!(
            "{}：{status}（错误 {}，警告 {}，建议 {}）",
            sanitize_line(&r.path),
            c.error,
            c.warning,
            c.advice
        )
    } else {
        format!(
            "{}：{status}（{} 处无法读取或规则出错，见上）",
            sanitize_line(&r.path),
            r.errors.len()
        )
    }
}

/// The human text, written a report at a time (a batch is never held in
/// memory): run errors first, then each report's errors and findings, then
/// run warnings, one status line per report when there are several, the
/// configuration file used and the summary, always last.
pub struct Emitter {
    style: Style,
    painter: Painter,
    statuses: Vec<String>,
    config: Option<String>,
}

impl super::Prepare for Painter {
    fn prepare(&self, r: &ReportOutcome) -> Vec<u8> {
        rendered(self, r)
    }
}

impl Emitter {
    pub fn new(style: Style) -> Emitter {
        Emitter {
            style,
            painter: Painter::new(style),
            statuses: Vec::new(),
            config: None,
        }
    }
}

impl super::Emitter for Emitter {
    fn begin(&mut self, w: &mut dyn Write, run: &super::Begin<'_>) -> io::Result<()> {
        self.config = run.config.map(str::to_string);
        for e in run.errors {
            self.painter.emit(&error(e, MSeverity::Error), w)?;
        }
        Ok(())
    }

    fn preparer(&self) -> Option<Box<dyn super::Prepare>> {
        Some(Box::new(Painter::new(self.style)))
    }

    fn report(&mut self, w: &mut dyn Write, r: &ReportOutcome, bytes: Vec<u8>) -> io::Result<()> {
        w.write_all(&bytes)?;
        self.statuses.push(status_line(r));
        Ok(())
    }

    fn end(&mut self, w: &mut dyn Write, end: &super::End<'_>) -> io::Result<()> {
        for e in end.warnings {
            self.painter.emit(&error(e, MSeverity::Warning), w)?;
        }
        if self.statuses.len() > 1 {
            for line in &self.statuses {
                writeln!(w, "{line}")?;
            }
        }
        writeln!(w, "{}", config_line(self.config.as_deref()))?;
        writeln!(w, "{}", end.summary.sentence())
    }
}

/// Which configuration file a run used, as the human output says it.
pub fn config_line(config: Option<&str>) -> String {
    match config {
        Some(file) => format!("配置文件：{}", sanitize_line(file)),
        None => "配置文件：无（内置规则包，默认参数）".into(),
    }
}

/// Writes every error and finding, report by report, then a summary line.
pub fn render(outcome: &Outcome, w: &mut dyn Write, style: Style) -> io::Result<()> {
    super::write_outcome(&mut Emitter::new(style), outcome, w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::SourceCode;

    /// The indexed source gives miette exactly what the plain text gives,
    /// for every span, context size and kind of line break.
    #[test]
    fn indexed_reads_the_same_spans_as_the_whole_text() {
        let long: String = (0..40)
            .map(|i| format!("k{i} = \"值{i}\"{}", if i % 3 == 0 { "\r\n" } else { "\n" }))
            .collect();
        let texts = [
            "a = 1\nb = \"预算\"\n\n[budget]\nrate = \"96%\"\nexecuted = 3\n",
            "a = 1\r\nb = 2\r\n\r\n[x]\r\ny = \"长文本\"\r\n",
            "one\rtwo\r\nthree\n\rfour\r\rfive",
            "",
            "no newline at all",
            &long,
        ];
        for text in texts {
            let arc: Arc<str> = Arc::from(text);
            let indexed = Indexed::new("r.toml", &arc);
            let plain = miette::NamedSource::new("r.toml", arc.clone());
            // Spans inside the text, as labels always are (miette itself
            // panics on some that are not).
            for start in 0..=text.len() {
                for len in [0, 1, 3, 9, 40]
                    .into_iter()
                    .filter(|l| start + l <= text.len())
                {
                    for (before, after) in [(0, 0), (1, 1), (2, 3), (5, 0)] {
                        let span = miette::SourceSpan::new(start.into(), len);
                        let a = indexed.read_span(&span, before, after);
                        let b = plain.read_span(&span, before, after);
                        match (a, b) {
                            (Ok(a), Ok(b)) => {
                                let what = format!("{text:?} {start}+{len} ({before}, {after})");
                                assert_eq!(a.data(), b.data(), "{what}");
                                assert_eq!(a.span(), b.span(), "{what}");
                                assert_eq!(a.line(), b.line(), "{what}");
                                assert_eq!(a.column(), b.column(), "{what}");
                                assert_eq!(a.line_count(), b.line_count(), "{what}");
                                assert_eq!(a.name(), b.name(), "{what}");
                            }
                            (Err(_), Err(_)) => {}
                            (a, b) => {
                                panic!("{text:?} {start}+{len}: {:?} vs {:?}", a.is_ok(), b.is_ok())
                            }
                        }
                    }
                }
            }
        }
    }
}
