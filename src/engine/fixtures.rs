//! Rule fixtures: a fixture is a report file under `tests/<rule-id>/` of a
//! rule directory, with the findings expected of that rule listed in
//! `[[expect]]` tables (`path`, optional `message` fragment matched against
//! message and help, optional `help` fragment matched against the help
//! alone). A fixture with no `[[expect]]` expects the rule to stay quiet.
//! A fixture with `reader = "document"` is checked as a report imported
//! from a submitted document, so its expectations test the wording a
//! reviewer of that document reads (no data paths). Every rule needs at
//! least one firing and one quiet fixture.

use std::path::Path;
use std::sync::Arc;

use super::{Checker, pack};
use crate::report::{self, LoadOptions, Node};

/// One fixture file.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// The rule it tests: the name of its directory.
    pub rule: String,
    pub file: String,
    pub text: Arc<str>,
}

/// A finding a fixture expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expect {
    pub path: String,
    pub message: Option<String>,
    pub help: Option<String>,
}

/// The result of one fixture.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub rule: String,
    pub file: String,
    /// Whether the fixture expects findings.
    pub fires: bool,
    /// Why it failed, with expected and actual findings.
    pub failure: Option<String>,
}

/// The results of a fixture run, with coverage gaps.
#[derive(Debug, Clone, Default)]
pub struct RunResult {
    pub cases: Vec<CaseResult>,
    /// Rules lacking a firing or a quiet fixture.
    pub uncovered: Vec<String>,
}

impl RunResult {
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.failure.is_none()).count()
    }

    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed() + self.uncovered.len()
    }
}

/// The fixtures of the embedded default pack.
pub fn embedded() -> Vec<Fixture> {
    pack::embedded_files()
        .iter()
        .filter_map(|(rel, text)| {
            let rest = rel.strip_prefix("tests/")?;
            let (rule, name) = rest.split_once('/')?;
            name.ends_with(".toml").then(|| Fixture {
                rule: rule.to_string(),
                file: format!("{}{rel}", pack::EMBEDDED_PREFIX),
                text: Arc::from(*text),
            })
        })
        .collect()
}

/// The fixtures under `<dir>/tests/<rule-id>/*.toml`.
pub fn from_dir(dir: &Path) -> std::io::Result<Vec<Fixture>> {
    let mut out = Vec::new();
    let tests = dir.join("tests");
    if !tests.is_dir() {
        return Ok(out);
    }
    let mut rule_dirs: Vec<_> = std::fs::read_dir(&tests)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    rule_dirs.sort();
    for rd in rule_dirs {
        let rule = rd
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let mut files: Vec<_> = std::fs::read_dir(&rd)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        for f in files {
            out.push(Fixture {
                rule: rule.clone(),
                file: f.display().to_string(),
                text: Arc::from(
                    crate::report::read::capped_text(&f, crate::report::MAX_FILE_BYTES)
                        .map_err(std::io::Error::other)?,
                ),
            });
        }
    }
    Ok(out)
}

fn expectations(root: &Node) -> Result<Vec<Expect>, String> {
    let Some(items) = root.get("expect") else {
        return Ok(Vec::new());
    };
    let items = items.as_array().ok_or("`expect` 应为 [[expect]] 表数组")?;
    items
        .iter()
        .map(|e| {
            let path = e
                .get("path")
                .and_then(Node::as_str)
                .ok_or("[[expect]] 缺少 path")?;
            let text = |key: &str| e.get(key).and_then(Node::as_str).map(str::to_string);
            Ok(Expect {
                path: path.to_string(),
                message: text("message"),
                help: text("help"),
            })
        })
        .collect()
}

