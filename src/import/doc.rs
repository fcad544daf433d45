//! Word 97–2003 documents (.doc), and WPS 文字 files saved in the same
//! format (.wps), read in pure Rust into the same flow as a .docx: the
//! `cfb` crate opens the OLE container; the File Information Block leads
//! to the piece table (where each run of the main text lies, one or two
//! bytes a character), the paragraph properties (which paragraphs are in
//! a table, which mark a row's end, the cell layout of each row), the
//! style sheet (which styles are headings) and the list tables (the
//! numbers Word draws before a paragraph). Field codes are left out and
//! their results kept, as Word shows them. Every offset and count in the
//! file is checked against the bytes that are there.

use std::collections::HashMap;

use super::flow::{Cell, Flow};
use super::numbering::Numbering;
use super::{Doc, ole};
use crate::report::LoadFailure;

fn broken(name: &str, why: impl std::fmt::Display) -> LoadFailure {
    super::fail(
        name,
        "jixiao::import::doc",
        format!("无法读取 Word 97–2003 文档：{why}"),
        Some("可用 Word 或 WPS 打开后另存为 .docx 再检查".into()),
    )
}

pub fn read(name: &str, bytes: &[u8]) -> Result<Doc, LoadFailure> {
    let mut file = ole::open(bytes).map_err(|e| broken(name, e))?;
    let word = ole::stream(&mut file, "WordDocument")
        .map_err(|e| broken(name, e))?
        .ok_or_else(|| broken(name, "缺少 WordDocument 流"))?;
    let fib = Fib::read(&word).map_err(|e| match e {
        Failure::Encrypted => super::encrypted(name, "文档"),
        Failure::Broken(why) => broken(name, why),
    })?;
    let table_name = if fib.which_table { "1Table" } else { "0Table" };
    let table = ole::stream(&mut file, table_name)
        .map_err(|e| broken(name, e))?
        .ok_or_else(|| broken(name, format!("缺少 {table_name} 流")))?;
    let data = ole::stream(&mut file, "Data")
        .map_err(|e| broken(name, e))?
        .unwrap_or_default();
    parse(&word, &table, &data, &fib).map_err(|e| broken(name, e))
}

enum Failure {
    Encrypted,
    Broken(String),
}

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        d.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        d.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// A part of the table stream by its place in the FIB (`fc`, `lcb`).
fn slice(d: &[u8], (fc, lcb): (u32, u32)) -> &[u8] {
    let start = fc as usize;
    d.get(start..start.saturating_add(lcb as usize))
        .unwrap_or(&[])
}

/// What the import needs of the File Information Block.
struct Fib {
    which_table: bool,
    ccp_text: u32,
    stshf: (u32, u32),
    bte_papx: (u32, u32),
    clx: (u32, u32),
    lst: (u32, u32),
    lfo: (u32, u32),
}

impl Fib {
    fn read(d: &[u8]) -> Result<Fib, Failure> {
        let bad = |s: &str| Failure::Broken(s.to_string());
        if u16_at(d, 0) != Some(0xA5EC) {
            return Err(bad("文件头不是 Word 文档的标识"));
        }
        let n_fib = u16_at(d, 2).unwrap_or(0);
        let flags = u16_at(d, 0x0A).unwrap_or(0);
        if flags & 0x0100 != 0 || flags & 0x8000 != 0 {
            return Err(Failure::Encrypted);
        }
        if n_fib < 0x00C1 {
            return Err(bad("这是 Word 6.0/95 或更早版本的格式"));
        }
        let csw = usize::from(u16_at(d, 32).ok_or_else(|| bad("FIB 不完整"))?);
        let lw = 34 + csw * 2;
        let cslw = usize::from(u16_at(d, lw).ok_or_else(|| bad("FIB 不完整"))?);
        let ccp_text = u32_at(d, lw + 2 + 3 * 4).ok_or_else(|| bad("FIB 不完整"))?;
        let blob = lw + 2 + cslw * 4;
        let count = usize::from(u16_at(d, blob).ok_or_else(|| bad("FIB 不完整"))?);
        let pair = |i: usize| -> (u32, u32) {
            if i >= count {
                return (0, 0);
            }
            let at = blob + 2 + i * 8;
            (u32_at(d, at).unwrap_or(0), u32_at(d, at + 4).unwrap_or(0))
        };
        Ok(Fib {
            which_table: flags & 0x0200 != 0,
            ccp_text,
            stshf: pair(1),
            bte_papx: pair(13),
            clx: pair(33),
            lst: pair(73),
            lfo: pair(74),
        })
    }
}

