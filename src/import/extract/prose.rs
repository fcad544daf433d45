//! Explanations written in prose, where departments actually write them:
//! the reason for a budget adjustment or an execution rate in the budget
//! paragraph or the one after it (年中追加…专项资金…万元, 执行率偏低的主要
//! 原因是…, …结转下年使用), a 说明 row of a 自评表 that talks about the funds,
//! and deductions explained in the text around the score table (其中决策指标
//! 扣1分，主要是…；产出指标扣2分，原因是…).

use std::sync::LazyLock;

use regex_lite::Regex;

use super::sections::joined;
use super::{Field, Row, Value, get, labelled, squeeze};
use crate::import::headings::is_heading;
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

/// A clause that states the budget's figures (调整后预算数为1120.00万元,
/// 预算执行率为102.00%): it ends a reason that runs on before it.
static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:预算|执行|决算|支出|拨付)[^，,]{0,8}(?:数|率|额)?\s*(?:为|是|达|达到|[:：])?\s*[0-9]",
    )
    .unwrap()
});

/// The parts of a paragraph that give reasons: in each sentence, the runs
/// of clauses from one that gives a reason (年中调减预算80万元, 主要原因是…)
/// through those that go on with it, up to a clause that states figures
/// (调整后预算数为…). A reason in the sentence of the figures is that
/// clause; a reason of its own is its sentence.
fn reasons(p: &Piece) -> Vec<Piece> {
    let mut out = Vec::new();
    for sentence in clauses(&p.text) {
        if !REASON.is_match(&p.text[sentence.clone()]) {
            continue;
        }
        let mut run: Option<std::ops::Range<usize>> = None;
        let mut start = sentence.start;
        let mut parts = Vec::new();
        for (i, c) in p.text[sentence.clone()].char_indices() {
            if matches!(c, '，' | ',') {
                parts.push(start..sentence.start + i);
                start = sentence.start + i + c.len_utf8();
            }
        }
        parts.push(start..sentence.end);
        for part in parts {
            let t = &p.text[part.clone()];
            if REASON.is_match(t) {
                run = Some(run.map_or(part.clone(), |r| r.start..part.end));
            } else if FIGURE.is_match(t) {
                out.extend(run.take());
            } else if let Some(r) = &mut run {
                r.end = part.end;
            }
        }
        out.extend(run);
    }
    out.into_iter()
        .map(|r| p.sub(r).trimmed())
        .filter(|q| !q.text.is_empty())
        .collect()
}

/// Reasons found in several places as one explanation: their texts joined
/// by ；, its place from the first to the end of the last.
fn joined_reasons(found: &[Piece]) -> Option<Field> {
    let mut f = joined(found)?;
    f.value = Value::Text(
        found
            .iter()
            .map(|p| p.text.trim_end_matches(['。', '；', ';']))
            .collect::<Vec<_>>()
            .join("；"),
    );
    Some(f)
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
        let mut found: Vec<Piece> = reasons(p);
        if let Some(&(next, styled)) = paras.get(i + 1)
            && !is_heading(next, styled)
            && !figures.iter().any(|f| std::ptr::eq(*f, next))
            && FUNDS.iter().any(|w| next.text.contains(w))
        {
            found.extend(reasons(next));
        }
        if let Some(f) = joined_reasons(&found) {
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
    );
    if let Some(row) = row.filter(|r| FUNDS.iter().any(|w| r.text.contains(w))) {
        return Some(super::text(&row));
    }
    // Where else the form lets a department write: its 完成情况 cells
    // (beside their label, or under it as a column's header), whose
    // reasons about the funds (年中追加…资金55.50万元) explain them.
    let found: Vec<Piece> = completion_cells(blocks)
        .iter()
        .flat_map(reasons)
        .filter(|r| FUNDS.iter().any(|w| r.text.contains(w)))
        .collect();
    joined_reasons(&found)
}

