//! The corpus in the other forms submissions arrive in: each document of
//! tests/data/import/corpus converted by LibreOffice (converted/convert.py)
//! to .doc, .odt and .pdf (from Word) or .xls and .ods (from Excel) gives
//! the same reports as its original, each with the same findings — rule,
//! data path and message — so a department's choice of format changes
//! nothing a reviewer reads but the places.

use std::path::Path;

use jixiao::diagnostic::ReportOutcome;
use jixiao::engine::{Checker, pack};
use jixiao::review::{Input, Source, check_with};

const CORPUS: &str = "tests/data/import/corpus";
const CONVERTED: &str = "tests/data/import/converted";

fn check(checker: &Checker, path: &Path) -> Vec<ReportOutcome> {
    check_with(
        checker,
        &Source::File(Input {
            path: path.into(),
            display: path.file_name().unwrap().to_string_lossy().into_owned(),
        }),
    )
}

/// What a report says: its part (the sheet after `#`), errors, and each
/// finding's rule, data path and message.
fn said(r: &ReportOutcome) -> Vec<String> {
    let part = r.path.split_once('#').map_or("", |(_, s)| s);
    let mut out: Vec<String> = r
        .errors
        .iter()
        .map(|e| format!("{part} 错误 {}", e.code))
        .chain(r.findings.iter().map(|f| {
            let path = f.labels.first().map_or("", |l| l.path.as_str());
            format!("{part} {} {path} {}", f.rule, f.message)
        }))
        .collect();
    out.sort();
    out
}

#[test]
fn every_converted_document_gives_the_findings_of_its_original() {
    let checker = Checker::new(pack::embedded());
    let mut names: Vec<_> = std::fs::read_dir(CONVERTED)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "py"))
        .collect();
    names.sort();
    let mut failures = Vec::new();
    let mut formats = std::collections::BTreeMap::new();
    for converted in &names {
        let ext = converted.extension().unwrap().to_str().unwrap();
        let original = match ext {
            "doc" | "odt" | "pdf" => "docx",
            _ => "xlsx",
        };
        let stem = converted.file_stem().unwrap().to_str().unwrap();
        let original = Path::new(CORPUS).join(format!("{stem}.{original}"));
        let want: Vec<Vec<String>> = check(&checker, &original).iter().map(said).collect();
        let got: Vec<Vec<String>> = check(&checker, converted).iter().map(said).collect();
        *formats.entry(ext.to_string()).or_insert(0) += 1;
        if want != got {
            let missing: Vec<_> = want
                .iter()
                .flatten()
                .filter(|w| !got.iter().flatten().any(|g| g == *w))
                .collect();
            let extra: Vec<_> = got
                .iter()
                .flatten()
                .filter(|g| !want.iter().flatten().any(|w| w == *g))
                .collect();
            failures.push(format!(
                "{}: {} reports (original {}); missing {missing:#?}; extra {extra:#?}",
                converted.display(),
                got.len(),
                want.len()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {}:\n{}",
        failures.len(),
        names.len(),
        failures.join("\n")
    );
    assert_eq!(
        formats.keys().map(String::as_str).collect::<Vec<_>>(),
        ["doc", "ods", "odt", "pdf", "xls"],
        "every format is converted"
    );
}

#[test]
fn a_pdf_with_a_password_or_without_text_says_what_to_send() {
    let checker = Checker::new(pack::embedded());
    for (file, code, says, help) in [
        (
            "encrypted.pdf",
            "jixiao::import::encrypted",
            "设置了打开密码",
            "未加密",
        ),
        (
            "scanned.pdf",
            "jixiao::import::scanned",
            "这是扫描件，没有文字层",
            "请提供 Word/Excel 原件或可复制文字的 PDF",
        ),
    ] {
        let out = check(
            &checker,
            &Path::new(CONVERTED).join("unreadable").join(file),
        );
        assert_eq!(out.len(), 1);
        let e = &out[0].errors[0];
        assert_eq!(e.code, code, "{file}");
        assert!(e.message.contains(says), "{file}: {}", e.message);
        assert!(
            e.help.as_deref().unwrap_or("").contains(help),
            "{file}: {:?}",
            e.help
        );
    }
}
