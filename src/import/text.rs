//! Plain text and Markdown: each non-blank line is a paragraph, located by
//! its line number. Tables are recognised in three shapes: Markdown pipes,
//! tab-separated columns, and (by [`super::stacked`]) the shape text copied
//! out of a PDF or Word table takes — one cell per line.

use super::{Block, Doc, Piece};
use crate::report::LoadFailure;

/// Decodes a text file: UTF-8 (with or without a byte order mark), UTF-16
/// with a byte order mark, else GB18030 (which GBK files are), as older
/// Windows tools save them. Positions are then positions in the decoded
/// text, which is what the reviewer sees in an editor.
///
/// A file that is none of these is an encoding error at its first bad
/// byte, never guessed at: UTF-32, UTF-8 with some bytes damaged (read as
/// GBK it would be nonsense, and "no year found" the only complaint), or
/// bytes that are no text in any of them.
fn decode(name: &str, bytes: &[u8]) -> Result<String, LoadFailure> {
    let encoding = |message: String, help: &str| {
        super::fail(
            name,
            "jixiao::load::encoding",
            message,
            Some(help.to_string()),
        )
    };
    let resave = "用记事本或 WPS 打开后“另存为”，编码选择 UTF-8；或提供 Word/Excel 原件";
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Err(encoding("文件是 UTF-32 编码，无法读取".into(), resave));
    }
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if let Some(at) = bytes.iter().position(|b| *b == 0)
        && !utf16
    {
        // Text in UTF-16 or UTF-32 without a byte order mark: a NUL beside
        // every ASCII character.
        let nuls = bytes.iter().filter(|b| **b == 0).count();
        if nuls * 4 >= bytes.len() && bytes.len() >= 8 {
            let width = if nuls * 3 >= bytes.len() * 2 { 32 } else { 16 };
            return Err(encoding(
                format!("文件看起来是没有字节顺序标记的 UTF-{width} 编码，无法读取"),
                resave,
            ));
        }
        return Err(super::fail(
            name,
            "jixiao::load::binary",
            format!("这不是文本文件（第 {} 字节是 NUL 字节）", at + 1),
            Some("Word 文件请用 .docx 扩展名导入".into()),
        ));
    }
    if utf16 {
        let (text, _, _) = encoding_rs::Encoding::for_bom(bytes)
            .map_or(encoding_rs::UTF_16LE, |(e, _)| e)
            .decode(bytes);
        return Ok(text.into_owned());
    }
    let bad = match std::str::from_utf8(bytes) {
        Ok(_) => return Ok(encoding_rs::UTF_8.decode(bytes).0.into_owned()),
        Err(e) => e.valid_up_to(),
    };
    let at = || {
        let line = bytes[..bad].iter().filter(|b| **b == b'\n').count() + 1;
        format!("第 {} 字节（第 {line} 行）", bad + 1)
    };
    if mostly_utf8(bytes) {
        return Err(encoding(
            format!(
                "文件是 UTF-8 编码，但从{}起有无法解码的字节（文件可能已损坏或被截断）",
                at()
            ),
            resave,
        ));
    }
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(text.into_owned()),
        None => Err(encoding(
            format!(
                "文件既不是 UTF-8 也不是 GBK/GB18030 编码，从{}起无法解码",
                at()
            ),
            resave,
        )),
    }
}

/// Whether bytes that are not valid UTF-8 are still mostly UTF-8: far more
/// well-formed multi-byte characters than broken sequences. (GBK text read
/// as UTF-8 has almost no well-formed ones.)
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut broken) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            broken += 1;
        }
    }
    good >= 8 && good >= broken * 4
}

/// A line of the file without its line break, and its 1-based number.
struct Line {
    piece: Piece,
    number: usize,
}

pub fn read(name: &str, bytes: &[u8]) -> Result<Doc, LoadFailure> {
    let display = decode(name, bytes)?;
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, raw) in display.split_inclusive('\n').enumerate() {
        let body = raw.trim_end_matches(['\n', '\r']);
        if !body.trim_matches(super::is_blank).is_empty() && !super::budget::built(body.len()) {
            // Over the import's budget: the import says so.
            break;
        }
        let piece = Piece {
            text: body.to_string(),
            origin: super::Origin {
                span: start..start + body.len(),
                at: super::At::Line(i + 1),
            },
        }
        .trimmed();
        start += raw.len();
        if !piece.text.is_empty() {
            lines.push(Line {
                piece,
                number: i + 1,
            });
        }
    }
    if super::budget::exceeded() {
        // Not laid out: the import names the limit it passed.
        return Err(super::fail(
            name,
            "jixiao::import::limit",
            String::new(),
            None,
        ));
    }
    let blocks = super::stacked::tables(blocks(&lines));
    Ok(Doc {
        sheets: Vec::new(),
        display: super::Rendered {
            text: display,
            starts: Vec::new(),
        },
        blocks,
        notes: Vec::new(),
    })
}

fn blocks(lines: &[Line]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if let Some((table, used)) = split_table(&lines[i..]) {
            out.push(Block::Table(table));
            i += used;
            continue;
        }
        let p = &lines[i].piece;
        let hashes = p.text.bytes().take_while(|b| *b == b'#').count();
        if hashes > 0 && p.text[hashes..].starts_with(' ') {
            out.push(Block::Para {
                piece: p.sub(hashes..p.text.len()).trimmed(),
                heading: true,
                at: lines[i].number,
                drawn: 0,
            });
        } else {
            out.push(Block::Para {
                piece: p.clone(),
                heading: false,
                at: lines[i].number,
                drawn: 0,
            });
        }
        i += 1;
    }
    out
}

