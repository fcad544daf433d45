//! Property tests: a report whose figures are internally consistent draws
//! no arithmetic finding, and the rate parser reads back what it prints.

use jixiao::engine::{Checker, pack};
use jixiao::report::quantity::{format_number, parse_rate, round_to};
use jixiao::review::check_text;
use proptest::prelude::*;

/// Rules that judge numbers (sums, rates, scores, grades).
const ARITHMETIC: &[&str] = &[
    "weights-sum",
    "indicator-weights-match-summary",
    "score-within-weight",
    "total-score-sum",
    "score-rate-consistent",
    "grade-matches-score",
    "execution-rate-consistent",
    "execution-score-consistent",
    "budget-sources-sum",
];

fn grade(score: f64) -> &'static str {
    match score {
        s if s >= 90.0 => "优",
        s if s >= 80.0 => "良",
        s if s >= 60.0 => "中",
        _ => "差",
    }
}

/// A project report built from random but consistent figures.
fn consistent_report(
    weights: &[u32],
    losses: &[u32],
    base: u32,
    rate_pp: u32,
    fiscal_share: u32,
) -> String {
    let base = base as f64;
    let executed = round_to(base * rate_pp as f64 / 100.0, 2);
    let rate = executed / base * 100.0;
    let budget_score = round_to(rate.min(100.0) / 100.0 * 10.0, 2);
    let fiscal = round_to(base * fiscal_share as f64 / 100.0, 2);
    let mut s = format!(
        "format = \"jixiao-report/1\"\nkind = \"project\"\ntitle = \"示例项目2021年度自评表\"\ndepartment = \"示例局\"\nproject = \"示例项目\"\nyear = 2021\n\n\
         [budget]\nadjusted = {}\nexecuted = {}\nrate = \"{}%\"\nweight = 10\nscore = {}\n\n\
         [[budget.sources]]\nname = \"财政拨款\"\nadjusted = {}\n\n[[budget.sources]]\nname = \"其他资金\"\nadjusted = {}\n\n",
        format_number(base, 2),
        format_number(executed, 2),
        format_number(round_to(rate, 2), 2),
        format_number(budget_score, 2),
        format_number(fiscal, 2),
        format_number(round_to(base - fiscal, 2), 2),
    );
    // Split 90 points over the summary rows in the given proportions.
    let total_w: u32 = weights.iter().sum();
    let mut rows: Vec<u32> = weights.iter().map(|w| w * 90 / total_w).collect();
    let short = 90 - rows.iter().sum::<u32>();
    rows[0] += short;
    let mut total = budget_score;
    for (i, (&w, &loss)) in rows.iter().zip(losses).enumerate() {
        let score = w.saturating_sub(loss.min(w));
        total += score as f64;
        s += &format!(
            "[[summary]]\nname = \"指标{i}\"\nweight = {w}\nscore = {score}\nscore_rate = \"{}%\"\n\n",
            if w == 0 {
                "0".into()
            } else {
                format_number(score as f64 / w as f64 * 100.0, 2)
            }
        );
        s += &format!(
            "[[indicators]]\nlevel1 = \"指标{i}\"\nname = \"三级{i}\"\nweight = {w}\nscore = {score}\n\n"
        );
    }
    let total = round_to(total, 2);
    s += &format!(
        "[total]\nweight = 100\nscore = {}\nscore_rate = \"{}%\"\ngrade = \"{}\"\n",
        format_number(total, 2),
        format_number(total, 2),
        grade(total)
    );
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn consistent_reports_draw_no_arithmetic_finding(
        weights in prop::collection::vec(1u32..10, 2..6),
        losses in prop::collection::vec(0u32..6, 6),
        base in 10u32..100_000,
        rate_pp in 50u32..130,
        fiscal_share in 0u32..=100,
    ) {
        let checker = Checker::new(pack::embedded().into_iter().filter(|f| ARITHMETIC.contains(&f.id.as_str())).collect());
        let text = consistent_report(&weights, &losses, base, rate_pp, fiscal_share);
        let out = check_text(&checker, "r.toml", &text);
        prop_assert!(out.errors.is_empty(), "{:?}", out.errors);
        let found: Vec<_> = out.findings.iter().map(|f| format!("{}: {}", f.rule, f.message)).collect();
        prop_assert!(found.is_empty(), "{:#?}\n{}", found, text);
    }

    #[test]
    fn a_changed_total_is_caught(weights in prop::collection::vec(1u32..10, 2..6), base in 10u32..100_000, bump in 1u32..5) {
        let checker = Checker::new(pack::embedded().into_iter().filter(|f| f.id == "total-score-sum").collect());
        let text = consistent_report(&weights, &[0; 6], base, 95, 50);
        let (head, tail) = text.split_once("[total]").unwrap();
        let bumped = tail.replacen("score = ", &format!("score = {bump}"), 1);
        let out = check_text(&checker, "r.toml", &format!("{head}[total]{bumped}"));
        prop_assert_eq!(out.findings.len(), 1);
    }

    #[test]
    fn rates_read_back_what_is_printed(x in 0.0f64..100_000.0, decimals in 0u32..4) {
        let printed = format!("{:.*}%", decimals as usize, x);
        let (value, d) = parse_rate(&printed).unwrap();
        prop_assert_eq!(d, decimals);
        prop_assert!((value - round_to(x, decimals)).abs() < 1e-6);
        let again = format!("{}%", format_number(value, 4));
        prop_assert_eq!(parse_rate(&again).map(|(v, _)| v), Some(value));
    }
}
