//! Places a reviewer can find. Each reader locates a piece of text as it
//! found it (段落 12, 表 2 第 3 行第 4 列, 自评表!H15, 第 3 页第 12 行); a
//! reviewer with the document open needs words from the document itself:
//! the heading a paragraph is under and its opening words, the table's
//! caption with the row's name and the column's header, the cell with the
//! indicator it belongs to. This module describes every piece of a read
//! document that way, once, before anything is extracted from it, and
//! redraws a Word document's readable text with those places in its
//! margin (`[第 2 段]`, `[“过程”行“得分”列]`) instead of the reader's
//! counts.

use std::collections::BTreeMap;

mod names;

use names::{Named, Names, cell_words, cells};

use super::headings::is_heading;
use super::{At, Block, Doc, Format, Piece, Rendered};
use crate::diagnostic::Location;

/// Characters of a paragraph's opening quoted in its place.
const OPENING: usize = 20;
/// Characters of a row's name or a column's header quoted in a place.
const NAME: usize = 16;

/// The place of every piece of a document, by where the piece starts in
/// the document's readable text.
#[derive(Debug, Clone, Default)]
pub struct Places {
    by_start: BTreeMap<usize, (usize, Location)>,
    /// The first piece of the document, for labels with nothing better.
    first: Option<(std::ops::Range<usize>, Location)>,
}

impl Places {
    /// The place of the piece holding byte `offset` of the readable text.
    pub fn at(&self, offset: usize) -> Option<&Location> {
        let (_, (end, place)) = self.by_start.range(..=offset).next_back()?;
        (offset <= *end).then_some(place)
    }

    /// The document's first piece of text and its place.
    pub fn first(&self) -> Option<&(std::ops::Range<usize>, Location)> {
        self.first.as_ref()
    }
}

/// Describes every piece of `doc` and, for a Word-like document, redraws
/// its readable text with the places in the margin (every span of the
/// document moved with it).
pub fn describe(mut doc: Doc, format: Format) -> (Doc, Places) {
    let mut described: Vec<(Piece, Location, Option<String>)> = Vec::new();
    let word_like = matches!(format, Format::Docx | Format::Doc | Format::Odt);
    match format {
        Format::Docx | Format::Doc | Format::Odt => word(&doc.blocks, &mut described),
        Format::Xlsx | Format::Xls | Format::Ods => sheets(&doc.blocks, &mut described),
        Format::Pdf | Format::Text => lines(&doc.blocks, &mut described),
    }
    let moves = word_like.then(|| redraw(&mut doc, &described));
    // A note may point at text that is in no block (a formula saved
    // without its value): its place is the reader's own.
    for n in &doc.notes {
        if let Some(o) = &n.origin {
            let piece = Piece {
                text: String::new(),
                origin: o.clone(),
            };
            described.push((piece, counted(&o.at), None));
        }
    }
    let mut places = Places::default();
    for (piece, place, _) in described {
        let span = moves
            .as_ref()
            .map_or(piece.origin.span.clone(), |m| m.span(&piece.origin.span));
        if places
            .first
            .as_ref()
            .is_none_or(|(f, _)| span.start < f.start)
        {
            places.first = Some((span.clone(), place.clone()));
        }
        places
            .by_start
            .entry(span.start)
            .or_insert((span.end, place));
    }
    if let Some(m) = &moves {
        m.apply(&mut doc);
    }
    (doc, places)
}

/// A place as the reader counted it, for text no block holds.
fn counted(at: &At) -> Location {
    let mut l = match at {
        At::Line(n) => Location {
            line: Some(*n),
            ..Location::default()
        },
        At::Para(n) => Location {
            paragraph: Some(*n),
            ..Location::default()
        },
        At::Cell { table, row, col } => Location {
            table: Some(*table),
            row: Some(*row),
            column: Some(*col),
            ..Location::default()
        },
        At::Sheet { sheet, row, col } => Location {
            sheet: Some(sheet.to_string()),
            cell: Some(super::xlsx::cell_name(*row, *col)),
            ..Location::default()
        },
        At::Page { page, line, col } => Location {
            page: Some(*page),
            line: Some(*line),
            column: *col,
            ..Location::default()
        },
        At::Range(first, _) => counted(first),
        At::Nowhere | At::Start => Location::default(),
    };
    l.text = at.to_string();
    l
}

