//! Excel (.xlsx, as Excel and WPS save it), read with calamine, and the
//! workbook model every spreadsheet reader shares: each worksheet is one
//! table, each cell located as `Sheet!C7`. Numbers are
//! written as Excel shows them where it matters: a cell formatted as a
//! percentage (0.95 shown as 95.00%) becomes "95.00%". A merged cell's text
//! is repeated down the rows it covers (a 一级指标 merged over its
//! indicators belongs to each of them) but not across columns.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};

use super::{Block, Display, Doc, Note, Piece};
use crate::report::LoadFailure;

use super::{MAX_TABLE_COLS as MAX_COLS, MAX_TABLE_ROWS as MAX_ROWS};

fn broken(name: &str, why: impl std::fmt::Display) -> LoadFailure {
    super::fail(
        name,
        "jixiao::import::xlsx",
        format!("无法读取 Excel 文件：{why}"),
        Some(
            "确认文件是 .xlsx（不是改了扩展名的 .xls/.et），可用 Excel 或 WPS 打开后另存为 .xlsx"
                .into(),
        ),
    )
}

/// `C7` for row 6, column 2 (0-based).
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// The decimals a number format shows (`0.00%` → 2, `#,##0.0_ ` → 1,
/// `General` → none), read from its first section without its quoted text.
fn shown_decimals(format: &str) -> Option<usize> {
    let mut digits = String::new();
    let mut quoted = false;
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => {
                chars.next();
            }
            ';' => break,
            _ => digits.push(c),
        }
    }
    let (_, after) = digits.split_once('.')?;
    let n = after
        .chars()
        .take_while(|c| matches!(c, '0' | '#' | '?'))
        .count();
    (n > 0).then_some(n)
}

/// A number as Excel shows it: percent-formatted cells as percentages with
/// the format's decimals; others with the decimals the format pads them to
/// (a score of 9 formatted `0.0` reads 9.0, and is compared at that
/// precision), never rounded below the value's own; without float noise.
pub(crate) fn number(f: f64, format: Option<&str>) -> String {
    if let Some(fmt) = format.filter(|f| f.contains('%')) {
        let decimals = fmt
            .split_once('.')
            .map_or(0, |(_, d)| d.chars().take_while(|c| *c == '0').count());
        return format!("{:.*}%", decimals, f * 100.0);
    }
    if let Some(d) = format.and_then(shown_decimals).filter(|d| *d <= 6) {
        let scale = 10f64.powi(d as i32);
        if ((f * scale).round() / scale - f).abs() < 1e-9 && f.abs() < 1e12 {
            return format!("{f:.d$}");
        }
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let plain = format!("{f}");
    if plain.len() <= 12 {
        return plain;
    }
    // 99.50000000000001 from a formula is 99.5 on screen.
    let rounded = format!("{f:.6}");
    rounded
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string()
}

/// A date cell as a reader sees it in a Chinese Excel (2023年1月16日; a
/// time of day after it when it has one), not as its serial number.
fn shown_date(d: &calamine::ExcelDateTime) -> String {
    if d.is_duration() {
        return number(d.as_f64(), None);
    }
    let (y, m, day, h, min, _, _) = d.to_ymd_hms_milli();
    date_text(y, m, day, h, min, d.as_f64())
}

/// A date as a Chinese Excel shows it: 2023年1月16日, with the time of day
/// after it when it has one (`serial`'s fraction), or only the time for a
/// serial below 1.
pub(crate) fn date_text(y: u16, m: u8, day: u8, h: u8, min: u8, serial: f64) -> String {
    if serial.fract() == 0.0 {
        format!("{y}年{m}月{day}日")
    } else if serial < 1.0 {
        format!("{h}:{min:02}")
    } else {
        format!("{y}年{m}月{day}日 {h}:{min:02}")
    }
}

pub fn read(name: &str, bytes: &[u8]) -> Result<Doc, LoadFailure> {
    super::package::open(bytes).map_err(|e| broken(name, e))?;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| broken(name, e))?;
    let mut book = Workbook::default();
    for sheet in wb.sheet_names() {
        let styles = wb.worksheet_style(&sheet).ok();
        let merges = wb
            .merge_cells_by_sheet_name(&sheet)
            .unwrap_or_default()
            .into_iter()
            .map(|m| (m.start, m.end))
            .collect();
        let format_of = |row: u32, col: u32| {
            styles
                .as_ref()
                .and_then(|s| s.get((row, col)))
                .and_then(|s| s.number_format.as_ref())
                .map(|n| n.format_code.clone())
        };
        // Cells are streamed, not read into calamine's dense range: a sheet
        // with one cell at A1 and one at XFD1048576 would ask for a grid of
        // 17 billion cells.
        let mut read = Vec::new();
        {
            let mut reader = wb
                .worksheet_cells_reader(&sheet)
                .map_err(|e| broken(name, format!("工作表“{sheet}”：{e}")))?;
            while let Some(cell) = reader
                .next_cell_with_formula()
                .map_err(|e| broken(name, format!("工作表“{sheet}”：{e}")))?
            {
                let (row, col) = cell.pos;
                if row >= MAX_ROWS || col >= MAX_COLS {
                    continue;
                }
                let text = match &cell.value {
                    DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                        s.clone()
                    }
                    DataRef::SharedString(s) => s.to_string(),
                    DataRef::Float(f) => number(*f, format_of(row, col).as_deref()),
                    DataRef::Int(i) => number(*i as f64, format_of(row, col).as_deref()),
                    DataRef::Bool(b) => if *b { "是" } else { "否" }.to_string(),
                    DataRef::DateTime(d) => shown_date(d),
                    DataRef::Error(_) | DataRef::Empty => String::new(),
                };
                if !super::budget::text(text.len()) {
                    // Over the import's budget: the import says so.
                    break;
                }
                read.push(Read {
                    at: (row, col),
                    text,
                    formula: cell.formula.filter(|f| !f.is_empty()),
                });
            }
        }
        book.sheet(&sheet, read, merges);
    }
    Ok(book.finish())
}

