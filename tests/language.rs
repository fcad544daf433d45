//! What a person reads is Chinese: rule errors in the words of the staff
//! who edit rules (with the file and line, Rhai's English only in
//! brackets), clap's help and errors, severities as 错误/警告/建议, and a
//! command line that says what it wrote and when it found nothing.

mod common;
use common::{jixiao, temp_dir};

use std::path::Path;

const SEED: &str = "examples/jingdezhen-education-2021.toml";
const WORD: &str = "tests/data/import/corpus/w04-unexplained.docx";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A rule file whose script is `line` (on line 9, after its header).
fn rule(dir: &Path, id: &str, line: &str) {
    let text = format!(
        "//! id = \"{id}\"\n//! title = \"坏规则\"\n//! severity = \"warning\"\n//! basis = \"无\"\n//! checks = \"无\"\n//! why = \"无\"\n//! example = \"无\"\n\n{line}\n[]\n"
    );
    std::fs::write(dir.join(format!("{id}.rhai")), text).unwrap();
}

/// Text with what stands in full-width brackets, and the given words,
/// taken out: what must be Chinese.
fn outside_brackets(text: &str, known: &[&str]) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '（' => depth += 1,
            '）' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    known.iter().fold(out, |t, k| t.replace(k, ""))
}

/// Runs of three or more ASCII letters: English words.
fn english(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3)
        .map(str::to_string)
        .collect()
}

#[test]
fn broken_rules_are_explained_in_chinese_with_their_file_and_line() {
    let dir = temp_dir("broken-rules");
    rule(&dir, "syntax-error", "let x = 1 +;");
    rule(&dir, "unknown-function", "let x = no_such_helper(1);");
    rule(&dir, "type-error", "let x = 1 - \"a\";");
    rule(&dir, "undefined-variable", "let x = yy + 1;");
    let out = jixiao()
        .current_dir(root())
        .args(["check", SEED, "--format", "json", "--no-cache", "--rules"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut errors: Vec<&serde_json::Value> = v["errors"].as_array().unwrap().iter().collect();
    errors.extend(v["reports"][0]["errors"].as_array().unwrap());
    let said = |id: &str| {
        let e = errors
            .iter()
            .find(|e| e["file"].as_str().unwrap().ends_with(&format!("{id}.rhai")))
            .unwrap_or_else(|| panic!("no error for {id}: {errors:?}"));
        assert_eq!(e["line"], 9, "{id}: {e}");
        e["message"].as_str().unwrap().to_string()
    };
    let expected = [
        ("syntax-error", "第 9 行无法编译：语法错误：此处不应出现“;”"),
        (
            "unknown-function",
            "找不到函数 no_such_helper（参数：整数）",
        ),
        ("type-error", "不能对 整数 和 文本 做减法"),
        ("undefined-variable", "语法错误：未定义的变量 yy"),
    ];
    for (id, words) in expected {
        let message = said(id);
        assert!(message.contains(words), "{id}: {message}");
        let rest = outside_brackets(&message, &[id, SEED, "no_such_helper", "yy"]);
        assert!(
            english(&rest).is_empty(),
            "{id}: English outside brackets in {message}"
        );
    }
}

#[test]
fn the_help_and_the_errors_of_the_command_line_are_chinese() {
    let help = jixiao().arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&help.stdout);
    for word in ["用法：", "命令：", "选项：", "显示帮助", "显示版本"] {
        assert!(text.contains(word), "{word}: {text}");
    }
    let check = jixiao().args(["check", "--help"]).output().unwrap();
    let check = String::from_utf8_lossy(&check.stdout);
    for word in [
        "Word",
        "Excel",
        "PDF",
        ".docx",
        ".xlsx",
        "目录",
        "可选：human",
    ] {
        assert!(check.contains(word), "{word}: {check}");
    }
    for text in [&*text, &*check] {
        for english in [
            "Usage",
            "Options",
            "Arguments",
            "Print help",
            "possible values",
            "[default",
        ] {
            assert!(!text.contains(english), "{english}: {text}");
        }
    }
    let wrong = jixiao().arg("chek").output().unwrap();
    assert_eq!(wrong.status.code(), Some(2));
    let err = String::from_utf8_lossy(&wrong.stderr);
    assert!(err.starts_with("错误：没有子命令 'chek'"), "{err}");
    assert!(err.contains("'check'"), "a suggestion: {err}");
    assert!(!err.contains("error:") && !err.contains("Usage"), "{err}");
    let value = jixiao()
        .args(["check", SEED, "--format", "xml"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&value.stderr);
    assert!(
        err.contains("--format <FORMAT> 的值 'xml' 无效，可选：human"),
        "{err}"
    );
    assert!(err.contains("用法：jixiao check [选项]"), "{err}");
}

#[test]
fn severities_are_words_in_rules_list_and_the_human_output() {
    let list = jixiao().args(["rules", "list"]).output().unwrap();
    let list = String::from_utf8_lossy(&list.stdout);
    for word in ["错误", "警告", "建议"] {
        assert!(list.contains(&format!(" {word} ")), "{word}: {list}");
    }
    assert!(
        !list.contains(" warning ") && !list.contains(" error "),
        "{list}"
    );
    let explain = jixiao()
        .args(["rules", "explain", "weights-sum"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&explain.stdout).contains("级别：错误"));
    let human = jixiao()
        .current_dir(root())
        .args(["check", WORD, "--color", "never", "--no-cache"])
        .output()
        .unwrap();
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(human.contains("⚠ 警告：预算由年初 1800"), "{human}");
    assert!(human.contains("  提示：在预算执行情况的说明中"), "{human}");
    assert!(!human.contains("help:"), "{human}");
}

#[test]
fn a_document_given_without_a_subcommand_is_checked() {
    let out = jixiao()
        .current_dir(root())
        .args([WORD, "--no-cache", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("检查报告 1 份"));
}

#[test]
fn a_run_with_outputs_says_what_it_wrote_and_a_run_without_reports_says_so() {
    let dir = temp_dir("written");
    let out = jixiao()
        .current_dir(root())
        .args([WORD, SEED, "--no-cache", "--output"])
        .arg(dir.join("审核意见.html"))
        .arg("--output")
        .arg(dir.join("审核意见.xlsx"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(
        lines[0].starts_with("已写出 ")
            && lines[0].ends_with("审核意见.html（2 份报告，错误 1 条，警告 9 条）"),
        "{err}"
    );
    assert!(
        lines[1].ends_with("审核意见.xlsx（2 份报告，错误 1 条，警告 9 条）"),
        "{err}"
    );
    assert!(
        lines[2].starts_with("检查报告 2 份：通过 1，未通过 1"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "results went to the files");

    let empty = temp_dir("nothing");
    std::fs::write(empty.join("扫描件.jpg"), b"\xff\xd8").unwrap();
    let none = jixiao().arg("check").arg(&empty).output().unwrap();
    assert_eq!(none.status.code(), Some(2));
    let err = String::from_utf8_lossy(&none.stderr);
    assert!(err.contains("没有找到可检查的报告"), "{err}");
    assert!(
        err.contains("跳过了 1 个文件") && err.contains("扫描件.jpg"),
        "{err}"
    );
}
