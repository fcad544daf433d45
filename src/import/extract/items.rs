//! Problems and measures: the entries under a heading that names 问题 or
//! 措施/建议/改进, whatever numbering they use — （一） (一) 一、 一是 1. 1、
//! （1） ① — as paragraphs, as numbered headings under the topic's heading,
//! or several in one paragraph or table cell; each split into its id (as
//! an Arabic number, so that problems numbered （一） still pair up with
//! measures numbered 1.), title (to the first 。) and detail. Entries that carry
//! no number are taken one per paragraph, and said so; none is lost.

use std::sync::LazyLock;

use regex_lite::Regex;

use super::sections::{Section, joined};
use super::{Draft, Field, Row, Value, labelled, text};
use crate::import::{Block, Note, Piece};
use crate::report::text::heading_number;

/// The number an entry starts with, and the id it gives.
static ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:([0-9]{1,2})[.、．](?:[^0-9]|$)|[（(]([0-9]{1,2})[）)]|[（(]([一二三四五六七八九十]{1,3})[）)]|([一二三四五六七八九十]{1,3})[、.．]|([一二三四五六七八九十]{1,3})是|([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]))\s*",
    )
    .unwrap()
});

/// Where entries start inside one text: at its start, or after the end of
/// a sentence (`…偏慢。2.部分…`), never inside a number (`12.5公里`).
static INLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[。；;！？\s])((?:[0-9]{1,2}[.、．]|[（(][0-9]{1,2}[）)]|[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,2}是|[①②③④⑤⑥⑦⑧⑨⑩])[^0-9])",
    )
    .unwrap()
});

/// An entry's number as an Arabic number.
fn arabic(printed: &str) -> String {
    const CIRCLED: &str = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";
    if let Some(i) = CIRCLED.chars().position(|c| printed.starts_with(c)) {
        return (i + 1).to_string();
    }
    if printed.chars().all(|c| c.is_ascii_digit()) {
        return printed.trim_start_matches('0').to_string();
    }
    crate::report::text::heading_number(&format!("{printed}、"))
        .map_or_else(|| printed.to_string(), |h| h.n.to_string())
}

/// The entry a paragraph starts, if it starts with a number: its id and
/// the rest of the paragraph.
fn entry(p: &Piece) -> Option<(Field, Piece)> {
    let c = ITEM.captures(&p.text)?;
    let id = (1..=6).find_map(|i| c.get(i))?;
    let end = c.get(0)?.end();
    // `1.` followed by its first character: the number ends before it.
    let end = if c.get(1).is_some() {
        p.text[..end]
            .char_indices()
            .rev()
            .find(|(_, ch)| matches!(ch, '.' | '、' | '．'))
            .map_or(end, |(i, ch)| i + ch.len_utf8())
    } else {
        end
    };
    let origin = p.sub(id.range()).origin;
    Some((
        Field {
            value: Value::Text(arabic(id.as_str())),
            origin,
        },
        p.sub(end..p.text.len()).trimmed(),
    ))
}

/// A paragraph cut where entries start inside it (several numbered
/// entries written in one paragraph or cell).
fn split_inline(p: &Piece) -> Vec<Piece> {
    let starts: Vec<usize> = INLINE
        .captures_iter(&p.text)
        .filter_map(|c| c.get(1).map(|m| m.start()))
        .collect();
    if starts.len() < 2 {
        return vec![p.clone()];
    }
    let mut out = Vec::new();
    if starts[0] > 0 {
        out.push(p.sub(0..starts[0]).trimmed());
    }
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(p.text.len());
        out.push(p.sub(s..e).trimmed());
    }
    out.retain(|q| !q.text.is_empty());
    out
}

/// An entry as a row: id, title (to the first 。 or ；) and detail.
fn row(id: Field, rest: &Piece, more: &[Piece]) -> Row {
    let cut = rest.text.find(['。', '；']).map_or(rest.text.len(), |i| {
        i + rest.text[i..].chars().next().map_or(0, char::len_utf8)
    });
    let title = rest.sub(0..cut).trimmed();
    let detail = rest.sub(cut..rest.text.len()).trimmed();
    let mut out: Row = vec![("id", id), ("title", text(&title))];
    let mut details: Vec<Piece> = Vec::new();
    if !detail.text.is_empty() {
        details.push(detail);
    }
    details.extend(more.iter().cloned());
    if let Some(f) = joined(&details) {
        out.push(("detail", f));
    }
    out
}

