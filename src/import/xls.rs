//! Excel 97–2003 workbooks (.xls, BIFF8) and WPS 表格 files saved in the
//! same format (.et): the `Workbook` stream of the OLE container read
//! record by record into the same workbook model as .xlsx. Our own reader
//! rather than calamine's: it keeps each cell's number format (a 95.00%
//! cell reads 95.00%, not 0.95, as the .xlsx reader gives it), and it never
//! lays a sheet out densely (a cell at IV65536 would ask for 16 million).
//! Every length in the file is checked against the bytes that are there.

use super::Doc;
use super::xlsx::{Merges, Read, Workbook, date_text, number};
use super::{MAX_TABLE_COLS as MAX_COLS, MAX_TABLE_ROWS as MAX_ROWS, ole};
use crate::report::LoadFailure;

fn broken(name: &str, why: impl std::fmt::Display) -> LoadFailure {
    super::fail(
        name,
        "jixiao::import::xls",
        format!("无法读取 Excel 97–2003 工作簿：{why}"),
        Some("可用 Excel 或 WPS 打开后另存为 .xlsx 再检查".into()),
    )
}

pub fn read(name: &str, bytes: &[u8]) -> Result<Doc, LoadFailure> {
    let mut file = ole::open(bytes).map_err(|e| broken(name, e))?;
    let stream = ole::stream(&mut file, "Workbook")
        .map_err(|e| broken(name, e))?
        .ok_or_else(|| broken(name, "缺少 Workbook 流"))?;
    parse(&stream).map_err(|e| match e {
        Failure::Encrypted => super::encrypted(name, "工作簿"),
        Failure::Broken(why) => broken(name, why),
    })
}

enum Failure {
    Encrypted,
    Broken(String),
}

impl From<&str> for Failure {
    fn from(s: &str) -> Failure {
        Failure::Broken(s.to_string())
    }
}

/// One record: its type and data (CONTINUE records not yet joined).
struct Record<'a> {
    kind: u16,
    data: &'a [u8],
}

/// The records from `at` up to the end of the stream.
fn records(stream: &[u8], mut at: usize) -> impl Iterator<Item = (usize, Record<'_>)> {
    std::iter::from_fn(move || {
        let head = stream.get(at..at.checked_add(4)?)?;
        let kind = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        let data = stream.get(at + 4..at + 4 + len)?;
        let start = at;
        at += 4 + len;
        Some((start, Record { kind, data }))
    })
}

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(d.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(d.get(at..at + 4)?.try_into().ok()?))
}

fn f64_at(d: &[u8], at: usize) -> Option<f64> {
    Some(f64::from_le_bytes(d.get(at..at + 8)?.try_into().ok()?))
}

/// Characters of a BIFF8 string at `at`: `cch` of them, one byte each
/// (Latin-1) or two (UTF-16) by `high`.
fn chars(d: &[u8], at: usize, cch: usize, high: bool) -> Option<(String, usize)> {
    if high {
        let raw = d.get(at..at.checked_add(cch * 2)?)?;
        let units = raw
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]));
        Some((
            char::decode_utf16(units)
                .map(|c| c.unwrap_or('\u{fffd}'))
                .collect(),
            cch * 2,
        ))
    } else {
        let raw = d.get(at..at.checked_add(cch)?)?;
        Some((raw.iter().map(|b| char::from(*b)).collect(), cch))
    }
}

/// An XLUnicodeString (16-bit count) at `at`.
fn unicode_string(d: &[u8], at: usize) -> Option<String> {
    let cch = usize::from(u16_at(d, at)?);
    let flags = *d.get(at + 2)?;
    chars(d, at + 3, cch, flags & 1 != 0).map(|(s, _)| s)
}

/// A ShortXLUnicodeString (8-bit count) at `at`.
fn short_string(d: &[u8], at: usize) -> Option<String> {
    let cch = usize::from(*d.get(at)?);
    let flags = *d.get(at + 1)?;
    chars(d, at + 2, cch, flags & 1 != 0).map(|(s, _)| s)
}

