//! Snapshot tests of every renderer over one shared sample batch
//! (tests/data/sample): a change in any output shows up as a snapshot diff.

use std::path::PathBuf;

use jixiao::batch;
use jixiao::diagnostic::Outcome;
use jixiao::engine::{Checker, pack};
use jixiao::render;

fn sample() -> Outcome {
    let checker = Checker::new(pack::embedded());
    let inputs = batch::collect(&[PathBuf::from("tests/data/sample")]);
    batch::check_all(&checker, &inputs)
}

fn human(outcome: &Outcome) -> String {
    let mut out = Vec::new();
    render::human::render(
        outcome,
        &mut out,
        render::human::Style {
            color: false,
            width: 100,
        },
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn human_snapshot() {
    insta::assert_snapshot!("human", human(&sample()));
}

#[test]
fn json_snapshot() {
    let mut out = Vec::new();
    render::json::render(&sample(), &mut out).unwrap();
    insta::assert_snapshot!("json", String::from_utf8(out).unwrap());
}

#[test]
fn far_apart_labels_are_shown_as_separate_snippets() {
    let mut outcome = sample();
    outcome
        .reports
        .retain(|r| r.path.ends_with("03-far-labels.toml"));
    outcome.reports[0]
        .findings
        .retain(|f| f.rule == "weights-sum");
    let text = human(&outcome);
    // Labels on lines ~20–40 and ~180: two snippets, not one of 160 lines.
    assert_eq!(text.matches("╭─[").count(), 2, "{text}");
    assert!(text.lines().count() < 60, "{text}");
}

#[test]
fn colour_only_when_asked() {
    let outcome = sample();
    let mut out = Vec::new();
    render::human::render(
        &outcome,
        &mut out,
        render::human::Style {
            color: true,
            width: 100,
        },
    )
    .unwrap();
    assert!(String::from_utf8(out).unwrap().contains('\u{1b}'));
    assert!(!human(&outcome).contains('\u{1b}'));
}