/// Merged ranges of a sheet: first and last cell (row, column), inclusive.
pub(crate) type Merges = Vec<((u32, u32), (u32, u32))>;

/// A cell as a reader of a workbook found it: what it shows, and its
/// formula.
pub(crate) struct Read {
    /// (row, column), 0-based.
    pub at: (u32, u32),
    pub text: String,
    pub formula: Option<String>,
}

/// A workbook's sheets while they are read (.xlsx, .xls, .ods alike): each
/// sheet one table, each cell located as `Sheet!C7`.
#[derive(Default)]
pub(crate) struct Workbook {
    display: Display,
    blocks: Vec<Block>,
    notes: Vec<Note>,
    sheets: Vec<super::Sheet>,
}

impl Workbook {
    /// Adds a sheet: its cells (within [`MAX_ROWS`] × [`MAX_COLS`]) and its
    /// merged ranges (first and last cell, inclusive).
    pub fn sheet(
        &mut self,
        sheet: &str,
        mut read: Vec<Read>,
        merges: Vec<((u32, u32), (u32, u32))>,
    ) {
        let (first_block, first_note) = (self.blocks.len(), self.notes.len());
        let mut cells = BTreeMap::new();
        // Sorted, so that the readable text is in sheet order whatever the
        // file's order.
        read.sort_by_key(|r| r.at);
        let name: std::sync::Arc<str> = sheet.into();
        for Read { at, text, formula } in read {
            let text = text.trim_matches(super::is_blank);
            let location = super::At::Sheet {
                sheet: name.clone(),
                row: at.0,
                col: at.1,
            };
            if !text.is_empty() {
                cells.insert(at, self.display.line(location, text));
                continue;
            }
            let Some(formula) = formula else { continue };
            // A formula saved without its result (a file written by a
            // program that does not calculate) has no value to import: say
            // so at the cell instead of leaving it silently empty.
            let piece = self.display.line(location, &format!("={formula}"));
            self.notes.push(Note {
                message: format!(
                    "单元格 {} 是公式 ={formula}，但文件中没有保存计算结果，未导入；请在 Excel 或 WPS 中打开并保存后再导入",
                    piece.origin.at
                ),
                origin: Some(piece.origin),
            });
        }
        // A merged cell's value holds for every row it covers.
        for (start, end) in merges {
            let Some(piece) = cells.get(&start).cloned() else {
                continue;
            };
            for row in start.0 + 1..=end.0.min(MAX_ROWS - 1) {
                if !super::budget::built(piece.text.len()) {
                    break;
                }
                cells.entry((row, start.1)).or_insert_with(|| piece.clone());
            }
        }
        if !cells.is_empty() {
            self.blocks.push(Block::Table(grid(&cells)));
        }
        self.sheets.push(super::Sheet {
            name: sheet.to_string(),
            blocks: first_block..self.blocks.len(),
            notes: first_note..self.notes.len(),
        });
    }

    /// The sheets added so far.
    pub fn sheet_count(&self) -> usize {
        self.sheets.len()
    }

    pub fn finish(self) -> Doc {
        Doc {
            display: self.display.finish(),
            blocks: self.blocks,
            notes: self.notes,
            sheets: self.sheets,
        }
    }
}

fn grid(cells: &BTreeMap<(u32, u32), Piece>) -> Vec<Vec<Option<Piece>>> {
    let first = cells.keys().map(|k| k.0).min().unwrap_or(0);
    let last = cells.keys().map(|k| k.0).max().unwrap_or(0);
    let width = cells.keys().map(|k| k.1).max().unwrap_or(0) + 1;
    (first..=last)
        .map(|r| (0..width).map(|c| cells.get(&(r, c)).cloned()).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(6, 2), "C7");
        assert_eq!(cell_name(0, 26), "AA1");
    }

    #[test]
    fn numbers_as_shown() {
        assert_eq!(number(0.95, Some("0.00%")), "95.00%");
        assert_eq!(number(51283.47, None), "51283.47");
        assert_eq!(number(15.0, Some("General")), "15");
        assert_eq!(number(99.50000000000001, None), "99.5");
        assert_eq!(number(9.0, Some("0.0")), "9.0");
        assert_eq!(number(1234.5, Some("#,##0.00_ ")), "1234.50");
        assert_eq!(number(8.6, Some("0")), "8.6");
        assert_eq!(number(8.64, Some("0.0")), "8.64", "never rounded away");
        assert_eq!(number(3.0, Some("0.0\"分\";-0.0")), "3.0");
        assert_eq!(number(3.0, Some("\"第.\"0")), "3");
        let date = |v| {
            shown_date(&calamine::ExcelDateTime::new(
                v,
                calamine::ExcelDateTimeType::DateTime,
                false,
            ))
        };
        assert_eq!(date(44942.0), "2023年1月16日");
        assert_eq!(date(44942.5), "2023年1月16日 12:00");
    }
}
