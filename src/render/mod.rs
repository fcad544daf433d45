//! Renderers: each output format in its own file, each an [`Emitter`] that
//! receives the run's diagnostics a report at a time and a writer, and
//! streams: what a format needs of the whole batch (a cover table, a
//! summary sheet, totals at the top) it keeps as per-report summaries, and
//! the rest it writes as reports come, to its writer or to a [`spool`]
//! when it must come after what is only known at the end. This module
//! holds the trait, the registry of formats and the words they share.

pub mod excerpt;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod mark;
pub mod markdown;
pub mod notice;
pub mod sarif;
pub mod spool;
pub mod xlsx;

use std::io::{self, Write};
use std::path::Path;

use crate::diagnostic::{FileError, Outcome, ReportOutcome, RuleInfo, Status, Summary};

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Junit,
    Markdown,
    Html,
    Xlsx,
}

impl Format {
    /// The format a file name's extension asks for.
    pub fn from_extension(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "sarif" => Some(Format::Sarif),
            "xml" => Some(Format::Junit),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "xlsx" => Some(Format::Xlsx),
            "txt" => Some(Format::Human),
            _ => None,
        }
    }

    /// Whether the format is binary (not for a terminal).
    pub fn is_binary(self) -> bool {
        self == Format::Xlsx
    }
}

/// How the outputs are drawn, where a format cares.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Colour in the human output.
    pub color: bool,
}

/// The emitter of a format: the one registration a new format needs.
pub fn emitter(format: Format, options: Options) -> Box<dyn Emitter> {
    match format {
        Format::Human => Box::new(human::Emitter::new(human::Style {
            color: options.color,
            width: 100,
        })),
        Format::Json => Box::new(json::Emitter::default()),
        Format::Sarif => Box::new(sarif::Emitter::default()),
        Format::Junit => Box::new(junit::Emitter::default()),
        Format::Markdown => Box::new(markdown::Emitter::default()),
        Format::Html => Box::new(html::Emitter::default()),
        Format::Xlsx => Box::new(xlsx::Emitter::default()),
    }
}

/// What is known of a run before its first report.
#[derive(Debug, Clone, Copy)]
pub struct Begin<'a> {
    /// Errors not tied to a report (rules that do not compile).
    pub errors: &'a [FileError],
    /// The documentation of every rule that runs, host checks included.
    pub rules: &'a [RuleInfo],
    /// Whether findings are compared with a baseline.
    pub compared: bool,
    /// The configuration file the run uses, if any.
    pub config: Option<&'a str>,
}

/// What is known of a run after its last report.
#[derive(Debug, Clone, Copy)]
pub struct End<'a> {
    pub errors: &'a [FileError],
    /// Warnings not tied to a report (skipped files, batch waivers).
    pub warnings: &'a [FileError],
    pub summary: &'a Summary,
}

/// What can be rendered of one report by itself, on any thread.
pub trait Prepare: Send + Sync {
    fn prepare(&self, r: &ReportOutcome) -> Vec<u8>;
}

/// Files beside an output file (the pages of a split meeting pack): the
/// output layer offers them, written in full before they take their place.
pub trait Beside: Send {
    /// The folder's name, relative to the output file (for links).
    fn folder(&self) -> &str;
    /// The output file's own name, relative to the folder's files.
    fn main_file(&self) -> &str;
    /// Writes the file `name` in that folder.
    fn write(
        &mut self,
        name: &str,
        bytes: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()>;
}

/// One output format, fed a run a report at a time.
pub trait Emitter: Send {
    /// Gives the emitter a folder beside its output file, for formats that
    /// split a large batch into several files (ignored by the others).
    fn beside(&mut self, _folder: Box<dyn Beside>) {}

    fn begin(&mut self, w: &mut dyn Write, run: &Begin<'_>) -> io::Result<()>;

    /// A renderer of single reports that the batch's workers may use
    /// (after [`Emitter::begin`]) while this emitter writes: what it makes
    /// of a report is handed back to [`Emitter::report`]. None for formats
    /// that render in order.
    fn preparer(&self) -> Option<Box<dyn Prepare>> {
        None
    }

    /// One report, in input order, with what [`Emitter::prepare`] made.
    fn report(&mut self, w: &mut dyn Write, r: &ReportOutcome, prepared: Vec<u8>)
    -> io::Result<()>;

    fn end(&mut self, w: &mut dyn Write, end: &End<'_>) -> io::Result<()>;
}

/// Writes a whole outcome through an emitter (tests, small tools and the
/// error document of a run that could not start).
pub fn write_outcome(e: &mut dyn Emitter, outcome: &Outcome, w: &mut dyn Write) -> io::Result<()> {
    e.begin(
        w,
        &Begin {
            errors: &outcome.errors,
            rules: &outcome.rules,
            compared: outcome.compared,
            config: outcome.config.as_deref(),
        },
    )?;
    let preparer = e.preparer();
    for r in &outcome.reports {
        let prepared = preparer.as_ref().map(|p| p.prepare(r)).unwrap_or_default();
        e.report(w, r, prepared)?;
    }
    e.end(
        w,
        &End {
            errors: &outcome.errors,
            warnings: &outcome.warnings,
            summary: &outcome.summary(),
        },
    )
}

/// Where a label is, as a reader finds it: its place in a submitted
/// document, else the line and column of the TOML file.
pub fn place(l: &crate::diagnostic::Label) -> String {
    match l.place() {
        Some(p) => p.to_string(),
        None => format!("第 {} 行第 {} 列", l.line, l.column),
    }
}

/// The distinct places of a finding's labels, in order: what a card or a
/// notice says the finding is about.
pub fn places(f: &crate::diagnostic::Finding) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in &f.labels {
        let p = place(l);
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// A finding's places in one phrase: places in the same table or section
/// share their first part once (`表格「…」“决策”行“权重分”列、“过程”行
/// “权重分”列`), the others are joined by "；".
pub fn places_text(f: &crate::diagnostic::Finding) -> String {
    let all = places(f);
    let mut out: Vec<String> = Vec::new();
    let mut shared: Option<&str> = None;
    for p in &all {
        // The part that names the table or section: up to its first 」.
        let head = p.find('」').map(|i| &p[..i + '」'.len_utf8()]);
        match (shared, head) {
            (Some(s), Some(h)) if s == h && p.len() > h.len() => {
                let last = out.last_mut().expect("a place before");
                last.push('、');
                last.push_str(&p[h.len()..]);
            }
            _ => {
                out.push(p.clone());
                shared = head;
            }
        }
    }
    out.join("；")
}

/// Whether a report's rendering carries its places in the margin (a
/// submitted document other than a text file, whose lines are its own).
pub fn has_margins(r: &ReportOutcome) -> bool {
    r.imported_from.is_some_and(|f| f != "text")
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
    kind_words(r.meta.as_ref().map_or("", |m| m.kind.as_str()))
}

/// A report kind (`department`, `project`) in Chinese.
pub fn kind_words(kind: &str) -> &'static str {
    match kind {
        "department" => "部门整体",
        "project" => "项目",
        _ => "—",
    }
}

/// The documentation of a rule that ran, if known.
pub fn rule<'a>(rules: &'a [RuleInfo], id: &str) -> Option<&'a RuleInfo> {
    rules.iter().find(|r| r.id == id)
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
