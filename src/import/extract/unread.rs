//! Absent or not understood: where the reader found none of a part the
//! rules require — the budget's figures, the score table, the total — but
//! the document has text that looks like it (the words 执行数, 预算数,
//! 分值, 得分, 总分 beside a figure, a table headed 分值/得分 it could not
//! map), the part is recorded as not read (`unread`, by data path, at that
//! text) with one note for the reviewer, and the rules that would report
//! it missing stay quiet about it. Only a part with no such text is absent.

use super::{Draft, Field, Value, get, squeeze};
use crate::import::{Block, Note, Piece};

/// A figure in the text: an ASCII or full-width digit.
fn has_figure(t: &str) -> bool {
    t.chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
}

/// The first piece holding one of `words` and a figure, in it or in the
/// piece after it (a header line over a line of figures, as a table
/// copied out of a page or a PDF prints).
fn first_with<'a>(all: &[&'a Piece], words: &[&str]) -> Option<&'a Piece> {
    all.iter().enumerate().find_map(|(i, p)| {
        let named = words.iter().any(|w| p.text.contains(w));
        let figure = has_figure(&p.text) || all.get(i + 1).is_some_and(|n| has_figure(&n.text));
        (named && figure).then_some(*p)
    })
}

/// A table's header cell naming scores or weights, when no score table was
/// read from it.
fn score_header(blocks: &[Block]) -> Option<&Piece> {
    const HEADERS: &[&str] = &["分值", "得分", "权重", "权重分", "指标分值", "分数", "评分"];
    blocks.iter().find_map(|b| match b {
        Block::Table(grid) => grid
            .iter()
            .flatten()
            .flatten()
            .find(|p| HEADERS.contains(&squeeze(&p.text).as_str())),
        Block::Para { piece, .. } => {
            (piece.text.contains("分值") && piece.text.contains("得分")).then_some(piece)
        }
    })
}

/// A short quote of where a part seems to be (runs of blanks shown as one).
fn quoted(p: &Piece) -> String {
    let squeezed: Vec<&str> = p.text.split_whitespace().collect();
    let text = squeezed.join(" ");
    let t: String = text.chars().take(24).collect();
    if text.chars().count() > 24 {
        format!("{t}…")
    } else {
        t
    }
}

/// Records the parts not read and says so once each.
pub(super) fn find(d: &mut Draft, all: &[&Piece], blocks: &[Block], notes: &mut Vec<Note>) {
    let mut seen: Vec<(&str, &str, &Piece)> = Vec::new();
    if get(&d.budget, "executed").is_none()
        && let Some(p) = first_with(all, &["执行数", "决算数", "实际支出", "支出数", "全年执行"])
    {
        seen.push(("budget.executed", "预算执行数", p));
    }
    if get(&d.budget, "initial").is_none()
        && get(&d.budget, "adjusted").is_none()
        && let Some(p) = first_with(
            all,
            &["预算数", "年初预算", "全年预算", "调整后预算", "资金总额"],
        )
    {
        seen.push(("budget.initial", "预算数", p));
    }
    if d.summary.is_empty()
        && d.indicators.is_empty()
        && let Some(p) = score_header(blocks)
    {
        seen.push(("summary", "得分汇总表或绩效指标", p));
    }
    if get(&d.total, "score").is_none() {
        // The total stands in the score table: one not read hides it too.
        let in_table = seen
            .iter()
            .find(|(path, _, _)| *path == "summary")
            .map(|(_, _, p)| *p);
        if let Some(p) = in_table.or_else(|| {
            first_with(
                all,
                &[
                    "总分",
                    "自评得分",
                    "综合得分",
                    "得分合计",
                    "合计得分",
                    "最终得分",
                    "评价得分",
                ],
            )
        }) {
            seen.push(("total.score", "总分", p));
        }
    }
    // One note for each place, naming every part seen there.
    let mut said: Vec<&Piece> = Vec::new();
    for &(_, _, p) in &seen {
        if said.iter().any(|q| q.origin == p.origin) {
            continue;
        }
        said.push(p);
        let parts: Vec<&str> = seen
            .iter()
            .filter(|(_, _, q)| q.origin == p.origin)
            .map(|(_, what, _)| *what)
            .collect();
        notes.push(Note {
            message: format!(
                "原文“{}”处看似写了{}，但未能读出，没有按缺少报告；请对照原文核对",
                quoted(p),
                parts.join("、")
            ),
            origin: Some(p.origin.clone()),
        });
    }
    for (path, _, p) in seen {
        d.unread.push((
            path.to_string(),
            Field {
                value: Value::Text(quoted(p)),
                origin: p.origin.clone(),
            },
        ));
    }
}
