//! Tables printed one cell per line or paragraph — the shape a table takes
//! when it is copied out of a PDF, or out of a Word table into plain
//! paragraphs: a header of indicator words (一级指标, 权重分, 得分…), then rows
//! of as many cells each. Recognised in text files and Word documents alike
//! and turned into table blocks.

use super::{Block, Piece, is_blank};

/// Words that make a line a column header of a score or indicator table.
const HEADER_WORDS: &[&str] = &[
    "指标",
    "权重",
    "分值",
    "得分",
    "扣分",
    "完成值",
    "指标值",
    "偏差",
    "满分",
];

/// The most columns such a table is taken to have.
const MAX_COLUMNS: usize = 16;

/// A column header: short, with an indicator word, and not a caption
/// (各部分指标得分情况汇总表).
fn is_header_word(t: &str) -> bool {
    t.chars().count() <= 12
        && HEADER_WORDS.iter().any(|w| t.contains(w))
        && !t.ends_with('表')
        && !t.contains("情况")
}

/// A cell: short, and not a sentence.
fn is_cell(t: &str) -> bool {
    t.chars().count() <= 20 && !t.contains(['，', '。', '；', ',', '：'])
}

/// The paragraph of a block, with its place in the document's sequence of
/// lines or paragraphs.
fn para(b: &Block) -> Option<(&Piece, usize)> {
    match b {
        Block::Para { piece, at, .. } => Some((piece, *at)),
        Block::Table(_) => None,
    }
}

/// Whether block `k` of `blocks` directly follows block `k - 1` (no blank
/// line, no table between).
fn follows(blocks: &[Block], k: usize) -> bool {
    match (para(&blocks[k - 1]), para(&blocks[k])) {
        (Some((_, a)), Some((_, b))) => b == a + 1,
        _ => false,
    }
}

/// How many blocks from the first are adjacent header words. Counting stops
/// past the widest table: a document of nothing but header words must not
/// make every paragraph start a count to its end.
fn header_run(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .enumerate()
        .take(MAX_COLUMNS + 1)
        .take_while(|(k, b)| {
            para(b).is_some_and(|(p, _)| is_header_word(&p.text))
                && (*k == 0 || follows(blocks, *k))
        })
        .count()
}

/// The table at the start of `blocks`, with how many blocks it takes: at
/// least three header cells, then rows of as many cells, up to a 合计/总分
/// row or the first paragraph that is no cell.
fn table_at(blocks: &[Block]) -> Option<(Vec<Vec<Option<Piece>>>, usize)> {
    let n = header_run(blocks);
    if !(3..=MAX_COLUMNS).contains(&n) {
        return None;
    }
    let cell = |b: &Block| para(b).map(|(p, _)| Some(p.clone())).unwrap_or(None);
    let mut rows: Vec<Vec<Option<Piece>>> = vec![blocks[..n].iter().map(cell).collect()];
    let mut at = n;
    while at + n <= blocks.len() && rows.len() < super::MAX_TABLE_ROWS as usize {
        let group = &blocks[at..at + n];
        let fits = (0..n).all(|k| {
            follows(blocks, at + k) && para(&group[k]).is_some_and(|(p, _)| is_cell(&p.text))
        });
        if !fits {
            break;
        }
        rows.push(group.iter().map(cell).collect());
        at += n;
        let name = para(&group[0]).map_or(String::new(), |(p, _)| p.text.replace(is_blank, ""));
        if super::extract::is_total_name(&name) {
            break;
        }
    }
    (rows.len() >= 2).then_some((rows, at))
}

/// Turns every run of paragraphs that is a table printed one cell per line
/// into a table block.
pub fn tables(blocks: Vec<Block>) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    let mut i = 0;
    while i < blocks.len() {
        if let Some((table, used)) = table_at(&blocks[i..]) {
            out.push(Block::Table(table));
            i += used;
        } else {
            out.push(blocks[i].clone());
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Origin;

    fn paras(texts: &[&str]) -> Vec<Block> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Block::Para {
                piece: Piece {
                    text: t.to_string(),
                    origin: Origin {
                        span: 0..t.len(),
                        at: crate::import::At::Nowhere,
                    },
                },
                heading: false,
                at: i + 1,
                drawn: 0,
            })
            .collect()
    }

    #[test]
    fn header_runs_are_counted_only_as_far_as_a_table_is_wide() {
        // Every line of such a document could start a table; counting each
        // run to the end made reading it quadratic (12.8 s for 20,000
        // lines).
        let blocks = paras(&["得分"; 1_000]);
        assert_eq!(header_run(&blocks), MAX_COLUMNS + 1);
        assert_eq!(header_run(&blocks[..4]), 4);
        assert_eq!(tables(blocks).len(), 1_000, "no table: too many columns");
    }

    #[test]
    fn a_table_of_paragraphs_up_to_its_total() {
        let blocks = paras(&[
            "一级指标",
            "权重分",
            "得分",
            "决策",
            "15",
            "15",
            "合计",
            "100",
            "98",
            "其后正文，不是表格。",
        ]);
        let out = tables(blocks);
        assert_eq!(out.len(), 2);
        let Block::Table(rows) = &out[0] else {
            panic!()
        };
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2][0].as_ref().unwrap().text, "合计");
    }
}