/// The entries of a topic's text: numbered paragraphs (and the unnumbered
/// paragraphs that follow one, as its detail), or one entry per paragraph
/// when none is numbered.
pub(super) fn items(
    body: &[Piece],
    what: &str,
    heading: &Piece,
    notes: &mut Vec<Note>,
) -> Vec<Row> {
    let pieces: Vec<Piece> = body.iter().flat_map(split_inline).collect();
    let mut entries: Vec<(Field, Piece, Vec<Piece>)> = Vec::new();
    for p in &pieces {
        match entry(p) {
            Some((id, rest)) => entries.push((id, rest, Vec::new())),
            None => {
                if let Some((_, _, more)) = entries.last_mut() {
                    more.push(p.clone());
                }
            }
        }
    }
    if entries.is_empty() && !pieces.is_empty() {
        // No numbers: each paragraph is one entry, numbered in order.
        let n = pieces.len();
        notes.push(Note {
            message: if n == 1 {
                format!("“{}”下的{what}没有编号，作为 1 条导入", heading.text)
            } else {
                format!("“{}”下的{what}没有编号，按段落导入为 {n} 条", heading.text)
            },
            origin: Some(heading.origin.clone()),
        });
        return pieces
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let id = Field {
                    value: Value::Text((i + 1).to_string()),
                    origin: p.sub(0..0).origin,
                };
                row(id, p, &[])
            })
            .collect();
    }
    entries
        .iter()
        .map(|(id, rest, more)| row(id.clone(), rest, more))
        .collect()
}

/// A paragraph that labels the part after it in a chapter of both
/// (存在的问题：, 二是改进措施。, 下一步工作打算：…): its topic and the text
/// after the label.
static PART_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(存在的?问题|主要问题|问题及原因(?:分析)?|存在问题及原因(?:分析)?)|(改进措施|整改措施|改进建议|工作建议|下一步(?:工作)?(?:打算|计划|措施|工作)?|措施及建议|意见建议))[：:。]?\s*",
    )
    .unwrap()
});

/// The problems and the measures of a chapter that holds both, when a
/// reviewer can tell them apart: by labels (存在的问题：… 改进措施：…), or by
/// numbering that starts again from 1 (1. 2. problems, 1. 2. measures),
/// said so in a note. None when they cannot be told apart.
fn split_both(
    body: &[Piece],
    heading: &Piece,
    notes: &mut Vec<Note>,
) -> Option<(Vec<Piece>, Vec<Piece>)> {
    let (mut problems, mut measures) = (Vec::new(), Vec::new());
    let mut current: Option<Topic> = None;
    let mut labelled = false;
    for p in body {
        let unnumbered = heading_number(&p.text).map_or(0, |h| h.printed.len());
        let rest = p.sub(unnumbered..p.text.len()).trimmed();
        if let Some(c) = PART_LABEL.captures(&rest.text) {
            let whole = c.get(0).unwrap_or_else(|| unreachable!());
            let after = rest.sub(whole.end()..rest.text.len()).trimmed();
            // A label ends its paragraph or is followed by 「：」; else it is a
            // sentence that starts with the word (问题整改不到位…).
            if after.text.is_empty() || rest.text[..whole.end()].ends_with(['：', ':']) {
                labelled = true;
                current = Some(if c.get(1).is_some() {
                    Topic::Problems
                } else {
                    Topic::Measures
                });
                if !after.text.is_empty() {
                    match current {
                        Some(Topic::Problems) => problems.push(after),
                        _ => measures.push(after),
                    }
                }
                continue;
            }
        }
        match current {
            Some(Topic::Problems) => problems.push(p.clone()),
            Some(_) => measures.push(p.clone()),
            None => {}
        }
    }
    if labelled {
        return Some((problems, measures));
    }
    // 1. 2. then 1. 2. again: the first run the problems, the second the
    // measures.
    let pieces: Vec<Piece> = body.iter().flat_map(split_inline).collect();
    let ids: Vec<(usize, String)> = pieces
        .iter()
        .enumerate()
        .filter_map(|(i, p)| entry(p).map(|(id, _)| (i, id.value.shown())))
        .collect();
    let restarts: Vec<usize> = ids
        .iter()
        .skip(1)
        .filter(|(_, id)| id == "1")
        .map(|(i, _)| *i)
        .collect();
    let [at] = restarts[..] else {
        return None;
    };
    notes.push(Note {
        message: format!(
            "“{}”一节的编号在第 {} 条后重新从 1 开始：前面的作为问题，后面的作为措施",
            heading.text,
            ids.iter().take_while(|(i, _)| *i < at).count()
        ),
        origin: Some(pieces[at].origin.clone()),
    });
    Some((pieces[..at].to_vec(), pieces[at..].to_vec()))
}

