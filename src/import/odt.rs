//! OpenDocument text (.odt, as LibreOffice and WPS save it): content.xml's
//! headings, paragraphs, lists and tables in order, read with `zip` and
//! `quick-xml`, into the same flow as a .docx — "段落 N", "表 T 第 R 行第
//! C 列". List numbers, which the file keeps in its list styles and not in
//! the text, are drawn as LibreOffice draws them (一、 （一） 1.).

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::Doc;
use super::flow::{Cell, Flow};
use super::numbering::Numbering;
use super::package::{attr, part};
use crate::report::LoadFailure;

fn broken(name: &str, why: impl std::fmt::Display) -> LoadFailure {
    super::fail(
        name,
        "jixiao::import::odt",
        format!("无法读取 OpenDocument 文本：{why}"),
        Some("可用 WPS 或 LibreOffice 打开后另存为 .docx 再检查".into()),
    )
}

pub fn read(name: &str, bytes: &[u8]) -> Result<Doc, LoadFailure> {
    let mut zip = super::package::open(bytes).map_err(|e| broken(name, e))?;
    let content = part(&mut zip, "content.xml")
        .map_err(|e| broken(name, e))?
        .ok_or_else(|| broken(name, "缺少 content.xml"))?;
    let styles = part(&mut zip, "styles.xml")
        .map_err(|e| broken(name, e))?
        .unwrap_or_default();
    let mut lists = Numbering::default();
    let mut outline = HashMap::new();
    for xml in [&styles, &content] {
        list_styles(xml, &mut lists, &mut outline);
    }
    parse(&content, lists, &outline).map_err(|e| broken(name, e))
}

/// Word's name for an ODF number format (`style:num-format`).
fn format_name(f: &str) -> &'static str {
    match f {
        "1" => "decimal",
        "a" => "lowerLetter",
        "A" => "upperLetter",
        "i" => "lowerRoman",
        "I" => "upperRoman",
        "" => "none",
        _ if f.starts_with('一') || f.starts_with('壹') => "chineseCounting",
        _ if f.starts_with('①') => "decimalEnclosedCircle",
        _ => "decimal",
    }
}

/// The list styles of a part (`text:list-style`), defined as lists of the
/// same name, and the paragraph styles that are headings (those with an
/// outline level, or named Heading/标题).
fn list_styles(xml: &str, lists: &mut Numbering, headings: &mut HashMap<String, bool>) {
    let mut r = Reader::from_str(xml);
    let mut list: Option<String> = None;
    loop {
        let (e, open) = match r.read_event() {
            Ok(Event::Start(e)) => (e, true),
            Ok(Event::Empty(e)) => (e, false),
            Ok(Event::End(e)) => {
                if e.local_name().as_ref() == "list-style" {
                    list = None;
                }
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => continue,
        };
        match e.local_name().as_ref() {
            "list-style" if open => list = attr(&e, "name"),
            "list-level-style-number" => {
                let Some(name) = &list else { continue };
                let level: u8 = attr(&e, "level")
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(1u8)
                    .clamp(1, 9);
                let shown: u8 = attr(&e, "display-levels")
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(1u8)
                    .clamp(1, level);
                let places: Vec<String> = (level - shown + 1..=level)
                    .map(|l| format!("%{l}"))
                    .collect();
                let text = format!(
                    "{}{}{}",
                    attr(&e, "num-prefix").unwrap_or_default(),
                    places.join("."),
                    attr(&e, "num-suffix").unwrap_or_default()
                );
                let format = format_name(&attr(&e, "num-format").unwrap_or_default());
                let start = attr(&e, "start-value")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(1);
                lists.define(name, level - 1, start, format, &text);
            }
            "style" => {
                let (Some(name), Some(family)) = (attr(&e, "name"), attr(&e, "family")) else {
                    continue;
                };
                if family != "paragraph" {
                    continue;
                }
                let display = attr(&e, "display-name").unwrap_or_default().to_lowercase();
                let by_name = display.starts_with("heading")
                    || display.starts_with("标题")
                    || display == "title";
                let parent = attr(&e, "parent-style-name")
                    .and_then(|p| headings.get(&p).copied())
                    .unwrap_or(false);
                headings.insert(
                    name,
                    by_name || parent || attr(&e, "default-outline-level").is_some(),
                );
            }
            _ => {}
        }
    }
}

/// A list being read: its style, and whether its current item has drawn
/// its number yet.
struct List {
    style: Option<String>,
    numbered: bool,
}

struct Reading<'a> {
    lists: Numbering,
    headings: &'a HashMap<String, bool>,
    flow: Flow,
    open_lists: Vec<List>,
    /// Nesting of paragraphs and of tables.
    paragraphs: usize,
    tables: usize,
    paragraph: String,
    /// Bytes of `paragraph` that are its list number.
    drawn: usize,
    heading: bool,
    rows: Vec<Vec<Cell>>,
    row_kept: bool,
    cell_kept: bool,
    /// Columns of the current row so far, and the vertical merges still
    /// open in each column: (rows left, columns the merged cell covers).
    column: usize,
    merges: Vec<(usize, usize)>,
    /// Inside a note, an annotation or tracked changes: not body text.
    skip: usize,
}