/// The cells of a line split by `|` (Markdown) or tabs, when it has at
/// least two.
fn cells(p: &Piece) -> Option<Vec<Piece>> {
    let t = &p.text;
    let sep = if t.starts_with('|') {
        '|'
    } else if t.contains('\t') {
        '\t'
    } else {
        return None;
    };
    let mut out = Vec::new();
    let mut at = 0;
    for part in t.split(sep) {
        out.push(p.sub(at..at + part.len()).trimmed());
        at += part.len() + 1;
    }
    if sep == '|' {
        // The pipes at both ends leave empty cells outside the table.
        if out.first().is_some_and(|c| c.text.is_empty()) {
            out.remove(0);
        }
        if out.last().is_some_and(|c| c.text.is_empty()) {
            out.pop();
        }
    }
    (out.len() >= 2).then_some(out)
}

fn is_rule_row(cells: &[Piece]) -> bool {
    cells
        .iter()
        .all(|c| !c.text.is_empty() && c.text.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
}

fn row(cells: Vec<Piece>) -> Vec<Option<Piece>> {
    cells
        .into_iter()
        .take(super::MAX_TABLE_COLS as usize)
        .map(|c| (!c.text.is_empty()).then_some(c))
        .collect()
}

/// A table of pipe- or tab-separated lines, from the first line on.
fn split_table(lines: &[Line]) -> Option<(Vec<Vec<Option<Piece>>>, usize)> {
    let first = cells(&lines[0].piece)?;
    let mut rows = vec![row(first)];
    let mut used = 1;
    for l in &lines[1..] {
        if rows.len() >= super::MAX_TABLE_ROWS as usize {
            break;
        }
        let Some(c) = cells(&l.piece) else { break };
        used += 1;
        if !is_rule_row(&c) {
            rows.push(row(c));
        }
    }
    (rows.len() >= 2).then_some((rows, used))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Doc {
        read("t.txt", text.as_bytes()).unwrap()
    }

    fn table(d: &Doc) -> Vec<Vec<String>> {
        d.blocks
            .iter()
            .find_map(|b| match b {
                Block::Table(t) => Some(
                    t.iter()
                        .map(|r| {
                            r.iter()
                                .map(|c| c.as_ref().map_or("", |c| c.text.as_str()).to_string())
                                .collect()
                        })
                        .collect(),
                ),
                _ => None,
            })
            .unwrap()
    }

    #[test]
    fn pieces_are_their_display_text_and_lines() {
        let d = doc("标题\r\n\r\n\t正文一行 \n");
        for b in &d.blocks {
            if let Block::Para { piece, .. } = b {
                assert_eq!(&d.display.text[piece.origin.span.clone()], piece.text);
            }
        }
        let Block::Para { piece, .. } = &d.blocks[1] else {
            panic!()
        };
        assert_eq!(piece.text, "正文一行");
        assert_eq!(piece.origin.at.to_string(), "第 3 行");
    }

    #[test]
    fn one_cell_per_line_tables_are_read_up_to_the_total() {
        let d = doc(
            "汇总表\n一级指标\n权重分\n得分\n决策\n15\n15\n合计\n100\n98\n其后正文，不是表格。\n",
        );
        assert_eq!(
            table(&d),
            [
                ["一级指标", "权重分", "得分"],
                ["决策", "15", "15"],
                ["合计", "100", "98"]
            ]
        );
        assert!(matches!(d.blocks.last(), Some(Block::Para { .. })));
    }

    #[test]
    fn markdown_and_tab_tables() {
        let md = doc("| 一级指标 | 权重 |\n|---|---|\n| 决策 | 20 |\n");
        assert_eq!(table(&md), [["一级指标", "权重"], ["决策", "20"]]);
        let tab = doc("一级指标\t权重\t得分\n决策\t\t20\n");
        assert_eq!(table(&tab)[1], ["决策", "", "20"]);
    }

    #[test]
    fn damaged_utf8_and_utf32_are_encoding_errors_at_their_place() {
        let mut damaged = "2021年度部门整体支出绩效自评报告\n预算执行率为95%\n"
            .as_bytes()
            .to_vec();
        damaged.insert("2021年度部".len(), 0xFF);
        let err = read("d.txt", &damaged).unwrap_err();
        assert_eq!(err.errors[0].code, "jixiao::load::encoding");
        assert!(
            err.errors[0].message.contains("第 14 字节（第 1 行）"),
            "{:?}",
            err.errors[0]
        );
        let utf32 = [0xFFu8, 0xFE, 0, 0, b'a', 0, 0, 0];
        let err = read("u.txt", &utf32).unwrap_err();
        assert!(err.errors[0].message.contains("UTF-32"));
        let plain32: Vec<u8> = "2021年度"
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        let err = read("p.txt", &plain32).unwrap_err();
        assert!(
            err.errors[0].message.contains("UTF-32"),
            "{:?}",
            err.errors[0]
        );
    }

    #[test]
    fn gbk_text_is_decoded() {
        let (gbk, _, _) = encoding_rs::GBK.encode("预算执行率\n");
        let d = read("g.txt", &gbk).unwrap();
        assert!(d.display.text.starts_with("预算执行率"));
        assert!(read("b.txt", b"PK\x03\x04\0\0").is_err());
    }
}
