//! The corpus of realistic submissions (tests/data/import/corpus, made by
//! make_corpus.py beside it, each also saved again by LibreOffice): every
//! document checked directly (text pasted from a website is not re-saved)
//! gives exactly the findings its case lists,
//! at the places listed, and none of the rules it must keep quiet.
//! A misreading found later becomes a case here.

use std::path::Path;

use jixiao::diagnostic::ReportOutcome;
use jixiao::engine::{Checker, pack};
use jixiao::review::{Input, Source, check_with};

const DIR: &str = "tests/data/import/corpus";

/// The reports a document gives (one, or one per 自评表 sheet).
fn check(path: &Path) -> Vec<ReportOutcome> {
    let name = path.display().to_string();
    check_with(
        &Checker::new(pack::embedded()),
        &Source::File(Input {
            path: path.into(),
            display: name,
        }),
    )
}

/// Every finding of a report: rule, first label's data path and place
/// (the cell or paragraph; the line of a text).
fn said(r: &ReportOutcome) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = r
        .findings
        .iter()
        .map(|f| {
            let l = &f.labels[0];
            (
                f.rule.clone(),
                l.path.clone(),
                l.location
                    .as_ref()
                    .map_or_else(|| format!("第 {} 行", l.line), |p| p.reference()),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_document_gives_its_expected_findings() {
    let cases: toml::Table =
        toml::from_str(&std::fs::read_to_string(format!("{DIR}/cases.toml")).unwrap()).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    let all = cases["case"].as_array().unwrap();
    for case in all {
        let file = case["file"].as_str().unwrap();
        // A workbook of several 自评表 has a case for each sheet.
        let sheet = case.get("sheet").and_then(|s| s.as_str());
        let per_file = all
            .iter()
            .filter(|c| c["file"].as_str() == Some(file))
            .count();
        let mut expected: Vec<(String, String, Option<String>)> = case["fires"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let f = f.as_array().unwrap();
                (
                    f[0].as_str().unwrap().to_string(),
                    f[1].as_str().unwrap().to_string(),
                    f.get(2).map(|p| p.as_str().unwrap().to_string()),
                )
            })
            .collect();
        expected.sort();
        // Text is pasted, not saved by an office suite.
        let dirs = if file.ends_with(".txt") {
            vec![DIR.to_string()]
        } else {
            vec![DIR.to_string(), format!("{DIR}/libreoffice")]
        };
        for dir in dirs {
            let path = Path::new(&dir).join(file);
            if !path.exists() {
                failures.push(format!("{}: missing", path.display()));
                continue;
            }
            checked += 1;
            let reports = check(&path);
            if reports.len() != per_file {
                failures.push(format!(
                    "{}: {} reports, {per_file} cases",
                    path.display(),
                    reports.len()
                ));
                continue;
            }
            let r = match sheet {
                None => &reports[0],
                Some(sheet) => match reports
                    .iter()
                    .find(|r| r.path.ends_with(&format!("#{sheet}")))
                {
                    Some(r) => r,
                    None => {
                        failures.push(format!("{}: no report for sheet {sheet}", path.display()));
                        continue;
                    }
                },
            };
            if !r.errors.is_empty() {
                failures.push(format!("{}: {:?}", path.display(), r.errors));
                continue;
            }
            let got = said(r);
            let matches = got.len() == expected.len()
                && got
                    .iter()
                    .zip(&expected)
                    .all(|((rule, p, at), (er, ep, eat))| {
                        rule == er && p == ep && eat.as_ref().is_none_or(|e| at == e)
                    });
            if !matches {
                failures.push(format!(
                    "{}: expected {expected:?}\n     got {got:?}",
                    path.display()
                ));
            }
            for quiet in case["quiet"].as_array().unwrap() {
                let q = quiet.as_str().unwrap();
                if got.iter().any(|(rule, _, _)| rule == q) {
                    failures.push(format!("{}: {q} must stay quiet", path.display()));
                }
            }
            let meta = r.meta.as_ref().unwrap();
            if let Some(y) = case.get("year") {
                assert_eq!(meta.year, y.as_integer().unwrap(), "{}", path.display());
            }
            if let Some(d) = case.get("department") {
                assert_eq!(meta.department, d.as_str().unwrap(), "{}", path.display());
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 45, "{checked} documents checked");
}

/// The keys of format v1, which a reviewer of a Word or Excel document
/// never saw: no message or help on such a document may name one.
const KEYS: &[&str] = &[
    "format",
    "kind",
    "title",
    "department",
    "project",
    "year",
    "unit",
    "budget",
    "initial",
    "adjusted",
    "executed",
    "rate",
    "weight",
    "score",
    "explanation",
    "sources",
    "summary",
    "name",
    "score_rate",
    "deduction_reason",
    "total",
    "grade",
    "indicators",
    "level1",
    "level2",
    "target",
    "actual",
    "direction",
    "comparator",
    "deviation",
    "problems",
    "measures",
    "id",
    "detail",
    "addresses",
    "sections",
    "heading",
    "body",
    "waivers",
    "reason",
    "approved_by",
    "names",
    "toml",
    "TOML",
];

/// What in `text` speaks the data format rather than the document: a
/// key of format v1 as a word, a data path, `[[…]]`.
fn data_words(text: &str) -> Vec<String> {
    let mut found: Vec<String> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| KEYS.contains(w))
        .map(str::to_string)
        .collect();
    for bad in ["[[", "[0]", "]."] {
        if text.contains(bad) {
            found.push(bad.to_string());
        }
    }
    found
}

/// The quoted parts of a place: what stands between “ ” and between 「 」,
/// without the … that ends a shortened quote.
fn quotes(place: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (open, close) in [('“', '”'), ('「', '」')] {
        let mut rest = place;
        while let Some(i) = rest.find(open) {
            let after = &rest[i + open.len_utf8()..];
            let Some(j) = after.find(close) else { break };
            out.push(after[..j].trim_end_matches('…'));
            rest = &after[j + close.len_utf8()..];
        }
    }
    out
}

/// The document's own text as the readable rendering holds it: each line
/// without the place in its margin.
fn document_text(source: &str) -> String {
    source
        .lines()
        .map(
            |l| match l.strip_prefix('[').and_then(|r| r.split_once("] ")) {
                Some((_, text)) => text,
                None => l,
            },
        )
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn findings_on_documents_speak_the_documents_words_and_quote_findable_text() {
    let mut failures = Vec::new();
    let mut labels = 0;
    for dir in [
        DIR,
        "tests/data/import/corpus/libreoffice",
        "tests/data/import/converted",
    ] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !["docx", "doc", "odt", "pdf", "xlsx", "xls", "ods", "txt"].contains(&ext) {
                continue;
            }
            for r in check(&path) {
                let text = document_text(&r.source);
                for f in &r.findings {
                    for said in [Some(&f.message), f.help.as_ref()].into_iter().flatten() {
                        let bad = data_words(said);
                        if !bad.is_empty() {
                            failures.push(format!("{}: {}: {said} names {bad:?}", r.path, f.rule));
                        }
                    }
                    for l in &f.labels {
                        labels += 1;
                        let Some(place) = l.place() else {
                            failures.push(format!("{}: {} has no place", r.path, f.rule));
                            continue;
                        };
                        for q in quotes(place) {
                            if !text.contains(q) {
                                failures.push(format!(
                                    "{}: “{q}” of {place} is not in the document",
                                    r.path
                                ));
                            }
                        }
                        // A Word place quotes the document, not the reader's counts.
                        if ["docx", "doc", "odt"].contains(&ext)
                            && (place.contains("段落 ") || quotes(place).is_empty())
                        {
                            failures.push(format!("{}: {place} quotes nothing findable", r.path));
                        }
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(labels > 100, "{labels} labels looked at");
}
