//! OpenDocument spreadsheets (.ods, as LibreOffice and WPS save them):
//! content.xml's sheets read with `quick-xml` into the same workbook model
//! as .xlsx. A number is taken with the decimals its cell shows (the
//! cell's displayed text says them), so 95.00% and 9.0 read as in Excel;
//! repeated rows and columns (how ODF stores a sheet formatted to its last
//! row) are bounded by the table limits, empty ones only counted.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::Doc;
use super::package::{attr, part};
use super::xlsx::{Merges, Read, Workbook, date_text, number};
use super::{MAX_TABLE_COLS as MAX_COLS, MAX_TABLE_ROWS as MAX_ROWS};
use crate::report::LoadFailure;

fn broken(name: &str, why: impl std::fmt::Display) -> LoadFailure {
    super::fail(
        name,
        "jixiao::import::ods",
        format!("无法读取 OpenDocument 表格：{why}"),
        Some("可用 WPS 或 LibreOffice 打开后另存为 .xlsx 再检查".into()),
    )
}

pub fn read(name: &str, bytes: &[u8]) -> Result<Doc, LoadFailure> {
    let mut zip = super::package::open(bytes).map_err(|e| broken(name, e))?;
    let content = part(&mut zip, "content.xml")
        .map_err(|e| broken(name, e))?
        .ok_or_else(|| broken(name, "缺少 content.xml"))?;
    parse(&content).map_err(|e| broken(name, e))
}

/// A cell while it is read.
#[derive(Default)]
struct Cell {
    kind: String,
    value: Option<String>,
    formula: Option<String>,
    text: String,
    paragraphs: usize,
    repeat: u32,
    rows_spanned: u32,
    cols_spanned: u32,
}

impl Cell {
    fn from(e: &BytesStart<'_>) -> Cell {
        let n = |key: &str| {
            attr(e, key)
                .and_then(|v| v.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1)
        };
        let kind = attr(e, "value-type").unwrap_or_default();
        let value = match kind.as_str() {
            "date" => attr(e, "date-value"),
            "time" => attr(e, "time-value"),
            "boolean" => attr(e, "boolean-value"),
            _ => attr(e, "value"),
        };
        Cell {
            kind,
            value,
            formula: attr(e, "formula"),
            repeat: n("number-columns-repeated"),
            rows_spanned: n("number-rows-spanned"),
            cols_spanned: n("number-columns-spanned"),
            ..Cell::default()
        }
    }

    /// What the cell shows, as the .xlsx reader would give it.
    fn shown(&self) -> String {
        let text = self.text.trim_matches(super::is_blank);
        let value = self.value.as_deref().unwrap_or_default();
        match self.kind.as_str() {
            "float" | "percentage" | "currency" => {
                let Ok(f) = value.parse::<f64>() else {
                    return text.to_string();
                };
                // The decimals shown: the digits after the point of the
                // displayed number.
                let decimals = text.rsplit_once(['.', '．']).map_or(0, |(_, d)| {
                    d.chars().take_while(char::is_ascii_digit).count()
                });
                let format = format!(
                    "0{}{}{}",
                    if decimals > 0 { "." } else { "" },
                    "0".repeat(decimals),
                    if self.kind == "percentage" { "%" } else { "" }
                );
                if self.kind == "currency" {
                    return text.to_string();
                }
                number(f, Some(&format))
            }
            "date" => date(value).unwrap_or_else(|| text.to_string()),
            "boolean" => if value == "true" { "是" } else { "否" }.to_string(),
            _ => text.to_string(),
        }
    }
}

/// `2023-01-16` or `2023-01-16T12:00:00` as a Chinese Excel shows it.
fn date(v: &str) -> Option<String> {
    let (day, time) = v.split_once('T').unwrap_or((v, ""));
    let mut d = day.splitn(3, '-').map(|p| p.parse::<u16>().ok());
    let (y, m, dd) = (d.next()??, d.next()??, d.next()??);
    let mut t = time.splitn(3, ':').map(|p| p.parse::<u16>().ok());
    let (h, min) = (
        t.next().flatten().unwrap_or(0),
        t.next().flatten().unwrap_or(0),
    );
    let fraction = if h == 0 && min == 0 { 0.0 } else { 0.5 };
    Some(date_text(
        y,
        m.min(12) as u8,
        dd.min(31) as u8,
        h.min(23) as u8,
        min.min(59) as u8,
        1.0 + fraction,
    ))
}

