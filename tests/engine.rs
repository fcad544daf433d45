//! The rule host's guarantees: rules see the report read-only, cannot
//! change what the next rule sees, and are stopped by the limits.

use std::sync::Arc;
use std::time::Instant;

use jixiao::engine::{Checker, RuleFile};
use jixiao::review::check_text;

const REPORT: &str = "format = \"jixiao-report/1\"\nkind = \"department\"\ntitle = \"示例局2021年度报告\"\ndepartment = \"示例局\"\nyear = 2021\n[budget]\nexecuted = 5\n";

fn rule(id: &str, body: &str) -> RuleFile {
    let text = format!(
        "//! id = \"{id}\"\n//! title = \"t\"\n//! severity = \"error\"\n//! basis = \"b\"\n//! checks = \"c\"\n//! why = \"w\"\n//! example = \"e\"\n{body}\n"
    );
    RuleFile {
        id: id.into(),
        file: format!("{id}.rhai"),
        text: Arc::from(text),
    }
}

#[test]
fn rules_cannot_change_the_report_for_other_rules() {
    let checker = Checker::new(vec![
        rule(
            "a-mutate",
            "let r = report; r.budget.executed = 999.0; r.title = \"x\"; []",
        ),
        rule("b-assign", "report.budget.executed = 1.0; []"),
        rule(
            "b-copy",
            "let s = report.summary; s.push(1); let b = report.budget; b.executed = 2.0; []",
        ),
        rule(
            "c-read",
            "if report.budget.executed != 5.0 { [finding(\"changed\", [label(\"budget.executed\", \"x\")])] } else { [] }",
        ),
    ]);
    let out = check_text(&checker, "r.toml", REPORT);
    assert!(out.findings.is_empty(), "{:?}", out.findings);
    assert_eq!(
        out.errors.len(),
        1,
        "assigning to the constant report is an error"
    );
    assert!(out.errors[0].file.ends_with("b-assign.rhai"));
}

#[test]
fn hostile_rules_are_stopped_quickly_and_named() {
    let checker = Checker::new(vec![
        rule("loop-forever", "loop {}"),
        rule("recurse", "fn f(x) { f(x + 1) } f(0)"),
        rule("grow", "let s = \"x\"; loop { s += s; }"),
        rule("use-eval", "eval(\"1\")"),
        rule("import", "import \"/etc/passwd\" as p; []"),
        rule("bad-shape", "[1, 2]"),
        rule("fine", "[finding(\"ok\", [label(\"title\", \"x\")])]"),
    ]);
    let start = Instant::now();
    let out = check_text(&checker, "r.toml", REPORT);
    assert!(start.elapsed().as_secs_f64() < 5.0);
    let mut failed: Vec<String> = out
        .errors
        .iter()
        .chain(checker.errors())
        .map(|e| e.file.clone())
        .collect();
    failed.sort();
    assert_eq!(
        failed,
        [
            "bad-shape.rhai",
            "grow.rhai",
            "import.rhai",
            "loop-forever.rhai",
            "recurse.rhai",
            "use-eval.rhai"
        ]
    );
    assert_eq!(out.findings.len(), 1, "the well-behaved rule still ran");
    let loop_err = out
        .errors
        .iter()
        .find(|e| e.file == "loop-forever.rhai")
        .unwrap();
    assert!(
        loop_err.message.contains("loop-forever") && loop_err.message.contains("上限"),
        "{}",
        loop_err.message
    );
}

#[test]
fn a_finding_may_override_its_severity_and_waivers_respect_at() {
    let checker = Checker::new(vec![rule(
        "two",
        "[#{ message: \"a\", severity: \"advice\", labels: [label(\"title\", \"t\")] }, finding(\"b\", [label(\"budget.executed\", \"e\")])]",
    )]);
    let waived = format!(
        "{REPORT}[[waivers]]\nrule = \"two\"\nreason = \"已批准的例外。\"\nat = \"budget\"\n"
    );
    let out = check_text(&checker, "r.toml", &waived);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let a = out.findings.iter().find(|f| f.message == "a").unwrap();
    let b = out.findings.iter().find(|f| f.message == "b").unwrap();
    assert_eq!(a.severity, jixiao::diagnostic::Severity::Advice);
    assert!(
        a.waived.is_none(),
        "`at = budget` does not cover a label on title"
    );
    assert_eq!(b.waived.as_ref().unwrap().reason, "已批准的例外。");
    let placeholder = waived.replace("已批准的例外。", "无");
    let out = check_text(&checker, "r.toml", &placeholder);
    assert!(
        out.findings.iter().all(|f| f.waived.is_none()),
        "a waiver without a real reason waives nothing"
    );
}

#[test]
fn each_limit_is_named_and_hit_within_a_second() {
    let cases = [
        ("ops", "loop {}", "运算次数上限"),
        ("depth", "fn f(x) { f(x + 1) } f(0)", "调用层级"),
        (
            "string",
            "let s = \"很长\"; loop { s += s; }",
            "字符串长度超过上限",
        ),
        ("array", "let a = [1]; loop { a += a; }", "数组长度超过上限"),
        // A growing map is re-measured at every insert: in a debug build the
        // clock stops it before its size limit does. Either is a named limit.
        (
            "map",
            "let m = #{}; let i = 0; loop { m[`k${i}`] = i; i += 1; }",
            "上限",
        ),
        (
            "clock",
            "let s = \"绩效管理\"; while s.len() < 100000 { s += s; } let n = 0; loop { n += similarity(s, s); }",
            "运行时间超过上限",
        ),
    ];
    for (id, body, limit) in cases {
        let checker = Checker::new(vec![
            rule(id, body),
            rule("fine", "[finding(\"ok\", [label(\"title\", \"x\")])]"),
        ]);
        let start = Instant::now();
        let out = check_text(&checker, "r.toml", REPORT);
        let took = start.elapsed();
        assert!(took.as_secs_f64() < 1.0, "{id} took {took:?}");
        let e = out
            .errors
            .iter()
            .find(|e| e.file == format!("{id}.rhai"))
            .unwrap_or_else(|| panic!("{id}: {:?}", out.errors));
        assert!(
            e.message.contains(id) && e.message.contains(limit),
            "{id}: {}",
            e.message
        );
        assert_eq!(out.findings.len(), 1, "{id}: the other rule still ran");
    }
}

#[test]
fn rules_have_no_way_out_of_the_sandbox() {
    for (id, body) in [
        ("read", "let t = read_file(\"/etc/passwd\"); []"),
        ("open", "let f = open_file(\"/etc/passwd\"); []"),
        ("exec", "let r = system(\"ls\"); []"),
        ("http", "let r = http_get(\"http://127.0.0.1/\"); []"),
        ("import", "import \"rules/weights-sum\" as w; []"),
        ("eval", "eval(\"[]\")"),
    ] {
        let checker = Checker::new(vec![rule(id, body)]);
        let out = check_text(&checker, "r.toml", REPORT);
        let failed = !checker.errors().is_empty() || !out.errors.is_empty();
        assert!(failed, "{id} must not run");
    }
}