/// The shared strings: the SST record and its CONTINUE records. A string's
/// characters may go on in the next record, which then starts with a new
/// flags byte saying their width.
fn shared_strings(parts: &[&[u8]]) -> Vec<String> {
    let Some(first) = parts.first() else {
        return Vec::new();
    };
    let unique = u32_at(first, 4).unwrap_or(0) as usize;
    let total: usize = parts.iter().map(|p| p.len()).sum();
    // Each string takes at least three bytes.
    let mut out = Vec::with_capacity(unique.min(total / 3));
    let (mut part, mut at) = (0usize, 8usize);
    'strings: while out.len() < unique {
        // The fixed head of a string never crosses a record.
        if at >= parts[part].len() {
            part += 1;
            at = 0;
            if part >= parts.len() {
                break;
            }
        }
        let d = parts[part];
        let (Some(cch), Some(&flags)) = (u16_at(d, at), d.get(at + 2)) else {
            break;
        };
        let mut left = usize::from(cch);
        let mut high = flags & 1 != 0;
        let mut at_ = at + 3;
        let runs = if flags & 8 != 0 {
            let r = usize::from(u16_at(d, at_).unwrap_or(0));
            at_ += 2;
            r
        } else {
            0
        };
        let ext = if flags & 4 != 0 {
            let e = u32_at(d, at_).unwrap_or(0) as usize;
            at_ += 4;
            e
        } else {
            0
        };
        let mut text = String::new();
        let (mut p, mut a) = (part, at_);
        loop {
            let d = parts[p];
            let room = d.len().saturating_sub(a) / if high { 2 } else { 1 };
            let take = left.min(room);
            let Some((s, used)) = chars(d, a, take, high) else {
                break 'strings;
            };
            text.push_str(&s);
            left -= take;
            a += used;
            if left == 0 {
                break;
            }
            p += 1;
            if p >= parts.len() {
                out.push(text);
                break 'strings;
            }
            let Some(&f) = parts[p].first() else {
                break 'strings;
            };
            high = f & 1 != 0;
            a = 1;
        }
        out.push(text);
        // Formatting runs and phonetic text, which may cross records
        // without a flags byte.
        let mut skip = runs * 4 + ext;
        loop {
            let room = parts[p].len().saturating_sub(a);
            if skip <= room {
                a += skip;
                break;
            }
            skip -= room;
            p += 1;
            a = 0;
            if p >= parts.len() {
                break 'strings;
            }
        }
        (part, at) = (p, a);
    }
    out
}

/// The number format of each XF (cell format) index.
struct Formats {
    custom: std::collections::HashMap<u16, String>,
    xf: Vec<u16>,
    date1904: bool,
}

impl Formats {
    fn code(&self, ixfe: u16) -> Option<String> {
        let ifmt = *self.xf.get(usize::from(ixfe))?;
        if let Some(c) = self.custom.get(&ifmt) {
            return Some(c.clone());
        }
        Some(
            match ifmt {
                1 => "0",
                2 => "0.00",
                3 => "#,##0",
                4 => "#,##0.00",
                9 => "0%",
                10 => "0.00%",
                14..=22 | 27..=36 | 45..=47 | 50..=58 => "yyyy-mm-dd",
                _ => "General",
            }
            .to_string(),
        )
    }

    /// A number as the cell shows it.
    fn shown(&self, f: f64, ixfe: u16) -> String {
        let code = self.code(ixfe);
        match code.as_deref() {
            Some(c) if is_date(c) => self.date(f).unwrap_or_else(|| number(f, None)),
            c => number(f, c),
        }
    }

    fn date(&self, serial: f64) -> Option<String> {
        if !(0.0..3_000_000.0).contains(&serial) {
            return None;
        }
        let days = serial.floor() as i64;
        // Day 0 is 1899-12-31 and 60 the 29 February 1900 that never was
        // (Excel's Lotus-compatible count); 1904-based files count from
        // 1904-01-01.
        let epoch = if self.date1904 {
            days_from_civil(1904, 1, 1)
        } else if days < 60 {
            days_from_civil(1899, 12, 31)
        } else {
            days_from_civil(1899, 12, 30)
        };
        let (y, m, d) = civil_from_days(epoch + days);
        let minutes = ((serial.fract() * 1440.0).round() as u32).min(1439);
        Some(date_text(
            u16::try_from(y).ok()?,
            m,
            d,
            (minutes / 60) as u8,
            (minutes % 60) as u8,
            serial,
        ))
    }
}

