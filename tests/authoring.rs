//! Rule authoring and configuration end to end: `rules list|explain|test|
//! new|export`, `jixiao.toml`, `--param`, waivers in reports and in batch
//! files, `schema` and `check --watch`.

mod common;
use common::temp_dir;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

const SEED: &str = "examples/jingdezhen-education-2021.toml";
const WEIGHTS_ONLY: &str = "tests/data/weights-only.toml";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn jixiao(cwd: &Path) -> Command {
    let mut c = common::jixiao();
    c.current_dir(cwd).env("NO_COLOR", "1");
    c
}

fn count_fixtures(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            if p.is_dir() {
                count_fixtures(&p)
            } else {
                usize::from(p.extension().is_some_and(|e| e == "toml"))
            }
        })
        .sum()
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cwd: &Path, args: &[&str]) -> Run {
    let out = jixiao(cwd).args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn check_json(cwd: &Path, args: &[&str]) -> (i32, Value) {
    let r = run(cwd, &[&["check", "--format", "json"], args].concat());
    (
        r.code,
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", r.stdout, r.stderr)),
    )
}

fn rules_of(v: &Value) -> Vec<String> {
    v["reports"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn rules_list_shows_every_rule() {
    let r = run(&root(), &["rules", "list"]);
    assert_eq!(r.code, 0);
    for id in [
        "weights-sum",
        "execution-rate-bounds",
        "section-numbering",
        "waiver-valid",
        "project-default-weights",
    ] {
        assert!(r.stdout.contains(id), "{id}");
    }
    assert!(r.stdout.contains("共 25 条规则和 3 项内置检查"));
    assert!(r.stdout.contains("权重合计应为 100") && r.stdout.contains("内置"));
    // The host's own checks are listed as rules are.
    for id in ["unknown-key", "unused-waiver", "import-uncertain"] {
        assert!(r.stdout.contains(id), "{id}");
    }
}

#[test]
fn rules_explain_shows_basis_params_and_two_examples() {
    let r = run(
        &root(),
        &[
            "rules",
            "explain",
            "execution-rate-bounds",
            "--param",
            "execution-rate-bounds.max=110%",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("【依据】") && r.stdout.contains("青神县 2023"));
    assert!(
        r.stdout.contains("max = \"110%\"（默认 \"100%\"）"),
        "current and default values"
    );
    assert!(r.stdout.contains("【会报告的例子】") && r.stdout.contains("→ 预算执行率 130.53%"));
    assert!(r.stdout.contains("【不会报告的例子】") && r.stdout.contains("→ 没有发现"));
    let unknown = run(&root(), &["rules", "explain", "execution-rate-bound"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("execution-rate-bounds"),
        "suggests the closest id"
    );
}

#[test]
fn a_new_rule_runs_in_check_and_its_tests_catch_a_broken_rule() {
    let dir = temp_dir("new");
    let pack = dir.join("pack");
    assert_eq!(run(&dir, &["rules", "export", "pack"]).code, 0);
    assert_eq!(
        run(&dir, &["rules", "export", "pack"]).code,
        2,
        "export does not overwrite"
    );
    let made = run(
        &dir,
        &["rules", "new", "title-has-department", "--dir", "pack"],
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    let tested = run(&dir, &["rules", "test", "pack"]);
    assert_eq!(tested.code, 0, "{}", tested.stdout);
    let fixtures = count_fixtures(&pack.join("tests"));
    let last = tested.stdout.lines().last().unwrap();
    assert_eq!(
        last,
        format!("夹具 {fixtures} 个通过，0 个未通过（{fixtures} passed, 0 failed）")
    );

    // The new rule runs in `check` on a report whose title lacks the department.
    let report = dir.join("r.toml");
    std::fs::write(
        &report,
        std::fs::read_to_string(pack.join("tests/title-has-department/fires.toml"))
            .unwrap()
            .split("\n[[expect]]")
            .next()
            .unwrap(),
    )
    .unwrap();
    let (_, v) = check_json(&dir, &["r.toml", "--rules", "pack"]);
    assert!(rules_of(&v).contains(&"title-has-department".to_string()));

    // Breaking its logic makes `rules test` fail and show the difference.
    let rule = pack.join("title-has-department.rhai");
    let text = std::fs::read_to_string(&rule).unwrap();
    std::fs::write(
        &rule,
        text.replace("report.title.contains(report.department)", "true"),
    )
    .unwrap();
    let broken = run(&dir, &["rules", "test", "pack"]);
    assert_eq!(broken.code, 1);
    assert!(
        broken.stdout.contains("未通过 ")
            && broken
                .stdout
                .contains("- title ~ \"没有部门名称「示例局」\""),
        "{}",
        broken.stdout
    );
    assert!(
        broken
            .stdout
            .trim_end()
            .ends_with(&format!("（{} passed, 1 failed）", fixtures - 1)),
        "{}",
        broken.stdout
    );

    assert_eq!(
        run(&dir, &["rules", "new", "Bad_Id", "--dir", "pack"]).code,
        2
    );
    assert_eq!(
        run(
            &dir,
            &["rules", "new", "title-has-department", "--dir", "pack"]
        )
        .code,
        2,
        "never overwrites"
    );
}

#[test]
fn a_rule_without_a_quiet_fixture_fails_the_coverage_gate() {
    let dir = temp_dir("coverage");
    assert_eq!(
        run(&dir, &["rules", "new", "my-rule", "--dir", "p"]).code,
        0
    );
    std::fs::remove_file(dir.join("p/tests/my-rule/quiet.toml")).unwrap();
    let r = run(&dir, &["rules", "test", "p"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("缺少不触发夹具"), "{}", r.stdout);
    assert!(r.stdout.trim_end().ends_with("（1 passed, 1 failed）"));
}

#[test]
fn fixtures_check_the_wording_for_each_reader() {
    let dir = temp_dir("readers");
    assert_eq!(
        run(&dir, &["rules", "new", "my-rule", "--dir", "p"]).code,
        0
    );
    let rule = dir.join("p/my-rule.rhai");
    let script = std::fs::read_to_string(&rule).unwrap();
    std::fs::write(
        &rule,
        script.replace(
            "\"在标题中写明部门全称\"",
            "`在${field(\"title\")}中写明部门全称`",
        ),
    )
    .unwrap();
    let fires = dir.join("p/tests/my-rule/fires.toml");
    let text = std::fs::read_to_string(&fires).unwrap();
    // The TOML reader is told the data path; a reviewer of a document is
    // not; a reader the fixtures do not know fails the fixture.
    let with = |reader: &str, help: &str| {
        let fixture = text.replace("year = 2021\n", &format!("year = 2021\n{reader}"))
            + &format!("help = \"{help}\"\n");
        std::fs::write(&fires, fixture).unwrap();
        run(&dir, &["rules", "test", "p"])
    };
    assert_eq!(with("", "在报告标题（title）中写明").code, 0);
    assert_eq!(with("reader = \"document\"\n", "在报告标题中写明").code, 0);
    let r = with("reader = \"document\"\n", "（title）");
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("提示 ~"), "{}", r.stdout);
    let r = with("reader = \"paper\"\n", "在报告标题中写明");
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("夹具的 reader 应为"), "{}", r.stdout);
}

#[test]
fn rules_test_runs_the_default_pack() {
    let r = run(&root(), &["rules", "test"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.trim_end().ends_with("passed, 0 failed）"));
}

#[test]
fn param_on_the_command_line_changes_a_threshold() {
    let (_, before) = check_json(&root(), &[SEED]);
    assert!(rules_of(&before).contains(&"execution-rate-bounds".to_string()));
    let (code, after) = check_json(
        &root(),
        &[SEED, "--param", "execution-rate-bounds.max=140%"],
    );
    assert_eq!(code, 0);
    assert!(!rules_of(&after).contains(&"execution-rate-bounds".to_string()));
    let bad = run(
        &root(),
        &["check", SEED, "--param", "execution-rate-bounds.max=lots"],
    );
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("带百分号的比率"), "{}", bad.stderr);
}

#[test]
fn config_severity_turns_an_error_into_a_warning() {
    let dir = temp_dir("severity");
    let report = root().join(WEIGHTS_ONLY);
    let report = report.to_str().unwrap();
    assert_eq!(check_json(&dir, &[report]).0, 1);
    std::fs::write(
        dir.join("jixiao.toml"),
        "[rules.severity]\nweights-sum = \"warning\"\n",
    )
    .unwrap();
    let (code, v) = check_json(&dir, &[report]);
    assert_eq!(code, 0, "jixiao.toml is found in the working directory");
    assert_eq!(v["reports"][0]["diagnostics"][0]["severity"], "warning");
    // And in a parent directory.
    let sub = dir.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    assert_eq!(check_json(&sub, &[report]).0, 0);
    // `off` and `disable` remove the rule.
    std::fs::write(
        dir.join("jixiao.toml"),
        "[rules]\ndisable = [\"weights-sum\"]\n",
    )
    .unwrap();
    assert!(rules_of(&check_json(&dir, &[report]).1).is_empty());
}

#[test]
fn a_misspelt_parameter_is_exit_2_with_its_span() {
    let dir = temp_dir("misspelt");
    std::fs::write(
        dir.join("jixiao.toml"),
        "[params.execution-rate-bounds]\nmaxx = \"110%\"\n",
    )
    .unwrap();
    let r = run(&dir, &["check", root().join(SEED).to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("没有参数 `maxx`")
            && r.stderr.contains("jixiao.toml:2:1")
            && r.stderr.contains("max"),
        "{}",
        r.stderr
    );
    let (code, v) = check_json(&dir, &[root().join(SEED).to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(v["errors"][0]["line"], 2);
    for (config, what) in [
        (
            "[rules]\ndisable = [\"weight-sum\"]\n",
            "没有 id 为 `weight-sum` 的规则",
        ),
        (
            "[rules.severity]\nweights-sum = \"fatal\"\n",
            "级别 \"fatal\" 无效",
        ),
        (
            "[params.weights-sum]\nexpected_total = \"一百\"\n",
            "应为数字",
        ),
        ("[rule]\n", "配置中没有 `rule`"),
    ] {
        std::fs::write(dir.join("jixiao.toml"), config).unwrap();
        let r = run(&dir, &["check", root().join(SEED).to_str().unwrap()]);
        assert_eq!(r.code, 2, "{config}");
        assert!(r.stderr.contains(what), "{config}: {}", r.stderr);
    }
}

#[test]
fn two_rule_files_with_one_id_is_an_error_naming_both() {
    let dir = temp_dir("duplicate");
    std::fs::create_dir_all(dir.join("mine")).unwrap();
    std::fs::copy(
        root().join("rules/weights-sum.rhai"),
        dir.join("mine/weights-sum.rhai"),
    )
    .unwrap();
    std::fs::write(dir.join("jixiao.toml"), "[rules]\npaths = [\"mine\"]\n").unwrap();
    let r = run(&dir, &["check", root().join(SEED).to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("embedded:rules/weights-sum.rhai")
            && r.stderr.contains("mine/weights-sum.rhai"),
        "{}",
        r.stderr
    );
    std::fs::write(
        dir.join("jixiao.toml"),
        "[rules]\npaths = [\"mine\"]\ndefault_pack = false\n",
    )
    .unwrap();
    let listed = run(&dir, &["rules", "list"]);
    assert!(
        listed.stdout.contains("共 1 条规则") && listed.stdout.contains("mine/weights-sum.rhai"),
        "{}",
        listed.stdout
    );
}

#[test]
fn waivers_in_a_report() {
    let dir = temp_dir("waiver");
    let seed = std::fs::read_to_string(root().join(SEED)).unwrap();
    let with = format!(
        "{seed}\n[[waivers]]\nrule = \"execution-rate-bounds\"\nreason = \"追加资金已另行报批。\"\napproved_by = \"市财政局绩效科\"\n"
    );
    std::fs::write(dir.join("r.toml"), &with).unwrap();
    let (code, v) = check_json(&dir, &["r.toml"]);
    assert_eq!(code, 0);
    let d = v["reports"][0]["diagnostics"].as_array().unwrap();
    let waived = d
        .iter()
        .find(|d| d["rule"] == "execution-rate-bounds")
        .unwrap();
    assert_eq!(waived["waived"]["reason"], "追加资金已另行报批。");

    std::fs::write(
        dir.join("r.toml"),
        with.replace("reason = \"追加资金已另行报批。\"\n", ""),
    )
    .unwrap();
    let (code, v) = check_json(&dir, &["r.toml"]);
    assert_eq!(code, 1, "a waiver without a reason is an error finding");
    let rules = rules_of(&v);
    assert!(
        rules.contains(&"waiver-valid".to_string())
            && rules.contains(&"execution-rate-bounds".to_string())
    );

    std::fs::write(
        dir.join("r.toml"),
        with.replace("execution-rate-bounds", "weights-sum"),
    )
    .unwrap();
    let (_, v) = check_json(&dir, &["r.toml"]);
    assert!(rules_of(&v).contains(&"unused-waiver".to_string()));
}

#[test]
fn a_batch_waiver_file() {
    let dir = temp_dir("waiver-file");
    std::fs::copy(root().join(SEED), dir.join("seed.toml")).unwrap();
    std::fs::write(
        dir.join("waivers.toml"),
        "[[waivers]]\nreport = \"seed.toml\"\nrule = \"execution-rate-bounds\"\nreason = \"已报批。\"\napproved_by = \"绩效科\"\nexpires = 2099-12-31\n\n\
         [[waivers]]\nreport = \"seed.toml\"\nrule = \"deduction-explained\"\nreason = \"已报批。\"\nexpires = 2001-01-01\n\n\
         [[waivers]]\nreport = \"seed.toml\"\nrule = \"weights-sum\"\nreason = \"无对应发现\"\n",
    )
    .unwrap();
    let (code, v) = check_json(&dir, &["seed.toml", "--waivers", "waivers.toml"]);
    assert_eq!(code, 0);
    let d = v["reports"][0]["diagnostics"].as_array().unwrap();
    let waived: Vec<_> = d.iter().filter(|d| !d["waived"].is_null()).collect();
    assert_eq!(waived.len(), 1);
    assert_eq!(waived[0]["waived"]["expires"], "2099-12-31");
    let warnings: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("2001-01-01 到期"));
    assert!(warnings[1].contains("没有对应的发现"));
    assert_eq!(v["warnings"][1]["line"], 14);

    std::fs::write(dir.join("bad.toml"), "[[waivers]]\nrule = \"x\"\n").unwrap();
    assert_eq!(
        check_json(&dir, &["seed.toml", "--waivers", "bad.toml"]).0,
        2
    );
}

#[test]
fn schema_describes_format_v1_in_chinese() {
    let r = run(&root(), &["schema"]);
    assert_eq!(r.code, 0);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["properties"]["format"]["const"], "jixiao-report/1");
    assert_eq!(
        v["required"],
        serde_json::json!(["format", "kind", "title", "department", "year"])
    );
    let rate = &v["properties"]["budget"]["properties"]["rate"];
    assert!(rate["description"].as_str().unwrap().contains("预算执行率"));
    assert_eq!(
        v["properties"]["indicators"]["items"]["properties"]["direction"]["enum"],
        serde_json::json!(["positive", "negative"])
    );
}

#[test]
fn watch_reruns_when_a_report_changes() {
    let dir = temp_dir("watch");
    let report = dir.join("r.toml");
    std::fs::copy(root().join(SEED), &report).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("jixiao"))
        .env("JIXIAO_CACHE_DIR", common::CACHE_DIR)
        .env("JIXIAO_CACHE_KEY", common::CACHE_KEY)
        .args([
            "check",
            "--watch",
            "--format",
            "json",
            report.to_str().unwrap(),
        ])
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("检查完成") && tx.send(line).is_err() {
                break;
            }
        }
    });
    let first = rx.recv_timeout(Duration::from_secs(20));
    std::thread::sleep(Duration::from_millis(1100));
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(&report, text.replace("score = 18", "score = 20")).unwrap();
    let start = Instant::now();
    let second = rx.recv_timeout(Duration::from_secs(20));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(first.is_ok(), "first run reported");
    assert!(
        second.is_ok(),
        "rerun after the change ({:?})",
        start.elapsed()
    );
}

#[test]
fn a_syntax_error_is_shown_in_the_script() {
    let dir = temp_dir("syntax");
    assert_eq!(
        run(&dir, &["rules", "new", "my-rule", "--dir", "p"]).code,
        0
    );
    let rule = dir.join("p/my-rule.rhai");
    let text = std::fs::read_to_string(&rule).unwrap();
    std::fs::write(&rule, text.replace("return [];", "return [;")).unwrap();
    let r = run(
        &dir,
        &["check", root().join(SEED).to_str().unwrap(), "--rules", "p"],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stdout.contains("p/my-rule.rhai:") && r.stdout.contains("return [;"),
        "{}",
        r.stdout
    );
}
