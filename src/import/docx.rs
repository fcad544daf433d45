//! Word (.docx, as Word and WPS save it): the body's paragraphs and tables
//! in order, read with `zip` and `quick-xml`. Paragraphs are located as
//! "段落 N" (counting the body's paragraphs), table cells as
//! "表 T 第 R 行第 C 列"; vertically merged cells repeat the first cell of
//! the merge, horizontally merged ones keep their text in the first column.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use std::collections::HashMap;

use super::Doc;
use super::flow::{Cell, Flow};
use super::numbering::Numbering;
use super::package::{attr, part};
use crate::report::LoadFailure;

fn broken(name: &str, why: impl std::fmt::Display) -> LoadFailure {
    super::fail(
        name,
        "jixiao::import::docx",
        format!("无法读取 Word 文件：{why}"),
        Some(
            "确认文件是 .docx（不是改了扩展名的 .doc/.wps），可用 Word 或 WPS 打开后另存为 .docx"
                .into(),
        ),
    )
}

pub fn read(name: &str, bytes: &[u8]) -> Result<Doc, LoadFailure> {
    let mut zip = super::package::open(bytes).map_err(|e| broken(name, e))?;
    let body = part(&mut zip, "word/document.xml")
        .map_err(|e| broken(name, e))?
        .ok_or_else(|| broken(name, "缺少 word/document.xml"))?;
    let styles = part(&mut zip, "word/styles.xml")
        .map_err(|e| broken(name, e))?
        .map(|s| styles(&s))
        .unwrap_or_default();
    let numbering = part(&mut zip, "word/numbering.xml")
        .map_err(|e| broken(name, e))?
        .map(|s| Numbering::parse(&s))
        .unwrap_or_default();
    parse(&body, &styles, numbering).map_err(|e| broken(name, e))
}

/// What the import needs of the paragraph styles.
#[derive(Debug, Default)]
struct Styles {
    /// Ids of heading styles.
    headings: Vec<String>,
    /// Styles that number their paragraphs: style id → (numId, level).
    numbered: HashMap<String, (String, Option<u8>)>,
    /// The style each style is based on.
    based_on: HashMap<String, String>,
}

impl Styles {
    /// The numbering of a style, its own or that of a style it is based on.
    fn numbering_of(&self, style: &str) -> Option<&(String, Option<u8>)> {
        let mut s = style;
        // A chain of bases is short; a loop in a broken file is cut off.
        for _ in 0..8 {
            if let Some(n) = self.numbered.get(s) {
                return Some(n);
            }
            s = self.based_on.get(s)?;
        }
        None
    }
}

