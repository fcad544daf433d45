//! Importing submissions from text, Word and Excel: every figure of the
//! fixtures (made by python-docx and openpyxl, see
//! tests/data/import/make_fixtures.py) comes out right, checking the
//! original gives the findings of the hand-written report with labels on
//! the original's lines and cells, and no document shape crashes it.

mod common;
use common::jixiao;

use std::collections::BTreeMap;
use std::path::Path;

use jixiao::diagnostic::ReportOutcome;
use jixiao::engine::host::IMPORT_UNCERTAIN;
use jixiao::engine::{Checker, pack};
use jixiao::import::{self, Format};
use jixiao::review::{Input, Source, check_with};

const SEED_TXT: &str = "examples/jingdezhen-education-2021.txt";
const SEED_TOML: &str = "examples/jingdezhen-education-2021.toml";
const DOCX: &str = "tests/data/import/report.docx";
const XLSX: &str = "tests/data/import/self-eval.xlsx";
/// The same 自评表 as a Word table.
const DOCX_TABLE: &str = "tests/data/import/self-eval.docx";

fn checker() -> Checker {
    Checker::new(pack::embedded())
}

/// The reports a file gives, checked.
fn check_all(path: &str) -> Vec<ReportOutcome> {
    check_with(
        &checker(),
        &Source::File(Input {
            path: path.into(),
            display: path.into(),
        }),
    )
}

/// The one report a file gives, checked.
fn check(path: &str) -> ReportOutcome {
    let mut all = check_all(path);
    assert_eq!(all.len(), 1, "{path} gives one report");
    all.remove(0)
}

/// The one report a document gives, imported.
fn one(parts: Vec<import::Imported>) -> import::Imported {
    assert_eq!(parts.len(), 1, "one report");
    parts.into_iter().next().unwrap()
}

fn imported(path: &str) -> (toml::Table, import::Imported) {
    let i = one(import::import_file(Path::new(path), path).unwrap());
    (toml::from_str(&i.toml).unwrap(), i)
}