/// Whether a number format shows a date or time: y, m, d, h or s outside
/// quotes and brackets (`[Red]`, `[$-804]`), and not a plain number.
fn is_date(code: &str) -> bool {
    let mut quoted = false;
    let mut bracket = false;
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '[' => bracket = true,
            ']' => bracket = false,
            _ if bracket => {}
            '\\' | '_' | '*' => {
                chars.next();
            }
            'y' | 'Y' | 'm' | 'M' | 'd' | 'D' | 'h' | 'H' | 's' | 'S' => return true,
            _ => {}
        }
    }
    false
}

/// Days since 1970-01-01 of a date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// An RK number: a 30-bit integer or the top of a float, maybe ÷ 100.
fn rk(v: u32) -> f64 {
    let n = if v & 2 != 0 {
        f64::from((v as i32) >> 2)
    } else {
        f64::from_bits(u64::from(v & 0xFFFF_FFFC) << 32)
    };
    if v & 1 != 0 { n / 100.0 } else { n }
}

fn parse(stream: &[u8]) -> Result<Doc, Failure> {
    let mut formats = Formats {
        custom: Default::default(),
        xf: Vec::new(),
        date1904: false,
    };
    let mut sheets: Vec<(u32, String)> = Vec::new();
    let mut sst_parts: Vec<&[u8]> = Vec::new();
    let mut in_sst = false;
    let mut globals = records(stream, 0);
    match globals.next() {
        Some((_, r)) if r.kind == 0x0809 && u16_at(r.data, 0) == Some(0x0600) => {}
        Some((_, r)) if r.kind == 0x0809 => {
            return Err("不是 BIFF8 格式（Excel 97 以前的版本）".into());
        }
        _ => return Err("Workbook 流不以 BOF 记录开头".into()),
    }
    for (_, r) in globals {
        let d = r.data;
        if r.kind != 0x003C {
            in_sst = false;
        }
        match r.kind {
            0x000A => break,
            0x002F => return Err(Failure::Encrypted),
            0x0022 => formats.date1904 = u16_at(d, 0) == Some(1),
            0x041E => {
                if let (Some(i), Some(code)) = (u16_at(d, 0), unicode_string(d, 2)) {
                    formats.custom.insert(i, code);
                }
            }
            0x00E0 => formats.xf.push(u16_at(d, 2).unwrap_or(0)),
            0x0085 => {
                if let (Some(pos), Some(&0), Some(name)) =
                    (u32_at(d, 0), d.get(5), short_string(d, 6))
                {
                    sheets.push((pos, name));
                }
            }
            0x00FC => {
                sst_parts = vec![d];
                in_sst = true;
            }
            0x003C if in_sst => sst_parts.push(d),
            _ => {}
        }
    }
    let sst = shared_strings(&sst_parts);
    let mut book = Workbook::default();
    for (pos, name) in sheets {
        let (cells, merges) = sheet(stream, pos as usize, &sst, &formats);
        book.sheet(&name, cells, merges);
    }
    Ok(book.finish())
}