/// The paragraph styles that are headings ("heading 1", "Title", or any
/// style with an outline level) and those that number their paragraphs,
/// from styles.xml. Chinese Word names its heading styles by number ids
/// ("1", "2"), so ids alone do not tell.
fn styles(xml: &str) -> Styles {
    let mut out = Styles::default();
    let mut r = Reader::from_str(xml);
    let mut current: Option<String> = None;
    let mut is_heading = false;
    let mut num: (Option<String>, Option<u8>) = (None, None);
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "style" => {
                current = attr(&e, "styleId");
                is_heading = false;
                num = (None, None);
            }
            Ok(Event::Empty(e)) | Ok(Event::Start(e)) => match e.local_name().as_ref() {
                "name" => {
                    let n = attr(&e, "val").unwrap_or_default().to_lowercase();
                    is_heading |= n.starts_with("heading") || n == "title" || n.starts_with("标题");
                }
                "outlineLvl" => is_heading = true,
                "numId" => num.0 = attr(&e, "val"),
                "ilvl" => num.1 = attr(&e, "val").and_then(|v| v.parse().ok()),
                "basedOn" => {
                    if let (Some(id), Some(base)) = (&current, attr(&e, "val")) {
                        out.based_on.insert(id.clone(), base);
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == "style" => {
                if let Some(id) = current.take() {
                    if is_heading {
                        out.headings.push(id.clone());
                    }
                    if let Some(n) = num.0.take() {
                        out.numbered.insert(id, (n, num.1));
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// The reader's place in the body.
struct Reading<'a> {
    styles: &'a Styles,
    numbering: Numbering,
    /// The paragraph's style, and its own list numbering (numId, level).
    style: Option<String>,
    num: (Option<String>, Option<u8>),
    /// Where the current paragraph of a table cell starts in its text.
    cell_paragraph: Option<usize>,
    /// Whether the outer table's current row and cell are kept (within
    /// [`super::MAX_TABLE_ROWS`] and [`super::MAX_TABLE_COLS`]).
    row_kept: bool,
    cell_kept: bool,
    flow: Flow,
    /// Nesting of tables; the text of a nested table joins its outer cell.
    tables: usize,
    rows: Vec<Vec<Cell>>,
    /// Nesting of paragraphs (a text box's paragraphs sit inside one).
    paragraphs: usize,
    paragraph: String,
    heading: bool,
    in_text: bool,
}

impl Reading<'_> {
    /// The number Word draws before the current paragraph, from its own
    /// list numbering or its style's; a space follows a number that does
    /// not end in punctuation.
    fn list_number(&mut self) -> Option<String> {
        let style = self.style.as_deref().unwrap_or("Normal");
        let (num_id, level) = match &self.num {
            (Some(id), level) => (id.clone(), *level),
            (None, level) => {
                let (id, l) = self.styles.numbering_of(style)?;
                (id.clone(), level.or(*l))
            }
        };
        if num_id == "0" {
            return None;
        }
        let level = level
            .or_else(|| self.numbering.style_level(style))
            .unwrap_or(0);
        self.numbering.label(&num_id, level)
    }

    fn push(&mut self, text: &str) {
        if !super::budget::text(text.len()) {
            return;
        }
        if self.tables > 0 {
            if let Some(c) = self.current() {
                c.text.push_str(text);
            }
        } else {
            self.paragraph.push_str(text);
        }
    }

    /// The outer table's current cell, unless it lies past the bounds.
    fn current(&mut self) -> Option<&mut Cell> {
        if !self.cell_kept {
            return None;
        }
        self.rows.last_mut().and_then(|r| r.last_mut())
    }

    /// The current cell of the outermost table.
    fn cell(&mut self) -> Option<&mut Cell> {
        if self.tables == 1 {
            self.current()
        } else {
            None
        }
    }

    fn open(&mut self, e: &BytesStart<'_>, empty: bool) {
        match e.local_name().as_ref() {
            "tbl" => {
                self.tables += 1;
                if self.tables == 1 {
                    self.rows.clear();
                }
            }
            // Rows and cells past the bounds are not kept, nor their text.
            "tr" if self.tables == 1 => {
                self.row_kept = self.rows.len() < super::MAX_TABLE_ROWS as usize;
                if self.row_kept {
                    self.rows.push(Vec::new());
                }
                self.cell_kept = false;
            }
            "tc" if self.tables == 1 => {
                self.cell_kept = false;
                if let Some(row) = self.rows.last_mut().filter(|_| self.row_kept)
                    && row.len() < super::MAX_TABLE_COLS as usize
                {
                    row.push(Cell::new());
                    self.cell_kept = true;
                }
            }
            "gridSpan" => {
                let span = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(1);
                if let Some(c) = self.cell() {
                    c.span = span.clamp(1, 64);
                }
            }
            "vMerge" => {
                let restart = attr(e, "val").as_deref() == Some("restart");
                if let Some(c) = self.cell() {
                    c.vmerge = Some(restart);
                }
            }
            "p" => {
                self.paragraphs += 1;
                if self.paragraphs == 1 {
                    self.paragraph.clear();
                    self.heading = false;
                    self.style = None;
                    self.num = (None, None);
                    self.cell_paragraph = self.cell().map(|c| c.text.len());
                }
            }
            "pStyle" if self.paragraphs == 1 => {
                let id = attr(e, "val").unwrap_or_default();
                self.heading |= self.styles.headings.contains(&id);
                self.style = Some(id);
            }
            "numId" if self.paragraphs == 1 => self.num.0 = attr(e, "val"),
            "ilvl" if self.paragraphs == 1 => {
                self.num.1 = attr(e, "val").and_then(|v| v.parse().ok());
            }
            "outlineLvl" if self.paragraphs == 1 && self.tables == 0 => self.heading = true,
            "t" => self.in_text = !empty,
            "tab" if self.paragraphs > 0 => self.push("\t"),
            "br" | "cr" if self.paragraphs > 0 => self.push(" "),
            _ => {}
        }
        if empty {
            self.close(e.local_name().as_ref());
        }
    }

    fn close(&mut self, tag: &str) {
        match tag {
            "t" => self.in_text = false,
            "p" => {
                if self.paragraphs == 1 {
                    if self.tables == 0 {
                        let mut text = std::mem::take(&mut self.paragraph);
                        let mut drawn = 0;
                        if !text.trim_matches(super::is_blank).is_empty()
                            && let Some(number) = self.list_number()
                        {
                            drawn = number.len();
                            text = format!("{number}{}", text.trim_start_matches(super::is_blank));
                        }
                        self.flow.paragraph(&text, self.heading, drawn);
                    } else {
                        // A numbered paragraph in a cell gets its number too,
                        // and counts in its list as Word counts it.
                        let start = self.cell_paragraph.take();
                        let filled = match (start, self.cell()) {
                            (Some(at), Some(c)) => c
                                .text
                                .get(at..)
                                .is_some_and(|t| !t.trim_matches(super::is_blank).is_empty()),
                            _ => false,
                        };
                        if filled
                            && let Some(number) = self.list_number()
                            && let (Some(at), Some(c)) = (start, self.cell())
                        {
                            let rest = &c.text[at..];
                            let lead = rest.len() - rest.trim_start_matches(super::is_blank).len();
                            c.text.insert_str(at + lead, &number);
                        }
                        self.push(" ");
                    }
                }
                self.paragraphs = self.paragraphs.saturating_sub(1);
            }
            "tbl" => {
                self.tables = self.tables.saturating_sub(1);
                if self.tables == 0 {
                    let rows = std::mem::take(&mut self.rows);
                    self.flow.table(rows);
                }
            }
            _ => {}
        }
    }
}

fn parse(xml: &str, styles: &Styles, numbering: Numbering) -> Result<Doc, String> {
    let mut r = Reader::from_str(xml);
    let mut s = Reading {
        styles,
        numbering,
        style: None,
        num: (None, None),
        cell_paragraph: None,
        row_kept: false,
        cell_kept: false,
        flow: Flow::default(),
        tables: 0,
        rows: Vec::new(),
        paragraphs: 0,
        paragraph: String::new(),
        heading: false,
        in_text: false,
    };
    // Inside `mc:Fallback` a document repeats what `mc:Choice` says for
    // older readers; reading both would double the text.
    let mut fallback = 0usize;
    loop {
        let event = r.read_event().map_err(|e| format!("XML 错误：{e}"))?;
        match event {
            Event::Start(e) if e.local_name().as_ref() == "Fallback" => fallback += 1,
            Event::End(e) if e.local_name().as_ref() == "Fallback" => {
                fallback = fallback.saturating_sub(1)
            }
            _ if fallback > 0 => {}
            Event::Start(e) => s.open(&e, false),
            Event::Empty(e) => s.open(&e, true),
            Event::End(e) => s.close(e.local_name().as_ref()),
            Event::Text(t) if s.in_text => s.push(&t.xml10_content()),
            Event::GeneralRef(g) if s.in_text => {
                let text = super::package::entity(&g);
                s.push(&text);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(s.flow.finish())
}
