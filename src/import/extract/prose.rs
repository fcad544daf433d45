//! Explanations written in prose, where departments actually write them:
//! the reason for a budget adjustment or an execution rate in the budget
//! paragraph or the one after it (年中追加…专项资金…万元, 执行率偏低的主要
//! 原因是…, …结转下年使用), a 说明 row of a 自评表 that talks about the funds,
//! and deductions explained in the text around the score table (其中决策指标
//! 扣1分，主要是…；产出指标扣2分，原因是…).

use std::sync::LazyLock;

use regex_lite::Regex;

use super::sections::{is_heading, joined};
use super::{Field, Row, Value, get, labelled, squeeze};
use crate::import::{Block, Note, Piece};

/// A clause that gives a reason for the budget's figures.
static REASON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"追加|追减|调增|调减|调剂|调入|调出|调整(?:的)?(?:原因|理由|说明|主要)|原因|理由|由于|因为|主要是|系因|因[^，。；]{1,30}(?:延期|推迟|延后|滞后|暂缓|变更|取消|影响|未)|结转|结余|延期|推迟|滞后|超支|超出预算|未能|尚未|暂未|未及时|未完成",
    )
    .unwrap()
});

/// The clauses of a text (cut at 。；; and line ends), as byte ranges.
fn clauses(t: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in t.char_indices() {
        if matches!(c, '。' | '；' | ';' | '！' | '？' | '\n') {
            out.push(start..i);
            start = i + c.len_utf8();
        }
    }
    out.push(start..t.len());
    out.retain(|r| !t[r.clone()].trim().is_empty());
    out
}

/// The part of a paragraph that gives reasons: from its first reason
/// clause to the end of its last (a clause inside the sentence of the
/// figures, or sentences of their own).
fn reasons(p: &Piece) -> Option<Piece> {
    let found: Vec<std::ops::Range<usize>> = clauses(&p.text)
        .into_iter()
        .filter(|r| REASON.is_match(&p.text[r.clone()]))
        .collect();
    let (first, last) = (found.first()?, found.last()?);
    Some(p.sub(first.start..last.end).trimmed())
}

/// Words that make a text be about the funds.
const FUNDS: &[&str] = &[
    "资金", "预算", "执行", "拨付", "支出", "追加", "调整", "结转", "结余",
];

/// `budget.explanation` from the prose: the reasons in a paragraph that
/// gave budget figures, and in the paragraph after it when it is no
/// heading and speaks of the funds; else a 说明 row of a table that speaks
/// of them.
pub(super) fn explanation(
    paras: &[(&Piece, bool)],
    figures: &[&Piece],
    blocks: &[Block],
) -> Option<Field> {
    for (i, &(p, _)) in paras.iter().enumerate() {
        if !figures.iter().any(|f| std::ptr::eq(*f, p)) {
            continue;
        }
        let mut found: Vec<Piece> = reasons(p).into_iter().collect();
        if let Some(&(next, styled)) = paras.get(i + 1)
            && !is_heading(next, styled)
            && !figures.iter().any(|f| std::ptr::eq(*f, next))
            && FUNDS.iter().any(|w| next.text.contains(w))
            && let Some(r) = reasons(next)
        {
            found.push(r);
        }
        if let Some(f) = joined(&found) {
            return Some(f);
        }
    }
    let row = labelled(
        blocks,
        &[
            "说明",
            "情况说明",
            "偏差原因",
            "偏差说明",
            "偏差原因说明",
            "原因说明",
            "预算调整说明",
            "执行偏差说明",
            "预算执行说明",
        ],
    )?;
    FUNDS
        .iter()
        .any(|w| row.text.contains(w))
        .then(|| super::text(&row))
}

/// A deduction named in the text: whose (a summary row's name or an
/// indicator's), how many points, and the reason after it.
static DEDUCTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:扣|扣除|减|失)(?:了)?\s*([0-9]+(?:\.[0-9]+)?)\s*分[，,、：:\s]*").unwrap()
});

