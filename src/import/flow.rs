//! The flow of a word-processing document — paragraphs and tables in
//! order — as every Word-like reader (.docx, .doc, .odt) hands it on: the
//! same locations ("段落 N" counting the body's paragraphs, table cells as
//! "表 T 第 R 行第 C 列") and the same table grid, whatever the format.

use super::{Block, Display, Doc, Piece};

/// A table cell while it is read.
#[derive(Debug, Default)]
pub(crate) struct Cell {
    pub text: String,
    /// The grid columns it covers.
    pub span: usize,
    /// `Some(true)` starts a vertical merge, `Some(false)` continues one.
    pub vmerge: Option<bool>,
}

impl Cell {
    pub fn new() -> Cell {
        Cell {
            span: 1,
            ..Cell::default()
        }
    }
}

/// A document's body while it is read.
#[derive(Default)]
pub(crate) struct Flow {
    display: Display,
    blocks: Vec<Block>,
    paragraphs: usize,
    tables: usize,
}

impl Flow {
    /// A body paragraph (counted even when empty, as Word counts it); its
    /// first `drawn` bytes are its automatic number.
    pub fn paragraph(&mut self, text: &str, heading: bool, drawn: usize) {
        self.paragraphs += 1;
        if text.trim_matches(super::is_blank).is_empty() {
            return;
        }
        let lead = text.len() - text.trim_start_matches(super::is_blank).len();
        let piece = self
            .display
            .line(super::At::Para(self.paragraphs), text)
            .trimmed();
        self.blocks.push(Block::Para {
            piece,
            heading,
            at: self.paragraphs,
            drawn: drawn.saturating_sub(lead),
        });
    }

    /// A body table, its rows of cells as read.
    pub fn table(&mut self, rows: Vec<Vec<Cell>>) {
        self.tables += 1;
        let grid = grid(rows, self.tables, &mut self.display);
        self.blocks.push(Block::Table(grid));
    }

    pub fn finish(self) -> Doc {
        // Over the import's budget the blocks are not laid out: the import
        // names the limit it passed.
        let blocks = if super::budget::exceeded() {
            Vec::new()
        } else {
            super::stacked::tables(self.blocks)
        };
        Doc {
            sheets: Vec::new(),
            display: self.display.finish(),
            blocks,
            notes: Vec::new(),
        }
    }
}

/// Lays the cells of a table out on its grid.
pub(crate) fn grid(
    rows: Vec<Vec<Cell>>,
    table: usize,
    display: &mut Display,
) -> Vec<Vec<Option<Piece>>> {
    let (max_rows, max_cols) = (
        super::MAX_TABLE_ROWS as usize,
        super::MAX_TABLE_COLS as usize,
    );
    let mut out: Vec<Vec<Option<Piece>>> = Vec::with_capacity(rows.len().min(max_rows));
    for (r, cells) in rows.into_iter().take(max_rows).enumerate() {
        let mut row: Vec<Option<Piece>> = Vec::new();
        for cell in cells {
            let col = row.len();
            if col >= max_cols {
                break;
            }
            let piece = if cell.vmerge == Some(false) {
                out.last()
                    .and_then(|above| above.get(col).cloned().flatten())
                    .filter(|p| super::budget::built(p.text.len()))
            } else {
                let text = cell.text.trim_matches(super::is_blank);
                (!text.is_empty()).then(|| {
                    let at = super::At::Cell {
                        table,
                        row: r + 1,
                        col: col + 1,
                    };
                    display.line(at, text)
                })
            };
            row.push(piece);
            row.extend(std::iter::repeat_n(None, cell.span.clamp(1, max_cols) - 1));
        }
        row.truncate(max_cols);
        out.push(row);
    }
    let width = out.iter().map(Vec::len).max().unwrap_or(0);
    for row in &mut out {
        row.resize(width, None);
    }
    out
}
