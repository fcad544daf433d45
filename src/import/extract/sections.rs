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
    if let Some(last) = out.last_mut() {
        drop_sign_off(&mut last.body);
    }
    out
}

/// A date as a sign-off writes it: 2025年3月28日, ２０２５年３月２８日,
/// 二〇二五年三月二十八日 (alone on its line).
fn is_date_line(t: &str) -> bool {
    let t = t.trim_matches(|c: char| crate::import::is_blank(c) || c == '。');
    let Some((year, rest)) = t.split_once('年') else {
        return false;
    };
    let Some((month, rest)) = rest.split_once('月') else {
        return false;
    };
    let day = rest.strip_suffix('日').or_else(|| rest.strip_suffix('号'));
    let numeral = |s: &str, max: usize| {
        !s.is_empty()
            && s.chars().count() <= max
            && s.chars().all(|c| {
                c.is_ascii_digit()
                    || ('０'..='９').contains(&c)
                    || "〇零一二三四五六七八九十".contains(c)
            })
    };
    numeral(year, 4) && numeral(month, 3) && day.is_some_and(|d| numeral(d, 3))
}

/// A line naming an attachment: 附件：…, 附件1.…, 附表2 …
fn is_attachment_line(t: &str) -> bool {
    let t = t.trim_start_matches(crate::import::is_blank);
    t.starts_with("附件") || t.starts_with("附表")
}

/// A line that only names the unit that signs (a short name ending as
/// units do, no sentence in it), or its seal.
fn is_unit_line(t: &str) -> bool {
    let t = t.trim_matches(crate::import::is_blank);
    if t.contains("盖章") {
        return t.chars().count() <= 40;
    }
    const ENDS: &[&str] = &[
        "局",
        "委",
        "办",
        "办公室",
        "院",
        "中心",
        "站",
        "所",
        "厅",
        "部",
        "处",
        "政府",
        "委员会",
        "学校",
        "小学",
        "中学",
        "医院",
        "公司",
        "队",
        "馆",
        "会",
        "校",
    ];
    t.chars().count() <= 30
        && !t.contains(['。', '，', '；', '：', ',', ';', ':', '、'])
        && !t.chars().any(|c| c.is_ascii_digit())
        && ENDS.iter().any(|e| t.ends_with(e))
}

/// Takes the sign-off block off the end of the report's last chapter: the
/// signing unit, the date and attachment lines that follow a report's
/// text are never content of the chapter above them (a date taken for a
/// problem would be "存在问题第 3 条「2025年3月28日」"). The block is taken
/// only when it holds a date or an attachment line (a unit's name alone
/// may be the chapter's last sentence).
fn drop_sign_off(body: &mut Vec<Piece>) {
    let run = body
        .iter()
        .rev()
        .take_while(|p| {
            is_date_line(&p.text) || is_attachment_line(&p.text) || is_unit_line(&p.text)
        })
        .count();
    let block = &body[body.len() - run..];
    let signed = block
        .iter()
        .any(|p| is_date_line(&p.text) || is_attachment_line(&p.text) || p.text.contains("盖章"));
    if signed {
        body.truncate(body.len() - run);
    }
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

    fn piece(t: &str) -> Piece {
        Piece {
            text: t.into(),
            origin: Origin {
                span: 0..t.len(),
                at: At::Nowhere,
            },
        }
    }

    #[test]
    fn the_sign_off_is_no_content_of_the_last_chapter() {
        let mut body: Vec<Piece> = ["无。", "攸县教育局", "2025年3月28日"]
            .iter()
            .map(|t| piece(t))
            .collect();
        drop_sign_off(&mut body);
        assert_eq!(body.len(), 1);
        let mut body: Vec<Piece> = [
            "1.资金拨付不及时。",
            "附件：1.项目支出绩效自评表",
            "某县人民政府办公室（盖章）",
            "二〇二五年三月二十八日",
        ]
        .iter()
        .map(|t| piece(t))
        .collect();
        drop_sign_off(&mut body);
        assert_eq!(body.len(), 1);
        // A unit's name alone may be what the chapter says last.
        let mut body: Vec<Piece> = ["联系单位：", "县财政局"]
            .iter()
            .map(|t| piece(t))
            .collect();
        drop_sign_off(&mut body);
        assert_eq!(body.len(), 2);
        for d in [
            "2025年3月28日",
            "２０２５年３月２８日",
            "二〇二五年三月二十八日",
        ] {
            assert!(is_date_line(d), "{d}");
        }
        for not in ["2025年3月28日完成验收。", "年度预算数", "截至2024年底"] {
            assert!(!is_date_line(not), "{not}");
        }
    }
}