/// `text` cut to `n` characters, with "…" when cut; a number the cut
/// falls in is kept whole, so that a quote never shows 1800 for 1800.00.
fn short(text: &str, n: usize) -> String {
    let text = text.trim_matches(super::is_blank);
    let Some((mut cut, _)) = text.char_indices().nth(n) else {
        return text.to_string();
    };
    let in_number = |c: char| c.is_ascii_digit() || c == '.' || c == '%';
    if text[..cut].ends_with(|c: char| c.is_ascii_digit()) {
        cut += text[cut..]
            .find(|c: char| !in_number(c))
            .unwrap_or(text.len() - cut);
    }
    if cut >= text.len() {
        return text.to_string();
    }
    format!("{}…", text[..cut].trim_end_matches(super::is_blank))
}

/// A paragraph's text as Find sees it: without its automatic number.
fn findable(piece: &Piece, drawn: usize) -> &str {
    piece
        .text
        .get(drawn..)
        .unwrap_or(&piece.text)
        .trim_start_matches(super::is_blank)
}

/// The paragraphs and tables of a Word document: paragraphs by the
/// heading above them, tables by their caption or heading.
fn word(blocks: &[Block], out: &mut Vec<(Piece, Location, Option<String>)>) {
    let heading = |b: &Block| match b {
        Block::Para {
            piece,
            heading,
            drawn,
            ..
        } if is_title(piece, *heading) => Some(short(findable(piece, *drawn), NAME * 2)),
        _ => None,
    };
    // How many tables each heading has under it, to say which one.
    let mut tables_under: Vec<usize> = Vec::new();
    for b in blocks {
        if heading(b).is_some() || tables_under.is_empty() {
            tables_under.push(0);
        }
        if matches!(b, Block::Table(_)) {
            *tables_under.last_mut().unwrap_or(&mut 0) += 1;
        }
    }
    let mut section = 0;
    let mut under: Option<String> = None;
    let mut paragraph = 0;
    let mut table_here = 0;
    let mut tables = 0;
    for (i, b) in blocks.iter().enumerate() {
        if let Some(h) = heading(b) {
            if i > 0 {
                section += 1;
            }
            let Block::Para { piece, at, .. } = b else {
                continue;
            };
            out.push((
                piece.clone(),
                Location {
                    text: format!("标题「{h}」"),
                    paragraph: Some(*at),
                    ..Location::default()
                },
                Some("标题".into()),
            ));
            under = Some(h);
            paragraph = 0;
            table_here = 0;
            continue;
        }
        match b {
            Block::Para {
                piece, at, drawn, ..
            } => {
                paragraph += 1;
                out.push(in_text(piece, *at, *drawn, paragraph, under.as_deref()));
            }
            // A table the reader rebuilt from paragraphs of one cell each
            // (typed, or pasted from a PDF): the reviewer sees paragraphs.
            Block::Table(grid)
                if cells(grid)
                    .iter()
                    .all(|(p, _)| matches!(p.origin.at, At::Para(_))) =>
            {
                let mut pieces: Vec<&Piece> = cells(grid).into_iter().map(|(p, _)| p).collect();
                pieces.sort_by_key(|p| p.origin.span.start);
                for piece in pieces {
                    let At::Para(at) = piece.origin.at else {
                        continue;
                    };
                    paragraph += 1;
                    out.push(in_text(piece, at, 0, paragraph, under.as_deref()));
                }
            }
            Block::Table(grid) => {
                tables += 1;
                table_here += 1;
                let name = match caption(&blocks[..i]) {
                    Some(c) => format!("表格「{c}」"),
                    None => match (&under, tables_under.get(section).copied().unwrap_or(0)) {
                        (Some(h), 1) => format!("「{h}」下的表格"),
                        (Some(h), _) => format!("「{h}」下第 {table_here} 个表格"),
                        (None, _) => format!("第 {tables} 个表格"),
                    },
                };
                let names = Names::new(grid);
                for (piece, (r, c)) in cells(grid) {
                    let at = match &piece.origin.at {
                        At::Cell { table, row, col } => (Some(*table), Some(*row), Some(*col)),
                        _ => (Some(tables), Some(r + 1), Some(c + 1)),
                    };
                    let cell = cell_words(&names, r, c);
                    out.push((
                        piece.clone(),
                        Location {
                            text: format!("{name}{cell}"),
                            table: at.0,
                            row: at.1,
                            column: at.2,
                            ..Location::default()
                        },
                        Some(cell),
                    ));
                }
            }
        }
    }
}

