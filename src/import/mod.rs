//! Import: reading a submission in the form departments send it — plain
//! text, Word (.docx .doc .wps .odt), Excel (.xlsx .xls .et .ods) or a text
//! PDF, the format told by the bytes rather than the name — into a report
//! in format v1, while remembering where in the original each value was
//! found. Every format is first read into a [`Doc`] (its paragraphs and
//! tables, each piece of text with its place in a readable rendering of
//! the document); one extractor
//! then finds the report's values in that `Doc`, and one writer turns them
//! into TOML with the place of each value as a comment. `check` uses the
//! same steps in memory and moves the labels of its findings back onto the
//! original document ([`relocate`]).

mod budget;
mod doc;
mod docx;
mod extract;
mod flow;
mod headings;
mod numbering;
mod ods;
mod odt;
mod ole;
mod package;
mod pdf;
pub mod places;
mod sniff;
mod stacked;
mod text;
mod write;
mod xls;
mod xlsx;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::{Label, ReportOutcome};
use crate::report::{self, LoadFailure, LoadOptions, Report};

/// Table cells beyond these bounds are left out: a sheet formatted to its
/// last row, or a Word table of thousands of spanned columns, has no report
/// in it there, and a grid of them would not fit in memory.
pub(crate) const MAX_TABLE_ROWS: u32 = 5_000;
pub(crate) const MAX_TABLE_COLS: u32 = 64;

/// Word and Excel files larger than this are refused before unpacking.
pub const MAX_PACKAGE_BYTES: u64 = 32 * 1024 * 1024;

/// Where a piece of text stands in the original, as its reader found it.
/// Shown (`Display`) as the short reference the imported TOML's comments
/// use: "第 12 行", "段落 5", "表 1 第 2 行第 3 列", "自评表!C7",
/// "第 3 页第 12 行"; [`places`] turns it into what a reviewer finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    /// Not in the document (a value it does not give).
    Nowhere,
    /// The document's first text (a label with nothing better to point at).
    Start,
    /// Line n of a text file.
    Line(usize),
    /// Paragraph n of a Word body, counting empty ones as Word does.
    Para(usize),
    /// A cell of Word table `table`: its row and grid column (1-based).
    Cell {
        table: usize,
        row: usize,
        col: usize,
    },
    /// A cell of a worksheet (0-based row and column, shown as `C7`).
    Sheet { sheet: Arc<str>, row: u32, col: u32 },
    /// Line `line` of page `page` of a PDF; `col` in a table.
    Page {
        page: usize,
        line: usize,
        col: Option<usize>,
    },
    /// Text joined from one place to another.
    Range(Box<At>, Box<At>),
}

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            At::Nowhere => Ok(()),
            At::Start => f.write_str("文档开头"),
            At::Line(n) => write!(f, "第 {n} 行"),
            At::Para(n) => write!(f, "段落 {n}"),
            At::Cell { table, row, col } => write!(f, "表 {table} 第 {row} 行第 {col} 列"),
            At::Sheet { sheet, row, col } => write!(f, "{sheet}!{}", xlsx::cell_name(*row, *col)),
            At::Page { page, line, col } => {
                write!(f, "第 {page} 页第 {line} 行")?;
                match col {
                    Some(c) => write!(f, "（表格第 {c} 列）"),
                    None => Ok(()),
                }
            }
            At::Range(a, b) => write!(f, "{a} 至 {b}"),
        }
    }
}

/// Where a value was found in the original document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Byte span in the document's readable text ([`Imported::display`]).
    pub span: Range<usize>,
    pub at: At,
}

impl Origin {
    /// The place where the document does not give the value.
    pub fn nowhere() -> Origin {
        Origin {
            span: 0..0,
            at: At::Nowhere,
        }
    }
}

/// A piece of the document's text; `text` is exactly `display[origin.span]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub origin: Origin,
}

impl Piece {
    /// The part `range` (byte offsets into `text`) as a piece of its own.
    pub fn sub(&self, range: Range<usize>) -> Piece {
        let start = self.origin.span.start;
        Piece {
            text: self.text[range.clone()].to_string(),
            origin: Origin {
                span: start + range.start..start + range.end,
                at: self.origin.at.clone(),
            },
        }
    }

