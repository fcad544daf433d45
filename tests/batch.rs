//! Batch checking and the review-meeting outputs through the binary:
//! several outputs from one run, large batches with broken files, thread
//! count independence, and baseline comparison.

mod common;
use common::temp_dir;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const SEED: &str = "examples/jingdezhen-education-2021.toml";
const REPAIRED: &str = "examples/jingdezhen-education-2021-repaired.toml";

fn jixiao() -> Command {
    let mut c = common::jixiao();
    c.env("NO_COLOR", "1");
    c
}

fn read_json(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

#[test]
fn one_run_writes_every_format() {
    let dir = temp_dir("formats");
    let outs = [
        "r.json", "r.sarif", "r.xml", "r.md", "r.html", "r.xlsx", "r.txt",
    ];
    let mut cmd = jixiao();
    cmd.args(["check", SEED, REPAIRED]);
    for o in outs {
        cmd.arg("--output").arg(dir.join(o));
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stdout.is_empty(),
        "with --output nothing goes to stdout"
    );
    for o in outs {
        assert!(dir.join(o).metadata().unwrap().len() > 100, "{o}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left");

    let json = read_json(&dir.join("r.json"));
    let diagnostics: usize = json["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["diagnostics"].as_array().unwrap().len())
        .sum();
    let sarif = read_json(&dir.join("r.sarif"));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), diagnostics);
    assert!(results.iter().all(|r| {
        r["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap()
            > 0
    }));

    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(dir.join("r.xlsx")).unwrap();
    assert_eq!(
        book.worksheet_range("审核意见表").unwrap().height(),
        diagnostics + 1
    );
    let txt = std::fs::read_to_string(dir.join("r.txt")).unwrap();
    assert!(txt.contains("execution-rate-bounds") && !txt.contains('\u{1b}'));
    let html = std::fs::read_to_string(dir.join("r.html")).unwrap();
    assert!(html.contains("<mark>66941.43</mark>"));
}

#[test]
fn format_to_stdout_and_bad_output_names() {
    let out = jixiao()
        .args(["check", SEED, "--format", "sarif"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let dir = temp_dir("badname");
    let out = jixiao()
        .args(["check", SEED, "--output"])
        .arg(dir.join("r.unknown"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("无法从文件名"));
    let out = jixiao()
        .args(["check", SEED, "--format", "markdown", "--output"])
        .arg(dir.join("minutes.txt2"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(dir.join("minutes.txt2"))
            .unwrap()
            .starts_with("<!-- generator: jixiao -->\n\n# 绩效自评报告审核意见")
    );
}

/// 300 reports of several kinds, 3 of them malformed.
fn big_batch(dir: &Path) {
    let seed = std::fs::read_to_string(SEED).unwrap();
    let repaired = std::fs::read_to_string(REPAIRED).unwrap();
    let project = std::fs::read_to_string("examples/gaokao-subsidy-project-2021.toml").unwrap();
    for i in 0..300 {
        let text = match i % 3 {
            0 => seed.replace("景德镇市教育局", &format!("第{i}局")),
            1 => repaired.replace("景德镇市教育局", &format!("第{i}局")),
            _ => project.replace("景德镇市教育局", &format!("第{i}局")),
        };
        let text = if i % 100 == 7 {
            text.replace("executed = ", "executed = \"")
        } else {
            text
        };
        std::fs::write(dir.join(format!("{i:03}.toml")), text).unwrap();
    }
}

#[test]
fn a_large_batch_with_broken_files_is_complete_and_thread_independent() {
    let dir = temp_dir("big");
    big_batch(&dir);
    let run = |jobs: &str| {
        let out = jixiao()
            .args(["check", "--format", "json", "--jobs", jobs])
            .arg(&dir)
            .output()
            .unwrap();
        (out.status.code(), out.stdout)
    };
    let (code1, one) = run("1");
    let (code2, two) = run("2");
    assert_eq!(code1, Some(2));
    assert_eq!(code2, Some(2));
    assert!(one == two, "--jobs 1 and --jobs 2 give identical JSON");
    let v: Value = serde_json::from_slice(&one).unwrap();
    assert_eq!(v["summary"]["reports"], 300);
    assert_eq!(v["summary"]["errors"], 3);
    let checked = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] != "error")
        .count();
    assert_eq!(checked, 297);
    let stats = jixiao()
        .args(["check", "--statistics", "--output"])
        .arg(dir.join("s.json"))
        .arg(&dir)
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&stats.stderr);
    assert!(
        table.contains("section-numbering")
            && table.contains("total")
            && table.contains("报告 300 份"),
        "{table}"
    );
}

#[test]
fn baseline_lists_the_seed_findings_as_fixed() {
    let dir = temp_dir("baseline");
    let before = dir.join("before.json");
    jixiao()
        .args(["check", SEED, "--output"])
        .arg(&before)
        .output()
        .unwrap();
    // The repaired report is the same submission: same department, year and kind.
    let out = jixiao()
        .args(["check", REPAIRED, "--format", "json", "--baseline"])
        .arg(&before)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let fixed = v["reports"][0]["fixed"].as_array().unwrap();
    assert_eq!(fixed.len(), 7);
    assert!(
        fixed
            .iter()
            .any(|f| f["rule"] == "deduction-explained" && f["path"] == "summary[1].score")
    );
    let bad = jixiao()
        .args(["check", SEED, "--baseline", SEED])
        .output()
        .unwrap();
    assert_eq!(
        bad.status.code(),
        Some(2),
        "a baseline that is not JSON output is refused"
    );
}

fn hash_dir(dir: &Path) -> Vec<(PathBuf, u64)> {
    use std::hash::{Hash, Hasher};
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            std::fs::read(&p).unwrap().hash(&mut h);
            (p, h.finish())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn no_report_is_lost_duplicated_or_changed_when_files_and_rules_fail() {
    let dir = temp_dir("integrity");
    big_batch(&dir);
    let rules = temp_dir("integrity-rules");
    for e in std::fs::read_dir("rules").unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "rhai") {
            std::fs::copy(&p, rules.join(p.file_name().unwrap())).unwrap();
        }
    }
    // A rule that fails on every project report.
    let broken = std::fs::read_to_string("rules/year-consistent.rhai")
        .unwrap()
        .replace(
            "let years",
            "if report.kind == \"project\" { throw \"坏规则\"; }\nlet years",
        );
    std::fs::write(rules.join("year-consistent.rhai"), broken).unwrap();
    let before = hash_dir(&dir);
    // The same file named twice, and through a directory, is one report.
    let out = jixiao()
        .args(["check", "--format", "json", "--rules"])
        .arg(&rules)
        .arg(&dir)
        .arg(dir.join("000.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut paths: Vec<String> = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths.len(), 300, "every file once");
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), 300, "none twice");
    let rule_failures = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["message"].as_str().unwrap().contains("坏规则"))
        })
        .count();
    assert_eq!(
        rule_failures, 99,
        "the rule failed on each project report, which still appears"
    );
    assert_eq!(hash_dir(&dir), before, "input files are never written");
}