/// The place of a paragraph: the heading it is under (if any), its count
/// there and its opening words.
fn in_text(
    piece: &Piece,
    at: usize,
    drawn: usize,
    n: usize,
    under: Option<&str>,
) -> (Piece, Location, Option<String>) {
    let opening = short(findable(piece, drawn), OPENING);
    let (text, margin) = match under {
        Some(h) => (
            format!("「{h}」第 {n} 段：“{opening}”"),
            format!("第 {n} 段"),
        ),
        None => (
            format!("文首第 {n} 段：“{opening}”"),
            format!("文首第 {n} 段"),
        ),
    };
    (
        piece.clone(),
        Location {
            text,
            paragraph: Some(at),
            ..Location::default()
        },
        Some(margin),
    )
}

/// Whether a paragraph reads as a heading to someone paging through the
/// document: a heading, unless it is a numbered item that goes on after
/// its first sentence (（三）绩效监控不到位。对项目实施中的偏差…).
fn is_title(piece: &Piece, styled: bool) -> bool {
    let t = piece
        .text
        .trim_end_matches(|c: char| c == '。' || c == '.' || super::is_blank(c));
    is_heading(piece, styled) && (styled || !t.contains('。'))
}

/// The caption a table has: the short paragraph right above it (a
/// `单位：万元` or `（2022年度）` line between them passed over), unless it
/// is a heading.
fn caption(before: &[Block]) -> Option<String> {
    let mut back = before.iter().rev();
    let mut b = back.next()?;
    loop {
        let Block::Para {
            piece,
            heading,
            drawn,
            ..
        } = b
        else {
            return None;
        };
        let t = findable(piece, *drawn);
        let year_line = t.starts_with(['（', '(']) && t.contains("年") && t.chars().count() <= 12;
        if t.starts_with("单位") || t.starts_with("金额单位") || year_line {
            b = back.next()?;
            continue;
        }
        if is_title(piece, *heading)
            || t.chars().count() > 40
            || t.contains(['。', '；', ';'])
            || !(t.contains('表') || t.ends_with("情况"))
        {
            return None;
        }
        return Some(short(t, NAME * 2));
    }
}

/// The cells of workbooks: the sheet and cell, with the row's name and the
/// column's header.
fn sheets(blocks: &[Block], out: &mut Vec<(Piece, Location, Option<String>)>) {
    for b in blocks {
        let Block::Table(grid) = b else { continue };
        let names = Names::new(grid);
        for (piece, (r, c)) in cells(grid) {
            let (sheet, cell) = match &piece.origin.at {
                At::Sheet { sheet, row, col } => (
                    Some(sheet.to_string()),
                    Some(super::xlsx::cell_name(*row, *col)),
                ),
                _ => (None, None),
            };
            let of = match names.of(r, c) {
                Named::Header(_) => "（表头）".to_string(),
                Named::Labelled(l) => format!("（“{l}”一栏）"),
                Named::Cell(Some(row), Some(col)) => format!("（“{row}”的{col}）"),
                Named::Cell(None, Some(col)) => format!("（{col}）"),
                Named::Cell(Some(row), None) => format!("（“{row}”行）"),
                Named::Cell(None, None) => String::new(),
            };
            out.push((
                piece.clone(),
                Location {
                    text: format!("{}{of}", piece.origin.at),
                    sheet,
                    cell,
                    ..Location::default()
                },
                None,
            ));
        }
    }
}

/// The lines of a text file or a PDF: the page and line with the line's
/// opening words, and for a table cell the row's name and column's header.
fn lines(blocks: &[Block], out: &mut Vec<(Piece, Location, Option<String>)>) {
    let numbers = |at: &At| match at {
        At::Line(n) => (None, Some(*n)),
        At::Page { page, line, .. } => (Some(*page), Some(*line)),
        _ => (None, None),
    };
    let line_of = |at: &At| match at {
        At::Page { page, line, .. } => format!("第 {page} 页第 {line} 行"),
        other => other.to_string(),
    };
    for b in blocks {
        match b {
            Block::Para { piece, .. } => {
                let (page, line) = numbers(&piece.origin.at);
                out.push((
                    piece.clone(),
                    Location {
                        text: format!(
                            "{}：“{}”",
                            line_of(&piece.origin.at),
                            short(&piece.text, OPENING)
                        ),
                        page,
                        line,
                        ..Location::default()
                    },
                    None,
                ));
            }
            Block::Table(grid) => {
                let names = Names::new(grid);
                for (piece, (r, c)) in cells(grid) {
                    let (page, line) = numbers(&piece.origin.at);
                    out.push((
                        piece.clone(),
                        Location {
                            text: format!(
                                "{}，表格{}",
                                line_of(&piece.origin.at),
                                cell_words(&names, r, c)
                            ),
                            page,
                            line,
                            row: Some(r + 1),
                            column: Some(c + 1),
                            ..Location::default()
                        },
                        None,
                    ));
                }
            }
        }
    }
}

