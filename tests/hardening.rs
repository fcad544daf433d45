//! The promises an adversarial review tested, through the binary: `check`
//! never writes over what it reads and does not read back what it wrote;
//! a hostile rule is stopped by a named limit however it tries; named
//! pipes and devices never hang or flood a batch; ordinary large reports
//! are checked by every default rule; the cache cannot be fooled into an
//! old or forged result; nothing from a file reaches the terminal or a
//! Markdown viewer raw; and a configuration that silences the pack says so.

mod common;
use common::temp_dir;

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

const SEED: &str = "examples/jingdezhen-education-2021.toml";
const SEED_TEXT: &str = "examples/jingdezhen-education-2021.txt";
const SELF_EVAL: &str = "tests/data/import/self-eval.xlsx";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary in `cwd`, without the cache, bounded in time: a hang fails
/// the test instead of stalling the suite.
fn jixiao(cwd: &Path) -> Command {
    let mut c = common::bin();
    c.current_dir(cwd)
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(120));
    c
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(cwd: &Path, args: &[&str]) -> Run {
    let out = jixiao(cwd).args(args).output().unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

/// A rule file with a minimal header.
fn write_rule(dir: &Path, id: &str, body: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let header = format!(
        "//! id = \"{id}\"\n//! title = \"测试\"\n//! severity = \"error\"\n//! basis = \"测试\"\n//! checks = \"测试\"\n//! why = \"测试\"\n//! example = \"测试\"\n"
    );
    std::fs::write(dir.join(format!("{id}.rhai")), header + body).unwrap();
}

fn copy(from: &str, to: &Path) {
    std::fs::copy(root().join(from), to).unwrap();
}

// ---------------------------------------------------------------- item 1

#[test]
fn an_output_that_is_an_input_is_refused_before_anything_is_written() {
    let dir = temp_dir("own-input");
    let inputs = [
        ("report.txt", SEED_TEXT),
        ("自评表.xlsx", SELF_EVAL),
        ("report.toml", SEED),
    ];
    for (name, from) in inputs {
        copy(from, &dir.join(name));
    }
    let before: Vec<Vec<u8>> = inputs
        .iter()
        .map(|(n, _)| std::fs::read(dir.join(n)).unwrap())
        .collect();
    #[cfg(unix)]
    std::os::unix::fs::symlink("report.toml", dir.join("link.json")).unwrap();
    for args in [
        vec!["check", "report.txt", "--output", "report.txt"],
        vec!["check", "自评表.xlsx", "--output", "自评表.xlsx"],
        vec!["check", ".", "--output", "./自评表.xlsx"],
        vec![
            "check",
            "report.toml",
            "--format",
            "json",
            "--output",
            "report.toml",
        ],
        #[cfg(unix)]
        vec!["check", "report.toml", "--output", "link.json"],
        vec![
            "check",
            "report.toml",
            "--output",
            "a.md",
            "--output",
            "a.md",
        ],
    ] {
        let r = run(&dir, &args);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("不会覆盖") || r.stderr.contains("指定了两次"),
            "{args:?}: {}",
            r.stderr
        );
    }
    for ((name, _), bytes) in inputs.iter().zip(before) {
        assert_eq!(std::fs::read(dir.join(name)).unwrap(), bytes, "{name}");
    }
    assert!(!dir.join("a.md").exists());
}