#[test]
fn a_killed_run_leaves_no_half_written_output() {
    let dir = temp_dir("killed");
    big_batch(&dir);
    let out = dir.join("out.json");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("jixiao"))
        // Without the cache, so that the run is still going when killed.
        .args(["check", "--no-cache", "--jobs", "1", "--output"])
        .arg(&out)
        .arg(&dir)
        .arg(&dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Killed as soon as it has started writing its output.
    let partial = dir.join(format!(".out.json.jixiao-{}.tmp", child.id()));
    while !partial.exists() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it could be killed"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!out.exists(), "the output appears only when complete");
    // Run to completion: the file appears, whole.
    let status = jixiao()
        .args(["check", "--output"])
        .arg(&out)
        .arg(&dir)
        .output()
        .unwrap()
        .status;
    assert_eq!(status.code(), Some(2));
    let v = read_json(&out);
    assert_eq!(v["summary"]["reports"], 300);
}

#[test]
fn an_output_that_cannot_be_written_is_exit_2_and_the_others_are_still_written() {
    let dir = temp_dir("unwritable");
    let good = dir.join("ok.json");
    let out = jixiao()
        .args([
            "check",
            SEED,
            "--output",
            "/nonexistent-dir/r.json",
            "--output",
        ])
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent-dir/r.json"));
    assert_eq!(read_json(&good)["summary"]["reports"], 1);
}