/// Redraws the readable text of a Word document with each line's place
/// in the margin instead of the reader's count; what it returns moves
/// every span with its line.
fn redraw(doc: &mut Doc, described: &[(Piece, Location, Option<String>)]) -> Moves {
    let old = std::mem::take(&mut doc.display);
    let starts = &old.starts;
    let line_of = |offset: usize| starts.partition_point(|&s| s <= offset).checked_sub(1);
    let mut margins: Vec<Option<&str>> = vec![None; starts.len()];
    for (piece, _, margin) in described {
        if let (Some(i), Some(m)) = (line_of(piece.origin.span.start), margin)
            && margins[i].is_none()
        {
            margins[i] = Some(m);
        }
    }
    let mut text = String::with_capacity(old.text.len());
    let mut new_starts = Vec::with_capacity(starts.len());
    for (i, &start) in starts.iter().enumerate() {
        let end = old.text[start..]
            .find('\n')
            .map_or(old.text.len(), |n| start + n);
        let begin = old.text[..start].rfind('\n').map_or(0, |n| n + 1);
        // The reader's own place when no piece of the line was described.
        match margins[i] {
            Some(m) => {
                text.push('[');
                text.push_str(m);
                text.push_str("] ");
            }
            None => text.push_str(&old.text[begin..start]),
        }
        new_starts.push(text.len());
        text.push_str(&old.text[start..end]);
        text.push('\n');
    }
    doc.display = Rendered {
        text,
        starts: new_starts.clone(),
    };
    Moves {
        old: old.starts,
        new: new_starts,
    }
}

/// Where each line of a redrawn text started before and starts now.
struct Moves {
    old: Vec<usize>,
    new: Vec<usize>,
}

impl Moves {
    /// Where a span of the old text stands in the new.
    fn span(&self, span: &std::ops::Range<usize>) -> std::ops::Range<usize> {
        let map = |x: usize| match self.old.partition_point(|&s| s <= x).checked_sub(1) {
            Some(i) => self.new[i] + (x - self.old[i]),
            None => x,
        };
        map(span.start)..map(span.end)
    }

