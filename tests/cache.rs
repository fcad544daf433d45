//! The findings cache through the binary: a rerun gives the same bytes as a
//! run without the cache, whatever changed in between (a rule's text, a
//! parameter, the date, a damaged entry), and the cache never touches a
//! folder that is not its own.

mod common;
use common::temp_dir;

use std::path::{Path, PathBuf};

const SEED: &str = "examples/jingdezhen-education-2021.toml";
const PROJECT: &str = "examples/gaokao-subsidy-project-2021.toml";
const SAMPLE: &str = "tests/data/sample";

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// `jixiao check --format json ARGS` with the cache in `cache` (None:
/// `--no-cache`), and `env` set.
fn check(cache: Option<&Path>, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut c = common::bin();
    c.env("NO_COLOR", "1").args(["check", "--format", "json"]);
    match cache {
        Some(dir) => c.arg("--cache-dir").arg(dir),
        None => c.arg("--no-cache"),
    };
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.args(args).output().unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Runs with the cache twice (filling it, then reading it) and once
/// without; all three must print the same bytes, which are returned.
fn same_with_and_without(cache: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let fresh = check(None, args, env);
    for pass in ["filling", "reading"] {
        let cached = check(Some(cache), args, env);
        assert_eq!(cached.code, fresh.code, "{pass} {args:?}");
        assert_eq!(cached.stdout, fresh.stdout, "{pass} {args:?}");
    }
    fresh.stdout
}

fn entries(cache: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for shard in std::fs::read_dir(cache.join("findings-v2")).unwrap() {
        let shard = shard.unwrap().path();
        if shard.is_dir() {
            out.extend(std::fs::read_dir(shard).unwrap().map(|e| e.unwrap().path()));
        }
    }
    out.sort();
    out
}

fn export_rules(dir: &Path) {
    common::bin()
        .args(["rules", "export"])
        .arg(dir)
        .assert()
        .success();
}

#[test]
fn reruns_print_what_a_run_without_cache_prints() {
    let cache = temp_dir("same");
    let out = same_with_and_without(&cache, &[SEED, PROJECT, SAMPLE, "--jobs", "2"], &[]);
    assert!(out.contains("execution-rate-bounds"));
    // One entry per report text that loads: the sample repeats both
    // examples, and its malformed report has none.
    assert_eq!(entries(&cache).len(), 4);
    assert!(cache.join("CACHEDIR.TAG").exists());
    // Thread count does not matter with a warm cache either.
    let one = check(Some(&cache), &[SEED, PROJECT, SAMPLE, "--jobs", "1"], &[]);
    assert_eq!(one.stdout, out);
}

#[test]
fn an_edited_rule_runs_again() {
    let cache = temp_dir("edit");
    let rules = cache.join("rules");
    export_rules(&rules);
    let args = [SEED, "--rules", rules.to_str().unwrap()];
    let before = same_with_and_without(&cache.join("c"), &args, &[]);
    assert!(before.contains("且未说明原因"));
    let file = rules.join("execution-rate-bounds.rhai");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("且未说明原因", "且没有说明理由")).unwrap();
    let after = same_with_and_without(&cache.join("c"), &args, &[]);
    assert!(after.contains("且没有说明理由"), "{after}");
    assert!(!after.contains("且未说明原因"));
}

#[test]
fn a_changed_parameter_runs_the_rule_again() {
    let cache = temp_dir("param");
    let cache = cache.as_path();
    let bounded = same_with_and_without(cache, &[SEED], &[]);
    assert!(bounded.contains("高于上限 100%"));
    let wider = same_with_and_without(
        cache,
        &[SEED, "--param", "execution-rate-bounds.max=140%"],
        &[],
    );
    assert!(!wider.contains("execution-rate-bounds"), "{wider}");
    assert_eq!(check(Some(cache), &[SEED], &[]).stdout, bounded);
}

#[test]
fn rules_that_read_the_date_are_not_reused_on_another_day() {
    let cache = temp_dir("today");
    let report = cache.join("waived.toml");
    let text = std::fs::read_to_string(format!("{SAMPLE}/04-waived-and-errors.toml")).unwrap();
    let text = text.replace(
        "approved_by = \"市财政局绩效科\"",
        "approved_by = \"市财政局绩效科\"\nexpires = 2026-06-30",
    );
    assert!(text.contains("expires"));
    std::fs::write(&report, text).unwrap();
    let args = [report.to_str().unwrap()];
    let c = cache.join("c");
    let valid = same_with_and_without(&c, &args, &[("JIXIAO_TODAY", "2026-01-01")]);
    let expired = same_with_and_without(&c, &args, &[("JIXIAO_TODAY", "2027-01-01")]);
    assert!(!valid.contains("已于 2026-06-30 到期"), "{valid}");
    assert!(expired.contains("已于 2026-06-30 到期"), "{expired}");
}

