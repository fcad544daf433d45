//! Tests of every renderer over one shared sample batch (tests/data/sample):
//! snapshots of the text formats, structural checks of SARIF and JUnit, an
//! HTML page parsed to check escaping, and the workbook read back.

use std::path::PathBuf;

use jixiao::diagnostic::Outcome;
use jixiao::engine::{Checker, pack};
use jixiao::render;
use jixiao::review;

fn outcome_of(paths: &[&str]) -> Outcome {
    let review = review::Review::with_checker(Checker::new(pack::embedded()));
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    review.outcome(&review::sources(review::collect(&paths).inputs))
}

/// The shared sample: the TOML reports of tests/data/sample and a 自评表
/// imported from Excel (kept apart, as its labels name cells, not bytes of
/// the file, which tools/verify-spans.py could not check).
fn sample() -> Outcome {
    outcome_of(&["tests/data/sample", "tests/data/import/self-eval.xlsx"])
}

type Render = fn(&Outcome, &mut dyn std::io::Write) -> std::io::Result<()>;

fn text(outcome: &Outcome, render: Render) -> String {
    let mut out = Vec::new();
    render(outcome, &mut out).unwrap();
    String::from_utf8(out).unwrap()
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
    insta::assert_snapshot!("json", text(&sample(), render::json::render));
}

#[test]
fn markdown_snapshot() {
    insta::assert_snapshot!("markdown", text(&sample(), render::markdown::render));
}

#[test]
fn html_snapshot() {
    insta::assert_snapshot!("html", text(&sample(), render::html::render));
}

#[test]
fn sarif_snapshot() {
    insta::assert_snapshot!("sarif", text(&sample(), render::sarif::render));
}

#[test]
fn junit_snapshot() {
    insta::assert_snapshot!("junit", text(&sample(), render::junit::render));
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

#[test]
fn sarif_has_the_required_fields_and_one_result_per_finding() {
    let outcome = sample();
    let v: serde_json::Value =
        serde_json::from_str(&text(&outcome, render::sarif::render)).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "jixiao");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for r in rules {
        assert!(r["id"].is_string() && r["shortDescription"]["text"].is_string());
    }
    let results = run["results"].as_array().unwrap();
    let findings: usize = outcome.reports.iter().map(|r| r.findings.len()).sum();
    assert_eq!(results.len(), findings);
    for r in results {
        // SARIF 2.1.0 requires a message on every result.
        assert!(r["message"]["text"].is_string());
        let rule = r["ruleId"].as_str().unwrap();
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], rule);
        let location = &r["locations"][0];
        let region = &location["physicalLocation"]["region"];
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with(".xlsx")
        {
            // A cell of a workbook is named, not a text region.
            assert!(region.is_null());
            let cell = location["logicalLocations"][1]["name"].as_str().unwrap();
            assert!(cell.starts_with("自评表!"), "{cell}");
        } else {
            assert!(
                region["startLine"].as_u64().unwrap() >= 1
                    && region["startColumn"].as_u64().unwrap() >= 1
            );
        }
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
    }
    let suppressed = results
        .iter()
        .filter(|r| r["suppressions"].is_array())
        .count();
    assert_eq!(suppressed, 1, "the waived finding is a suppression");
    assert!(results.iter().any(|r| {
        r["relatedLocations"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    }));
    assert_eq!(
        run["invocations"][0]["executionSuccessful"], false,
        "a malformed report is in the sample"
    );
    assert_eq!(
        run["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn junit_is_well_formed_xml_with_one_case_per_report_and_rule() {
    let xml = text(&sample(), render::junit::render);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut suites, mut cases, mut failures, mut errors) = (0, 0, 0, 0);
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                match e.name().as_ref() {
                    "testsuite" => suites += 1,
                    "testcase" => cases += 1,
                    "failure" => failures += 1,
                    "error" => errors += 1,
                    _ => {}
                }
            }
            _ => {}
        }
    }
    assert_eq!(suites, 6);
    // Department reports run 24 rules + 3 host checks, the project reports
    // (one imported from Excel) 23 + 3; the malformed report is a single
    // erroring case.
    assert_eq!(cases, 3 * 27 + 2 * 26 + 1);
    assert_eq!(errors, 1);
    assert_eq!(
        failures, 4,
        "far-labels: weights-sum and score-within-weight; waived: grade; imported: score-within-weight (a 自评表 needs no problems or measures)"
    );
}