    /// Moves every piece and note of `doc`.
    fn apply(&self, doc: &mut Doc) {
        for b in &mut doc.blocks {
            match b {
                Block::Para { piece, .. } => piece.origin.span = self.span(&piece.origin.span),
                Block::Table(grid) => {
                    for p in grid.iter_mut().flatten().flatten() {
                        p.origin.span = self.span(&p.origin.span);
                    }
                }
            }
        }
        for n in &mut doc.notes {
            if let Some(o) = &mut n.origin {
                o.span = self.span(&o.span);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{Display, Origin};

    fn doc(blocks: impl FnOnce(&mut Display) -> Vec<Block>) -> Doc {
        let mut display = Display::default();
        let blocks = blocks(&mut display);
        Doc {
            display: display.finish(),
            blocks,
            notes: Vec::new(),
            sheets: Vec::new(),
        }
    }

    fn para(d: &mut Display, n: usize, text: &str, drawn: usize) -> Block {
        Block::Para {
            piece: d.line(At::Para(n), text),
            heading: false,
            at: n,
            drawn,
        }
    }

    fn cell(d: &mut Display, row: usize, col: usize, text: &str) -> Option<Piece> {
        Some(d.line(At::Cell { table: 1, row, col }, text))
    }

    /// The place of the line whose text starts with `text`.
    fn place_of<'a>(doc: &Doc, places: &'a Places, text: &str) -> &'a str {
        let at = doc.display.text.find(&format!("] {text}")).unwrap() + 2;
        &places.at(at).unwrap().text
    }

    #[test]
    fn word_places_quote_the_heading_the_opening_and_the_table() {
        let d = doc(|d| {
            vec![
                para(d, 1, "示例局2022年度部门整体支出绩效自评报告", 0),
                para(d, 2, "（五）部门预算及执行情况", "（五）".len()),
                para(
                    d,
                    3,
                    "2022年度，本部门年初预算数为1800.00万元，调整后预算数为2050.00万元。",
                    0,
                ),
                para(d, 4, "各部分指标得分情况汇总表", 0),
                Block::Table(vec![
                    vec![
                        cell(d, 1, 1, "一级指标"),
                        cell(d, 1, 2, "权重"),
                        cell(d, 1, 3, "得分"),
                    ],
                    vec![
                        cell(d, 2, 1, "过程"),
                        cell(d, 2, 2, "20"),
                        cell(d, 2, 3, "18"),
                    ],
                ]),
            ]
        });
        let (d, places) = describe(d, Format::Docx);
        assert_eq!(
            place_of(&d, &places, "2022年度，本部门"),
            "「部门预算及执行情况」第 1 段：“2022年度，本部门年初预算数为1800.00…”"
        );
        assert_eq!(
            place_of(&d, &places, "（五）部门"),
            "标题「部门预算及执行情况」"
        );
        assert_eq!(
            place_of(&d, &places, "18"),
            "表格「各部分指标得分情况汇总表」“过程”行“得分”列"
        );
        let cell = places.at(d.display.text.find("] 18").unwrap() + 2).unwrap();
        assert_eq!(
            (cell.table, cell.row, cell.column),
            (Some(1), Some(2), Some(3))
        );
        assert_eq!(
            place_of(&d, &places, "示例局"),
            "文首第 1 段：“示例局2022年度部门整体支出绩效自评报…”"
        );
        // The margin says the place; every piece still spans its own text.
        assert!(
            d.display.text.contains("[第 1 段] 2022年度"),
            "{}",
            d.display.text
        );
        assert!(
            d.display.text.contains("[“过程”行“得分”列] 18"),
            "{}",
            d.display.text
        );
        for b in &d.blocks {
            if let Block::Para { piece, .. } = b {
                assert_eq!(&d.display.text[piece.origin.span.clone()], piece.text);
            }
        }
    }

    #[test]
    fn indicator_cells_are_named_by_the_indicator_and_the_header() {
        let mut display = Display::default();
        let sheet: std::sync::Arc<str> = "自评表".into();
        let mut c = |row: u32, col: u32, text: &str| {
            Some(display.line(
                At::Sheet {
                    sheet: sheet.clone(),
                    row,
                    col,
                },
                text,
            ))
        };
        let grid = vec![
            vec![c(0, 0, "项目名称"), c(0, 1, "示例项目"), None, None, None],
            vec![
                c(1, 0, "一级指标"),
                c(1, 1, "三级指标"),
                c(1, 2, "年度指标值"),
                c(1, 3, "实际完成值"),
                c(1, 4, "得分"),
            ],
            vec![
                c(2, 0, "产出指标"),
                c(2, 1, "项目验收合格率"),
                c(2, 2, "≥95%"),
                c(2, 3, "合格"),
                c(2, 4, "9"),
            ],
        ];
        let d = Doc {
            display: display.finish(),
            blocks: vec![Block::Table(grid)],
            notes: Vec::new(),
            sheets: Vec::new(),
        };
        let (d, places) = describe(d, Format::Xlsx);
        // The place of the cell whose line is `] text`.
        let at = |t: &str| {
            let offset = d.display.text.find(t).unwrap() + 2;
            places.at(offset).unwrap().text.clone()
        };
        assert_eq!(at("] 9\n"), "自评表!E3（“项目验收合格率”的得分）");
        assert_eq!(at("] 合格\n"), "自评表!D3（“项目验收合格率”的实际完成值）");
    }

    #[test]
    fn a_text_line_is_quoted() {
        let p = Piece {
            text: "2022年度，本部门年初预算数为1800.00万元，调整后预算数为2050.00万元。".into(),
            origin: Origin {
                span: 0..10,
                at: At::Page {
                    page: 2,
                    line: 7,
                    col: None,
                },
            },
        };
        let d = Doc {
            display: Rendered::default(),
            blocks: vec![Block::Para {
                piece: p,
                heading: false,
                at: 1,
                drawn: 0,
            }],
            notes: Vec::new(),
            sheets: Vec::new(),
        };
        let (_, places) = describe(d, Format::Pdf);
        let l = places.at(3).unwrap();
        assert_eq!(
            l.text,
            "第 2 页第 7 行：“2022年度，本部门年初预算数为1800.00…”"
        );
        assert_eq!((l.page, l.line), (Some(2), Some(7)));
    }
}