    /// The piece without surrounding white space (ASCII, tabs and the
    /// full-width space U+3000).
    pub fn trimmed(&self) -> Piece {
        let t = self.text.trim_start_matches(is_blank);
        let start = self.text.len() - t.len();
        let end = start + t.trim_end_matches(is_blank).len();
        self.sub(start..end)
    }
}

pub(crate) fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}'
}

/// One block of a document, in document order.
#[derive(Debug, Clone)]
pub enum Block {
    /// A paragraph (a line of a text file); `heading` when the document
    /// marks it as one (a Word heading style, a Markdown `#`); `at` its
    /// line or paragraph number, which tells paragraphs that follow each
    /// other from those a blank line or an empty paragraph separates.
    Para {
        piece: Piece,
        heading: bool,
        at: usize,
        /// Bytes at the start of `piece` that the word processor draws
        /// (its automatic numbering): seen, but not in the text that Find
        /// searches.
        drawn: usize,
    },
    /// A table as a grid: a cell merged over several rows appears in each
    /// of them (same origin); one merged over columns only in its first.
    Table(Vec<Vec<Option<Piece>>>),
}

/// The kind of original document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Docx,
    Xlsx,
    /// Word 97–2003 (.doc), and WPS 文字 (.wps) saved in the same format.
    Doc,
    /// Excel 97–2003 (.xls), and WPS 表格 (.et) saved in the same format.
    Xls,
    Odt,
    Ods,
    Pdf,
}

impl Format {
    /// The name JSON output gives the format.
    pub fn id(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Doc => "doc",
            Format::Xls => "xls",
            Format::Odt => "odt",
            Format::Ods => "ods",
            Format::Pdf => "pdf",
        }
    }

    /// What the reviewer calls a document of this format.
    pub fn what(self) -> &'static str {
        match self {
            Format::Text => "文本",
            Format::Docx => "Word 文档",
            Format::Xlsx => "Excel 工作簿",
            Format::Doc => "Word 97–2003 文档",
            Format::Xls => "Excel 97–2003 工作簿",
            Format::Odt => "OpenDocument 文本",
            Format::Ods => "OpenDocument 表格",
            Format::Pdf => "PDF 文件",
        }
    }

    /// The format of a file by its extension, if jixiao can import it.
    /// (What the bytes hold decides in the end: see [`sniff`].)
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "md" | "markdown" => Some(Format::Text),
            "docx" => Some(Format::Docx),
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            "doc" | "wps" => Some(Format::Doc),
            "xls" | "et" => Some(Format::Xls),
            "odt" => Some(Format::Odt),
            "ods" => Some(Format::Ods),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    /// Whether files of this format are read within [`MAX_PACKAGE_BYTES`]
    /// (all but text, which is read within the report limit).
    fn limit(self) -> u64 {
        match self {
            Format::Text => report::MAX_FILE_BYTES,
            _ => MAX_PACKAGE_BYTES,
        }
    }
}

/// A document read into blocks.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The readable text of the document: a text file as it is; for Word
    /// and Excel one line per paragraph or cell, led by its place.
    pub display: Rendered,
    pub blocks: Vec<Block>,
    /// What reading the document found it could not take (a formula
    /// without its result).
    pub notes: Vec<Note>,
    /// A workbook's sheets, in order (empty for other documents).
    pub sheets: Vec<Sheet>,
}

/// One sheet of a workbook: its blocks and the notes reading it gave, as
/// ranges of the document's.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub blocks: Range<usize>,
    pub notes: Range<usize>,
}

/// Builds the readable text of a Word or Excel document line by line.
#[derive(Debug, Default)]
pub(crate) struct Display {
    text: String,
    /// Where each line's text starts (after its `[place] `).
    starts: Vec<usize>,
}

impl Display {
    /// Adds `[place] text` as a line and returns the piece for `text`
    /// (line breaks inside it become spaces, so a piece is one line).
    pub fn line(&mut self, at: At, text: &str) -> Piece {
        use std::fmt::Write as _;
        if !budget::built(text.len()) {
            // Over the import's budget: nothing more is built, and the
            // import is refused when the reader returns.
            let end = self.text.len();
            return Piece {
                text: String::new(),
                origin: Origin { span: end..end, at },
            };
        }
        let _ = write!(self.text, "[{at}] ");
        let start = self.text.len();
        self.starts.push(start);
        let clean: String = text
            .chars()
            .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
            .collect();
        self.text.push_str(&clean);
        let end = self.text.len();
        self.text.push('\n');
        Piece {
            text: clean,
            origin: Origin {
                span: start..end,
                at,
            },
        }
    }