/// What a heading is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Topic {
    Problems,
    Measures,
    /// 存在问题及改进措施: both, in sub-sections or mixed.
    Both,
}

const MEASURE_WORDS: &[&str] = &["措施", "建议", "改进", "整改", "下一步"];

/// What a heading is about, by its meaning: 存在的问题, 主要问题, 问题及原因…
/// are problems; "其他需要说明的问题/事项" names 问题 but is the report's
/// catch-all chapter, not its problems.
pub(super) fn topic(heading: &str) -> Option<Topic> {
    let other_matters = (heading.contains("其他") || heading.contains("其它"))
        && (heading.contains("说明") || heading.contains("事项"))
        || heading.contains("需要说明的问题")
        || heading.contains("需说明的问题");
    let problem = heading.contains("问题") && !other_matters;
    let measure = MEASURE_WORDS.iter().any(|w| heading.contains(w));
    match (problem, measure) {
        (true, true) => Some(Topic::Both),
        (true, false) => Some(Topic::Problems),
        (false, true) => Some(Topic::Measures),
        (false, false) => None,
    }
}

/// A heading's level and number (一、 1, （一） 2, 1. 3, （1） 4).
fn numbered(p: &Piece) -> Option<(i64, i64)> {
    heading_number(&p.text).map(|h| (h.level, h.n))
}

/// Whether a heading under a topic's heading is one of its entries rather
/// than a part of the report: numbered below the topic (or restarting the
/// topic's own level from 一), and not a heading of another topic or a
/// heading in form (…情况, …分析, with no sentence in it).
fn is_entry(s: &Section, parent: Option<(i64, i64)>, restarted: Option<i64>, own: Topic) -> bool {
    let Some((level, n)) = numbered(&s.heading) else {
        return false;
    };
    // At the topic's own level the entries restart from 一 and go on one
    // by one: 三、存在问题 一、… 二、… ends at 四、 (or at 五、, a gap).
    let deeper = match parent {
        Some((pl, pn)) => {
            level > pl
                || (level == pl
                    && match restarted {
                        Some(last) => n == last + 1,
                        None => n == 1 && pn > 1,
                    })
        }
        None => level >= 2,
    };
    if !deeper {
        return false;
    }
    let t = s.heading.text.as_str();
    // An entry is a sentence and may name anything (审计整改跟踪不够及时。
    // 部分问题整改销号滞后。); a heading naming another topic is that
    // topic's part.
    let sentence = t.contains(['。', '，', '；', ',']);
    if !sentence && topic(t).is_some_and(|other| other != own) {
        return false;
    }
    let form = ["情况", "分析", "概况", "方向"]
        .iter()
        .any(|w| t.trim_end_matches(['。', '.']).ends_with(w));
    sentence || !form
}

/// Problems and measures from their sections; the sections that were in
/// fact their entries (numbered headings under the topic's heading) are
/// folded into the topic's text. Returns the sections that remain.
pub(super) fn from_sections(
    sections: Vec<Section>,
    d: &mut Draft,
    notes: &mut Vec<Note>,
) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    let mut it = sections.into_iter().peekable();
    while let Some(mut s) = it.next() {
        let Some(t) = topic(&s.heading.text) else {
            out.push(s);
            continue;
        };
        if t == Topic::Both {
            match split_both(&s.body, &s.heading, notes) {
                Some((problems, measures)) => {
                    d.problems
                        .extend(items(&problems, "问题", &s.heading, notes));
                    d.measures
                        .extend(items(&measures, "措施", &s.heading, notes));
                }
                None if s.body.iter().any(|p| entry(p).is_some()) => notes.push(Note {
                    message: format!(
                        "“{}”一节同时写了问题和措施，无法区分，未导入为问题或措施",
                        s.heading.text
                    ),
                    origin: Some(s.heading.origin.clone()),
                }),
                None => {}
            }
            out.push(s);
            continue;
        }
        let parent = numbered(&s.heading);
        // The number of the last entry at the topic's own level.
        let mut restarted = None;
        while let Some(next) = it.peek() {
            if !is_entry(next, parent, restarted, t) {
                break;
            }
            if let (Some((pl, _)), Some((l, n))) = (parent, numbered(&next.heading))
                && l == pl
            {
                restarted = Some(n);
            }
            let Some(child) = it.next() else { break };
            s.body.push(child.heading);
            s.body.extend(child.body);
        }
        let (what, into) = match t {
            Topic::Problems => ("问题", &mut d.problems),
            _ => ("措施", &mut d.measures),
        };
        into.extend(items(&s.body, what, &s.heading, notes));
        out.push(s);
    }
    out
}