/// The cells and merged ranges of the sheet whose BOF is at `pos`.
fn sheet(stream: &[u8], pos: usize, sst: &[String], formats: &Formats) -> (Vec<Read>, Merges) {
    let mut cells = Vec::new();
    let mut merges = Vec::new();
    let mut pending_string: Option<(u32, u32)> = None;
    let mut depth = 0usize;
    for (_, r) in records(stream, pos) {
        let d = r.data;
        match r.kind {
            // A chart or other substream inside the sheet has its own EOF.
            0x0809 => depth += 1,
            0x000A => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            _ if depth != 1 => {}
            0x00E5 => {
                let n = usize::from(u16_at(d, 0).unwrap_or(0));
                for k in 0..n {
                    let at = 2 + k * 8;
                    if let (Some(r0), Some(r1), Some(c0), Some(c1)) = (
                        u16_at(d, at),
                        u16_at(d, at + 2),
                        u16_at(d, at + 4),
                        u16_at(d, at + 6),
                    ) {
                        merges.push((
                            (u32::from(r0), u32::from(c0)),
                            (u32::from(r1), u32::from(c1)),
                        ));
                    }
                }
            }
            0x0207 => {
                if let (Some(at), Some(s)) = (pending_string.take(), unicode_string(d, 0)) {
                    push(&mut cells, at, s);
                }
            }
            _ => {
                pending_string = None;
                let (Some(row), Some(col), Some(ixfe)) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4))
                else {
                    continue;
                };
                let at = (u32::from(row), u32::from(col));
                match r.kind {
                    0x00FD => {
                        if let Some(s) = u32_at(d, 6).and_then(|i| sst.get(i as usize)) {
                            push(&mut cells, at, s.clone());
                        }
                    }
                    0x0204 => {
                        if let Some(s) = unicode_string(d, 6) {
                            push(&mut cells, at, s);
                        }
                    }
                    0x0203 => {
                        if let Some(f) = f64_at(d, 6) {
                            push(&mut cells, at, formats.shown(f, ixfe));
                        }
                    }
                    0x027E => {
                        if let Some(v) = u32_at(d, 6) {
                            push(&mut cells, at, formats.shown(rk(v), ixfe));
                        }
                    }
                    0x00BD => {
                        // ixfe and RK for each column, then the last column.
                        let n = d.len().saturating_sub(6) / 6;
                        for k in 0..n {
                            let base = 4 + k * 6;
                            if let (Some(x), Some(v)) = (u16_at(d, base), u32_at(d, base + 2)) {
                                let c = (u32::from(col) + k as u32, formats.shown(rk(v), x));
                                push(&mut cells, (at.0, c.0), c.1);
                            }
                        }
                    }
                    0x0205 => {
                        if let (Some(&v), Some(&0)) = (d.get(6), d.get(7)) {
                            push(&mut cells, at, if v != 0 { "是" } else { "否" }.into());
                        }
                    }
                    0x0006 => match (u16_at(d, 12), d.get(6)) {
                        (Some(0xFFFF), Some(0)) => pending_string = Some(at),
                        (Some(0xFFFF), Some(1)) => {
                            let v = d.get(8).copied().unwrap_or(0);
                            push(&mut cells, at, if v != 0 { "是" } else { "否" }.into());
                        }
                        (Some(0xFFFF), _) => {}
                        _ => {
                            if let Some(f) = f64_at(d, 6) {
                                push(&mut cells, at, formats.shown(f, ixfe));
                            }
                        }
                    },
                    _ => {}
                }
            }
        }
    }
    (cells, merges)
}

fn push(cells: &mut Vec<Read>, at: (u32, u32), text: String) {
    // Past the import's budget nothing more is kept (the import says so).
    if at.0 < MAX_ROWS && at.1 < MAX_COLS && super::budget::text(text.len()) {
        cells.push(Read {
            at,
            text,
            formula: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rk_numbers() {
        assert_eq!(rk((15 << 2) | 2), 15.0);
        assert_eq!(rk((9808 << 2) | 3), 98.08);
        assert_eq!(rk((-3i32 << 2) as u32 | 2), -3.0);
        let bits = (1.5f64.to_bits() >> 32) as u32;
        assert_eq!(rk(bits), 1.5);
    }

    #[test]
    fn dates_by_serial() {
        let f = Formats {
            custom: Default::default(),
            xf: vec![14],
            date1904: false,
        };
        assert_eq!(f.shown(44942.0, 0), "2023年1月16日");
        assert_eq!(f.shown(44942.5, 0), "2023年1月16日 12:00");
        assert!(is_date("yyyy\"年\"m\"月\"d\"日\""));
        assert!(!is_date("0.00%"));
        assert!(!is_date("[Red]0.0"));
    }

    #[test]
    fn strings_cross_records() {
        // Two strings: "ab" (Latin-1), then "中文" whose second character is
        // in the next record, which starts with its flags byte.
        let first = [
            2u8, 0, 0, 0, 2, 0, 0, 0, // total, unique
            2, 0, 0, b'a', b'b', // "ab"
            2, 0, 1, 0x2D, 0x4E, // cch 2, UTF-16, "中"
        ];
        let second = [1u8, 0x87, 0x65]; // flags, "文"
        assert_eq!(shared_strings(&[&first, &second]), ["ab", "中文"]);
    }
}