impl Reading<'_> {
    fn push(&mut self, text: &str) {
        if self.paragraphs == 0 || !super::budget::text(text.len()) {
            return;
        }
        if self.tables > 0 {
            if self.cell_kept
                && let Some(c) = self.rows.last_mut().and_then(|r| r.last_mut())
            {
                c.text.push_str(text);
            }
        } else {
            self.paragraph.push_str(text);
        }
    }

    /// The number the current list item draws before its first paragraph.
    fn list_number(&mut self) -> Option<String> {
        let depth = self.open_lists.len();
        let style = self.open_lists.iter().rev().find_map(|l| l.style.clone())?;
        let item = self.open_lists.last_mut()?;
        if item.numbered {
            return None;
        }
        item.numbered = true;
        self.lists.label(&style, (depth - 1) as u8)
    }

    fn open(&mut self, e: &BytesStart<'_>, empty: bool) {
        let n = |key: &str| {
            attr(e, key)
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(1)
                .max(1)
        };
        match e.local_name().as_ref() {
            "note" | "annotation" | "tracked-changes" if !empty => self.skip += 1,
            _ if self.skip > 0 => {}
            "list" => {
                let style = attr(e, "style-name");
                let continues = attr(e, "continue-numbering").as_deref() == Some("true")
                    || attr(e, "continue-list").is_some();
                if self.open_lists.is_empty()
                    && !continues
                    && let Some(s) = &style
                {
                    self.lists.restart(s);
                }
                self.open_lists.push(List {
                    style,
                    numbered: true,
                });
            }
            "list-item" => {
                if let Some(l) = self.open_lists.last_mut() {
                    l.numbered = false;
                }
            }
            "list-header" => {
                if let Some(l) = self.open_lists.last_mut() {
                    l.numbered = true;
                }
            }
            "table" => {
                self.tables += 1;
                if self.tables == 1 {
                    self.rows.clear();
                    self.merges.clear();
                }
            }
            "table-row" if self.tables == 1 => {
                // Repeated rows are empty rows in practice; one is kept.
                self.row_kept = self.rows.len() < super::MAX_TABLE_ROWS as usize;
                if self.row_kept {
                    self.rows.push(Vec::new());
                }
                self.column = 0;
                self.cell_kept = false;
            }
            tag @ ("table-cell" | "covered-table-cell") if self.tables == 1 => {
                self.cell_kept = false;
                let covered = tag == "covered-table-cell";
                let repeated = n("number-columns-repeated").min(super::MAX_TABLE_COLS as usize);
                for _ in 0..repeated {
                    let col = self.column;
                    self.column += 1;
                    if self.merges.len() <= col {
                        self.merges.resize(col + 1, (0, 0));
                    }
                    let Some(row) = self.rows.last_mut().filter(|_| self.row_kept) else {
                        continue;
                    };
                    if row.len() >= super::MAX_TABLE_COLS as usize {
                        continue;
                    }
                    if covered {
                        // Below the first row of a vertical merge: the cell
                        // continues it; beside a merged cell: nothing.
                        let (left, span) = self.merges[col];
                        if left > 0 {
                            self.merges[col].0 -= 1;
                            row.push(Cell {
                                span,
                                vmerge: Some(false),
                                ..Cell::default()
                            });
                        }
                        continue;
                    }
                    let (rows, span) = (n("number-rows-spanned"), n("number-columns-spanned"));
                    let span = span.min(super::MAX_TABLE_COLS as usize);
                    self.merges[col] = (rows - 1, span);
                    row.push(Cell {
                        span,
                        vmerge: (rows > 1).then_some(true),
                        ..Cell::default()
                    });
                    self.cell_kept = true;
                }
            }
            tag @ ("p" | "h") => {
                self.paragraphs += 1;
                if self.paragraphs == 1 {
                    self.paragraph.clear();
                    self.heading = tag == "h"
                        || attr(e, "style-name")
                            .and_then(|s| self.headings.get(&s).copied())
                            .unwrap_or(false);
                    self.drawn = 0;
                    if !empty && let Some(number) = self.list_number() {
                        self.push(&number);
                        self.drawn = number.len();
                    }
                }
            }
            "s" => {
                let spaces = " ".repeat(n("c").min(64));
                self.push(&spaces);
            }
            "tab" => self.push("\t"),
            "line-break" => self.push(" "),
            _ => {}
        }
        if empty {
            self.close(e.local_name().as_ref());
        }
    }

    fn close(&mut self, tag: &str) {
        match tag {
            "note" | "annotation" | "tracked-changes" if self.skip > 0 => self.skip -= 1,
            _ if self.skip > 0 => {}
            "list" => {
                self.open_lists.pop();
            }
            "p" | "h" => {
                if self.paragraphs == 1 {
                    if self.tables == 0 {
                        let text = std::mem::take(&mut self.paragraph);
                        self.flow.paragraph(&text, self.heading, self.drawn);
                    } else {
                        self.push(" ");
                    }
                }
                self.paragraphs = self.paragraphs.saturating_sub(1);
            }
            "table" => {
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

fn parse(xml: &str, lists: Numbering, headings: &HashMap<String, bool>) -> Result<Doc, String> {
    let mut r = Reader::from_str(xml);
    let mut s = Reading {
        lists,
        headings,
        flow: Flow::default(),
        open_lists: Vec::new(),
        paragraphs: 0,
        tables: 0,
        paragraph: String::new(),
        drawn: 0,
        heading: false,
        rows: Vec::new(),
        row_kept: false,
        cell_kept: false,
        column: 0,
        merges: Vec::new(),
        skip: 0,
    };
    let mut body = false;
    loop {
        let event = r.read_event().map_err(|e| format!("XML 错误：{e}"))?;
        match event {
            Event::Eof => break,
            Event::Start(e) if e.local_name().as_ref() == "text" && !body => body = true,
            Event::End(e) if e.local_name().as_ref() == "text" && s.paragraphs == 0 => body = false,
            _ if !body => {}
            Event::Start(e) => s.open(&e, false),
            Event::Empty(e) => s.open(&e, true),
            Event::End(e) => s.close(e.local_name().as_ref()),
            Event::Text(t) if s.skip == 0 => s.push(&t.xml10_content()),
            Event::GeneralRef(g) if s.skip == 0 => {
                let text = super::package::entity(&g);
                s.push(&text);
            }
            _ => {}
        }
    }
    Ok(s.flow.finish())
}