    pub fn finish(self) -> Rendered {
        Rendered {
            text: self.text,
            starts: self.starts,
        }
    }
}

/// A document's readable text: for a text file the file itself (`starts`
/// empty), for others one line per paragraph or cell, led by its place,
/// with where each line's text starts.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub text: String,
    pub starts: Vec<usize>,
}

/// Something the import could not decide for certain, with where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub message: String,
    pub origin: Option<Origin>,
}

/// A document imported into format v1.
#[derive(Debug, Clone)]
pub struct Imported {
    pub format: Format,
    /// The report in format v1, with the place of each value as a comment.
    pub toml: String,
    /// The readable text of the original that origins index into.
    pub display: Arc<str>,
    /// Where each piece of the original is, as a reviewer finds it.
    pub places: Arc<places::Places>,
    /// Where each line of `display` starts.
    lines: Arc<[usize]>,
    /// The origin of each value, by data path.
    pub origins: BTreeMap<String, Origin>,
    /// What the import found uncertain.
    pub notes: Vec<Note>,
    /// Whether the year was found (the report cannot load without it).
    pub has_year: bool,
    /// The sheet this report is, when its workbook holds several.
    pub part: Option<String>,
}

impl Imported {
    /// The name the report goes by: the file's, with the sheet after `#`
    /// when its workbook holds several (`各项目自评表.xlsx#项目二`).
    pub fn name(&self, file: &str) -> String {
        match &self.part {
            Some(sheet) => format!("{file}#{sheet}"),
            None => file.to_string(),
        }
    }
}

/// Reads and imports a file.
pub fn import_file(file: &Path, name: &str) -> Result<Vec<Imported>, LoadFailure> {
    let format = Format::of(file).ok_or_else(|| {
        fail(
            name,
            "jixiao::import::format",
            "无法导入此类文件：只能导入 .docx .doc .wps .odt .xlsx .xls .et .ods .pdf .txt 和 .md 文件"
                .into(),
            None,
        )
    })?;
    let bytes = report::read::capped(file, format.limit()).map_err(|e| {
        let help = matches!(e, report::read::ReadError::TooLarge { .. })
            .then(|| "自评报告通常不超过几 MB；请确认选择的是报告文件".to_string());
        fail(
            name,
            e.code(),
            format!("无法读取文件：{}", e.reason()),
            help,
        )
    })?;
    import_bytes(format, name, &bytes)
}

/// A file protected by an open password: what it is, and what to ask for.
pub(crate) fn encrypted(name: &str, what: &str) -> LoadFailure {
    fail(
        name,
        "jixiao::import::encrypted",
        format!("{what}设置了打开密码（已加密），无法读取"),
        Some(
            "请报送单位取消密码保护（文件 → 信息 → 保护 → 用密码进行加密，清空密码）后重新报送，或提供未加密的文件"
                .into(),
        ),
    )
}

/// An import failure about the file as a whole.
pub(crate) fn fail(
    name: &str,
    code: &'static str,
    message: String,
    help: Option<String>,
) -> LoadFailure {
    report::failure(name, Arc::from(""), code, message, help, vec![])
}

/// Imports a document from its bytes: one report, or one per sheet of a
/// workbook whose sheets hold several 自评表 (the sheets that hold none —
/// 说明, 目录, an empty Sheet3 — are then named in a note of the first).
pub fn import_bytes(
    format: Format,
    name: &str,
    bytes: &[u8],
) -> Result<Vec<Imported>, LoadFailure> {
    let scope = budget::Scope::enter();
    let over = |o: budget::Over| {
        fail(
            name,
            "jixiao::import::limit",
            o.message(),
            Some("这远超自评报告的正常规模，文件可能已损坏或含有大量无关内容；请报送单位核对后重新导出（另存为 .docx 或 .xlsx）再报送".into()),
        )
    };
    let read = read_doc(format, name, bytes);
    if let Some(o) = scope.over() {
        return Err(over(o));
    }
    let parts = extract_parts(read?, name);
    match scope.over() {
        Some(o) => Err(over(o)),
        None => Ok(parts),
    }
}