#[test]
fn results_written_into_the_checked_folder_are_not_read_back() {
    let dir = temp_dir("own-output");
    let reports = dir.join("报告目录");
    std::fs::create_dir_all(&reports).unwrap();
    copy(SEED, &reports.join("seed.toml"));
    copy(SELF_EVAL, &reports.join("自评表.xlsx"));
    let outputs = ["审核意见.xlsx", "纪要.md", "结果.json", "审核意见.html"];
    let mut args = vec!["check", "报告目录", "--format", "json"];
    let paths: Vec<String> = outputs.iter().map(|o| format!("报告目录/{o}")).collect();
    for p in &paths {
        args.extend(["--output", p.as_str()]);
    }
    args.extend(["--output", "-"]);
    let first = run(&dir, &args);
    let second = run(&dir, &args);
    assert_eq!(first.code, second.code, "{}", second.stdout);
    let (a, b) = (json(&first), json(&second));
    assert_eq!(a["reports"], b["reports"]);
    assert_eq!(a["summary"]["reports"], 2);
    let skipped: Vec<&str> = b["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "jixiao::skipped")
        .map(|w| w["file"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, ["报告目录/审核意见.xlsx", "报告目录/纪要.md"]);
    // The human text, even when the shell wrote it, is recognised too.
    let human = run(&dir, &["check", "报告目录"]);
    std::fs::write(reports.join("结果.txt"), &human.stdout).unwrap();
    assert!(jixiao::render::mark::is_own_output(
        &reports.join("结果.txt")
    ));
    assert!(jixiao::render::mark::is_own_output(
        &reports.join("纪要.md")
    ));
    assert!(!jixiao::render::mark::is_own_output(
        &root().join(SEED_TEXT)
    ));
    assert!(!jixiao::render::mark::is_own_output(
        &root().join(SELF_EVAL)
    ));
}

// ---------------------------------------------------------------- item 2

#[test]
fn hostile_rules_are_stopped_by_the_limit_they_hit() {
    let dir = temp_dir("hostile");
    let rules = dir.join("rules");
    // Each builds (or would build) gigabytes, or runs for seconds, in one
    // call or a few; each must stop at its limit, named.
    let cases = [
        (
            "big-replace",
            "let s = \"a\"; for i in 0..16 { s += s; } let t = s.replace(\"a\", s); []",
            "字符串长度超过上限",
        ),
        (
            "big-join",
            "let a = []; for i in 0..9000 { a.push(\"x\"); } let sep = \"y\"; for i in 0..18 { sep += sep; } let j = join(a, sep); []",
            "字符串长度超过上限",
        ),
        (
            "big-split",
            "let s = \"a\"; for i in 0..20 { s += s; } let t = s.split(\"\"); []",
            "数组长度超过上限",
        ),
        (
            "big-chars",
            "let s = \"ab\"; for i in 0..19 { s += s; } let t = s.to_chars(); []",
            "数组长度超过上限",
        ),
        (
            "big-addends",
            "let rows = []; for i in 0..3000 { rows.push(#{name: \"x\", weight: 1}); } let t = \"t\"; for i in 0..18 { t += t; } let u = rows.addends(t, \"weight\"); []",
            "字符串长度超过上限",
        ),
        (
            "big-unfilled",
            "let rows = []; for i in 0..3000 { rows.push(#{name: \"x\"}); } let keys = []; for i in 0..9000 { keys.push(\"k\" + i); } let u = rows.unfilled(keys); []",
            "上限",
        ),
        (
            "big-placeholders",
            "let rows = []; for i in 0..3000 { rows.push(#{name: \"无\"}); } let keys = []; for i in 0..9000 { keys.push(\"name\"); } let u = rows.placeholders(keys); []",
            "上限",
        ),
        (
            "slow-sort",
            "let a = []; for i in 0..5000 { a.push(i); } a.sort(|x, y| { let n = 0; for j in 0..100000 { n += 1; } x - y }); []",
            "运行时间超过上限",
        ),
        (
            "many-closures",
            "fn x(a) { a } let s = \"a\"; for i in 0..20 { s += s; } let fs = []; for i in 0..3000 { fs.push(Fn(\"x\").curry(s + i)); } []",
            "占用内存超过上限",
        ),
        ("sleeper", "sleep(30); []", "不能使用 sleep"),
        (
            "printer",
            "let s = \"很长的输出\"; for i in 0..14 { s += s; } for i in 0..1000 { print(s); } []",
            "",
        ),
    ];
    for (id, body, _) in cases {
        write_rule(&rules, id, body);
    }
    write_rule(
        &rules,
        "honest",
        "[finding(\"诚实的规则仍然运行\", [label(\"title\", \"此处\")])]",
    );
    let r = run(
        &dir,
        &[
            "check",
            &root().join(SEED).to_string_lossy(),
            "--rules",
            "rules",
            "--no-cache",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, Some(2));
    let doc = json(&r);
    let report = &doc["reports"][0];
    let errors: Vec<&str> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    for (id, _, limit) in cases {
        if limit.is_empty() {
            continue;
        }
        let e = errors
            .iter()
            .find(|m| m.contains(&format!("规则 {id} ")))
            .unwrap_or_else(|| panic!("{id}: {errors:?}"));
        assert!(e.contains(limit), "{id}: {e}");
    }
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "honest"),
        "the other rules still run"
    );
    // What a rule prints is capped: 64 KB, not 1,000 times 300 KB.
    assert!(r.stderr.len() < 200 * 1024, "{} bytes", r.stderr.len());
    assert!(r.stderr.contains("其余省略"));
}

// ---------------------------------------------------------------- item 3

#[cfg(unix)]
fn fifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

#[cfg(unix)]
#[test]
fn pipes_and_devices_are_error_entries_never_a_hang() {
    let dir = temp_dir("fifo");
    let batch = dir.join("batch");
    std::fs::create_dir_all(&batch).unwrap();
    copy(SEED, &batch.join("a-seed.toml"));
    fifo(&batch.join("x.toml"));
    std::os::unix::fs::symlink("/dev/zero", batch.join("zero.toml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", batch.join("zero.docx")).unwrap();
    let r = run(&dir, &["check", "batch", "--format", "json", "--no-cache"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let doc = json(&r);
    let by_path = |p: &str| {
        doc["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["path"] == p)
            .unwrap_or_else(|| panic!("{p} missing"))
            .clone()
    };
    assert_eq!(by_path("batch/a-seed.toml")["status"], "pass");
    for (p, what) in [
        ("batch/x.toml", "命名管道"),
        ("batch/zero.toml", "字符设备"),
        ("batch/zero.docx", "字符设备"),
    ] {
        let e = by_path(p);
        assert_eq!(e["status"], "error");
        let message = e["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(what), "{p}: {message}");
    }
    // The files a check reads besides its reports.
    fifo(&dir.join("p.toml"));
    for flag in ["--config", "--waivers", "--baseline"] {
        let r = run(&dir, &["check", "batch/a-seed.toml", flag, "p.toml"]);
        assert_eq!(r.code, Some(2), "{flag}");
        assert!(r.stderr.contains("命名管道"), "{flag}: {}", r.stderr);
    }
    let rules = dir.join("rules");
    write_rule(&rules, "fine", "[]");
    fifo(&rules.join("pipe.rhai"));
    let r = run(
        &dir,
        &[
            "check",
            "batch/a-seed.toml",
            "--rules",
            "rules",
            "--no-cache",
        ],
    );
    assert_eq!(r.code, Some(2));
    assert!(r.stdout.contains("pipe.rhai") && r.stdout.contains("命名管道"));
}

// ---------------------------------------------------------------- item 4

#[test]
fn a_field_longer_than_an_excel_cell_is_cut_and_the_workbook_written() {
    let dir = temp_dir("long-cell");
    let text = std::fs::read_to_string(root().join(SEED)).unwrap();
    let long = "此项说明很长。".repeat(6_000);
    let report = text.replace(
        "department = \"景德镇市教育局\"",
        &format!("department = \"景德镇市教育局{long}\""),
    );
    std::fs::write(dir.join("long.toml"), report).unwrap();
    copy(SEED, &dir.join("other.toml"));
    let r = run(
        &dir,
        &["check", ".", "--output", "审核意见.xlsx", "--no-cache"],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(dir.join("审核意见.xlsx")).unwrap();
    let sheet = book.worksheet_range("审核意见表").unwrap();
    let cut = sheet
        .rows()
        .flat_map(|r| r.iter())
        .map(|c| c.to_string())
        .find(|c| c.contains("已截断"))
        .expect("the long message is cut, visibly");
    assert!(cut.encode_utf16().count() <= 32_767);
    assert!(cut.ends_with("…（已截断，全文见 JSON/HTML）"));
}

// ---------------------------------------------------------------- item 5

/// A project report with `rows` indicator rows and a section body of
/// `body` bytes.
fn large_report(rows: usize, body: usize) -> String {
    let mut s = String::from(
        "format = \"jixiao-report/1\"\nkind = \"project\"\ntitle = \"某县教育局2021年度高考补助资金项目支出绩效自评表\"\ndepartment = \"某县教育局\"\nproject = \"高考补助资金\"\nyear = 2021\n\n[budget]\ninitial = 100\nadjusted = 100\nexecuted = 95\nrate = \"95%\"\nweight = 10\nscore = 9.5\n\n",
    );
    let w = 90.0 / rows.max(1) as f64;
    for i in 0..rows {
        s.push_str(&format!(
            "[[indicators]]\nlevel1 = \"{}\"\nlevel2 = \"数量指标\"\nname = \"指标{i}\"\ntarget = \"≥95%\"\nactual = \"{}%\"\nweight = {w:.6}\nscore = {:.6}\ndeviation = \"部分项目因天气原因延期。\"\n\n",
            if i % 2 == 0 { "产出指标" } else { "效益指标" },
            90 + i % 10,
            w * 0.9
        ));
    }
    if body > 0 {
        let text = "本部门认真贯彻落实各项工作。".repeat(body / 42 + 1);
        s.push_str(&format!(
            "[[sections]]\nheading = \"一、基本情况\"\nbody = \"{text}\"\n\n"
        ));
    }
    s.push_str("[total]\nweight = 100\nscore = 90\ngrade = \"优\"\n");
    s
}

#[test]
fn every_default_rule_runs_on_large_honest_reports() {
    let dir = temp_dir("large");
    std::fs::write(dir.join("rows.toml"), large_report(1_300, 0)).unwrap();
    std::fs::write(dir.join("body.toml"), large_report(10, 1_600_000)).unwrap();
    // A Word 自评表 of 6,000 indicator rows: the import keeps 5,000.
    let rows: String = (0..6_000)
        .map(|i| {
            let cells = [
                "产出指标",
                "数量指标",
                &format!("指标{i}"),
                "≥95%",
                "96%",
                "0.01",
                "0.01",
            ]
            .map(|t| format!("<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>"))
            .concat();
            format!("<w:tr>{cells}</w:tr>")
        })
        .collect();
    let head = [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
    ]
    .map(|t| format!("<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>"))
    .concat();
    let document = format!(
        r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>某县教育局2021年度高考补助资金项目支出绩效自评表</w:t></w:r></w:p><w:p><w:r><w:t>项目名称：高考补助资金</w:t></w:r></w:p><w:tbl><w:tr>{head}</w:tr>{rows}</w:tbl></w:body></w:document>"#
    );
    std::fs::write(
        dir.join("table.docx"),
        docx_of(&[("word/document.xml", &document)]),
    )
    .unwrap();
    for file in ["rows.toml", "body.toml", "table.docx"] {
        let r = run(&dir, &["check", file, "--format", "json", "--no-cache"]);
        let doc = json(&r);
        let errors = &doc["reports"][0]["errors"];
        assert_eq!(errors.as_array().map(Vec::len), Some(0), "{file}: {errors}");
        assert_ne!(r.code, Some(2), "{file}");
    }
}

/// A Word document made of its parts.
fn docx_of(parts: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

// ---------------------------------------------------------------- item 6

#[test]
fn a_rule_file_in_another_encoding_is_an_error_of_its_own() {
    let dir = temp_dir("gbk-rule");
    let rules = dir.join("rules");
    write_rule(
        &rules,
        "good",
        "[finding(\"这条规则运行了\", [label(\"title\", \"此处\")])]",
    );
    let text = "//! id = \"gbk\"\n//! title = \"中文标题\"\n[]\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    std::fs::write(rules.join("gbk.rhai"), &gbk).unwrap();
    let r = run(
        &dir,
        &[
            "check",
            &root().join(SEED).to_string_lossy(),
            "--rules",
            "rules",
            "--no-cache",
        ],
    );
    assert_eq!(r.code, Some(2));
    assert!(
        r.stdout.contains("rules/gbk.rhai") && r.stdout.contains("GBK"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("这条规则运行了"), "the other rules run");
}

// ---------------------------------------------------------------- item 7

#[test]
fn a_rule_reaching_rule_exists_indirectly_is_not_served_stale() {
    let dir = temp_dir("indirect");
    let rules = dir.join("rules");
    let cache = dir.join("cache");
    for (id, body) in [
        (
            "by-fn",
            "let f = Fn(\"rule_\" + \"exists\"); if f.call(\"extra\") { [] } else { [finding(\"缺少 extra\", [label(\"year\", \"此处\")])] }",
        ),
        (
            "by-call",
            "let name = \"rule_exists\"; if call(Fn(name), \"extra\") { [] } else { [finding(\"缺少 extra\", [label(\"year\", \"此处\")])] }",
        ),
    ] {
        write_rule(&rules, id, body);
    }
    let seed = root().join(SEED).to_string_lossy().into_owned();
    let with_cache = |d: &Path| {
        run(
            d,
            &[
                "check",
                &seed,
                "--rules",
                "rules",
                "--cache-dir",
                "cache",
                "--format",
                "json",
            ],
        )
    };
    let first = with_cache(&dir);
    assert_eq!(first.code, Some(1), "{}", first.stderr);
    write_rule(&rules, "extra", "[]");
    let cached = with_cache(&dir);
    let fresh = run(
        &dir,
        &[
            "check",
            &seed,
            "--rules",
            "rules",
            "--no-cache",
            "--format",
            "json",
        ],
    );
    assert_eq!(fresh.code, Some(0));
    assert_eq!(cached.code, fresh.code);
    assert_eq!(cached.stdout, fresh.stdout);
    assert!(cache.exists());
}

// ---------------------------------------------------------------- item 8

#[test]
fn a_forged_cache_entry_does_not_hide_a_finding() {
    let dir = temp_dir("forged");
    let seed = root().join(SEED).to_string_lossy().into_owned();
    let rules = dir.join("rules");
    write_rule(
        &rules,
        "always",
        "[finding(\"必须报告\", [label(\"title\", \"此处\")])]",
    );
    let args = [
        "check",
        &seed,
        "--rules",
        "rules",
        "--cache-dir",
        "cache",
        "--format",
        "json",
    ];
    let first = run(&dir, &args);
    assert_eq!(first.code, Some(1));
    // Rewrite every entry to "no findings", recomputing the kind of
    // checksum an unkeyed scheme would have (xxh3 of the rest), and
    // keeping the original MAC: either way the entry must not verify.
    let mut rewritten = 0;
    for file in walk(&dir.join("cache/findings-v2"))
        .into_iter()
        .filter(|f| !f.ends_with("compiled-v2"))
    {
        let text = std::fs::read_to_string(&file).unwrap();
        let forged: String = text
            .lines()
            .map(|l| {
                let (head, _) = l.rsplit_once(' ').unwrap();
                let (mac, rest) = head.split_once(' ').unwrap();
                let rest = format!("{rest} []");
                let unkeyed = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(rest.as_bytes()));
                rewritten += 1;
                if rewritten % 2 == 0 {
                    format!("{unkeyed} {rest}\n")
                } else {
                    format!("{mac} {rest}\n")
                }
            })
            .collect();
        std::fs::write(&file, forged).unwrap();
    }
    assert!(rewritten > 0);
    let again = run(&dir, &args);
    assert_eq!(again.code, Some(1), "the finding is back: {}", again.stdout);
    assert_eq!(again.stdout, first.stdout);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

// ---------------------------------------------------------------- item 9

#[test]
fn control_characters_from_files_never_reach_the_terminal_raw() {
    let dir = temp_dir("control");
    let rules = dir.join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    let id = "esc\u{1b}[31mred";
    let header = "//! id = \"esc\\u001b[31mred\"\n//! title = \"标题\\u0007响铃\\u001b]0;伪造\\u0007\"\n//! severity = \"warning\"\n//! basis = \"依据\\u001b[2J\"\n//! checks = \"c\"\n//! why = \"w\"\n//! example = \"e\"\n";
    std::fs::write(
        rules.join(format!("{id}.rhai")),
        format!(
            "{header}[finding(\"消息\\u001b[2K\\u0007\", [label(\"title\", \"标签\\u001b[1m\")])]\n"
        ),
    )
    .unwrap();
    let newline = dir.join("伪造\n检查报告 0 份：通过 0.toml");
    copy(SEED, &newline);
    let name = newline.file_name().unwrap().to_string_lossy().into_owned();
    for args in [
        vec!["check", name.as_str(), "--rules", "rules", "--no-cache"],
        vec!["rules", "list", "--rules", "rules"],
        vec!["rules", "explain", id, "--rules", "rules"],
    ] {
        let r = run(&dir, &args);
        for (what, text) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{7}'),
                "{args:?} {what}: {text:?}"
            );
        }
        assert!(
            !r.stdout
                .lines()
                .any(|l| l.starts_with("检查报告 0 份：通过 0.toml")),
            "a file name cannot fake a line: {:?}",
            r.stdout
        );
    }
    let r = run(&dir, &["rules", "list", "--rules", "rules"]);
    assert!(r.stdout.contains("esc\\u{1b}[31mred"), "{}", r.stdout);
}

// --------------------------------------------------------------- item 10

#[test]
fn report_text_is_escaped_in_markdown() {
    let dir = temp_dir("markdown");
    let text = std::fs::read_to_string(root().join(SEED)).unwrap();
    let hostile = text.replace(
        "department = \"景德镇市教育局\"",
        "department = \"<script>alert(1)</script><img src=x onerror=alert(2)>**局**\"",
    );
    std::fs::write(dir.join("hostile.toml"), hostile).unwrap();
    let r = run(
        &dir,
        &["check", "hostile.toml", "--output", "纪要.md", "--no-cache"],
    );
    assert_ne!(r.code, Some(2), "{}", r.stderr);
    let md = std::fs::read_to_string(dir.join("纪要.md")).unwrap();
    // Outside the code blocks (where nothing is live), no tag survives.
    let mut fenced = false;
    for line in md.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            assert!(
                !line.contains("<script") && !line.contains("<img") && !line.contains("**局**"),
                "{line}"
            );
        }
    }
    assert!(md.contains("&lt;script&gt;"));
}

// --------------------------------------------------------------- item 11

#[test]
fn a_configuration_that_turns_the_pack_off_says_so() {
    let dir = temp_dir("silenced");
    std::fs::write(dir.join("jixiao.toml"), "[rules]\ndefault_pack = false\n").unwrap();
    let seed = root().join(SEED).to_string_lossy().into_owned();
    let human = run(&dir, &["check", &seed, "--no-cache"]);
    assert_eq!(human.code, Some(0));
    assert!(human.stdout.contains("配置文件："), "{}", human.stdout);
    assert!(human.stdout.contains("jixiao.toml"));
    assert!(
        human.stdout.contains("没有任何规则检查了"),
        "{}",
        human.stdout
    );
    let doc = json(&run(
        &dir,
        &["check", &seed, "--no-cache", "--format", "json"],
    ));
    assert!(doc["config"].as_str().unwrap().ends_with("jixiao.toml"));
    assert!(
        doc["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "jixiao::no-rules")
    );
    // Without a configuration file, the output says that too.
    let plain = temp_dir("unconfigured");
    let doc = json(&run(
        &plain,
        &["check", &seed, "--no-cache", "--format", "json"],
    ));
    assert!(doc["config"].is_null());
}

// --------------------------------------------------------------- item 12

#[test]
fn jobs_are_capped_and_damaged_text_is_an_encoding_error() {
    let dir = temp_dir("smaller");
    let seed = root().join(SEED).to_string_lossy().into_owned();
    let r = run(
        &dir,
        &["check", &seed, &seed, "--jobs", "100000", "--no-cache"],
    );
    assert_eq!(r.code, Some(0));
    assert!(r.stderr.contains("超过上限"), "{}", r.stderr);
    let mut damaged = std::fs::read(root().join(SEED_TEXT)).unwrap();
    let at = damaged.len() / 2;
    let at = (at..).find(|i| damaged[*i] == b'\n').unwrap() + 1;
    damaged.splice(at..at, [0xC3, 0x28, 0xFF]);
    std::fs::write(dir.join("damaged.txt"), &damaged).unwrap();
    let r = run(
        &dir,
        &["check", "damaged.txt", "--no-cache", "--format", "json"],
    );
    assert_eq!(r.code, Some(2));
    let doc = json(&r);
    let e = &doc["reports"][0]["errors"][0];
    assert_eq!(e["code"], "jixiao::load::encoding", "{e}");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains(&format!("第 {} 字节", at + 1)),
        "{e}"
    );
}
