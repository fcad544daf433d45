//! Runs every fixture of the default rule pack (rules/tests/<id>/*.toml):
//! each rule must fire where its fixtures expect it, with the numbers in
//! the message, stay quiet elsewhere, and have both kinds of fixture.

use jixiao::engine::{Checker, fixtures, pack};

#[test]
fn default_pack_fixtures_pass_and_cover_every_rule() {
    let checker = Checker::new(pack::embedded());
    assert!(
        checker.errors().is_empty(),
        "rules fail to compile: {:#?}",
        checker.errors()
    );
    let all = fixtures::embedded();
    let result = fixtures::run(&checker, &all);
    let mut report = String::new();
    for c in result.cases.iter().filter(|c| c.failure.is_some()) {
        report.push_str(&format!("{}: {}\n", c.file, c.failure.as_deref().unwrap()));
    }
    for u in &result.uncovered {
        report.push_str(&format!("{u}\n"));
    }
    assert!(report.is_empty(), "{report}");
    assert!(result.cases.len() >= 2 * checker.rules().len());
}

#[test]
fn the_pack_has_every_rule_of_the_spec() {
    let ids: Vec<String> = Checker::new(pack::embedded())
        .rules()
        .iter()
        .map(|r| r.doc.id.clone())
        .collect();
    let spec = [
        "weights-sum",
        "indicator-weights-match-summary",
        "score-within-weight",
        "total-score-sum",
        "score-rate-consistent",
        "deduction-explained",
        "grade-matches-score",
        "output-effect-weight-floor",
        "project-default-weights",
        "execution-rate-consistent",
        "execution-rate-bounds",
        "execution-score-consistent",
        "budget-sources-sum",
        "budget-adjustment-explained",
        "deviation-explained",
        "score-matches-completion",
        "indicator-values-filled",
        "problem-has-measure",
        "measure-refers-to-problem",
        "no-placeholder-text",
        "required-content",
        "required-sections",
        "section-numbering",
        "year-consistent",
        "waiver-valid",
    ];
    let mut want: Vec<&str> = spec.to_vec();
    want.sort();
    assert_eq!(ids, want);
}