/// The main text as characters, each with the place of its bytes in the
/// WordDocument stream (paragraph properties are found by that place).
fn text(word: &[u8], table: &[u8], fib: &Fib) -> Result<Vec<(char, u32)>, String> {
    let mut clx = slice(table, fib.clx);
    // Skip the property modifiers (clxt 1) before the piece table (clxt 2).
    while clx.first() == Some(&1) {
        let cb = usize::from(u16_at(clx, 1).ok_or("片段表不完整")?);
        clx = clx.get(3 + cb..).ok_or("片段表不完整")?;
    }
    if clx.first() != Some(&2) {
        return Err("找不到片段表（piece table）".into());
    }
    let lcb = u32_at(clx, 1).ok_or("片段表不完整")? as usize;
    let plc = clx.get(5..5 + lcb).ok_or("片段表超出文件")?;
    // n + 1 character positions, then n piece descriptors of 8 bytes.
    let n = plc.len().saturating_sub(4) / 12;
    let mut out = Vec::new();
    let limit = fib.ccp_text;
    for i in 0..n {
        let (Some(cp0), Some(cp1)) = (u32_at(plc, i * 4), u32_at(plc, i * 4 + 4)) else {
            break;
        };
        if cp0 >= limit {
            break;
        }
        let fc_raw = u32_at(plc, (n + 1) * 4 + i * 8 + 2).ok_or("片段描述不完整")?;
        let count = cp1.min(limit).saturating_sub(cp0) as usize;
        if fc_raw & 0x4000_0000 != 0 {
            let fc = (fc_raw & !0x4000_0000) / 2;
            let bytes = word
                .get(fc as usize..(fc as usize).saturating_add(count))
                .ok_or("正文片段超出文件")?;
            let (decoded, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            for (k, c) in decoded.chars().enumerate() {
                out.push((c, fc + k as u32));
            }
        } else {
            let fc = fc_raw;
            let bytes = word
                .get(fc as usize..(fc as usize).saturating_add(count * 2))
                .ok_or("正文片段超出文件")?;
            let units = bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]));
            let mut k = 0u32;
            for c in char::decode_utf16(units) {
                let c = c.unwrap_or('\u{fffd}');
                out.push((c, fc + k * 2));
                k += c.len_utf16() as u32;
            }
        }
    }
    Ok(out)
}

/// What the import needs of a paragraph's properties.
#[derive(Debug, Clone, Default)]
struct Para {
    istd: u16,
    in_table: bool,
    /// The paragraph that ends a table row.
    row_end: bool,
    depth: u32,
    outline: Option<u8>,
    list: Option<(u16, u8)>,
    /// A row's cell boundaries (twips) and each cell's merge flags.
    row: Option<(Vec<i16>, Vec<u16>)>,
}

