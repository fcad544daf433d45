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
                    .clone()
                    .unwrap_or_else(|| format!("第 {} 行", l.line)),
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
    assert!(checked >= 39, "{checked} documents checked");
}
