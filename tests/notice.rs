//! `--output 整改通知/`: one Word notice per report, read back with a
//! docx reader (jixiao's own importer) and opened by LibreOffice (converted
//! to PDF and read with pdftotext): addressed to the department, every
//! unwaived finding numbered with its place and what to change, the
//! waived ones apart; never written over a file jixiao did not write.

mod common;
use common::{jixiao, temp_dir};

use std::path::{Path, PathBuf};
use std::process::Command;

const DOCS: &[&str] = &[
    "tests/data/import/corpus/w13-many-faults.docx",
    "tests/data/import/corpus/x07-faults.xlsx",
    "tests/data/sample/04-waived-and-errors.toml",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The JSON of a check of `DOCS`.
fn findings() -> serde_json::Value {
    let out = jixiao()
        .current_dir(root())
        .args(DOCS)
        .args(["--no-cache", "--format", "json"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A notice's text, read by jixiao's Word reader: its paragraphs.
fn text_of(docx: &Path) -> String {
    let parts = jixiao::import::import_file(docx, &docx.display().to_string()).unwrap();
    parts[0]
        .display
        .lines()
        .map(|l| l.split_once("] ").map_or(l, |(_, t)| t))
        .collect::<Vec<_>>()
        .join("\n")
}

fn notices(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .collect();
    v.sort();
    v
}

#[test]
fn a_notice_per_report_lists_every_unwaived_finding_and_opens_in_libreoffice() {
    let dir = temp_dir("notices");
    let out_dir = dir.join("整改通知");
    let run = jixiao()
        .current_dir(root())
        .args(DOCS)
        .args(["--no-cache", "--output"])
        .arg(format!("{}/", out_dir.display()))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("（3 份整改通知）"), "{err}");
    let files = notices(&out_dir);
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "2021年度-示例局-部门整体-整改通知.docx",
            "2022年度-乐平市农业农村局-部门整体-整改通知.docx",
            "2022年度-浮梁县交通运输局-农村公路养护-整改通知.docx",
        ]
    );
    let v = findings();
    let mut checked = 0;
    for report in v["reports"].as_array().unwrap() {
        let department = report["department"].as_str().unwrap();
        let year = report["year"].as_i64().unwrap();
        let file = files
            .iter()
            .find(|f| {
                let n = f.file_name().unwrap().to_string_lossy();
                n.contains(department) && n.starts_with(&year.to_string())
            })
            .unwrap();
        let text = text_of(file);
        assert!(
            text.contains(&format!("{department}：")),
            "addressed: {text}"
        );
        let title = report["title"].as_str().unwrap();
        assert!(
            text.contains(&format!("关于《{title}》的审核意见及整改通知")),
            "{text}"
        );
        let mut numbered = 0;
        for d in report["diagnostics"].as_array().unwrap() {
            let message = d["message"].as_str().unwrap();
            if d["rule"] == "import-uncertain" {
                // The import's doubts are the reviewer's, not the department's.
                assert!(!text.contains(message), "{message} in {text}");
                assert!(!text.contains("导入时无法确定"), "{text}");
                continue;
            }
            let waived = d.get("waived").is_some();
            assert!(text.contains(message), "{message} in {text}");
            if !waived {
                numbered += 1;
                let n = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"][numbered - 1];
                assert!(text.contains(&format!("{n}、{message}")), "{n}、{message}");
                if let Some(place) = d["labels"][0]["location"].as_str() {
                    let head: String = place.chars().take(12).collect();
                    assert!(text.contains(&head), "{place}");
                }
            }
            checked += 1;
        }
        let waived = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d.get("waived").is_some());
        assert_eq!(
            text.contains("以下问题经审核同意豁免，不需整改"),
            waived,
            "{text}"
        );
    }
    assert!(checked >= 15, "{checked} findings looked for");

    // LibreOffice opens each and prints it.
    let pdf_dir = dir.join("pdf");
    let converted = Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&pdf_dir)
        .args(&files)
        .env("HOME", &dir)
        .output()
        .expect("LibreOffice is needed (apt-get install libreoffice-writer-nogui)");
    for f in &files {
        let pdf = pdf_dir.join(f.file_stem().unwrap()).with_extension("pdf");
        assert!(
            pdf.exists(),
            "{}: {}",
            pdf.display(),
            String::from_utf8_lossy(&converted.stderr)
        );
        let text = Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        let text: String = String::from_utf8_lossy(&text.stdout)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(
            text.contains("审核意见及整改通知") && text.contains("特此通知"),
            "{text}"
        );
    }
}

#[test]
fn notices_never_replace_a_file_jixiao_did_not_write() {
    let dir = temp_dir("notice-names");
    let doc = "tests/data/import/corpus/w13-many-faults.docx";
    let name = "2022年度-乐平市农业农村局-部门整体-整改通知.docx";
    // Someone's own file of that name.
    std::fs::write(dir.join(name), b"not jixiao's").unwrap();
    let run = |d: &Path| {
        jixiao()
            .current_dir(root())
            .args([doc, "--no-cache", "--output"])
            .arg(format!("{}/", d.display()))
            .output()
            .unwrap()
    };
    run(&dir);
    assert_eq!(std::fs::read(dir.join(name)).unwrap(), b"not jixiao's");
    let second = "2022年度-乐平市农业农村局-部门整体-整改通知（2）.docx";
    let first_run = std::fs::read(dir.join(second)).unwrap();
    // A rerun replaces its own notice, byte for byte the same.
    run(&dir);
    assert_eq!(std::fs::read(dir.join(second)).unwrap(), first_run);
    assert_eq!(notices(&dir).len(), 2, "no third name");
}
