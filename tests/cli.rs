//! The `jixiao check` command end to end: exit codes, batches with broken
//! files, replacing the rule pack with an edited copy, and that every label
//! in the JSON output marks the value's text in the file.

mod common;
use common::temp_dir;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const SEED: &str = "examples/jingdezhen-education-2021.toml";
const REPAIRED: &str = "examples/jingdezhen-education-2021-repaired.toml";
const PROJECT: &str = "examples/gaokao-subsidy-project-2021.toml";

fn jixiao() -> Command {
    let mut c = common::jixiao();
    c.env_remove("NO_COLOR");
    c
}

fn json(args: &[&str]) -> (i32, Value) {
    let out = jixiao()
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    (out.status.code().unwrap(), v)
}

fn rules_of(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

/// Copies rules/*.rhai into a fresh directory.
fn copy_rules(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    for e in std::fs::read_dir("rules").unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "rhai") {
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
        }
    }
    dir
}

/// The check of tools/verify-spans.py: each label's offset/length lies in
/// the file, marks non-blank text, and agrees with its line/column.
fn assert_spans(v: &Value) -> usize {
    let mut n = 0;
    for rep in v["reports"].as_array().unwrap() {
        let src = std::fs::read(rep["path"].as_str().unwrap()).unwrap();
        for d in rep["diagnostics"].as_array().unwrap() {
            for l in d["labels"].as_array().unwrap() {
                let (off, len) = (
                    l["offset"].as_u64().unwrap() as usize,
                    l["length"].as_u64().unwrap() as usize,
                );
                assert!(len > 0 && off + len <= src.len(), "{l}");
                let before = String::from_utf8_lossy(&src[..off]);
                let line = before.matches('\n').count() + 1;
                let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
                assert_eq!(
                    (line as u64, col as u64),
                    (l["line"].as_u64().unwrap(), l["column"].as_u64().unwrap()),
                    "{l}"
                );
                assert!(
                    !String::from_utf8_lossy(&src[off..off + len])
                        .trim()
                        .is_empty()
                );
                n += 1;
            }
        }
    }
    n
}

#[test]
fn seed_shows_the_expected_findings_with_numbers() {
    let (code, v) = json(&[SEED]);
    assert_eq!(code, 0, "warnings do not fail the check");
    let rep = &v["reports"][0];
    let diags = rep["diagnostics"].as_array().unwrap();
    let find = |rule: &str| {
        diags
            .iter()
            .filter(|d| d["rule"] == rule)
            .collect::<Vec<_>>()
    };
    assert!(
        find("execution-rate-bounds")[0]["message"]
            .as_str()
            .unwrap()
            .contains("130.53%")
    );
    let deduction = find("deduction-explained");
    assert!(deduction[0]["message"].as_str().unwrap().contains("过程"));
    assert_eq!(deduction[0]["labels"][0]["path"], "summary[1].score");
    let unnumbered: Vec<_> = find("section-numbering")
        .into_iter()
        .filter(|d| d["message"].as_str().unwrap().contains("没有编号"))
        .map(|d| d["labels"][0]["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        unnumbered,
        [
            "sections[2].heading",
            "sections[7].heading",
            "sections[12].heading"
        ]
    );
    assert!(assert_spans(&v) > 5);
}

#[test]
fn human_output_underlines_the_values() {
    let out = jixiao()
        .args(["check", SEED])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("execution-rate-bounds") && text.contains("130.53%"));
    assert!(text.contains("executed = 66941.43"), "source line shown");
    assert!(text.contains("heading = \"履职效果情况\""));
    assert!(!text.contains('\u{1b}'), "no colour when piped");
}

