//! The names of a table's cells as a reviewer reads them: the row by its
//! indicator or item (the header's 三级指标 column, else the nearest text
//! to its left), the column by its header, a header cell as such, a value
//! by the label beside it.

use super::{NAME, short};
use crate::import::Piece;

/// Every piece of a table with the grid cell it first appears in (a
/// merged cell stands in every row it covers).
pub(super) fn cells(grid: &[Vec<Option<Piece>>]) -> Vec<(&Piece, (usize, usize))> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (r, row) in grid.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if let Some(p) = cell
                && seen.insert(p.origin.span.start)
            {
                out.push((p, (r, c)));
            }
        }
    }
    out
}

/// "“过程”行“得分”列" (or "表头“得分”" for a header, "“存在问题”一栏"
/// for a cell beside its label), with the grid's numbers for what has no
/// name.
pub(super) fn cell_words(names: &Names<'_>, r: usize, c: usize) -> String {
    match names.of(r, c) {
        Named::Header(h) => format!("表头“{h}”"),
        Named::Labelled(l) => format!("“{l}”一栏"),
        Named::Cell(row, col) => {
            let row = row.map_or(format!("第 {} 行", r + 1), |n| format!("“{n}”行"));
            let col = col.map_or(format!("第 {} 列", c + 1), |n| format!("“{n}”列"));
            format!("{row}{col}")
        }
    }
}

/// What names a cell: the header it is, the label beside it in a row of
/// a label and its value, or its row's name and its column's header
/// (each when the table has one).
pub(super) enum Named {
    Header(String),
    Labelled(String),
    Cell(Option<String>, Option<String>),
}

/// Words that mark a row of column headers.
const HEADER_WORDS: &[&str] = &[
    "指标", "权重", "分值", "得分", "预算", "执行", "完成", "原因", "说明", "名称", "年度", "扣分",
];

/// Headers of the column that names a table's rows, best first.
const NAME_HEADERS: &[&str] = &["三级指标", "指标名称", "一级指标", "项目名称"];

fn has_digit(t: &str) -> bool {
    t.chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
}

/// Whether a row is a row of column headers: two or more short texts
/// without figures, one of them a word headers use.
fn is_header(row: &[Option<Piece>]) -> bool {
    let texts: Vec<&str> = row.iter().flatten().map(|p| p.text.as_str()).collect();
    texts.len() >= 2
        && texts
            .iter()
            .all(|t| !has_digit(t) && t.chars().count() <= 24)
        && texts
            .iter()
            .any(|t| HEADER_WORDS.iter().any(|w| t.contains(w)))
}

/// A table read for the names of its cells: which rows are headers, the
/// header above each row, and each header's column of row names.
pub(super) struct Names<'a> {
    grid: &'a [Vec<Option<Piece>>],
    header: Vec<bool>,
    /// The nearest header row above each row.
    above: Vec<Option<usize>>,
    /// The column naming the rows under each header row.
    name_col: Vec<Option<usize>>,
}

impl<'a> Names<'a> {
    pub(super) fn new(grid: &'a [Vec<Option<Piece>>]) -> Names<'a> {
        let header: Vec<bool> = grid.iter().map(|row| is_header(row)).collect();
        let mut above = Vec::with_capacity(grid.len());
        let mut last = None;
        for (r, h) in header.iter().enumerate() {
            above.push(last);
            if *h {
                last = Some(r);
            }
        }
        let name_col = grid
            .iter()
            .zip(&header)
            .map(|(row, h)| {
                let texts = || {
                    row.iter()
                        .enumerate()
                        .filter_map(|(k, p)| Some((k, p.as_ref()?)))
                };
                h.then(|| {
                    NAME_HEADERS
                        .iter()
                        .find_map(|w| texts().find(|(_, p)| p.text.contains(w)).map(|(k, _)| k))
                })
                .flatten()
            })
            .collect();
        Names {
            grid,
            header,
            above,
            name_col,
        }
    }

    fn text(&self, r: usize, c: usize) -> Option<&'a str> {
        self.grid
            .get(r)
            .and_then(|row| row.get(c))
            .and_then(|p| p.as_ref())
            .map(|p| p.text.as_str())
    }

    /// Whether cell (r, k) continues a cell merged down from the row above.
    fn merged_down(&self, r: usize, k: usize) -> bool {
        r > 0
            && matches!(
                (&self.grid[r][k], self.grid[r - 1].get(k)),
                (Some(a), Some(Some(b))) if a.origin == b.origin
            )
    }

    /// The name of row `r` (the indicator or item it is about) and the
    /// header of column `c`, each quoted from the table when it has one.
    pub(super) fn of(&self, r: usize, c: usize) -> Named {
        if self.header[r] {
            return Named::Header(short(self.text(r, c).unwrap_or_default(), NAME));
        }
        // A label and its value alone in a row: 存在问题 | （200字以内）.
        let filled: Vec<usize> = (0..self.grid[r].len())
            .filter(|&k| self.text(r, k).is_some() && !self.merged_down(r, k))
            .collect();
        if let [label, value] = filled[..]
            && value == c
            && let Some(l) = self.text(r, label).filter(|t| !has_digit(t))
        {
            return Named::Labelled(short(l, NAME));
        }
        let header = self.above[r];
        // A header merged over columns stands in its first column.
        let col = header.and_then(|h| (0..=c).rev().find_map(|k| self.text(h, k)));
        // The row is named by the header's 指标 column when it has one,
        // else by the nearest text to the left that is neither a figure
        // nor a group label merged down from the row above, else by the
        // cell itself when it is such a text.
        let row = header
            .and_then(|h| self.name_col[h])
            .and_then(|k| self.text(r, k))
            .or_else(|| {
                (0..c)
                    .rev()
                    .filter(|&k| !self.merged_down(r, k))
                    .find_map(|k| self.text(r, k).filter(|t| !has_digit(t)))
            })
            .or_else(|| self.text(r, c).filter(|t| !has_digit(t)));
        Named::Cell(row.map(|t| short(t, NAME)), col.map(|t| short(t, NAME)))
    }
}
