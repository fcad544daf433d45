//! The bad-input corpus (tests/bad, described in tests/bad/cases.toml):
//! every file gives a coded diagnostic in plain words at the right line,
//! or loads where it should (a UTF-8 BOM, CRLF line endings); the whole
//! corpus through the binary exits 2 with every file reported and no panic.

mod common;
use common::jixiao;
use common::temp_dir;

use std::path::Path;

use jixiao::diagnostic::line_col;
use jixiao::report::{LoadOptions, load_file};

#[derive(serde::Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    file: String,
    code: String,
    line: Option<usize>,
    message: Option<String>,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string("tests/bad/cases.toml").unwrap();
    toml::from_str::<Cases>(&text).unwrap().case
}

#[test]
fn every_bad_input_is_reported_in_plain_words_at_its_line() {
    let cases = cases();
    assert!(cases.len() >= 40);
    for c in &cases {
        let path = Path::new("tests/bad").join(&c.file);
        match load_file(&path, &c.file, LoadOptions::default()) {
            Ok(r) => {
                assert_eq!(c.code, "ok", "{}: loaded, expected {}", c.file, c.code);
                if c.file == "crlf.toml" {
                    let span = r.span_of("budget.executed").unwrap();
                    assert_eq!(&r.source[span.clone()], "12.5");
                    assert_eq!(r.line_col(span.start), (7, 12));
                }
            }
            Err(f) => {
                let e = &f.errors[0];
                assert_eq!(e.code, c.code, "{}: {e:?}", c.file);
                if let Some(fragment) = &c.message {
                    let words = format!("{} {}", e.message, e.help.as_deref().unwrap_or(""));
                    assert!(
                        words.contains(fragment.as_str()),
                        "{}: {words:?} lacks {fragment:?}",
                        c.file
                    );
                }
                if let Some(line) = c.line {
                    let (span, _) = e
                        .labels
                        .first()
                        .unwrap_or_else(|| panic!("{}: no position", c.file));
                    assert_eq!(line_col(&f.source, span.start).0, line, "{}: {e:?}", c.file);
                }
            }
        }
    }
}

#[test]
fn generated_extremes() {
    let dir = temp_dir("extremes");
    let head = "format = \"jixiao-report/1\"\nkind = \"department\"\ntitle = \"t\"\ndepartment = \"d\"\nyear = 2021\n";
    // Over the size limit: refused before parsing.
    let big = dir.join("big.toml");
    std::fs::write(
        &big,
        format!(
            "{head}# {}\n",
            "x".repeat(jixiao::report::MAX_FILE_BYTES as usize)
        ),
    )
    .unwrap();
    let e = load_file(&big, "big.toml", LoadOptions::default()).unwrap_err();
    assert_eq!(e.errors[0].code, "jixiao::load::too-large");
    // A very long single line loads, and its span is right.
    let long = dir.join("long.toml");
    let body = "很长的说明".repeat(50_000);
    std::fs::write(
        &long,
        format!("{head}[budget]\nexplanation = \"{body}\"\nexecuted = 1\n"),
    )
    .unwrap();
    let r = load_file(&long, "long.toml", LoadOptions::default()).unwrap();
    assert_eq!(
        r.line_col(r.span_of("budget.executed").unwrap().start),
        (8, 12)
    );
    // Deeply nested arrays and tables: an error, not a stack overflow.
    for (name, text) in [
        (
            "deep-array.toml",
            format!("{head}x = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
        ),
        (
            "deep-table.toml",
            format!(
                "{head}x = {}1{}\n",
                "{a=".repeat(20_000),
                "}".repeat(20_000)
            ),
        ),
    ] {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        let e = load_file(&p, name, LoadOptions::default()).unwrap_err();
        assert_eq!(e.errors[0].code, "jixiao::load::syntax", "{name}");
    }
}

#[test]
fn the_whole_corpus_through_the_binary() {
    for format in ["json", "human"] {
        let out = jixiao()
            .args(["check", "tests/bad", "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains("panicked at"), "{all}");
        if format == "json" {
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let files = std::fs::read_dir("tests/bad").unwrap().count();
            assert_eq!(
                v["reports"].as_array().unwrap().len(),
                files,
                "every file is in the output once"
            );
            assert_eq!(
                v["summary"]["errors"].as_u64().unwrap() as usize,
                files - 2,
                "all but the BOM and CRLF files fail to load"
            );
        }
    }
}

#[test]
fn directories_with_symlink_loops_and_unreadable_entries() {
    let dir = temp_dir("loops");
    std::fs::create_dir_all(dir.join("a/b")).unwrap();
    std::fs::copy(
        "examples/jingdezhen-education-2021.toml",
        dir.join("a/b/r.toml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("a/b/loop")).unwrap();
    std::os::unix::fs::symlink(dir.join("missing-target"), dir.join("a/dangling.toml")).unwrap();
    let out = jixiao()
        .arg("check")
        .arg(&dir)
        .args(["--format", "json"])
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(paths.iter().any(|p| p.ends_with("a/b/r.toml")));
    let dangling = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with("dangling.toml"))
        .unwrap();
    assert_eq!(dangling["status"], "error");
    assert!(
        dangling["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("无法读取")
    );
}

#[test]
fn report_text_cannot_send_control_sequences_to_the_terminal() {
    let dir = temp_dir("ansi");
    let report = dir.join("ansi.toml");
    std::fs::write(
        &report,
        "format = \"jixiao-report/1\"\nkind = \"department\"\ntitle = \"示例局2021年度报告\"\ndepartment = \"示例局\"\nyear = 2021\n\
         [[problems]]\nid = \"1\"\ntitle = \"\\u001b[2J\\u001b[31m清屏\\u001b]0;标题\\u0007\\u202e反向\"\n\n[[measures]]\nid = \"2\"\ntitle = \"措施\"\n",
    )
    .unwrap();
    let out = jixiao()
        .arg("check")
        .arg(&report)
        .args(["--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("清屏"), "{text}");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'),
        "{text:?}"
    );
    let md_out = dir.join("m.md");
    jixiao()
        .arg("check")
        .arg(&report)
        .arg("--output")
        .arg(&md_out)
        .output()
        .unwrap();
    assert!(!std::fs::read_to_string(&md_out).unwrap().contains('\u{1b}'));
}
