//! Which paragraphs of a document are headings: numbered 一、 （一） (一)
//! and short, styled as headings, attachment labels (附表, 附件1：), or
//! short and ending the way headings end (…情况, …目标). The extractor
//! cuts the report's text into sections by them, and the places of a
//! document name a paragraph by the heading above it.

use std::sync::LazyLock;

use regex_lite::Regex;

use super::Piece;

/// The printed number of a heading: 一、 （一） (一).
pub(crate) fn numbering(t: &str) -> Option<usize> {
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

/// Whether a paragraph is a heading: numbered 一、 （一） (一) and short,
/// styled as one, an attachment label, or short and ending like one.
pub(crate) fn is_heading(p: &Piece, styled: bool) -> bool {
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