/// The cells a 自评表 gives for what was done: beside a 实际完成情况 (…目标
/// 完成情况) label, or under it when it heads a column.
fn completion_cells(blocks: &[Block]) -> Vec<Piece> {
    const LABELS: &[&str] = &[
        "实际完成情况",
        "全年实际完成情况",
        "年度总体目标完成情况",
        "全年总体目标完成情况",
        "总体目标完成情况",
        "目标完成情况",
        "年度目标完成情况",
    ];
    let is_label = |t: &str| LABELS.contains(&squeeze(t).trim_end_matches(['：', ':']));
    let mut out: Vec<Piece> = Vec::new();
    for b in blocks {
        let Block::Table(grid) = b else { continue };
        for (r, row) in grid.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.as_ref().is_some_and(|p| is_label(&p.text)) {
                    continue;
                }
                let beside = row[c + 1..].iter().flatten().find(|p| !is_label(&p.text));
                let below = grid
                    .get(r + 1)
                    .and_then(|next| next.get(c))
                    .and_then(Option::as_ref);
                for p in [beside, below].into_iter().flatten() {
                    if !is_label(&p.text) && !out.iter().any(|o| o.origin == p.origin) {
                        out.push(p.clone());
                    }
                }
            }
        }
    }
    out
}

/// A deduction named in the text: whose (a summary row's name or an
/// indicator's), how many points, and the reason after it.
static DEDUCTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:扣|扣除|减|失)(?:了)?\s*([0-9]+(?:\.[0-9]+)?)\s*分[，,、：:\s]*").unwrap()
});

/// Deductions explained in the text: for every summary row (by name) and
/// indicator (by name) scored below its weight and without a reason of
/// its own, a clause "<name>…扣N分，<reason>" gives the reason
/// (`deduction_reason`, or the indicator's `deviation`). The row is the
/// one named last before 扣 (决策类指标满分20分，得分18分，扣2分，…); one
/// clause may give several (过程扣1分，主要是…，产出扣3分，原因是…), each
/// reason ending where the next row is named. A deduction of another
/// number of points than the table's is noted.
pub(super) fn deductions(
    paras: &[(&Piece, bool)],
    summary: &mut [Row],
    indicators: &mut [Row],
    notes: &mut Vec<Note>,
) {
    // Rows that lost points with no reason: (summary?, index, name, points).
    let mut wanting: Vec<(bool, usize, String, f64)> = Vec::new();
    for (is_summary, rows, reason_key) in [
        (true, &*summary, "deduction_reason"),
        (false, &*indicators, "deviation"),
    ] {
        for (i, row) in rows.iter().enumerate() {
            let (Some(name), Some(w), Some(s)) = (
                get(row, "name").map(|f| squeeze(&f.value.shown())),
                get(row, "weight").and_then(|f| number_of(&f.value)),
                get(row, "score").and_then(|f| number_of(&f.value)),
            ) else {
                continue;
            };
            if get(row, reason_key).is_none() && s < w - 1e-6 && name.chars().count() >= 2 {
                wanting.push((is_summary, i, name, w - s));
            }
        }
    }
    if wanting.is_empty() {
        return;
    }
    let mut given = vec![false; wanting.len()];
    for &(p, _) in paras {
        for r in clauses(&p.text) {
            let clause = p.sub(r);
            let t = clause.text.as_str();
            // Each 扣N分 with the row named last before it (after the
            // previous 扣N分): (where the name starts, which row, the
            // match).
            let mut found: Vec<(usize, usize, f64, usize)> = Vec::new();
            let mut from = 0;
            for c in DEDUCTION.captures_iter(t) {
                let whole = c.get(0).unwrap_or_else(|| unreachable!());
                let before = &t[from..whole.start()];
                let subject = wanting
                    .iter()
                    .enumerate()
                    .filter_map(|(k, w)| before.rfind(w.2.as_str()).map(|at| (from + at, k)))
                    .max_by_key(|&(at, k)| (at + wanting[k].2.len(), wanting[k].2.len()));
                if let Some((at, k)) = subject {
                    found.push((at, k, c[1].parse().unwrap_or(0.0), whole.end()));
                }
                from = whole.end();
            }
            for (j, &(_, k, points, reason_from)) in found.iter().enumerate() {
                let reason_to = found.get(j + 1).map_or(t.len(), |next| next.0);
                let reason = clause
                    .sub(reason_from..reason_to.max(reason_from))
                    .trimmed();
                let reason = reason
                    .sub(0..reason.text.trim_end_matches(['，', ',', '、', '；']).len())
                    .trimmed();
                if reason.text.chars().count() < 2 || given[k] {
                    continue;
                }
                given[k] = true;
                let (is_summary, i, name, lost) = &wanting[k];
                if (lost - points).abs() > 1e-6 {
                    notes.push(Note {
                        message: format!(
                            "正文说“{name}”扣 {} 分，表中为扣 {} 分；扣分原因取自正文",
                            fmt_points(points),
                            fmt_points(*lost)
                        ),
                        origin: Some(reason.origin.clone()),
                    });
                }
                if *is_summary {
                    summary[*i].push(("deduction_reason", super::text(&reason)));
                } else {
                    indicators[*i].push(("deviation", super::text(&reason)));
                }
            }
        }
    }
}