fn parse(xml: &str) -> Result<Doc, String> {
    let mut r = Reader::from_str(xml);
    let mut book = Workbook::default();
    let mut sheet: Option<String> = None;
    let mut read: Vec<Read> = Vec::new();
    let mut merges = Vec::new();
    // Nesting of tables (a table inside a cell's text is part of it).
    let mut tables = 0usize;
    let (mut row, mut col) = (0u32, 0u32);
    let mut row_repeat = 1u32;
    let mut row_cells: Vec<Read> = Vec::new();
    let mut cell: Option<Cell> = None;
    let mut skip = 0usize;
    loop {
        let event = r.read_event().map_err(|e| format!("XML 错误：{e}"))?;
        let (e, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                match e.local_name().as_ref() {
                    "annotation" if skip > 0 => skip -= 1,
                    _ if skip > 0 => {}
                    "table" => {
                        tables = tables.saturating_sub(1);
                        if tables == 0
                            && let Some(name) = sheet.take()
                        {
                            book.sheet(
                                &name,
                                std::mem::take(&mut read),
                                std::mem::take(&mut merges),
                            );
                        }
                    }
                    "table-row" if tables == 1 => {
                        end_row(&mut read, &mut row_cells, &mut row, row_repeat);
                    }
                    "table-cell" | "covered-table-cell" if tables == 1 => {
                        if let Some(c) = cell.take() {
                            end_cell(c, row, &mut col, &mut row_cells, &mut merges);
                        }
                    }
                    "p" if tables == 1 => {
                        if let Some(c) = &mut cell {
                            c.paragraphs += 1;
                        }
                    }
                    _ => {}
                }
                continue;
            }
            Event::Text(t) => {
                if skip == 0
                    && let Some(c) = &mut cell
                {
                    let t = t.xml10_content();
                    if !super::budget::text(t.len()) {
                        break;
                    }
                    if c.paragraphs > 0 && !c.text.ends_with('\n') {
                        c.text.push('\n');
                    }
                    c.text.push_str(&t);
                }
                continue;
            }
            Event::GeneralRef(g) => {
                if skip == 0
                    && let Some(c) = &mut cell
                {
                    let text = super::package::entity(&g);
                    c.text.push_str(&text);
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        match e.local_name().as_ref() {
            "annotation" if !empty => skip += 1,
            _ if skip > 0 => {}
            "table" => {
                tables += 1;
                if tables == 1 {
                    sheet = Some(
                        attr(&e, "name")
                            .unwrap_or_else(|| format!("Sheet{}", book.sheet_count() + 1)),
                    );
                    row = 0;
                }
                if empty {
                    tables -= 1;
                    if let Some(name) = sheet.take() {
                        book.sheet(&name, Vec::new(), Vec::new());
                    }
                }
            }
            "table-row" if tables == 1 => {
                row_repeat = attr(&e, "number-rows-repeated")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1u32)
                    .max(1);
                col = 0;
                row_cells.clear();
                if empty {
                    end_row(&mut read, &mut row_cells, &mut row, row_repeat);
                }
            }
            "table-cell" | "covered-table-cell" if tables == 1 => {
                let c = Cell::from(&e);
                if empty {
                    end_cell(c, row, &mut col, &mut row_cells, &mut merges);
                } else {
                    cell = Some(c);
                }
            }
            "s" if tables == 1 => {
                if let Some(c) = &mut cell {
                    let n = attr(&e, "c").and_then(|v| v.parse().ok()).unwrap_or(1usize);
                    let n = n.clamp(1, 64);
                    if !super::budget::text(n) {
                        break;
                    }
                    c.text.push_str(&" ".repeat(n));
                }
            }
            "tab" | "line-break" if tables == 1 => {
                if let Some(c) = &mut cell {
                    c.text.push(' ');
                }
            }
            _ => {}
        }
    }
    Ok(book.finish())
}

/// A cell read: kept (repeated over the columns it is repeated on, within
/// the bounds) when it shows something or holds a formula; the columns
/// counted either way.
fn end_cell(c: Cell, row: u32, col: &mut u32, row_cells: &mut Vec<Read>, merges: &mut Merges) {
    let shown = c.shown();
    let formula = c.formula.as_deref().map(|f| {
        f.trim_start_matches("of:")
            .trim_start_matches('=')
            .to_string()
    });
    if (!shown.is_empty() || formula.is_some()) && row < MAX_ROWS {
        for k in 0..c.repeat.min(MAX_COLS) {
            let at = col.saturating_add(k);
            if at >= MAX_COLS {
                break;
            }
            if !super::budget::text(shown.len()) {
                break;
            }
            row_cells.push(Read {
                at: (row, at),
                text: shown.clone(),
                formula: formula.clone(),
            });
        }
        if c.rows_spanned > 1 || c.cols_spanned > 1 {
            merges.push((
                (row, *col),
                (
                    row.saturating_add(c.rows_spanned - 1),
                    col.saturating_add(c.cols_spanned - 1),
                ),
            ));
        }
    }
    *col = col.saturating_add(c.repeat);
}

/// A row read: its cells kept for each row it is repeated on, within the
/// bounds (a row repeated a million times is an empty one in practice).
fn end_row(read: &mut Vec<Read>, row_cells: &mut Vec<Read>, row: &mut u32, repeat: u32) {
    if !row_cells.is_empty() {
        for k in 0..repeat {
            let at = row.saturating_add(k);
            if at >= MAX_ROWS {
                break;
            }
            let bytes: usize = row_cells.iter().map(|c| c.text.len()).sum();
            if !super::budget::text(bytes) {
                break;
            }
            read.extend(row_cells.iter().map(|c| Read {
                at: (at, c.at.1),
                text: c.text.clone(),
                formula: c.formula.clone(),
            }));
        }
        row_cells.clear();
    }
    *row = row.saturating_add(repeat);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_as_shown_repeats_bounded_and_formulas_without_values_noted() {
        let xml = r#"<office:document-content><office:body><office:spreadsheet>
<table:table table:name="自评表">
<table:table-row><table:table-cell office:value-type="string"><text:p>执行率</text:p></table:table-cell>
<table:table-cell office:value-type="percentage" office:value="0.9808"><text:p>98.08%</text:p></table:table-cell>
<table:table-cell table:formula="of:=[.B1]*100"/></table:table-row>
<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#;
        let doc = parse(xml).unwrap();
        assert!(
            doc.display.text.contains("[自评表!B1] 98.08%"),
            "{}",
            doc.display.text
        );
        assert_eq!(doc.notes.len(), 1);
        assert!(
            doc.notes[0].message.contains("自评表!C1"),
            "{}",
            doc.notes[0].message
        );
        assert_eq!(doc.sheets.len(), 1);
    }

    #[test]
    fn dates_as_shown() {
        assert_eq!(date("2023-01-16").as_deref(), Some("2023年1月16日"));
        assert_eq!(
            date("2023-01-16T12:00:00").as_deref(),
            Some("2023年1月16日 12:00")
        );
        assert_eq!(date("x"), None);
    }
}