/// Runs each fixture with its own rule only and compares the findings.
pub fn run(checker: &Checker, fixtures: &[Fixture]) -> RunResult {
    let mut result = RunResult::default();
    for fx in fixtures {
        let fail = |why: String| CaseResult {
            rule: fx.rule.clone(),
            file: fx.file.clone(),
            fires: false,
            failure: Some(why),
        };
        if !checker.rules().iter().any(|r| r.doc.id == fx.rule) {
            result
                .cases
                .push(fail(format!("规则 {} 不存在或未能编译", fx.rule)));
            continue;
        }
        let loaded = report::load_bytes(
            &fx.file,
            fx.text.as_bytes(),
            LoadOptions {
                extra_keys: &["expect", "reader"],
            },
        );
        let mut rep = match loaded {
            Ok(r) => r,
            Err(f) => {
                let msgs: Vec<_> = f.errors.iter().map(|e| e.message.clone()).collect();
                result
                    .cases
                    .push(fail(format!("夹具无法读取：{}", msgs.join("；"))));
                continue;
            }
        };
        match rep.root.get("reader").map(|n| n.as_str()) {
            None => {}
            Some(Some("document")) => rep.reader = crate::report::terms::Reader::Document,
            Some(Some("toml")) => {}
            Some(_) => {
                result
                    .cases
                    .push(fail("夹具的 reader 应为 \"document\" 或 \"toml\"".into()));
                continue;
            }
        }
        let expected = match expectations(&rep.root) {
            Ok(e) => e,
            Err(e) => {
                result.cases.push(fail(e.to_string()));
                continue;
            }
        };
        let outcome = checker.check_with(&rep, |r| r.doc.id == fx.rule);
        let mut failure = None;
        if let Some(e) = outcome.errors.first() {
            failure = Some(format!("规则出错：{}", e.message));
        } else {
            let actual: Vec<Actual> = outcome
                .findings
                .iter()
                .filter(|f| f.rule == fx.rule)
                .map(|f| Actual {
                    path: f.labels[0].path.clone(),
                    message: f.message.clone(),
                    help: f.help.clone().unwrap_or_default(),
                })
                .collect();
            if !matches(&expected, &actual) {
                let exp: Vec<String> = expected
                    .iter()
                    .map(|e| {
                        let mut line = format!("  - {}", e.path);
                        if let Some(m) = &e.message {
                            line.push_str(&format!(" ~ {m:?}"));
                        }
                        if let Some(h) = &e.help {
                            line.push_str(&format!(" 提示 ~ {h:?}"));
                        }
                        line
                    })
                    .collect();
                let act: Vec<String> = actual
                    .iter()
                    .map(|a| format!("  + {} {:?} 提示 {:?}", a.path, a.message, a.help))
                    .collect();
                failure = Some(format!(
                    "期望 {} 条，实际 {} 条\n{}\n{}",
                    expected.len(),
                    actual.len(),
                    if exp.is_empty() {
                        "  - （无）".into()
                    } else {
                        exp.join("\n")
                    },
                    if act.is_empty() {
                        "  + （无）".into()
                    } else {
                        act.join("\n")
                    }
                ));
            }
        }
        result.cases.push(CaseResult {
            rule: fx.rule.clone(),
            file: fx.file.clone(),
            fires: !expected.is_empty(),
            failure,
        });
    }
    for rule in checker.rules() {
        let of_rule = || result.cases.iter().filter(|c| c.rule == rule.doc.id);
        let fires = of_rule().any(|c| c.fires);
        let quiet = of_rule().any(|c| !c.fires);
        if !fires || !quiet {
            let lacking = match (fires, quiet) {
                (false, false) => "触发夹具和不触发夹具",
                (false, true) => "触发夹具",
                _ => "不触发夹具",
            };
            result.uncovered.push(format!(
                "规则 {} 缺少{lacking}（tests/{}/）",
                rule.doc.id, rule.doc.id
            ));
        }
    }
    result
}

/// A finding of the fixture's rule, as expectations are matched against it.
struct Actual {
    path: String,
    message: String,
    help: String,
}

impl Actual {
    fn meets(&self, e: &Expect) -> bool {
        self.path == e.path
            && e.message
                .as_deref()
                .is_none_or(|frag| self.message.contains(frag) || self.help.contains(frag))
            && e.help
                .as_deref()
                .is_none_or(|frag| self.help.contains(frag))
    }
}

/// Whether every expectation matches a distinct finding and no finding is
/// left over.
fn matches(expected: &[Expect], actual: &[Actual]) -> bool {
    if expected.len() != actual.len() {
        return false;
    }
    let mut used = vec![false; actual.len()];
    expected.iter().all(|e| {
        let hit = actual
            .iter()
            .enumerate()
            .position(|(i, a)| !used[i] && a.meets(e));
        hit.map(|i| used[i] = true).is_some()
    })
}