#[test]
fn exit_codes() {
    assert_eq!(json(&[REPAIRED]).0, 0);
    assert_eq!(json(&[PROJECT]).0, 0);
    assert_eq!(json(&["tests/data/sample/04-waived-and-errors.toml"]).0, 1);
    assert_eq!(json(&["tests/data/sample/05-malformed.toml"]).0, 2);
    assert_eq!(json(&["tests/data/sample/does-not-exist.toml"]).0, 2);
    assert_eq!(
        jixiao().args(["check"]).output().unwrap().status.code(),
        Some(2)
    );
    assert_eq!(
        jixiao()
            .args(["check", SEED, "--format", "xml"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_directory_without_reports_is_a_misuse() {
    let empty = temp_dir("no-reports");
    let out = jixiao().arg("check").arg(&empty).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有找到可检查的报告"));
}

#[test]
fn a_malformed_file_does_not_stop_the_batch() {
    let (code, v) = json(&["tests/data/sample"]);
    assert_eq!(code, 2);
    let reports = v["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 5, "every file is in the output");
    let bad = reports
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with("05-malformed.toml"))
        .unwrap();
    assert_eq!(bad["status"], "error");
    let errors = bad["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0]["line"], 9);
    assert_eq!(errors[1]["line"], 11);
    assert!(errors[1]["message"].as_str().unwrap().contains("带百分号"));
    assert_eq!(v["summary"]["reports"], 5);
    assert_eq!(v["summary"]["errors"], 1);
    let statuses: Vec<_> = reports
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["pass", "pass", "fail", "fail", "error"]);
}

#[test]
fn waived_findings_are_listed_but_do_not_count() {
    let (_, v) = json(&["tests/data/sample/04-waived-and-errors.toml"]);
    let d = v["reports"][0]["diagnostics"].as_array().unwrap();
    let waived = d
        .iter()
        .find(|d| d["rule"] == "execution-rate-bounds")
        .unwrap();
    assert_eq!(waived["waived"]["approved_by"], "市财政局绩效科");
    assert_eq!(
        v["summary"]["findings"]["warning"], 2,
        "the waived warning is not counted"
    );
}

#[test]
fn deleting_a_rule_from_a_copy_removes_exactly_its_findings() {
    let (_, full) = json(&[SEED]);
    let dir = copy_rules("delete");
    std::fs::remove_file(dir.join("section-numbering.rhai")).unwrap();
    let (code, less) = json(&[SEED, "--rules", dir.to_str().unwrap()]);
    assert_eq!(code, 0);
    let mut expected = rules_of(&full["reports"][0]);
    expected.retain(|r| r != "section-numbering");
    assert_eq!(rules_of(&less["reports"][0]), expected);
}

#[test]
fn changing_a_threshold_in_a_copy_changes_the_outcome() {
    let dir = copy_rules("threshold");
    let rule = dir.join("execution-rate-bounds.rhai");
    let text = std::fs::read_to_string(&rule).unwrap();
    let edited = text.replacen("default = \"100%\"", "default = \"140%\"", 1);
    assert_ne!(text, edited);
    std::fs::write(&rule, edited).unwrap();
    let (_, v) = json(&[SEED, "--rules", dir.to_str().unwrap()]);
    assert!(!rules_of(&v["reports"][0]).contains(&"execution-rate-bounds".to_string()));
}

#[test]
fn an_empty_rule_directory_means_no_rules() {
    let dir = temp_dir("empty");
    let (code, v) = json(&[SEED, "--rules", dir.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(rules_of(&v["reports"][0]).is_empty());
}

#[test]
fn a_broken_rule_is_reported_and_the_others_still_run() {
    let dir = copy_rules("broken");
    std::fs::write(dir.join("year-consistent.rhai"), "//! id = \"year-consistent\"\n//! title = \"x\"\n//! severity = \"warning\"\n//! basis = \"b\"\n//! checks = \"c\"\n//! why = \"w\"\n//! example = \"e\"\n\nlet x = ;\n").unwrap();
    std::fs::write(
        dir.join("waiver-valid.rhai"),
        std::fs::read_to_string("rules/waiver-valid.rhai")
            .unwrap()
            .replace("let out = [];", "let out = [];\nthrow \"故意出错\";"),
    )
    .unwrap();
    let (code, v) = json(&[SEED, "--rules", dir.to_str().unwrap()]);
    assert_eq!(code, 2);
    let run_errors = v["errors"].as_array().unwrap();
    assert_eq!(run_errors.len(), 1);
    assert!(
        run_errors[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("year-consistent.rhai")
    );
    assert_eq!(run_errors[0]["line"], 9);
    let rep = &v["reports"][0];
    assert_eq!(rep["status"], "error");
    assert!(
        rep["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("故意出错")
    );
    assert!(
        rep["errors"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("waiver-valid.rhai")
    );
    assert!(
        rules_of(rep).contains(&"execution-rate-bounds".to_string()),
        "other rules still ran"
    );
}

#[test]
fn a_label_on_a_missing_path_is_a_rule_error() {
    let dir = temp_dir("badpath");
    std::fs::write(
        dir.join("bad-path.rhai"),
        "//! id = \"bad-path\"\n//! title = \"x\"\n//! severity = \"error\"\n//! basis = \"b\"\n//! checks = \"c\"\n//! why = \"w\"\n//! example = \"e\"\n\n[finding(\"m\", [label(\"budget.nope\", \"x\")])]\n",
    )
    .unwrap();
    let (code, v) = json(&[SEED, "--rules", dir.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        v["reports"][0]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("budget.nope")
    );
}

#[test]
fn input_files_are_not_modified() {
    let before: Vec<Vec<u8>> = [SEED, PROJECT]
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    json(&[SEED, PROJECT]);
    let after: Vec<Vec<u8>> = [SEED, PROJECT]
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    assert_eq!(before, after);
}

#[test]
fn directories_are_searched_and_output_is_sorted_and_stable() {
    let (_, a) = json(&["examples"]);
    let paths: Vec<_> = a["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert_eq!(
        paths.len(),
        4,
        "the TOML reports and the pasted text: {paths:?}"
    );
    let (_, b) = json(&["examples"]);
    assert_eq!(a, b);
    assert!(Path::new(&paths[0]).exists());
}

#[test]
fn labels_land_on_values_written_with_dotted_keys_and_inline_tables() {
    let (code, v) = json(&["tests/data/other-style.toml"]);
    assert_eq!(code, 1);
    assert!(assert_spans(&v) >= 15);
    let src = std::fs::read_to_string("tests/data/other-style.toml").unwrap();
    let diags = v["reports"][0]["diagnostics"].as_array().unwrap();
    let text_at = |rule: &str, path: &str| {
        let d = diags
            .iter()
            .find(|d| d["rule"] == rule)
            .unwrap_or_else(|| panic!("{rule}"));
        let l = d["labels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["path"] == path)
            .unwrap();
        let (o, n) = (
            l["offset"].as_u64().unwrap() as usize,
            l["length"].as_u64().unwrap() as usize,
        );
        src[o..o + n].to_string()
    };
    assert_eq!(
        text_at("score-rate-consistent", "summary[1].score_rate"),
        "\"70%\""
    );
    assert_eq!(text_at("grade-matches-score", "total.grade"), "\"优\"");
    assert_eq!(
        text_at("measure-refers-to-problem", "measures[0].addresses[0]"),
        "\"3\""
    );
    assert_eq!(text_at("weights-sum", "summary[3].weight"), "20");
}