/// The paragraph properties by their places in the WordDocument stream:
/// (start, end, properties), sorted.
fn paragraphs(word: &[u8], table: &[u8], data: &[u8], fib: &Fib) -> Vec<(u32, u32, Para)> {
    let plc = slice(table, fib.bte_papx);
    let n = plc.len().saturating_sub(4) / 8;
    let mut out = Vec::new();
    for i in 0..n {
        let Some(pn) = u32_at(plc, (n + 1) * 4 + i * 4) else {
            break;
        };
        let base = ((pn & 0x3F_FFFF) as usize).saturating_mul(512);
        let Some(page) = word.get(base..base.saturating_add(512)) else {
            continue;
        };
        let crun = usize::from(page[511]);
        for r in 0..crun {
            let (Some(start), Some(end)) = (u32_at(page, r * 4), u32_at(page, r * 4 + 4)) else {
                break;
            };
            let Some(&offset) = page.get((crun + 1) * 4 + r * 13) else {
                break;
            };
            let at = usize::from(offset) * 2;
            if at == 0 {
                out.push((start, end, Para::default()));
                continue;
            }
            let Some(&cb) = page.get(at) else { continue };
            let (from, len) = if cb != 0 {
                (at + 1, usize::from(cb) * 2 - 1)
            } else {
                (
                    at + 2,
                    usize::from(page.get(at + 1).copied().unwrap_or(0)) * 2,
                )
            };
            let Some(papx) = page.get(from..(from + len).min(511)) else {
                continue;
            };
            out.push((start, end, properties(papx, data)));
        }
    }
    out.sort_by_key(|p| p.0);
    out
}

/// The size of a property modifier's operand, by its code; `None` when
/// the grpprl ends there.
fn operand_len(sprm: u16, rest: &[u8]) -> Option<usize> {
    Some(match sprm >> 13 {
        0 | 1 => 1,
        2 | 4 | 5 => 2,
        3 => 4,
        7 => 3,
        _ => match sprm {
            // sprmTDefTable and sprmPChgTabs have two-byte lengths.
            0xD608 => usize::from(u16_at(rest, 0)?) + 1,
            0xC615 if rest.first() == Some(&255) => {
                let del = usize::from(*rest.get(1)?);
                let add = usize::from(*rest.get(2 + del * 4)?);
                2 + del * 4 + 1 + add * 3
            }
            _ => usize::from(*rest.first()?) + 1,
        },
    })
}

/// A paragraph's properties from its istd and grpprl; `data` is the Data
/// stream, where a paragraph too large for its page keeps the rest
/// (sprmPHugePapx, as a table row of many cells has).
fn properties(papx: &[u8], data: &[u8]) -> Para {
    let mut p = Para {
        istd: u16_at(papx, 0).unwrap_or(0),
        ..Para::default()
    };
    let mut list = (None, 0u8);
    apply(&mut p, &mut list, papx.get(2..).unwrap_or(&[]), data, true);
    if let (Some(lfo), level) = list
        && lfo != 0
        && lfo < 0x07FF
    {
        p.list = Some((lfo, level.min(8)));
    }
    if p.in_table && p.depth == 0 {
        p.depth = 1;
    }
    p
}

fn apply(p: &mut Para, list: &mut (Option<u16>, u8), grpprl: &[u8], data: &[u8], outer: bool) {
    let mut at = 0;
    while let Some(sprm) = u16_at(grpprl, at) {
        let rest = &grpprl[at + 2..];
        let Some(len) = operand_len(sprm, rest) else {
            break;
        };
        let Some(op) = rest.get(..len) else { break };
        let byte = op.first().copied().unwrap_or(0);
        match sprm {
            0x2416 => p.in_table = byte != 0,
            0x2417 => p.row_end = byte != 0,
            0x6649 => p.depth = u32_at(op, 0).unwrap_or(0),
            0x2640 if byte < 9 => p.outline = Some(byte),
            0x460B => list.0 = u16_at(op, 0),
            0x260A => list.1 = byte,
            0xD608 => p.row = Some(row_layout(op)),
            // Only one level: the Data stream's grpprl holds no further
            // reference.
            0x6646 if outer => {
                let at = u32_at(op, 0).unwrap_or(u32::MAX) as usize;
                if let Some(cb) = u16_at(data, at) {
                    let more = data.get(at + 2..at + 2 + usize::from(cb)).unwrap_or(&[]);
                    apply(p, list, more, data, false);
                }
            }
            _ => {}
        }
        at += 2 + len;
    }
}