/// Points as a reviewer writes them: 3, 1.5.
fn fmt_points(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
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
        f.value.shown()
    }

    #[test]
    fn the_reason_is_the_clause_that_gives_it() {
        let texts =
            |p: &str| -> Vec<String> { reasons(&piece(p)).into_iter().map(|r| r.text).collect() };
        assert_eq!(
            texts(
                "2022年度，本部门年初预算数为3120.50万元；年中追加农村公路养护专项资金120.5万元，调整后预算数为3241.00万元，全年执行数为2852.08万元，预算执行率为88.00%。执行率偏低的主要原因是部分项目因雨季延期开工，相关资金结转下年使用。"
            ),
            [
                "年中追加农村公路养护专项资金120.5万元",
                "执行率偏低的主要原因是部分项目因雨季延期开工，相关资金结转下年使用"
            ]
        );
        // All in one sentence of commas: the reasons, not the figures.
        assert_eq!(
            texts(
                "2022年度部门年初预算数为1200.00万元，年中调减预算80.00万元，主要是压减一般性支出，调整后预算数为1120.00万元，全年执行数为1142.40万元，预算执行率为102.00%，超出预算的主要原因是上年结转资金在本年支出。"
            ),
            [
                "年中调减预算80.00万元，主要是压减一般性支出",
                "超出预算的主要原因是上年结转资金在本年支出"
            ]
        );
        // A reason that runs on without a keyword is kept whole.
        assert_eq!(
            texts("预算执行率为80%，主要原因是受疫情影响，部分项目无法按期实施。"),
            ["主要原因是受疫情影响，部分项目无法按期实施"]
        );
        assert!(texts("年初预算数为100万元，调整后预算数为120万元，执行率为95%。").is_empty());
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

        let mut summary = vec![
            row("决策", "20", "18"),
            row("过程", "20", "19"),
            row("产出", "40", "37"),
        ];
        let text = piece(
            "决策类指标满分20分，得分18分，扣2分，主要原因是绩效目标不够细化，过程指标扣1分，原因是资金拨付滞后，产出扣3分，系部分工程未完工。",
        );
        let mut notes = Vec::new();
        deductions(&[(&text, false)], &mut summary, &mut [], &mut notes);
        let reasons: Vec<String> = summary
            .iter()
            .map(|r| value(get(r, "deduction_reason").unwrap()))
            .collect();
        assert_eq!(
            reasons,
            [
                "主要原因是绩效目标不够细化",
                "原因是资金拨付滞后",
                "系部分工程未完工"
            ]
        );
        assert!(notes.is_empty(), "{notes:?}");

        let mut indicators = vec![row("抽检合格率", "20", "18"), row("群众满意度", "10", "7")];
        let text = piece(
            "“抽检合格率”指标扣2分，主要是部分小作坊产品不合格；“群众满意度”满分10分，得分7分，扣3分，原因是投诉热线接通率偏低。",
        );
        deductions(&[(&text, false)], &mut [], &mut indicators, &mut notes);
        let reasons: Vec<String> = indicators
            .iter()
            .map(|r| value(get(r, "deviation").unwrap()))
            .collect();
        assert_eq!(
            reasons,
            ["主要是部分小作坊产品不合格", "原因是投诉热线接通率偏低"]
        );
    }
}
