//! The text of a report: which paragraphs are headings (numbered 一、
//! （一） (一), styled as headings, or short and ending like one) and the
//! body under each.

use super::{Field, Row, Value, text};
use crate::import::headings::is_heading;
use crate::import::{At, Origin, Piece};

pub(super) struct Section {
    pub heading: Piece,
    pub body: Vec<Piece>,
}

/// Joins pieces of consecutive lines into one field (origin: from the
/// first to the end of the last).
pub(super) fn joined(pieces: &[Piece]) -> Option<Field> {
    let first = pieces.first()?;
    let last = pieces.last()?;
    Some(Field {
        value: Value::Text(
            pieces
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        origin: Origin {
            span: first.origin.span.start..last.origin.span.end,
            at: if first.origin.at == last.origin.at {
                first.origin.at.clone()
            } else {
                At::Range(
                    Box::new(first.origin.at.clone()),
                    Box::new(last.origin.at.clone()),
                )
            },
        },
    })
}

/// Every heading with the paragraphs under it (the title left out).
pub(super) fn sections(paras: &[(&Piece, bool)], title: Option<&Piece>) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for &(p, styled) in paras {
        if title.is_some_and(|t| std::ptr::eq(t, p)) {
            continue;
        }
        if is_heading(p, styled) {
            out.push(Section {
                heading: p.clone(),
                body: Vec::new(),
            });
        } else if let Some(s) = out.last_mut() {
            s.body.push(p.clone());
        }
    }
    out
}

/// The `[[sections]]` rows.
pub(super) fn rows(sections: &[Section]) -> Vec<Row> {
    sections
        .iter()
        .map(|s| {
            let mut row: Row = vec![("heading", text(&s.heading))];
            if let Some(b) = joined(&s.body) {
                row.push(("body", b));
            }
            row
        })
        .collect()
}