/// Text without the data paths a TOML file's findings add in brackets
/// after the form's names (`扣分原因（summary[1].deduction_reason）`):
/// what the same finding says of the original document.
fn plain(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('（') {
        out.push_str(&rest[..i]);
        let after = &rest[i + '（'.len_utf8()..];
        match after.find('）') {
            Some(j)
                if after[..j]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_.[]".contains(c)) =>
            {
                rest = &after[j + '）'.len_utf8()..];
            }
            _ => {
                out.push('（');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// rule, data path of the first label, message, help: what a finding says
/// (as the original document's reader reads it).
fn said(r: &ReportOutcome) -> Vec<(String, String, String, Option<String>)> {
    let mut v: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.rule != IMPORT_UNCERTAIN)
        .map(|f| {
            (
                f.rule.clone(),
                f.labels[0].path.clone(),
                plain(&f.message),
                f.help.as_deref().map(plain),
            )
        })
        .collect();
    v.sort();
    v
}

/// rule and the place of its first label, in report order.
fn places(r: &ReportOutcome) -> Vec<(String, String)> {
    r.findings
        .iter()
        .map(|f| {
            let l = &f.labels[0];
            // A text file's own line and column; another document's place
            // by the reference its reader counts by.
            let at = match (&l.location, r.imported_from) {
                (Some(p), Some(f)) if f != "text" => p.reference(),
                _ => format!("{}:{}", l.line, l.column),
            };
            (f.rule.clone(), at)
        })
        .collect()
}

/// What an import noted, each with the place it names.
fn notes_at(i: &import::Imported) -> Vec<(&str, String)> {
    i.notes
        .iter()
        .map(|n| {
            let place = n
                .origin
                .as_ref()
                .map_or(String::new(), |o| o.at.to_string());
            (n.message.as_str(), place)
        })
        .collect()
}

/// The headings of a report's sections, in order.
fn headings(t: &toml::Table) -> Vec<String> {
    t["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["heading"].as_str().unwrap().to_string())
        .collect()
}

fn owned(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn seed_text_gives_the_findings_of_the_hand_written_example() {
    let txt = check(SEED_TXT);
    let toml = check(SEED_TOML);
    assert!(txt.errors.is_empty(), "{:?}", txt.errors);
    assert_eq!(said(&txt), said(&toml));
    let rules: Vec<&str> = txt.findings.iter().map(|f| f.rule.as_str()).collect();
    for r in [
        "execution-rate-bounds",
        "deduction-explained",
        "section-numbering",
    ] {
        assert!(rules.contains(&r), "{r}: {rules:?}");
    }
    // Every label marks, on the seed's own line, the text the hand-written
    // example has at that path.
    let file = std::fs::read_to_string(SEED_TXT).unwrap();
    assert_eq!(&*txt.source, file);
    for ft in txt.findings.iter().filter(|f| f.rule != IMPORT_UNCERTAIN) {
        let fh = toml
            .findings
            .iter()
            .find(|h| h.rule == ft.rule && h.message == ft.message)
            .unwrap();
        for l in &ft.labels {
            let h = fh.labels.iter().find(|h| h.path == l.path).unwrap();
            let want = toml.source[h.span.clone()].trim_matches('"');
            assert_eq!(&file[l.span.clone()], want, "{} {}", ft.rule, l.path);
            let line = file[..l.span.start].matches('\n').count() + 1;
            assert_eq!(l.line, line);
            let place = l.location.as_ref().unwrap();
            assert_eq!(place.line, Some(line), "a text file's place is its line");
            assert!(
                place.text.starts_with(&format!("第 {line} 行")),
                "{}",
                place.text
            );
        }
    }
    assert_eq!(
        places(&txt),
        owned(&[
            (IMPORT_UNCERTAIN, "1:3"),
            ("section-numbering", "24:2"),
            ("execution-rate-bounds", "31:36"),
            ("section-numbering", "39:2"),
            ("section-numbering", "52:2"),
            ("deduction-explained", "66:2"),
            ("section-numbering", "80:2"),
            ("section-numbering", "82:2"),
        ])
    );
    // The one thing the import could not find is said, not invented.
    let note = &txt.findings[0];
    assert!(note.message.contains("没有报告标题"), "{}", note.message);
    assert!(
        note.message.contains("年度取自第 31 行"),
        "{}",
        note.message
    );
}

#[test]
fn the_seed_pasted_into_word_gives_the_same_findings() {
    // LibreOffice's import of the seed text: one paragraph per line, the
    // summary table one cell per paragraph, as a report pasted from a PDF.
    let word = check("tests/data/import/libreoffice/seed.docx");
    assert!(word.errors.is_empty(), "{:?}", word.errors);
    assert_eq!(said(&word), said(&check(SEED_TOML)));
    let at: Vec<String> = places(&word).into_iter().map(|(_, p)| p).collect();
    assert_eq!(
        at,
        [
            "段落 1",
            "段落 24",
            "段落 31",
            "段落 39",
            "段落 52",
            "段落 66",
            "段落 80",
            "段落 82"
        ]
    );
}

#[test]
fn seed_text_imports_the_values_of_the_hand_written_example() {
    let (got, i) = imported(SEED_TXT);
    let hand: toml::Table = toml::from_str(&std::fs::read_to_string(SEED_TOML).unwrap()).unwrap();
    for key in [
        "kind",
        "department",
        "year",
        "unit",
        "budget",
        "summary",
        "total",
        "problems",
        "measures",
    ] {
        assert_eq!(got[key], hand[key], "{key}");
    }
    assert_eq!(got["title"].as_str(), Some(""), "no title is invented");
    assert_eq!(headings(&got), headings(&hand));
    assert!(
        i.toml.contains("executed = 66941.43  # 第 31 行"),
        "{}",
        i.toml
    );
    assert!(i.toml.contains("title = \"\"  # 原文中未找到"));
}

#[test]
fn excel_self_evaluation_imports_every_figure() {
    let (mut t, i) = imported(XLSX);
    // What the form's headers call the columns, for the findings' words.
    let names = t.remove("names").unwrap();
    assert_eq!(
        names["indicators.deviation"].as_str(),
        Some("偏差原因分析及改进措施")
    );
    assert_eq!(names["budget.adjusted"].as_str(), Some("全年预算数"));
    assert!(
        names.get("budget.score").is_none(),
        "a bare 得分 names nothing"
    );
    let expected: toml::Table = toml::from_str(
        r#"
format = "jixiao-report/1"
kind = "project"
title = "项目支出绩效自评表"
department = "浮梁县教育体育局"
project = "农村义务教育学生营养改善计划"
year = 2021
unit = "万元"

[budget]
initial = 500
adjusted = 520
executed = 494
weight = 10
rate = "95.00%"
score = 9.5

[[budget.sources]]
name = "当年财政拨款"
initial = 450
adjusted = 470
executed = 450

[[budget.sources]]
name = "其他资金"
initial = 50
adjusted = 50
executed = 44

[total]
weight = 100
score = 99.5

[[indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "受益学生人数"
target = "≥12000人"
actual = "12350人"
weight = 15
score = 15

[[indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "供餐学校覆盖率"
target = "100%"
actual = "100%"
weight = 15
score = 15

[[indicators]]
level1 = "产出指标"
level2 = "质量指标"
name = "食品安全事故"
target = "0起"
actual = "0起"
weight = 10
score = 10

[[indicators]]
level1 = "产出指标"
level2 = "时效指标"
name = "资金拨付及时率"
target = "≥95%"
actual = "90%"
weight = 10
score = 8

[[indicators]]
level1 = "效益指标"
level2 = "社会效益指标"
name = "学生营养健康水平"
target = "逐步提升"
actual = "有所提升"
weight = 20
score = 20

[[indicators]]
level1 = "效益指标"
level2 = "可持续影响指标"
name = "长效机制建立"
target = "建立"
actual = "已建立"
weight = 10
score = 10

[[indicators]]
level1 = "满意度指标"
level2 = "服务对象满意度指标"
name = "家长满意度"
target = "≥90%"
actual = "93%"
weight = 10
score = 12
"#,
    )
    .unwrap();
    assert_eq!(t, expected, "{}", i.toml);
    assert!(i.notes.is_empty(), "{:?}", i.notes);
    let at = |p: &str| i.origins[p].at.to_string();
    assert_eq!(at("budget.rate"), "自评表!H6");
    assert_eq!(at("indicators[3].score"), "自评表!H15");
    // A 一级指标 merged over four rows belongs to each, at the merged cell.
    assert_eq!(at("indicators[3].level1"), "自评表!B12");
    assert_eq!(at("total.score"), "自评表!H19");
    assert!(i.toml.contains("score = 8  # 自评表!H15"));
}

#[test]
fn word_self_evaluation_table_imports_like_the_excel_one() {
    let (word, i) = imported(DOCX_TABLE);
    let (excel, _) = imported(XLSX);
    assert_eq!(word, excel, "{}", i.toml);
    assert!(i.notes.is_empty(), "{:?}", i.notes);
    let at = |p: &str| i.origins[p].at.to_string();
    assert_eq!(at("budget.rate"), "表 1 第 6 行第 8 列");
    // Merged vertically (vMerge) over four rows, horizontally (gridSpan)
    // over the first six columns of the 总分 row.
    assert_eq!(at("indicators[3].level1"), "表 1 第 12 行第 2 列");
    assert_eq!(at("total.score"), "表 1 第 19 行第 8 列");
    let r = check(DOCX_TABLE);
    assert_eq!(
        places(&r),
        owned(&[
            ("budget-adjustment-explained", "表 1 第 6 行第 5 列"),
            ("deviation-explained", "表 1 第 15 行第 6 列"),
            ("deduction-explained", "表 1 第 15 行第 8 列"),
            ("score-within-weight", "表 1 第 18 行第 8 列"),
        ])
    );
}

#[test]
fn a_formula_without_its_result_is_noted_not_guessed() {
    // openpyxl saves =F6/E6 without calculating it, as some systems do.
    let (t, i) = imported("tests/data/import/formula.xlsx");
    assert!(t["budget"].get("rate").is_none(), "{}", i.toml);
    assert_eq!(i.notes.len(), 1);
    assert!(
        i.notes[0]
            .message
            .starts_with("单元格 自评表!H6 是公式 =F6/E6")
    );
    let r = check("tests/data/import/formula.xlsx");
    let note = r
        .findings
        .iter()
        .find(|f| f.rule == IMPORT_UNCERTAIN)
        .unwrap();
    assert_eq!(
        note.labels[0].location.as_ref().unwrap().reference(),
        "自评表!H6"
    );
    assert_eq!(&r.source[note.labels[0].span.clone()], "=F6/E6");
}

#[test]
fn a_workbook_of_two_projects_gives_a_report_for_each() {
    const TWO: &str = "tests/data/import/two-projects.xlsx";
    let parts = import::import_file(Path::new(TWO), TWO).unwrap();
    let sheets: Vec<Option<&str>> = parts.iter().map(|p| p.part.as_deref()).collect();
    assert_eq!(sheets, [Some("自评表"), Some("项目二")]);
    let first: toml::Table = toml::from_str(&parts[0].toml).unwrap();
    let (alone, _) = imported(XLSX);
    assert_eq!(first, alone, "the first sheet reads as it does alone");
    let second: toml::Table = toml::from_str(&parts[1].toml).unwrap();
    assert_eq!(second["project"].as_str(), Some("义务教育薄弱环节改善项目"));
    assert!(
        parts.iter().all(|p| p.notes.is_empty()),
        "nothing merged, nothing noted"
    );
    assert!(
        parts[1]
            .toml
            .starts_with(&format!("# 由 jixiao import 从Excel 工作簿“{TWO}#项目二”")),
        "{}",
        &parts[1].toml[..200]
    );

    let reports = check_all(TWO);
    let paths: Vec<&str> = reports.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, [format!("{TWO}#自评表"), format!("{TWO}#项目二")]);
    for r in &reports {
        let sheet = r.path.rsplit('#').next().unwrap();
        for f in &r.findings {
            for l in &f.labels {
                let at = l.place().unwrap_or_default();
                assert!(at.starts_with(&format!("{sheet}!")), "{}: {at}", r.path);
            }
        }
    }
}

#[test]
fn a_cell_at_the_far_end_of_a_sheet_does_not_exhaust_memory() {
    // A1 and XFD1048576 span 17 billion cells: calamine's dense range for
    // this sheet would not fit in memory, so cells are streamed.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .write(0, 0, "示例局2023年度项目支出绩效自评表")
        .unwrap();
    sheet.write(1_048_575, 16_383, "边角").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let i = one(import::import_bytes(Format::Xlsx, "far.xlsx", &bytes).unwrap());
    let t: toml::Table = toml::from_str(&i.toml).unwrap();
    assert_eq!(
        t["title"].as_str(),
        Some("示例局2023年度项目支出绩效自评表")
    );
    assert!(
        !i.display.contains("边角"),
        "cells past the bounds are left out"
    );
}

#[test]
fn word_tables_past_the_bounds_are_cut_not_grown() {
    // 300 cells spanning 64 columns each, and 6,000 rows: kept to 64
    // columns and 5,000 rows instead of a grid of millions.
    let wide: String = (0..300)
        .map(|i| format!(r#"<w:tc><w:tcPr><w:gridSpan w:val="64"/></w:tcPr><w:p><w:r><w:t>宽{i}</w:t></w:r></w:p></w:tc>"#))
        .collect();
    let tall: String = (0..6000)
        .map(|i| format!("<w:tr><w:tc><w:p><w:r><w:t>行{i}</w:t></w:r></w:p></w:tc></w:tr>"))
        .collect();
    let doc = format!(
        r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>示例局2023年度部门整体支出绩效自评报告</w:t></w:r></w:p><w:tbl><w:tr>{wide}</w:tr>{tall}</w:tbl></w:body></w:document>"#
    );
    let bytes = docx_of(&[("word/document.xml", &doc)]);
    let i = one(import::import_bytes(Format::Docx, "big.docx", &bytes).unwrap());
    assert!(
        i.display.contains("[第 1 行第 1 列] 宽0\n"),
        "{}",
        &i.display[..300]
    );
    assert!(!i.display.contains("宽1"), "宽0 spans the 64 columns kept");
    assert!(i.display.contains("] 行4998\n"));
    assert!(!i.display.contains("行4999"), "no row past 5,000");
}

#[test]
fn documents_saved_by_libreoffice_import_like_their_originals() {
    // The same fixtures opened in LibreOffice 7.4 and saved again: another
    // suite's styles, numbering definitions, merge markup and shared
    // strings, as Word and WPS files have their own.
    for name in ["report.docx", "self-eval.docx", "self-eval.xlsx"] {
        let (original, _) = imported(&format!("tests/data/import/{name}"));
        let (saved, i) = imported(&format!("tests/data/import/libreoffice/{name}"));
        assert_eq!(saved, original, "{name}: {}", i.toml);
        assert!(i.notes.is_empty(), "{name}: {:?}", i.notes);
    }
    // LibreOffice calculated the formula openpyxl left without a result,
    // so the rate is there and nothing is uncertain.
    let (saved, i) = imported("tests/data/import/libreoffice/formula.xlsx");
    let (complete, _) = imported(XLSX);
    assert_eq!(saved, complete, "{}", i.toml);
    assert!(i.notes.is_empty(), "{:?}", i.notes);
    let r = check("tests/data/import/libreoffice/report.docx");
    assert_eq!(places(&r), places(&check(DOCX)));
}

#[test]
fn excel_findings_point_at_their_cells() {
    let r = check(XLSX);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(
        places(&r),
        owned(&[
            ("budget-adjustment-explained", "自评表!E6"),
            ("deviation-explained", "自评表!F15"),
            ("deduction-explained", "自评表!H15"),
            ("score-within-weight", "自评表!H18"),
        ])
    );
    let over = r
        .findings
        .iter()
        .find(|f| f.rule == "score-within-weight")
        .unwrap();
    assert_eq!(over.message, "指标「家长满意度」得分 12 超过分值 10");
    // The human output shows the cells around the value.
    let out = jixiao()
        .args(["check", XLSX, "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("[自评表!H18] 12"), "{text}");
    assert!(
        text.contains("[自评表!G18] 10"),
        "the weight beside it: {text}"
    );
}

#[test]
fn word_report_imports_every_figure() {
    let (t, i) = imported(DOCX);
    let get = |path: &str| -> toml::Value {
        let mut v = toml::Value::Table(t.clone());
        for part in path.split('.') {
            v = match part.split_once('[') {
                Some((k, n)) => v[k][n.trim_end_matches(']').parse::<usize>().unwrap()].clone(),
                None => v[part].clone(),
            };
        }
        v
    };
    let text = |p: &str| get(p).as_str().unwrap().to_string();
    let num = |p: &str| {
        get(p)
            .as_float()
            .or(get(p).as_integer().map(|i| i as f64))
            .unwrap()
    };
    assert_eq!(text("kind"), "department");
    assert_eq!(
        text("title"),
        "浮梁县财政局2022年度部门整体支出绩效自评报告"
    );
    assert_eq!(text("department"), "浮梁县财政局");
    assert_eq!(get("year").as_integer(), Some(2022));
    assert_eq!(num("budget.initial"), 1200.5);
    assert_eq!(num("budget.adjusted"), 1350.0);
    assert_eq!(num("budget.executed"), 1282.5);
    assert_eq!(text("budget.rate"), "96.00%");
    let rows = [
        ("决策", 20.0, 20.0, "100%"),
        ("过程", 20.0, 17.0, "85%"),
        ("产出", 40.0, 37.0, "92.5%"),
        ("效益", 20.0, 19.0, "95%"),
    ];
    assert_eq!(t["summary"].as_array().unwrap().len(), rows.len());
    for (k, (name, weight, score, rate)) in rows.iter().enumerate() {
        assert_eq!(text(&format!("summary[{k}].name")), *name);
        assert_eq!(num(&format!("summary[{k}].weight")), *weight);
        assert_eq!(num(&format!("summary[{k}].score")), *score);
        assert_eq!(text(&format!("summary[{k}].score_rate")), *rate);
    }
    // One reason merged over the rows of 过程 and 产出 belongs to both.
    let reason = "资金支付进度偏慢，部分产出指标未按期完成";
    assert_eq!(text("summary[1].deduction_reason"), reason);
    assert_eq!(text("summary[2].deduction_reason"), reason);
    assert!(t["summary"][3].get("deduction_reason").is_none());
    assert_eq!(num("total.weight"), 100.0);
    assert_eq!(num("total.score"), 93.0);
    assert_eq!(text("total.score_rate"), "93%");
    assert_eq!(text("total.grade"), "优");
    assert_eq!(text("problems[1].id"), "2");
    assert_eq!(text("problems[1].title"), "绩效目标设置不够细化。");
    assert_eq!(text("problems[1].detail"), "部分指标难以量化考核。");
    // Word's own list numbers (List Number style) are read as printed.
    assert_eq!(text("measures[1].id"), "2");
    assert_eq!(text("measures[0].title"), "提高预算编制精准度。");
    assert!(
        i.display.contains("[第 1 段] 1.提高预算编制精准度。"),
        "{}",
        i.display
    );
    let headings = headings(&t);
    assert_eq!(
        headings,
        [
            "一、部门基本情况",
            "（一）部门概况",
            "（二）部门预算及执行情况",
            "二、部门整体支出绩效实现情况",
            "三、存在的问题及改进措施",
            "（一）存在的问题",
            "（二）改进措施",
            "四、绩效自评结果应用和公开情况",
        ]
    );
    assert!(i.notes.is_empty(), "{:?}", i.notes);
    let at = |p: &str| i.origins[p].at.to_string();
    assert_eq!(at("budget.executed"), "段落 6");
    assert_eq!(at("summary[1].score"), "表 1 第 4 行第 3 列");
    assert_eq!(at("summary[2].deduction_reason"), "表 1 第 4 行第 5 列");
    assert_eq!(at("total.grade"), "段落 8");
}

#[test]
fn word_findings_point_at_their_paragraphs_and_cells() {
    let r = check(DOCX);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(
        places(&r),
        owned(&[
            ("budget-adjustment-explained", "段落 6"),
            ("execution-rate-consistent", "段落 6"),
            ("deduction-explained", "表 1 第 6 行第 3 列"),
        ])
    );
    let rate = &r.findings[1];
    assert_eq!(
        rate.message,
        "预算执行率印为 96.00%，按执行数 1282.5 ÷ 调整后预算数 1350 计算为 95%"
    );
    // Each label marks the value itself in the paragraph's text.
    for l in &rate.labels {
        let marked = &r.source[l.span.clone()];
        assert!(
            ["96.00%", "1282.50", "1350.00"].contains(&marked),
            "{marked}"
        );
    }
    let json = jixiao()
        .args(["check", DOCX, "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["reports"][0]["imported_from"], "docx");
    let label = &v["reports"][0]["diagnostics"][1]["labels"][0];
    assert_eq!(label["place"]["paragraph"], 6);
    let place = label["location"].as_str().unwrap();
    assert!(
        place.ends_with("第 2 段：“2021年度，部门年初预算数为1350.00…”") || place.contains("段："),
        "{place}"
    );
}

#[test]
fn import_writes_toml_that_checks_like_the_original() {
    let dir = tempfile();
    let out = dir.join("report.toml");
    let before = std::fs::read(DOCX).unwrap();
    let run = jixiao()
        .args(["import", DOCX, "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        std::fs::read(DOCX).unwrap(),
        before,
        "the original is untouched"
    );
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("rate = \"96.00%\"  # 段落 6"), "{written}");
    let from_toml = check(out.to_str().unwrap());
    let direct = check(DOCX);
    assert_eq!(said(&from_toml), said(&direct));

    // No overwriting without --force, never the original.
    let again = jixiao()
        .args(["import", DOCX, "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    let forced = jixiao()
        .args(["import", DOCX, "--force", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(forced.status.code(), Some(0));
    let copy = dir.join("copy.txt");
    std::fs::copy(SEED_TXT, &copy).unwrap();
    let onto = jixiao()
        .args(["import", "--force", "-o"])
        .arg(&copy)
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(onto.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&copy).unwrap(),
        std::fs::read_to_string(SEED_TXT).unwrap()
    );

    // To stdout, with what needs checking on stderr.
    let seed = jixiao().args(["import", SEED_TXT]).output().unwrap();
    assert_eq!(seed.status.code(), Some(0));
    let toml_text = String::from_utf8(seed.stdout).unwrap();
    assert!(toml_text.starts_with("# 由 jixiao import 从文本"));
    assert!(String::from_utf8_lossy(&seed.stderr).contains("没有报告标题"));
    // `-o -` is standard output too, never a file named "-".
    let dash = jixiao()
        .current_dir(&dir)
        .args(["import", "-o", "-"])
        .arg(std::fs::canonicalize(SEED_TXT).unwrap())
        .output()
        .unwrap();
    assert_eq!(dash.status.code(), Some(0));
    let body = |t: &str| t.split_once('\n').map(|(_, b)| b.to_string());
    assert_eq!(
        body(&String::from_utf8(dash.stdout).unwrap()),
        body(&toml_text),
        "the same, but for the path in the first line"
    );
    assert!(!dir.join("-").exists());
}

/// A fresh directory under the target directory.
fn tempfile() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "jixiao-import-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn documents_that_cannot_be_read_are_exit_2_and_do_not_stop_a_batch() {
    let dir = tempfile();
    std::fs::write(dir.join("broken.docx"), b"PK\x03\x04 not really a zip").unwrap();
    std::fs::write(dir.join("broken.xlsx"), b"hello").unwrap();
    std::fs::write(dir.join("old.doc"), b"\xd0\xcf\x11\xe0").unwrap();
    std::fs::write(dir.join("~$lock.docx"), b"owner").unwrap();
    std::fs::copy(DOCX, dir.join("good.docx")).unwrap();
    let out = jixiao()
        .arg("check")
        .arg(&dir)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reports = v["reports"].as_array().unwrap();
    let names: Vec<&str> = reports
        .iter()
        .map(|r| r["path"].as_str().unwrap().rsplit('/').next().unwrap())
        .collect();
    // Lock files are listed as skipped; the .doc (four bytes of an OLE
    // signature) is an error entry that says it is damaged and what to
    // do; the good document is checked.
    assert_eq!(
        names,
        ["broken.docx", "broken.xlsx", "good.docx", "old.doc"]
    );
    assert_eq!(reports[0]["errors"][0]["code"], "jixiao::import::docx");
    assert_eq!(reports[0]["imported_from"], "docx");
    assert_eq!(reports[1]["errors"][0]["code"], "jixiao::import::xlsx");
    assert_eq!(reports[2]["status"], "fail");
    assert_eq!(reports[3]["errors"][0]["code"], "jixiao::import::corrupt");

    let doc = jixiao()
        .arg("import")
        .arg(dir.join("old.doc"))
        .output()
        .unwrap();
    assert_eq!(doc.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&doc.stderr).contains("另存为 .docx"));

    let missing = jixiao()
        .arg("import")
        .arg(dir.join("nope.docx"))
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("无法读取文件"));
    let nowhere = jixiao()
        .args(["import", SEED_TXT, "-o"])
        .arg(dir.join("no-such-dir").join("out.toml"))
        .output()
        .unwrap();
    assert_eq!(nowhere.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&nowhere.stderr).contains("写出结果到"));
}

#[test]
fn a_document_without_a_year_is_not_given_one() {
    let dir = tempfile();
    let f = dir.join("no-year.txt");
    std::fs::write(&f, "某某局部门整体支出绩效自评报告\n一、部门概况\n正文。\n").unwrap();
    let imp = jixiao().arg("import").arg(&f).output().unwrap();
    assert_eq!(imp.status.code(), Some(1));
    let text = String::from_utf8(imp.stdout).unwrap();
    assert!(text.contains("找不到评价年度"), "{text}");
    assert!(!text.contains("\nyear ="));
    let chk = jixiao().arg("check").arg(&f).output().unwrap();
    assert_eq!(chk.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&chk.stdout).contains("找不到评价年度"));
}

#[test]
fn markdown_reports_with_pipe_tables() {
    let md = "# 示例局2023年度部门整体支出绩效自评报告\n\n## 一、部门概况\n\n示例局是县政府工作部门。\n\n\
              ## 二、部门整体支出绩效实现情况\n\n年初预算数为100万元，全年执行数为90万元，预算执行率为90%。\n\n\
              | 一级指标 | 权重分 | 得分 | 扣分原因 |\n|---|---|---|---|\n| 决策 | 20 | 20 | |\n| 过程 | 80 | 70 | 进度慢 |\n| 合计 | 100 | 90 | |\n\n\
              自评得分90分，绩效评级为优。\n";
    let i = one(import::import_bytes(Format::Text, "r.md", md.as_bytes()).unwrap());
    let t: toml::Table = toml::from_str(&i.toml).unwrap();
    assert_eq!(
        t["title"].as_str(),
        Some("示例局2023年度部门整体支出绩效自评报告")
    );
    assert_eq!(t["department"].as_str(), Some("示例局"));
    assert_eq!(t["year"].as_integer(), Some(2023));
    assert_eq!(t["summary"][1]["deduction_reason"].as_str(), Some("进度慢"));
    assert_eq!(t["total"]["score"].as_integer(), Some(90));
    assert_eq!(t["total"]["grade"].as_str(), Some("优"));
    assert_eq!(t["budget"]["rate"].as_str(), Some("90%"));
    assert_eq!(
        t["sections"][1]["heading"].as_str(),
        Some("二、部门整体支出绩效实现情况")
    );
    assert_eq!(i.origins["summary[1].score"].at.to_string(), "第 14 行");
}

#[test]
fn a_title_in_two_lines_is_both_lines_and_names_the_department_above_it() {
    let text =
        "景德镇市教育局\n2021年度部门整体支出绩效自评报告\n一、部门概况\n本局负责全市教育工作。\n";
    let i = one(import::import_bytes(Format::Text, "t.txt", text.as_bytes()).unwrap());
    let t: toml::Table = toml::from_str(&i.toml).unwrap();
    // Both lines: a notice or an overview names the report as it is titled.
    assert_eq!(
        t["title"].as_str(),
        Some("景德镇市教育局2021年度部门整体支出绩效自评报告")
    );
    assert_eq!(i.origins["title"].at.to_string(), "第 1 行 至 第 2 行");
    assert_eq!(t["department"].as_str(), Some("景德镇市教育局"));
    assert_eq!(i.origins["department"].at.to_string(), "第 1 行");
}

#[test]
fn a_grade_in_a_labelled_cell() {
    let md = "# 示例局2023年度甲项目支出绩效自评报告\n\n| 项目名称 | 甲项目 |\n|---|---|\n| 自评等级 | 良 |\n| 备注 | 等级说明 |\n";
    let i = one(import::import_bytes(Format::Text, "g.md", md.as_bytes()).unwrap());
    let t: toml::Table = toml::from_str(&i.toml).unwrap();
    assert_eq!(t["kind"].as_str(), Some("project"));
    assert_eq!(t["project"].as_str(), Some("甲项目"));
    assert_eq!(t["total"]["grade"].as_str(), Some("良"));
    assert_eq!(i.origins["total.grade"].at.to_string(), "第 5 行");
}

#[test]
fn uncertain_values_are_noted_where_they_were_found() {
    let text = "示例局2023年度部门整体支出绩效自评报告\n\
                一、预算执行\n年初预算数为100万元，全年执行数为90万元。\n后文又写年初预算数为120万元。\n\
                一级指标\t权重\t得分\n决策\t二十\t20\n合计\t100\t95\n\
                自评得分为96分。\n\
                三、存在的问题\n预算编制不准，追加较多。\n\
                附表\n一级指标\t权重\t得分\n产出\t50\t50\n";
    let i = one(import::import_bytes(Format::Text, "u.txt", text.as_bytes()).unwrap());
    let noted = notes_at(&i);
    let notes: BTreeMap<&str, &str> = noted.iter().map(|(m, p)| (*m, p.as_str())).collect();
    assert_eq!(
        notes,
        BTreeMap::from([
            ("“二十”应为数字，未导入", "第 6 行"),
            (
                "“年初预算数”出现了不同的数额：已取前文的 100，此处为 120",
                "第 4 行"
            ),
            ("正文中的总分 96 与表中的 95 不同；已取表中的 95", "第 8 行"),
            ("“三、存在的问题”下的问题没有编号，作为 1 条导入", "第 9 行"),
            (
                "发现第二张一级指标得分汇总表，未导入（已导入前一张）",
                "第 12 行"
            ),
        ])
    );
    let t: toml::Table = toml::from_str(&i.toml).unwrap();
    assert_eq!(t["budget"]["initial"].as_integer(), Some(100));
    assert!(t["summary"][0].get("weight").is_none(), "not invented");
    assert_eq!(t["summary"].as_array().unwrap().len(), 1);
    let problems = t["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "附表 closes the section: {problems:?}");
    assert_eq!(
        problems[0]["title"].as_str(),
        Some("预算编制不准，追加较多。")
    );
    assert!(i.toml.contains("# 注意：“二十”应为数字，未导入（第 6 行）"));
}

/// A Word document made of its parts, for shapes no fixture has.
fn docx_of(parts: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn headings_numbered_by_word_carry_their_numbers() {
    let styles = r#"<w:styles xmlns:w="w">
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="7"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Steps"><w:name w:val="steps"/><w:pPr><w:numPr><w:numId w:val="8"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="MySteps"><w:name w:val="my steps"/><w:basedOn w:val="Steps"/></w:style>
</w:styles>"#;
    let numbering = r#"<w:numbering xmlns:w="w">
<w:abstractNum w:abstractNumId="0">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
</w:abstractNum>
<w:num w:numId="7"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="8"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>"#;
    let p = |style: &str, text: &str| {
        format!(
            r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    };
    let body = [
        p("Normal", "示例局2023年度部门整体支出绩效自评报告"),
        p("1", "部门基本情况"),
        p("2", "部门概况"),
        p("2", "预算执行情况"),
        p("1", "存在的问题及改进措施"),
        p("2", "存在的问题"),
        // A cell whose paragraphs a style (through the one it is based on)
        // numbers.
        format!(
            "<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}{}</w:tc></w:tr></w:tbl>",
            p("Normal", "偏差原因"),
            p("MySteps", "原因一"),
            p("MySteps", "原因二")
        ),
    ]
    .concat();
    let doc = format!(r#"<w:document xmlns:w="w"><w:body>{body}</w:body></w:document>"#);
    let bytes = docx_of(&[
        ("word/document.xml", &doc),
        ("word/styles.xml", styles),
        ("word/numbering.xml", numbering),
    ]);
    let i = one(import::import_bytes(Format::Docx, "n.docx", &bytes).unwrap());
    let t: toml::Table = toml::from_str(&i.toml).unwrap();
    let headings = headings(&t);
    assert!(i.display.contains("] 1.原因一 2.原因二\n"), "{}", i.display);
    assert_eq!(
        headings,
        [
            "一、部门基本情况",
            "（一）部门概况",
            "（二）预算执行情况",
            "二、存在的问题及改进措施",
            "（一）存在的问题"
        ]
    );
}

mod never_crashes {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of real reports, to make texts of unexpected shape.
    const TEXT: &[&str] = &[
        "一、",
        "（二）",
        "(三)",
        "1.",
        "2、",
        "（1）",
        "一是",
        "部门概况",
        "存在的问题",
        "改进措施",
        "情况",
        "。",
        "，",
        "：",
        "\n",
        "\n",
        "\t",
        "|",
        " ",
        "\u{3000}",
        "2021年",
        "2022年度",
        "预算数为",
        "执行数为",
        "执行率为",
        "51283.47",
        "万元",
        "元",
        "98%",
        "得分为",
        "98分",
        "绩效评级为“优”",
        "一级指标",
        "权重分",
        "得分",
        "得分率",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "合计",
        "总分",
        "决策",
        "15",
        "1,350.00",
        "---",
        "# ",
        "景德镇市教育局是",
        "项目名称：",
        "主管部门",
        "\r\n",
        "\"",
        "\\",
        "\u{7}",
        "\u{feff}",
        "𠀀",
    ];

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(TEXT), 0..120).prop_map(|v| v.concat())
    }

    fn docx(body: &str) -> Vec<u8> {
        let doc = format!(
            r#"<?xml version="1.0"?><w:document xmlns:w="w"><w:body>{body}</w:body></w:document>"#
        );
        docx_of(&[("word/document.xml", &doc)])
    }

    const XML: &[&str] = &[
        "<w:p>",
        "</w:p>",
        "<w:r><w:t>",
        "</w:t></w:r>",
        "<w:tbl>",
        "</w:tbl>",
        "<w:tr>",
        "</w:tr>",
        "<w:tc>",
        "</w:tc>",
        "<w:vMerge/>",
        r#"<w:vMerge w:val="restart"/>"#,
        r#"<w:gridSpan w:val="3"/>"#,
        r#"<w:gridSpan w:val="-7"/>"#,
        r#"<w:gridSpan w:val="99999"/>"#,
        r#"<w:pStyle w:val="Heading1"/>"#,
        "<w:tab/>",
        "<w:br/>",
        "&amp;",
        "&#x4e00;",
        "&bogus;",
        "一、概况",
        "合计",
        "一级指标",
        "权重",
        "得分",
        "20",
        "2021年",
        "<w:t/>",
        "<mc:Fallback>",
        "</mc:Fallback>",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn text_imports_to_toml_that_parses(t in text()) {
            let i = import::import_bytes(Format::Text, "p.txt", t.as_bytes()).map(one);
            let Ok(i) = i else { return Ok(()) };
            let parsed: Result<toml::Table, _> = toml::from_str(&i.toml);
            prop_assert!(parsed.is_ok(), "{}", i.toml);
            for o in i.origins.values() {
                prop_assert!(o.span.start <= o.span.end && o.span.end <= i.display.len());
                prop_assert!(i.display.is_char_boundary(o.span.start) && i.display.is_char_boundary(o.span.end));
            }
            if i.has_year {
                let loaded = jixiao::report::load_bytes("p.toml", i.toml.as_bytes(), Default::default());
                prop_assert!(loaded.is_ok(), "{}", i.toml);
            }
        }

        #[test]
        fn word_documents_of_any_shape_import_or_fail_cleanly(
            parts in prop::collection::vec(prop::sample::select(XML), 0..80)
        ) {
            let bytes = docx(&parts.concat());
            if let Ok(i) = import::import_bytes(Format::Docx, "p.docx", &bytes).map(one) {
                prop_assert!(toml::from_str::<toml::Table>(&i.toml).is_ok(), "{}", i.toml);
            }
        }

        #[test]
        fn bytes_are_no_workbook(b in prop::collection::vec(any::<u8>(), 0..400)) {
            prop_assert!(import::import_bytes(Format::Xlsx, "p.xlsx", &b).is_err());
            let _ = import::import_bytes(Format::Docx, "p.docx", &b);
        }
    }
}

#[test]
fn the_import_check_is_explained_like_a_rule() {
    let out = jixiao()
        .args(["rules", "explain", IMPORT_UNCERTAIN])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("import-uncertain — 导入时无法确定的内容"),
        "{text}"
    );
    let typo = jixiao()
        .args(["rules", "explain", "import-uncertan"])
        .output()
        .unwrap();
    assert_eq!(typo.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&typo.stderr).contains("import-uncertain"));
}

/// Inputs fuzzing found (tests/data/import/fuzzed): a cell of 250 digits
/// was written as a TOML integer, and a sheet name holding a control
/// character went into a comment; each import now writes TOML that loads.
#[test]
fn fuzzed_workbooks_import_to_toml_that_loads() {
    for entry in std::fs::read_dir("tests/data/import/fuzzed").unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let parts = import::import_bytes(Format::Xls, "fuzzed.xls", &bytes).unwrap();
        assert!(!parts.is_empty());
        for i in parts {
            assert!(
                toml::from_str::<toml::Table>(&i.toml).is_ok(),
                "{}: {}",
                path.display(),
                i.toml
            );
        }
    }
}

/// A table copied as text whose layout the reader does not understand: the
/// parts it seems to hold are said once for each place, never reported
/// missing (absent vs not understood).
#[test]
fn parts_seen_but_not_read_are_said_once_and_never_reported_missing() {
    let text = "某县水利局2024年度部门整体支出绩效自评报告\n一、部门基本情况\n某县水利局负责全县水利工作。\n二、部门整体支出情况\n项目      年初预算数      全年执行数\n金额      1800.00        1750.00\n三、部门整体支出绩效情况\n一级指标      分值      得分\n决策      20      20\n过程      20      19\n产出      40      38\n效益      20      18\n合计      100      95\n四、存在的问题\n（一）部分项目资金拨付进度偏慢。\n五、改进措施\n（一）加快项目资金拨付进度。\n六、绩效自评结果拟应用和公开情况\n自评结果在县政府网站公开。\n";
    let dir = common::temp_dir("unread");
    let found = |name: &str, text: &str| -> Vec<(String, String)> {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        check(path.to_str().unwrap())
            .findings
            .iter()
            .map(|f| (f.rule.clone(), f.message.clone()))
            .collect()
    };
    let seen = found("水利局.txt", text);
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(
        seen.iter().all(|(r, _)| r == "import-uncertain"),
        "{seen:?}"
    );
    assert!(
        seen[0].1.contains("预算执行数") && seen[0].1.contains("未能读出"),
        "{seen:?}"
    );
    assert!(
        seen[1].1.contains("得分汇总表") && seen[1].1.contains("总分"),
        "{seen:?}"
    );
    // A document that has no such text is still missing its parts.
    let empty = found(
        "空.txt",
        "某县水利局2024年度部门整体支出绩效自评报告\n一、部门基本情况\n本局负责全县水利工作。\n",
    );
    let missing = empty
        .iter()
        .filter(|(r, _)| r == "required-content")
        .count();
    assert!(missing >= 4, "{empty:?}");
}
