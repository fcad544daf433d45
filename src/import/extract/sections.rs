//! The text of a report: which paragraphs are headings (numbered 一、
//! （一） (一), styled as headings, or short and ending like one) and the
//! body under each.

use std::sync::LazyLock;

use regex_lite::Regex;

use super::{Field, Row, Value, text};
use crate::import::{Origin, Piece};

/// The printed number of a heading: 一、 （一） (一).
pub(super) fn numbering(t: &str) -> Option<usize> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])")
            .unwrap()
    });
    RE.find(t).map(|m| m.end())
}

/// Endings of unnumbered headings (履职效果情况, 绩效目标。).
const HEADING_ENDS: &[&str] = &[
    "情况", "目标", "分析", "措施", "概况", "结果", "问题", "说明", "任务", "影响", "评价", "成效",
    "建议", "方向", "职责", "职能",
];

pub(super) fn is_heading(p: &Piece, styled: bool) -> bool {
    let t = p.text.as_str();
    if numbering(t).is_some() {
        return t.chars().count() <= 60;
    }
    if styled || is_attachment(t) {
        return true;
    }
    let core = t.trim_end_matches(['。', '.']);
    // Short, and no sentence: a list with 、 is a sentence too (昌江区民政局
    // 承担社会救助、养老服务等职能).
    core.chars().count() <= 24
        && !core.contains(['，', ',', '：', ':', '；', '。', '“', '（', '(', '、'])
        && !core.starts_with(|c: char| c.is_ascii_digit())
        && HEADING_ENDS.iter().any(|w| core.ends_with(w))
}

/// An attachment label (附表, 附件1：项目支出绩效自评表): it ends the
/// section above, so it is never read as one of its paragraphs.
fn is_attachment(t: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^附[表件][0-9０-９一二三四五六七八九十\-－]*(?:[：:、.．\s]|$)").unwrap()
    });
    t.chars().count() <= 40 && RE.is_match(t)
}

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
            location: if first.origin.location == last.origin.location {
                first.origin.location.clone()
            } else {
                format!("{} 至 {}", first.origin.location, last.origin.location)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::extract::tests_support::piece;

    #[test]
    fn headings() {
        for h in [
            "一、部门基本情况",
            "（一）部门概况",
            "(二)改进的方向和具体措施。",
            "履职效果情况",
            "当年部门年度整体支出绩效目标。",
        ] {
            assert!(is_heading(&piece(h), false), "{h}");
        }
        for b in [
            "主要职责是：",
            "各部分指标得分情况汇总表",
            "本部门当年认真开展了预算绩效管理工作。",
            "4.校园基础设施建设进一步加强。",
            "一是以深化教育评价改革为契机",
        ] {
            assert!(!is_heading(&piece(b), false), "{b}");
        }
    }
}