/// sprmTDefTable: the cells' boundaries and their merge flags.
fn row_layout(op: &[u8]) -> (Vec<i16>, Vec<u16>) {
    let cells = usize::from(op.get(2).copied().unwrap_or(0)).min(64);
    let edges = (0..=cells)
        .map_while(|i| u16_at(op, 3 + i * 2).map(|v| v as i16))
        .collect();
    let tc = 3 + (cells + 1) * 2;
    let flags = (0..cells).map_while(|i| u16_at(op, tc + i * 20)).collect();
    (edges, flags)
}

/// Style index → whether the style is a heading (a built-in heading 1–9,
/// or a style named Heading/标题).
fn heading_styles(table: &[u8], fib: &Fib) -> Vec<bool> {
    let st = slice(table, fib.stshf);
    let Some(cb_stshi) = u16_at(st, 0) else {
        return Vec::new();
    };
    let stshi = st.get(2..).unwrap_or(&[]);
    let count = usize::from(u16_at(stshi, 0).unwrap_or(0));
    let base_len = usize::from(u16_at(stshi, 2).unwrap_or(10));
    let mut at = 2 + usize::from(cb_stshi);
    let mut out = Vec::with_capacity(count.min(st.len() / 2));
    for _ in 0..count {
        let Some(cb) = u16_at(st, at) else { break };
        let std = st.get(at + 2..at + 2 + usize::from(cb)).unwrap_or(&[]);
        at += 2 + usize::from(cb);
        let sti = u16_at(std, 0).unwrap_or(0x0FFE) & 0x0FFF;
        let name = u16_at(std, base_len).map_or(String::new(), |cch| {
            let units = std
                .get(base_len + 2..base_len + 2 + usize::from(cch) * 2)
                .unwrap_or(&[])
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]));
            char::decode_utf16(units)
                .flatten()
                .collect::<String>()
                .to_lowercase()
        });
        out.push(
            !std.is_empty()
                && ((1..=9).contains(&sti)
                    || name.starts_with("heading")
                    || name.starts_with("标题")
                    || name == "title"),
        );
    }
    out
}

/// Word's name for a list number format code (nfc).
fn format_name(nfc: u8) -> &'static str {
    match nfc {
        0 => "decimal",
        1 => "upperRoman",
        2 => "lowerRoman",
        3 => "upperLetter",
        4 => "lowerLetter",
        18 => "decimalEnclosedCircle",
        22 => "decimalZero",
        23 => "bullet",
        255 => "none",
        10 | 11 | 14..=17 | 26..=31 | 33..=47 => "chineseCounting",
        _ => "decimal",
    }
}