/// Deductions explained in the text: for every summary row (by name) and
/// indicator (by name) scored below its weight and without a reason of
/// its own, a clause "<name>…扣N分，<reason>" gives the reason
/// (`deduction_reason`, or the indicator's `deviation`). A deduction of
/// another number of points than the table's is noted.
pub(super) fn deductions(
    paras: &[(&Piece, bool)],
    summary: &mut [Row],
    indicators: &mut [Row],
    notes: &mut Vec<Note>,
) {
    let mut found: Vec<(String, f64, Piece)> = Vec::new();
    for &(p, _) in paras {
        for r in clauses(&p.text) {
            let clause = p.sub(r);
            let Some(c) = DEDUCTION.captures(&clause.text) else {
                continue;
            };
            let whole = c.get(0).unwrap_or_else(|| unreachable!());
            let points: f64 = c[1].parse().unwrap_or(0.0);
            let reason = clause.sub(whole.end()..clause.text.len()).trimmed();
            if reason.text.chars().count() < 2 {
                continue;
            }
            found.push((clause.text[..whole.start()].to_string(), points, reason));
        }
    }
    if found.is_empty() {
        return;
    }
    let mut give = |rows: &mut [Row], name_key: &str, reason_key: &'static str| {
        for row in rows.iter_mut() {
            if get(row, reason_key).is_some() {
                continue;
            }
            let (Some(name), Some(w), Some(s)) = (
                get(row, name_key).map(|f| squeeze(&shown(&f.value))),
                get(row, "weight").and_then(|f| number_of(&f.value)),
                get(row, "score").and_then(|f| number_of(&f.value)),
            ) else {
                continue;
            };
            if s >= w - 1e-6 || name.chars().count() < 2 {
                continue;
            }
            // The name at the end of what comes before 扣N分 (其中过程指标扣1分).
            let Some((_, points, reason)) = found.iter().find(|(before, _, _)| {
                let b = squeeze(before);
                let b = b.trim_end_matches(['指', '标', '类', '得', '分', '项']);
                b.ends_with(&name)
                    || b.ends_with(&format!("「{name}」"))
                    || b.ends_with(&format!("“{name}”"))
            }) else {
                continue;
            };
            if (w - s - points).abs() > 1e-6 {
                notes.push(Note {
                    message: format!(
                        "正文说“{name}”扣 {points} 分，表中为扣 {} 分；扣分原因取自正文",
                        fmt_points(w - s)
                    ),
                    origin: Some(reason.origin.clone()),
                });
            }
            row.push((reason_key, super::text(reason)));
        }
    };
    give(summary, "name", "deduction_reason");
    give(indicators, "name", "deviation");
}

/// Points as a reviewer writes them: 3, 1.5.
fn fmt_points(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn shown(v: &Value) -> String {
    match v {
        Value::Text(s) | Value::Number(s) | Value::Rate(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
    }
}

fn number_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(s) => s.parse().ok(),
        Value::Integer(i) => Some(*i as f64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::extract::tests_support::piece;

    fn value(f: &Field) -> String {
        shown(&f.value)
    }

    #[test]
    fn the_reason_is_the_clause_that_gives_it() {
        let p = piece(
            "2022年度，本部门年初预算数为3120.50万元；年中追加农村公路养护专项资金120.5万元，调整后预算数为3241.00万元，全年执行数为2852.08万元，预算执行率为88.00%。执行率偏低的主要原因是部分项目因雨季延期开工，相关资金结转下年使用。",
        );
        let r = reasons(&p).unwrap();
        assert!(
            r.text.starts_with("年中追加农村公路养护专项资金120.5万元"),
            "{}",
            r.text
        );
        assert!(r.text.ends_with("相关资金结转下年使用"), "{}", r.text);
        assert!(
            reasons(&piece(
                "年初预算数为100万元，调整后预算数为120万元，执行率为95%。"
            ))
            .is_none()
        );
    }

    #[test]
    fn the_next_paragraph_explains_when_it_speaks_of_the_funds() {
        let fig = piece(
            "2022年部门支出预算数为2500.00万元，全年支出决算数为2187.50万元，预算执行率为87.50%。",
        );
        let next = piece("预算执行率未达到90%，主要原因是高标准农田建设项目受汛期影响延期实施。");
        let paras = [(&fig, false), (&next, false)];
        let f = explanation(&paras, &[&fig], &[]).unwrap();
        assert!(
            value(&f).contains("主要原因是高标准农田建设项目"),
            "{}",
            value(&f)
        );
        let heading = piece("二、绩效实现情况");
        let paras = [(&fig, false), (&heading, false)];
        assert!(explanation(&paras, &[&fig], &[]).is_none());
    }

    #[test]
    fn deductions_in_the_text_go_to_their_rows() {
        let row = |name: &str, w: &str, s: &str| -> Row {
            vec![
                ("name", super::super::text(&piece(name))),
                (
                    "weight",
                    Field {
                        value: Value::Number(w.into()),
                        origin: piece(w).origin,
                    },
                ),
                (
                    "score",
                    Field {
                        value: Value::Number(s.into()),
                        origin: piece(s).origin,
                    },
                ),
            ]
        };
        let mut summary = vec![
            row("决策", "20", "20"),
            row("过程", "20", "19"),
            row("产出", "40", "37"),
        ];
        let text = piece(
            "其中过程指标扣1分，主要是个别项目资金拨付不够及时；产出指标扣2分，原因是完成率未达到年度目标。",
        );
        let mut notes = Vec::new();
        deductions(&[(&text, false)], &mut summary, &mut [], &mut notes);
        assert!(get(&summary[0], "deduction_reason").is_none());
        assert_eq!(
            value(get(&summary[1], "deduction_reason").unwrap()),
            "主要是个别项目资金拨付不够及时"
        );
        assert_eq!(
            value(get(&summary[2], "deduction_reason").unwrap()),
            "原因是完成率未达到年度目标"
        );
        assert_eq!(notes.len(), 1, "the text says 2 points, the table 3");
    }
}