/// Reads a document of `format` (as its bytes say) into blocks.
fn read_doc(format: Format, name: &str, bytes: &[u8]) -> Result<(Format, Doc), LoadFailure> {
    let format = sniff::sniff(format, name, bytes)?;
    let doc = match format {
        Format::Text => text::read(name, bytes)?,
        Format::Docx => docx::read(name, bytes)?,
        Format::Xlsx => xlsx::read(name, bytes)?,
        Format::Doc => doc::read(name, bytes)?,
        Format::Xls => xls::read(name, bytes)?,
        Format::Odt => odt::read(name, bytes)?,
        Format::Ods => ods::read(name, bytes)?,
        Format::Pdf => pdf::read(name, bytes)?,
    };
    Ok((format, doc))
}

/// The reports a document read into blocks holds.
fn extract_parts((format, doc): (Format, Doc), name: &str) -> Vec<Imported> {
    let (doc, places) = places::describe(doc, format);
    let places = Arc::new(places);
    let display: Arc<str> = Arc::from(doc.display.text.as_str());
    let lines: Arc<[usize]> = crate::report::line_starts(&display).into();
    let made = |draft: extract::Draft, part: Option<String>| {
        let has_year = draft.has("year");
        let shown = match &part {
            Some(sheet) => format!("{name}#{sheet}"),
            None => name.to_string(),
        };
        let written = write::write(&draft, format, &shown);
        Imported {
            format,
            toml: written.toml,
            display: display.clone(),
            places: places.clone(),
            lines: lines.clone(),
            origins: written.origins,
            notes: draft.notes,
            has_year,
            part,
        }
    };
    if doc.sheets.len() > 1 {
        let mut holding = Vec::new();
        let mut without = Vec::new();
        for sheet in &doc.sheets {
            let draft = extract::extract(
                &doc.blocks[sheet.blocks.clone()],
                doc.notes[sheet.notes.clone()].to_vec(),
                &places,
            );
            if draft.holds_report() {
                holding.push((sheet, draft));
            } else {
                without.push(sheet);
            }
        }
        if holding.len() > 1 {
            let skipped = (!without.is_empty()).then(|| Note {
                message: format!(
                    "工作簿中有 {} 张自评表，每张作为一份报告检查；工作表{}中没有自评表，未检查",
                    holding.len(),
                    without
                        .iter()
                        .map(|s| format!("“{}”", s.name))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
                // At the first cell of the first sheet left out.
                origin: without
                    .iter()
                    .find_map(|s| {
                        doc.blocks[s.blocks.clone()].iter().find_map(|b| match b {
                            Block::Table(rows) => rows.iter().flatten().flatten().next(),
                            Block::Para { piece, .. } => Some(piece),
                        })
                    })
                    .map(|p| p.origin.clone()),
            });
            let mut out: Vec<Imported> = holding
                .into_iter()
                .map(|(sheet, draft)| made(draft, Some(sheet.name.clone())))
                .collect();
            if let (Some(n), Some(first)) = (skipped, out.first_mut()) {
                first.notes.push(n);
            }
            return out;
        }
    }
    vec![made(
        extract::extract(&doc.blocks, doc.notes, &places),
        None,
    )]
}

/// Every report a document holds, each loaded (or why it could not be),
/// with what [`relocate`] needs to move its findings onto the original; an
/// error when the document itself cannot be read.
pub type Loaded = Vec<Result<(Report, Imported), LoadFailure>>;

/// Imports a document and loads each report it gives.
pub fn load(file: &Path, name: &str) -> Result<Loaded, LoadFailure> {
    Ok(loaded(import_file(file, name)?, name))
}

/// [`load`] for a document given as bytes.
pub fn load_bytes(format: Format, name: &str, bytes: &[u8]) -> Result<Loaded, LoadFailure> {
    let limit = format.limit();
    if bytes.len() as u64 > limit {
        return Err(fail(
            name,
            "jixiao::load::too-large",
            format!("文件大小 {} 字节，超过上限 {limit} 字节", bytes.len()),
            Some("自评报告通常不超过几 MB；请确认选择的是报告文件".into()),
        ));
    }
    Ok(loaded(import_bytes(format, name, bytes)?, name))
}

fn loaded(parts: Vec<Imported>, file: &str) -> Loaded {
    parts
        .into_iter()
        .map(|i| {
            let name = i.name(file);
            load_one(i, &name, file)
        })
        .collect()
}

/// The report an import gives, loaded.
fn load_one(imported: Imported, name: &str, file: &str) -> Result<(Report, Imported), LoadFailure> {
    if !imported.has_year {
        return Err(report::failure(
            name,
            imported.display.clone(),
            "jixiao::import::year",
            "原文中找不到评价年度（标题、“××年度”或预算执行情况中的年份）".into(),
            Some(format!(
                "先用 `jixiao import {file} -o 报告.toml` 导入，在 TOML 中补填 year 后再检查"
            )),
            vec![],
        ));
    }
    match report::load_bytes(name, imported.toml.as_bytes(), LoadOptions::default()) {
        Ok(mut r) => {
            r.reader = report::terms::Reader::Document;
            Ok((r, imported))
        }
        Err(f) => Err(LoadFailure {
            path: name.to_string(),
            source: imported.display.clone(),
            errors: f
                .errors
                .into_iter()
                .map(|mut e| {
                    e.message = format!("导入结果无法载入：{}", e.message);
                    e.labels.clear();
                    e
                })
                .collect(),
        }),
    }
}

impl Imported {
    /// The origin of a data path, or of the nearest value around it: the
    /// path's closest enclosing value, else the first value inside it, else
    /// the start of the document.
    pub fn origin_of(&self, path: &str) -> Origin {
        if let Some(o) = self.origins.get(path) {
            return o.clone();
        }
        let mut p = path;
        while let Some(cut) = p.rfind(['.', '[']) {
            p = &p[..cut];
            if let Some(o) = self.origins.get(p) {
                return o.clone();
            }
        }
        let inside = self
            .origins
            .iter()
            .filter(|(k, _)| {
                k.strip_prefix(path)
                    .is_some_and(|rest| rest.starts_with(['.', '[']))
            })
            .map(|(_, o)| o)
            .min_by_key(|o| o.span.start);
        if let Some(o) = inside {
            return o.clone();
        }
        // The document's first text.
        Origin {
            span: self.places.first().map_or(0..0, |(span, _)| span.clone()),
            at: At::Start,
        }
    }
}

impl Imported {
    /// A label at `origin` for the value at `path`.
    fn label_at(&self, origin: &Origin, path: &str, message: String) -> Label {
        let (line, column) =
            crate::report::line_col_indexed(&self.display, &self.lines, origin.span.start);
        Label {
            path: path.to_string(),
            message,
            span: origin.span.clone(),
            line,
            column,
            location: Some(self.place(origin)),
        }
    }

    /// Where `origin` is, as a reviewer finds it in the original.
    pub fn place(&self, origin: &Origin) -> crate::diagnostic::Location {
        match self.places.at(origin.span.start) {
            Some(l) if origin.at != At::Start => l.clone(),
            _ => match self.places.first() {
                Some((_, l)) => crate::diagnostic::Location {
                    text: format!("文档开头：{}", l.text),
                    ..l.clone()
                },
                None => crate::diagnostic::Location {
                    text: origin.at.to_string(),
                    ..Default::default()
                },
            },
        }
    }

    /// The label of what the import noted: where in the original it was.
    pub fn label_of_note(&self, n: &Note) -> Label {
        let origin = n.origin.clone().unwrap_or_else(|| self.origin_of(""));
        self.label_at(&origin, "", "导入依据".into())
    }
}

/// Moves an outcome checked on the imported TOML onto the original: every
/// label points at the value's origin, and the outcome shows the
/// original's text. (What the import found uncertain is the review's to
/// report, from [`Imported::notes`].)
pub fn relocate(out: &mut ReportOutcome, imported: &Imported) {
    for f in &mut out.findings {
        for l in &mut f.labels {
            let origin = imported.origin_of(&l.path);
            *l = imported.label_at(&origin, &l.path, std::mem::take(&mut l.message));
        }
    }
    out.source = imported.display.clone();
    out.imported_from = Some(imported.format.id());
}