#[test]
fn damaged_entries_are_misses_and_are_rewritten() {
    let cache = temp_dir("damaged");
    let out = same_with_and_without(&cache, &[SEED, PROJECT], &[]);
    let files = entries(&cache);
    assert_eq!(files.len(), 2);
    // One cut short, one with a byte changed inside its findings.
    let first = std::fs::read(&files[0]).unwrap();
    std::fs::write(&files[0], &first[..first.len() / 2]).unwrap();
    let mut second = std::fs::read(&files[1]).unwrap();
    let at = second.len() - 20;
    second[at] ^= 0x01;
    std::fs::write(&files[1], &second).unwrap();
    let again = check(Some(&cache), &[SEED, PROJECT], &[]);
    assert_eq!(again.stdout, out);
    assert_eq!(again.stderr, "");
    assert_ne!(std::fs::read(&files[1]).unwrap(), second, "rewritten");
    assert_eq!(check(Some(&cache), &[SEED, PROJECT], &[]).stdout, out);
}

/// Writes a rule file `<id>.rhai` with a minimal header and `body`.
fn write_rule(dir: &Path, id: &str, body: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let header: String = [
        ("id", id),
        ("title", "测试规则"),
        ("severity", "error"),
        ("basis", "测试"),
        ("checks", "测试"),
        ("why", "测试"),
        ("example", "测试"),
    ]
    .iter()
    .map(|(k, v)| format!("//! {k} = \"{v}\"\n"))
    .collect();
    std::fs::write(dir.join(format!("{id}.rhai")), header + body).unwrap();
}

#[test]
fn a_cached_rule_does_not_run_and_a_new_rule_does_not_rerun_the_others() {
    // What a rule prints shows whether it ran.
    let dir = temp_dir("ran");
    let rules = dir.join("rules");
    write_rule(&rules, "printer", "print(\"规则运行了\");\n[]\n");
    write_rule(
        &rules,
        "needs-extra",
        "if rule_exists(\"extra\") { [] } else { [finding(\"没有规则 extra\", [label(\"year\", \"此处\")])] }\n",
    );
    let args = [SEED, "--rules", rules.to_str().unwrap()];
    let cache = dir.join("c");
    let first = check(Some(&cache), &args, &[]);
    assert!(first.stderr.contains("规则运行了"), "{}", first.stderr);
    assert!(first.stdout.contains("没有规则 extra"));
    let second = check(Some(&cache), &args, &[]);
    assert!(!second.stderr.contains("规则运行了"), "{}", second.stderr);
    assert_eq!(second.stdout, first.stdout);
    // A new rule in the pack: the rule that asks for it runs again and
    // sees it; the printing rule's findings still come from the cache.
    write_rule(&rules, "extra", "[]\n");
    let third = check(Some(&cache), &args, &[]);
    assert!(!third.stderr.contains("规则运行了"), "{}", third.stderr);
    assert!(!third.stdout.contains("没有规则 extra"), "{}", third.stdout);
    assert_eq!(third.stdout, check(None, &args, &[]).stdout);
}

#[test]
fn rule_errors_are_not_cached() {
    let dir = temp_dir("errors");
    let rules = dir.join("rules");
    write_rule(&rules, "always-fails", "throw \"故意出错\";\n");
    let args = [SEED, "--rules", rules.to_str().unwrap()];
    for _ in 0..2 {
        let run = check(Some(&dir.join("c")), &args, &[]);
        assert_eq!(run.code, Some(2));
        assert!(run.stdout.contains("故意出错"), "{}", run.stdout);
    }
}

#[test]
fn a_rule_known_to_compile_still_runs_on_a_new_report() {
    // The first run records that the pack compiles; the second compiles
    // each rule only when the new report needs it.
    let cache = temp_dir("deferred");
    same_with_and_without(&cache, &[SEED], &[]);
    same_with_and_without(&cache, &[PROJECT], &[]);
    same_with_and_without(&cache, &[SAMPLE], &[]);
}

#[test]
fn no_cache_writes_nothing() {
    let dir = temp_dir("none");
    let cache = dir.join("c");
    let mut c = common::bin();
    c.env("JIXIAO_CACHE_DIR", &cache)
        .args(["check", "--no-cache", SEED])
        .assert()
        .success();
    assert!(!cache.exists());
}

#[test]
fn a_folder_that_is_not_a_cache_is_left_alone() {
    let dir = temp_dir("foreign");
    std::fs::write(dir.join("notes.txt"), "审核记录").unwrap();
    let run = check(Some(&dir), &[SEED], &[]);
    assert_eq!(run.code, Some(0));
    assert!(
        run.stderr.contains("不是 jixiao 的缓存目录"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, check(None, &[SEED], &[]).stdout);
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["notes.txt"]);
    // Nor does `cache clean` delete it.
    let clean = common::bin()
        .args(["cache", "clean", "--cache-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(clean.status.code(), Some(2));
    assert!(dir.join("notes.txt").exists());
}

#[test]
fn cache_dir_and_clean() {
    let dir = temp_dir("clean");
    let cache = dir.join("c");
    let cache_cmd = |args: &[&str]| {
        let out = common::bin()
            .env("JIXIAO_CACHE_DIR", &cache)
            .args(args)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let (code, shown) = cache_cmd(&["cache", "dir"]);
    assert_eq!(code, Some(0));
    assert_eq!(shown.trim(), cache.display().to_string());
    check(Some(&cache), &[SEED], &[]);
    assert!(cache.join("CACHEDIR.TAG").exists());
    let (code, said) = cache_cmd(&["cache", "clean"]);
    assert_eq!(code, Some(0), "{said}");
    assert!(!cache.exists());
    let (code, said) = cache_cmd(&["cache", "clean"]);
    assert_eq!(code, Some(0));
    assert!(said.contains("不存在"), "{said}");
}