/// The list tables: each list's levels defined under its list format
/// override's number (what a paragraph's sprmPIlfo names).
fn lists(table: &[u8], fib: &Fib) -> Numbering {
    let mut numbering = Numbering::default();
    let lst = table.get(fib.lst.0 as usize..).unwrap_or(&[]);
    if fib.lst.1 == 0 {
        return numbering;
    }
    let count = usize::from(u16_at(lst, 0).unwrap_or(0));
    let mut lsids = Vec::new();
    for i in 0..count {
        let at = 2 + i * 28;
        let (Some(lsid), Some(&flags)) = (u32_at(lst, at), lst.get(at + 26)) else {
            break;
        };
        lsids.push((lsid, if flags & 1 != 0 { 1 } else { 9 }));
    }
    // The levels follow the list structures, in their order.
    let mut at = 2 + count * 28;
    for (lsid, levels) in lsids {
        for level in 0..levels {
            let Some(lvlf) = lst.get(at..at + 28) else {
                return numbering;
            };
            let start = u32_at(lvlf, 0).unwrap_or(1);
            let nfc = lvlf[4];
            let (papx, chpx) = (usize::from(lvlf[25]), usize::from(lvlf[24]));
            at += 28 + papx + chpx;
            let Some(cch) = u16_at(lst, at) else {
                return numbering;
            };
            let units: Vec<u16> = lst
                .get(at + 2..at + 2 + usize::from(cch) * 2)
                .unwrap_or(&[])
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            at += 2 + usize::from(cch) * 2;
            // Characters below 9 stand for the levels' numbers.
            let text: String = char::decode_utf16(units)
                .flatten()
                .map(|c| match c as u32 {
                    0..=8 => format!("%{}", c as u32 + 1),
                    _ => c.to_string(),
                })
                .collect();
            numbering.define(&lsid.to_string(), level, start, format_name(nfc), &text);
        }
    }
    // Each override names its list by lsid; paragraphs name the override.
    let lfo = slice(table, fib.lfo);
    let overrides = u32_at(lfo, 0).unwrap_or(0) as usize;
    let mut by_lfo = HashMap::new();
    for i in 0..overrides.min(lfo.len() / 16) {
        if let Some(lsid) = u32_at(lfo, 4 + i * 16) {
            by_lfo.insert(i + 1, lsid);
        }
    }
    numbering.overrides(
        by_lfo
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    numbering
}

/// The body's state while its characters are read.
struct Reading {
    flow: Flow,
    numbering: Numbering,
    headings: Vec<bool>,
    paragraph: String,
    rows: Vec<Vec<Cell>>,
    row: Vec<Cell>,
    cell: String,
    layouts: Vec<Option<(Vec<i16>, Vec<u16>)>>,
}

impl Reading {
    fn number(&mut self, p: &Para) -> Option<String> {
        let (lfo, level) = p.list?;
        self.numbering.label(&lfo.to_string(), level)
    }

    fn end_paragraph(&mut self, p: &Para, mark: char) {
        // An empty cell's mark may come without table properties (as
        // LibreOffice writes them); a cell mark is a cell's end all the
        // same.
        let table = Para {
            depth: 1,
            ..p.clone()
        };
        let p = if mark == '\u{7}' && p.depth == 0 {
            &table
        } else {
            p
        };
        let mut text = std::mem::take(&mut self.paragraph);
        let mut drawn = 0;
        if !text.trim_matches(super::is_blank).is_empty()
            && let Some(n) = self.number(p)
        {
            drawn = n.len();
            text = format!("{n}{}", text.trim_start_matches(super::is_blank));
        }
        if p.depth == 0 {
            self.end_table();
            let heading = p.outline.is_some()
                || self
                    .headings
                    .get(usize::from(p.istd))
                    .copied()
                    .unwrap_or(false);
            self.flow.paragraph(&text, heading, drawn);
            return;
        }
        if p.depth > 1 {
            // A nested table's text joins the outer cell.
            self.cell.push_str(&text);
            self.cell.push(' ');
            return;
        }
        if p.row_end {
            if self.rows.len() < super::MAX_TABLE_ROWS as usize {
                let row = std::mem::take(&mut self.row);
                self.rows.push(row);
                self.layouts.push(p.row.clone());
            } else {
                self.row.clear();
            }
            return;
        }
        self.cell.push_str(&text);
        if mark == '\u{7}' {
            let mut cell = Cell::new();
            cell.text = std::mem::take(&mut self.cell);
            if self.row.len() < super::MAX_TABLE_COLS as usize {
                self.row.push(cell);
            }
        } else {
            self.cell.push(' ');
        }
    }

    /// The table read so far, laid out by its rows' cell boundaries.
    fn end_table(&mut self) {
        if self.rows.is_empty() {
            return;
        }
        let mut rows = std::mem::take(&mut self.rows);
        let layouts = std::mem::take(&mut self.layouts);
        // The grid's columns: every cell boundary of every row.
        let mut edges: Vec<i16> = layouts
            .iter()
            .flatten()
            .flat_map(|(e, _)| e.iter().copied())
            .collect();
        edges.sort_unstable();
        edges.dedup_by(|a, b| (*a as i32 - *b as i32).abs() < 20);
        for (row, layout) in rows.iter_mut().zip(&layouts) {
            let Some((bounds, flags)) = layout else {
                continue;
            };
            let mut merged: Vec<Cell> = Vec::new();
            for (i, mut cell) in std::mem::take(row).into_iter().enumerate() {
                let f = flags.get(i).copied().unwrap_or(0);
                if let (Some(l), Some(r)) = (bounds.get(i), bounds.get(i + 1)) {
                    let span = edges
                        .iter()
                        .filter(|e| (**e as i32) > *l as i32 + 10 && (**e as i32) <= *r as i32 + 10)
                        .count();
                    cell.span = span.max(1);
                }
                if f & 0x0040 != 0 {
                    cell.vmerge = Some(true);
                } else if f & 0x0020 != 0 {
                    cell.vmerge = Some(false);
                }
                // Old-style horizontal merges: fMerged cells join the first.
                if f & 0x0002 != 0
                    && f & 0x0001 == 0
                    && let Some(first) = merged.last_mut()
                {
                    first.span += cell.span;
                    first.text.push_str(&cell.text);
                    continue;
                }
                merged.push(cell);
            }
            *row = merged;
        }
        self.flow.table(rows);
    }
}

fn parse(word: &[u8], table: &[u8], data: &[u8], fib: &Fib) -> Result<Doc, String> {
    let chars = text(word, table, fib)?;
    let props = paragraphs(word, table, data, fib);
    let mut s = Reading {
        flow: Flow::default(),
        numbering: lists(table, fib),
        headings: heading_styles(table, fib),
        paragraph: String::new(),
        rows: Vec::new(),
        row: Vec::new(),
        cell: String::new(),
        layouts: Vec::new(),
    };
    // Field nesting: `true` while in a field's code, `false` in its result.
    let mut fields: Vec<bool> = Vec::new();
    let lookup = |fc: u32| -> Para {
        let i = props.partition_point(|p| p.0 <= fc);
        match i.checked_sub(1).map(|i| &props[i]) {
            Some((start, end, p)) if *start <= fc && fc < *end => p.clone(),
            _ => Para::default(),
        }
    };
    for (c, fc) in chars {
        match c {
            '\u{13}' => fields.push(true),
            '\u{14}' => {
                if let Some(f) = fields.last_mut() {
                    *f = false;
                }
            }
            '\u{15}' => {
                fields.pop();
            }
            '\r' | '\u{7}' => s.end_paragraph(&lookup(fc), c),
            _ if fields.iter().any(|f| *f) => {}
            '\u{b}' | '\u{c}' | '\u{e}' => s.paragraph.push(' '),
            '\t' => s.paragraph.push('\t'),
            '\u{1e}' => s.paragraph.push('-'),
            '\u{a0}' => s.paragraph.push(' '),
            c if (c as u32) < 0x20 || c == '\u{1f}' => {}
            c => s.paragraph.push(c),
        }
    }
    if !s.paragraph.trim_matches(super::is_blank).is_empty() {
        s.end_paragraph(&Para::default(), '\r');
    }
    s.end_table();
    Ok(s.flow.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operands_by_code() {
        assert_eq!(operand_len(0x2416, &[1]), Some(1));
        assert_eq!(operand_len(0x6649, &[1, 0, 0, 0]), Some(4));
        assert_eq!(operand_len(0xD608, &[5, 0]), Some(6));
        assert_eq!(operand_len(0xC601, &[3]), Some(4));
    }

    #[test]
    fn table_paragraph_properties() {
        // istd 0, sprmPFInTable 1, sprmPFTtp 1.
        let p = properties(&[0, 0, 0x16, 0x24, 1, 0x17, 0x24, 1], &[]);
        assert!(p.in_table && p.row_end);
        assert_eq!(p.depth, 1);
        let heading = properties(&[1, 0, 0x40, 0x26, 0], &[]);
        // sprmPHugePapx: the rest in the Data stream at offset 2.
        let data = [0, 0, 3, 0, 0x17, 0x24, 1];
        let huge = properties(&[0, 0, 0x16, 0x24, 1, 0x46, 0x66, 2, 0, 0, 0], &data);
        assert!(huge.row_end);
        assert_eq!((heading.istd, heading.outline), (1, Some(0)));
    }
}