#[test]
fn a_large_meeting_pack_is_split_into_pages_linked_from_its_cover() {
    let dir = temp_dir("split");
    let reports = dir.join("reports");
    let made = jixiao()
        .args(["generate", "310"])
        .arg(&reports)
        .output()
        .unwrap();
    assert!(made.status.success());
    let pack = dir.join("审核意见.html");
    for _ in 0..2 {
        // The second run replaces the folder the first wrote.
        let out = jixiao()
            .args(["check", "--no-cache", "--output"])
            .arg(&pack)
            .arg(&reports)
            .output()
            .unwrap();
        assert_ne!(
            out.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let cover = std::fs::read_to_string(&pack).unwrap();
    assert!(cover.contains("分为 4 页"), "310 reports, 100 a page");
    assert!(cover.contains("href=\"审核意见_files/p001.html#r1\""));
    assert!(cover.contains("href=\"审核意见_files/p004.html#r310\""));
    assert!(!cover.contains("<section"), "the cover holds no report");
    let pages = dir.join("审核意见_files");
    let mut sections = 0;
    for k in 1..=4 {
        let page = std::fs::read_to_string(pages.join(format!("p{k:03}.html"))).unwrap();
        assert!(
            page.contains("href=\"审核意见.html\""),
            "p{k:03} links back"
        );
        let first = (k - 1) * 100 + 1;
        assert!(page.contains(&format!("id=\"r{first}\"")), "p{k:03}");
        sections += page.matches("<section class=\"report\"").count();
    }
    assert_eq!(sections, 310);
    assert_eq!(std::fs::read_dir(&pages).unwrap().count(), 4);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn every_file_a_reviewer_sees_in_a_folder_is_checked_or_listed() {
    let dir = temp_dir("every-file");
    std::fs::copy(
        "tests/data/import/corpus/w01-prose-explained.docx",
        dir.join("报告.docx"),
    )
    .unwrap();
    std::fs::copy(
        "examples/jingdezhen-education-2021.txt",
        dir.join("粘贴.txt"),
    )
    .unwrap();
    let converted = Path::new("tests/data/import/converted");
    for (from, to) in [
        ("w04-unexplained.doc", "旧版.doc"),
        ("w02-next-paragraph.odt", "开放格式.odt"),
        ("x01-national.xls", "自评表.xls"),
        ("x02-sichuan.ods", "自评表.ods"),
    ] {
        std::fs::copy(converted.join(from), dir.join(to)).unwrap();
    }
    // A .doc cut short in transfer, and a .wps in a format WPS used before
    // it saved Word's: an OLE file without a WordDocument stream.
    let doc = std::fs::read(converted.join("w01-prose-explained.doc")).unwrap();
    std::fs::write(dir.join("损坏.doc"), &doc[..doc.len() / 3]).unwrap();
    let mut wps = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    std::io::Write::write_all(&mut wps.create_stream("/WpsContent").unwrap(), b"wps").unwrap();
    std::fs::write(dir.join("金山.wps"), wps.into_inner().into_inner()).unwrap();
    std::fs::write(dir.join("~$报告.docx"), b"lock").unwrap();
    std::fs::write(dir.join(".隐藏.toml"), b"x").unwrap();
    std::fs::write(dir.join("附件.zip"), b"PK").unwrap();
    std::fs::write(dir.join("notes.sh"), b"echo").unwrap();
    let out = jixiao()
        .args(["check", "--format", "json"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "two files could not be read");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let reports: Vec<(String, String)> = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let name = Path::new(r["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, r["status"].as_str().unwrap().to_string())
        })
        .collect();
    let status = |name: &str| {
        reports
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s.as_str())
    };
    let names: Vec<&str> = reports.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "开放格式.odt",
            "报告.docx",
            "损坏.doc",
            "旧版.doc",
            "粘贴.txt",
            "自评表.ods",
            "自评表.xls",
            "金山.wps"
        ]
    );
    for checked in [
        "开放格式.odt",
        "报告.docx",
        "旧版.doc",
        "自评表.ods",
        "自评表.xls",
    ] {
        assert!(
            matches!(status(checked), Some("pass" | "fail")),
            "{checked}: {:?}",
            status(checked)
        );
    }
    let error = |name: &str| {
        let r = v["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["path"].as_str().unwrap().ends_with(name))
            .unwrap();
        assert_eq!(r["status"], "error", "{name}");
        (
            r["errors"][0]["message"].as_str().unwrap().to_string(),
            r["errors"][0]["help"].as_str().unwrap().to_string(),
        )
    };
    let (message, help) = error("损坏.doc");
    assert!(message.contains("文件已损坏"), "{message}");
    assert!(help.contains("完好"), "{help}");
    let (message, help) = error("金山.wps");
    assert!(message.contains("WPS 早期版本"), "{message}");
    assert!(help.contains("另存为 .docx"), "{help}");
    let skipped: Vec<String> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "jixiao::skipped")
        .map(|w| w["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(skipped.len(), 3, "{skipped:?}");
    assert!(skipped.iter().any(|s| s.contains("锁定文件")));
    assert!(skipped.iter().any(|s| s.contains("隐藏文件")));
    assert!(skipped.iter().any(|s| s.contains("压缩包")));
    assert!(
        !skipped.iter().any(|s| s.contains("notes.sh")),
        "not like a submission"
    );
}