/// Problems and measures from the rows of a 自评表 (存在问题 | …, 改进措施 |
/// …), when the text gave none: numbered entries in the cell, or the
/// cell as one entry.
pub(super) fn from_rows(blocks: &[Block], d: &mut Draft, notes: &mut Vec<Note>) {
    const PROBLEMS: &[&str] = &[
        "存在问题",
        "存在的问题",
        "主要问题",
        "存在的主要问题",
        "问题及原因",
        "问题及原因分析",
        "存在问题及原因",
    ];
    const MEASURES: &[&str] = &[
        "改进措施",
        "整改措施",
        "改进建议",
        "下一步工作",
        "下一步改进措施",
        "下一步工作计划",
        "整改建议",
    ];
    for (labels, what, into) in [
        (PROBLEMS, "问题", &mut d.problems),
        (MEASURES, "措施", &mut d.measures),
    ] {
        if !into.is_empty() {
            continue;
        }
        let Some(cell) = labelled(blocks, labels) else {
            continue;
        };
        let pieces = split_inline(&cell);
        let numbered = pieces.iter().any(|p| entry(p).is_some());
        if numbered {
            into.extend(items(&pieces, what, &cell, notes));
        } else {
            // One text, one entry (a prompt left in it is then caught as
            // one).
            let id = Field {
                value: Value::Text("1".into()),
                origin: cell.sub(0..0).origin,
            };
            into.push(row(id, &cell, &[]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::extract::tests_support::piece;
    use crate::import::extract::{Value, get};

    fn ids_titles(rows: &[Row]) -> Vec<(String, String)> {
        rows.iter()
            .map(|r| {
                let s = |k| match &get(r, k).unwrap().value {
                    Value::Text(t) => t.clone(),
                    _ => String::new(),
                };
                (s("id"), s("title"))
            })
            .collect()
    }

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

    #[test]
    fn every_numbering_gives_arabic_ids() {
        for (text, id) in [
            ("（一）资金拨付不够及时。", "1"),
            ("(二)绩效目标不细。", "2"),
            ("三、制度不健全。", "3"),
            ("一是加强管理。", "1"),
            ("2、项目进度滞后。", "2"),
            ("（3）人员不足。", "3"),
            ("④设施老化。", "4"),
            ("12.资金沉淀。", "12"),
        ] {
            let (f, _) = entry(&piece(text)).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(f.value, Value::Text(id.into()), "{text}");
        }
        assert!(entry(&piece("12.5公里的道路已完工。")).is_none());
        assert!(entry(&piece("本年度存在的问题如下：")).is_none());
    }

    #[test]
    fn several_entries_in_one_cell_and_unnumbered_paragraphs() {
        let mut notes = Vec::new();
        let cell = piece(
            "1.项目资金拨付进度偏慢，部分工程款在年底集中支付。2.部分绩效指标设置偏低，改造12.5公里。",
        );
        let got = items(&[cell], "问题", &piece("存在问题"), &mut notes);
        assert_eq!(
            ids_titles(&got),
            [
                (
                    "1".into(),
                    "项目资金拨付进度偏慢，部分工程款在年底集中支付。".into()
                ),
                ("2".into(), "部分绩效指标设置偏低，改造12.5公里。".into())
            ]
        );
        assert!(notes.is_empty());
        let plain = [piece("资金拨付不及时。"), piece("指标设置偏低。")];
        let got = items(&plain, "问题", &piece("存在问题"), &mut notes);
        assert_eq!(got.len(), 2);
        assert_eq!(notes.len(), 1, "taken one per paragraph, and said so");
    }

    #[test]
    fn a_chapter_is_about_problems_by_its_meaning() {
        for h in [
            "三、存在的问题",
            "（二）主要问题",
            "四、存在问题及原因分析",
            "五、问题及原因",
        ] {
            assert_eq!(topic(h), Some(Topic::Problems), "{h}");
        }
        for h in [
            "六、其他需要说明的问题",
            "七、其他需说明的事项",
            "（八）需要说明的问题",
            "其它需要说明的情况",
        ] {
            assert_eq!(topic(h), None, "{h}");
        }
        assert_eq!(topic("五、存在问题及改进措施"), Some(Topic::Both));
    }

    #[test]
    fn numbered_headings_under_a_topic_are_its_entries() {
        let s = |h: &str, body: &[&str]| Section {
            heading: piece(h),
            body: body.iter().map(|b| piece(b)).collect(),
        };
        let mut d = Draft::default();
        let mut notes = Vec::new();
        let kept = from_sections(
            vec![
                s("三、存在问题及原因分析", &[]),
                s("（一）资金拨付不够及时。", &["部分资金未按进度拨付。"]),
                s("（二）绩效目标不细", &[]),
                s("四、改进措施", &["（一）加快拨付。", "（二）细化目标。"]),
                s("五、公开情况", &[]),
            ],
            &mut d,
            &mut notes,
        );
        assert_eq!(
            kept.iter()
                .map(|k| k.heading.text.as_str())
                .collect::<Vec<_>>(),
            ["三、存在问题及原因分析", "四、改进措施", "五、公开情况"]
        );
        assert_eq!(
            ids_titles(&d.problems)[1],
            ("2".into(), "绩效目标不细".into())
        );
        assert_eq!(d.measures.len(), 2);
        assert!(notes.is_empty(), "{notes:?}");
        // Sub-headings of a chapter of both are parts, not entries.
        let mut d = Draft::default();
        let kept = from_sections(
            vec![
                s("三、存在的问题及改进措施", &[]),
                s("（一）存在的问题", &["1.支付偏慢。"]),
                s("（二）改进措施", &["1.加快支付。"]),
            ],
            &mut d,
            &mut notes,
        );
        assert_eq!(kept.len(), 3);
        assert_eq!((d.problems.len(), d.measures.len()), (1, 1));
    }

    #[test]
    fn entries_restarting_the_chapter_numbering_are_entries() {
        let s = |h: &str| Section {
            heading: piece(h),
            body: Vec::new(),
        };
        let mut d = Draft::default();
        let mut notes = Vec::new();
        let kept = from_sections(
            vec![
                s("三、存在问题"),
                s("一、审计整改跟踪不够及时。部分问题整改销号滞后。"),
                s("二、信息化水平不高。"),
                s("四、改进措施"),
                s("一、加强整改跟踪。建立问题清单，按月调度。"),
                s("二、推进审计信息化建设"),
                s("五、结果应用及公开"),
            ],
            &mut d,
            &mut notes,
        );
        assert_eq!(
            kept.len(),
            3,
            "{:?}",
            kept.iter().map(|k| &k.heading.text).collect::<Vec<_>>()
        );
        assert_eq!((d.problems.len(), d.measures.len()), (2, 2));
    }

    #[test]
    fn a_chapter_of_both_is_split_by_its_labels_or_its_numbering() {
        let s = |h: &str, body: &[&str]| Section {
            heading: piece(h),
            body: body.iter().map(|b| piece(b)).collect(),
        };
        let mut d = Draft::default();
        let mut notes = Vec::new();
        from_sections(
            vec![s(
                "三、存在问题及改进措施",
                &[
                    "存在的问题：一是资金拨付偏慢。二是绩效目标不细。",
                    "改进措施：",
                    "1.加快拨付。",
                    "2.细化目标。",
                ],
            )],
            &mut d,
            &mut notes,
        );
        assert_eq!(
            ids_titles(&d.problems),
            [
                ("1".into(), "资金拨付偏慢。".into()),
                ("2".into(), "绩效目标不细。".into())
            ]
        );
        assert_eq!(d.measures.len(), 2);
        assert!(notes.is_empty(), "{notes:?}");

        let mut d = Draft::default();
        from_sections(
            vec![s(
                "三、存在问题及改进措施",
                &[
                    "1.资金拨付偏慢。",
                    "2.绩效目标不细。",
                    "1.加快拨付。",
                    "2.细化目标。",
                ],
            )],
            &mut d,
            &mut notes,
        );
        assert_eq!((d.problems.len(), d.measures.len()), (2, 2));
        assert_eq!(d.measures[0][1].1.value.shown(), "加快拨付。");
        assert_eq!(notes.len(), 1, "the split by numbering is said");
        assert!(
            notes[0].message.contains("第 2 条后重新从 1 开始"),
            "{notes:?}"
        );

        // A sentence starting with the word is no label; mixed entries
        // cannot be told apart.
        let mut d = Draft::default();
        let mut notes = Vec::new();
        from_sections(
            vec![s(
                "三、存在问题及改进措施",
                &[
                    "1.问题整改不到位，下一步加强跟踪。",
                    "2.资金拨付偏慢，将加快拨付。",
                ],
            )],
            &mut d,
            &mut notes,
        );
        assert_eq!((d.problems.len(), d.measures.len()), (0, 0));
        assert!(notes[0].message.contains("无法区分"), "{notes:?}");
    }
}