#[test]
fn html_escapes_everything_from_the_report() {
    let html = text(
        &outcome_of(&["tests/data/markup.toml"]),
        render::html::render,
    );
    let doc = scraper::Html::parse_document(&html);
    for tag in ["script", "iframe", "img", "b"] {
        let sel = scraper::Selector::parse(tag).unwrap();
        assert_eq!(doc.select(&sel).count(), 0, "no <{tag}> element: {html}");
    }
    let h1 = scraper::Selector::parse("h1").unwrap();
    assert_eq!(doc.select(&h1).count(), 1, "only the page's own heading");
    let body = doc.root_element().text().collect::<String>();
    assert!(
        body.contains("<script>alert('标题')</script>"),
        "shown as text"
    );
    assert!(body.contains("onerror=alert(1)"));
    assert!(
        !html.contains("<script"),
        "no script tag anywhere in the page"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://") || html.contains("example.invalid"),
        "no external resources of ours"
    );
}

#[test]
fn html_is_self_contained_and_printable() {
    let html = text(&sample(), render::html::render);
    let doc = scraper::Html::parse_document(&html);
    for (sel, what) in [
        ("link", "stylesheet"),
        ("script", "script"),
        ("img", "image"),
    ] {
        assert_eq!(
            doc.select(&scraper::Selector::parse(sel).unwrap()).count(),
            0,
            "no {what}"
        );
    }
    assert!(html.contains("@media print") && html.contains("break-before:page"));
    let marks = doc
        .select(&scraper::Selector::parse("div.src mark").unwrap())
        .count();
    assert!(marks >= 20, "labelled values are highlighted ({marks})");
    let cover = doc
        .select(&scraper::Selector::parse("table tbody tr a").unwrap())
        .count();
    assert_eq!(cover, 6, "the cover table links every report");
}

#[test]
fn xlsx_reads_back_with_one_row_per_finding() {
    use calamine::{Reader, Xlsx};
    let outcome = sample();
    let mut bytes = Vec::new();
    render::xlsx::render(&outcome, &mut bytes).unwrap();
    let mut again = Vec::new();
    render::xlsx::render(&outcome, &mut again).unwrap();
    assert_eq!(bytes, again, "the same outcome gives the same bytes");
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["审核意见表", "汇总"]);
    let sheet = book.worksheet_range("审核意见表").unwrap();
    let findings: usize = outcome.reports.iter().map(|r| r.findings.len()).sum();
    assert_eq!(sheet.height(), findings + 1);
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        header,
        [
            "单位",
            "报告",
            "规则",
            "级别",
            "问题描述",
            "位置",
            "数据路径",
            "豁免说明"
        ]
    );
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let seed = rows.iter().find(|r| r[0] == "景德镇市教育局").unwrap();
    assert!(seed[4].contains("130.53%"));
    assert_eq!(seed[5], "第 14 行第 12 列");
    // An imported workbook's finding names its cell.
    assert!(
        rows.iter()
            .any(|r| r[0] == "浮梁县教育体育局" && r[5] == "自评表!H18（“家长满意度”的得分）")
    );
    let summary = book.worksheet_range("汇总").unwrap();
    assert!(summary.rows().any(|r| r[0] == "合计"));
}

#[test]
fn baseline_marks_fixed_new_and_persisting() {
    let dir = std::env::temp_dir().join(format!("jixiao-render-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let before = dir.join("before.json");
    std::fs::write(
        &before,
        text(
            &outcome_of(&["examples/jingdezhen-education-2021.toml"]),
            render::json::render,
        ),
    )
    .unwrap();
    let mut now = outcome_of(&["examples/jingdezhen-education-2021-repaired.toml"]);
    jixiao::baseline::load(&before).unwrap().apply(&mut now);
    assert!(now.reports[0].findings.is_empty());
    assert_eq!(now.reports[0].fixed.len(), 7);
    assert!(
        now.reports[0]
            .fixed
            .iter()
            .any(|f| f.rule == "execution-rate-bounds")
    );
    let md = text(&now, render::markdown::render);
    assert!(md.contains("### 已整改") && md.contains("execution-rate-bounds"));
    let html = text(&now, render::html::render);
    assert!(html.contains("已整改"));

    // A finding that stays is persisting even though lines moved.
    let seed = std::fs::read_to_string("examples/jingdezhen-education-2021.toml").unwrap();
    let moved = dir.join("moved.toml");
    std::fs::write(
        &moved,
        format!(
            "# 新增的注释行\n# 又一行\n{}",
            seed.replace("score = 18", "score = 16")
        ),
    )
    .unwrap();
    let mut again = outcome_of(&[moved.to_str().unwrap()]);
    jixiao::baseline::load(&before).unwrap().apply(&mut again);
    use jixiao::diagnostic::Baseline::{New, Persisting};
    let state = |rule: &str| {
        again.reports[0]
            .findings
            .iter()
            .find(|f| f.rule == rule)
            .and_then(|f| f.baseline)
    };
    assert_eq!(
        state("execution-rate-bounds"),
        Some(Persisting),
        "matched by path, not line"
    );
    assert_eq!(state("section-numbering"), Some(Persisting));
    assert_eq!(
        state("total-score-sum"),
        Some(New),
        "the changed score is new"
    );
    assert!(again.reports[0].fixed.is_empty());
}
