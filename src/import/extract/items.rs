//! Problems and measures: the numbered entries under a heading that names
//! 问题 or 措施/建议/改进, each split into its id, title and detail.

use std::sync::LazyLock;

use regex_lite::Regex;

use super::sections::{Section, joined};
use super::{Draft, Row, text};
use crate::import::{Note, Piece};

static ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:([0-9]{1,2})[.、．]|[（(]([0-9]{1,2})[）)]|([一二三四五六七八九十]{1,3})是)\s*",
    )
    .unwrap()
});

/// The numbered items of a section's body: id, title (to the first 。),
/// detail (the rest, and the unnumbered paragraphs that follow).
fn items(body: &[Piece], what: &str, heading: &Piece, notes: &mut Vec<Note>) -> Vec<Row> {
    let mut out: Vec<Row> = Vec::new();
    let mut details: Vec<Vec<Piece>> = Vec::new();
    for p in body {
        if let Some(c) = ITEM.captures(&p.text) {
            let id = c.get(1).or(c.get(2)).or(c.get(3)).unwrap();
            let rest = p.sub(c.get(0).unwrap().end()..p.text.len());
            let cut = rest.text.find(['。', '；']).map_or(rest.text.len(), |i| {
                i + rest.text[i..].chars().next().map_or(0, char::len_utf8)
            });
            let title = rest.sub(0..cut).trimmed();
            let detail = rest.sub(cut..rest.text.len()).trimmed();
            out.push(vec![
                ("id", text(&p.sub(id.range()))),
                ("title", text(&title)),
            ]);
            details.push(if detail.text.is_empty() {
                vec![]
            } else {
                vec![detail]
            });
        } else if let Some(d) = details.last_mut() {
            d.push(p.clone());
        }
    }
    if out.is_empty() && !body.is_empty() {
        notes.push(Note {
            message: format!("“{}”下的{what}没有编号，未拆分为条目", heading.text),
            origin: Some(heading.origin.clone()),
        });
    }
    for (row, d) in out.iter_mut().zip(details) {
        if let Some(f) = joined(&d) {
            row.push(("detail", f));
        }
    }
    out
}

fn is_problem_heading(t: &str) -> bool {
    t.contains("问题") && !is_measure_heading(t)
}

fn is_measure_heading(t: &str) -> bool {
    ["措施", "建议", "改进", "整改"]
        .iter()
        .any(|w| t.contains(w))
        && !t.contains("问题")
}

/// Problems and measures from their sections.
pub(super) fn from_sections(sections: &[Section], d: &mut Draft, notes: &mut Vec<Note>) {
    for s in sections {
        let h = s.heading.text.as_str();
        if is_problem_heading(h) {
            let found = items(&s.body, "问题", &s.heading, notes);
            d.problems.extend(found);
        } else if is_measure_heading(h) {
            let found = items(&s.body, "措施", &s.heading, notes);
            d.measures.extend(found);
        } else if h.contains("问题") && !s.body.is_empty() && ITEM.is_match(&s.body[0].text) {
            notes.push(Note {
                message: format!(
                    "“{h}”一节同时写了问题和措施，无法区分，未导入为 problems/measures"
                ),
                origin: Some(s.heading.origin.clone()),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::extract::tests_support::piece;
    use crate::import::extract::{Value, get};

    #[test]
    fn items_split_title_and_detail() {
        let body = vec![
            piece("1.单位绩效管理意识不够强。关注资金是否合规使用的多。"),
            piece("2.绩效指标设置科学性有待提高"),
            piece("补充说明。"),
        ];
        let mut notes = Vec::new();
        let got = items(&body, "问题", &piece("（一）问题"), &mut notes);
        assert_eq!(got.len(), 2);
        assert_eq!(
            get(&got[0], "title").unwrap().value,
            Value::Text("单位绩效管理意识不够强。".into())
        );
        assert_eq!(
            get(&got[0], "detail").unwrap().value,
            Value::Text("关注资金是否合规使用的多。".into())
        );
        assert_eq!(
            get(&got[1], "detail").unwrap().value,
            Value::Text("补充说明。".into())
        );
        assert!(notes.is_empty());
    }
}
