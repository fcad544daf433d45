//! Figures written in sentences: the budget (年初预算数为…万元, 执行率为…),
//! the total score and the grade (最终评分结果为98分，绩效评级为“优”), for
//! what the tables did not give.

use std::sync::LazyLock;

use regex_lite::Regex;

use super::{Field, Row, Value, get, labelled, number, rate, text};
use crate::import::{Block, Note, Piece};

/// Money amounts in a sentence: 年初预算数为1200.50万元.
pub(super) static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(调整后预算数?|调整预算数?|全年预算数?|年初预算数?|支出预算数?|预算总额|预算数|全年执行数|执行数|支出决算数|决算数|实际支出|全年支出)(?:为|是|共计|合计|总额为)?[:：]?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(万元|元)",
    )
    .unwrap()
});

static RATE_SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"执行率(?:为|是|达到|达)?[:：]?\s*([0-9]+(?:\.[0-9]+)?\s*[%％])").unwrap()
});

static TOTAL_SCORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:最终评分结果为|评分结果为|自评得分为?|评价得分为?|综合得分为?|总得分为?|总分为?|得分为)[:：]?\s*([0-9]+(?:\.[0-9]+)?)\s*分").unwrap()
});

static GRADE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:绩效评级|评价等级|自评等级|绩效等级|评定等级|评价结果|评级|等级)(?:为|是|[:：])?\s*[“"「『]?(优秀|良好|中等|合格|较差|优|良|中|差)"#).unwrap()
});

/// Whether an amount is the year's whole budget, judging by its clause so
/// far: not 其中… (a part of it), not 上年… (last year's).
fn whole_amount(before: &str) -> bool {
    let clause = before
        .rfind(['，', '；', '。', ',', ';'])
        .map_or(before, |i| &before[i..]);
    !["其中", "上年", "去年", "上一年"]
        .iter()
        .any(|w| clause.contains(w))
}

/// A grade as a table cell gives it: 优, 良好…
static GRADE_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:优秀|良好|中等|合格|较差|优|良|中|差)$").unwrap());

fn budget_key(label: &str) -> &'static str {
    if label.contains("调整") || label.contains("全年预算") {
        "adjusted"
    } else if ["执行", "决算", "实际支出", "全年支出"]
        .iter()
        .any(|w| label.contains(w))
    {
        "executed"
    } else {
        "initial"
    }
}

/// Budget figures from sentences, for the keys the tables left empty;
/// returns the pieces that gave one (where the budget is written about).
pub(super) fn budget<'a>(
    pieces: &[&'a Piece],
    budget: &mut Row,
    unit: &mut Option<Field>,
    notes: &mut Vec<Note>,
) -> Vec<&'a Piece> {
    let from_table: Vec<&'static str> = budget.iter().map(|(k, _)| *k).collect();
    let mut seen: Vec<(&'static str, String, String)> = Vec::new();
    let mut gave: Vec<&'a Piece> = Vec::new();
    for &p in pieces {
        let before = budget.len();
        for c in AMOUNT.captures_iter(&p.text) {
            let (label, amount, u) = (c.get(1).unwrap(), c.get(2).unwrap(), c.get(3).unwrap());
            let key = budget_key(label.as_str());
            if from_table.contains(&key) || !whole_amount(&p.text[..label.start()]) {
                continue;
            }
            let Some(field) = number(&p.sub(amount.range())) else {
                continue;
            };
            match seen.iter().find(|(k, _, _)| *k == key) {
                None => {
                    seen.push((key, label.as_str().to_string(), amount.as_str().to_string()));
                    budget.push((key, field));
                    if unit.is_none() {
                        *unit = Some(Field {
                            value: Value::Text(u.as_str().to_string()),
                            origin: p.sub(u.range()).origin,
                        });
                    }
                }
                Some((_, l, a)) if l == label.as_str() && a != amount.as_str() => {
                    notes.push(Note {
                        message: format!(
                            "“{}”出现了不同的数额：已取前文的 {a}，此处为 {}",
                            l,
                            amount.as_str()
                        ),
                        origin: Some(p.sub(amount.range()).origin),
                    });
                }
                Some(_) => {}
            }
        }
        if !from_table.contains(&"rate")
            && get(budget, "rate").is_none()
            && let Some(c) = RATE_SENTENCE.captures(&p.text)
        {
            let m = c.get(1).unwrap();
            if let Some(f) = rate(&p.sub(m.range())) {
                budget.push(("rate", f));
            }
        }
        if budget.len() > before {
            gave.push(p);
        }
    }
    gave
}

/// The total score and grade from sentences such as
/// 最终评分结果为98分，绩效评级为“优”.
pub(super) fn total(pieces: &[&Piece], total: &mut Row, notes: &mut Vec<Note>) {
    for p in pieces {
        if let Some(c) = TOTAL_SCORE.captures(&p.text) {
            let m = c.get(1).unwrap();
            if let Some(f) = number(&p.sub(m.range())) {
                match get(total, "score") {
                    None => total.push(("score", f)),
                    Some(old) if old.value != f.value => notes.push(Note {
                        message: format!(
                            "正文中的总分 {} 与表中的 {} 不同；已取表中的 {}",
                            f.value.shown(),
                            old.value.shown(),
                            old.value.shown()
                        ),
                        origin: Some(f.origin),
                    }),
                    Some(_) => {}
                }
            }
        }
        if get(total, "grade").is_none()
            && let Some(c) = GRADE.captures(&p.text)
        {
            let m = c.get(1).unwrap();
            total.push(("grade", text(&p.sub(m.range()))));
        }
    }
}

/// The grade from a labelled cell (评价等级 | 优), when no sentence gave it.
pub(super) fn grade_cell(blocks: &[Block], total: &mut Row) {
    if get(total, "grade").is_none()
        && let Some(g) = labelled(
            blocks,
            &[
                "绩效评级",
                "评价等级",
                "自评等级",
                "绩效等级",
                "评定等级",
                "等级",
            ],
        )
        && GRADE_WORD.is_match(&g.text)
    {
        total.push(("grade", text(&g)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::extract::tests_support::piece;

    #[test]
    fn budget_sentences_take_the_whole_year() {
        let p = piece(
            "上年预算数为90万元。本年支出预算数为100万元，其中基本支出预算数为60万元；决算数为95万元。",
        );
        let (mut found, mut unit, mut notes) = (Vec::new(), None, Vec::new());
        budget(&[&p], &mut found, &mut unit, &mut notes);
        assert_eq!(
            get(&found, "initial").unwrap().value,
            Value::Number("100".into())
        );
        assert_eq!(
            get(&found, "executed").unwrap().value,
            Value::Number("95".into())
        );
        assert!(notes.is_empty(), "{notes:?}");
    }
}
