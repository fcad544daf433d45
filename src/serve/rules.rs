//! The rule pack as the workbench changes it: a parameter set (validated
//! as `jixiao.toml` is, recorded in the ledger, every submission checked
//! again), a rule's script edited with a preview before it is saved — its
//! fixtures run with the edited script, and every submission checked with
//! it (earlier rounds too, as saving checks them all), showing what would
//! appear and what would disappear in the latest rounds — and refused
//! when it does not compile, fails its fixtures or fails (or passes a
//! limit) on any submission.

use rayon::prelude::*;

use super::bench::{Edit, Error, Result, Workbench, signed};
use crate::engine::{Checker, fixtures, pack};
use crate::ledger::RuleChange;

/// A rule as the rules page shows it.
pub struct RuleView {
    pub id: String,
    pub title: String,
    pub severity: crate::diagnostic::Severity,
    pub applies: &'static str,
    /// Where its script comes from (embedded, a file, or the ledger).
    pub file: String,
    pub checks: String,
    pub why: String,
    pub basis: String,
    pub example: String,
    /// Each parameter with the value in force and its default.
    pub params: Vec<(crate::engine::Param, toml::Value)>,
    pub script: String,
    /// Why the ledger's changes to it are not used, when they no longer
    /// make a pack (see [`Workbench::broken`]).
    pub broken: Option<String>,
}

/// Every rule of the pack in force, ordered by id.
pub fn rules(bench: &Workbench) -> Vec<RuleView> {
    let review = bench.review();
    let broken = bench.broken();
    let why = |id: &str| broken.iter().find(|(r, _)| r == id).map(|(_, m)| m.clone());
    review
        .checker()
        .rules()
        .iter()
        .map(|r| RuleView {
            id: r.doc.id.clone(),
            title: r.doc.title.clone(),
            severity: r.severity,
            applies: r.doc.applies.zh(),
            file: r.file.clone(),
            checks: r.doc.checks.clone(),
            why: r.doc.why.clone(),
            basis: r.doc.basis.clone(),
            example: r.doc.example.clone(),
            params: r
                .doc
                .params
                .iter()
                .cloned()
                .zip(r.values.iter().map(|(_, v)| v.clone()))
                .collect(),
            script: r.source.to_string(),
            broken: why(&r.doc.id),
        })
        .collect()
}

/// What saving an edited script would do.
#[derive(Debug, Default)]
pub struct Preview {
    /// Why it cannot be saved: it does not compile, or it failed while
    /// checking a fixture or a submission.
    pub errors: Vec<String>,
    /// Each fixture: its file, whether it expects findings, why it failed.
    pub fixtures: Vec<(String, bool, Option<String>)>,
    /// Findings that would appear: submission, its title, the message.
    pub appear: Vec<(i64, String, String)>,
    /// Findings that would disappear.
    pub disappear: Vec<(i64, String, String)>,
}

impl Preview {
    /// Whether the script may be saved.
    pub fn sound(&self) -> bool {
        self.errors.is_empty() && self.fixtures.iter().all(|(_, _, f)| f.is_none())
    }
}

/// The fixtures of rule `id` in the base pack (a `--rules` directory's, or
/// the embedded pack's).
fn fixtures_of(bench: &Workbench, id: &str) -> Vec<fixtures::Fixture> {
    let all = match &bench.options.pack.rules {
        Some(dir) => fixtures::from_dir(dir).unwrap_or_default(),
        None => fixtures::embedded(),
    };
    all.into_iter().filter(|f| f.rule == id).collect()
}

/// Tries `text` as the script of rule `id` (see [`Preview`]).
pub fn preview(bench: &Workbench, id: &str, text: &str) -> Result<Preview> {
    if text.len() as u64 > pack::MAX_RULE_BYTES {
        return Err(Error::Invalid(format!(
            "规则文件不能超过 {} 字节",
            pack::MAX_RULE_BYTES
        )));
    }
    let mut p = Preview::default();
    let file = pack::RuleFile {
        id: id.to_string(),
        file: format!("{}{id}.rhai", super::pack::LEDGER_RULES),
        text: text.into(),
    };
    // The fixtures run with the rule's defaults, as they are written.
    let alone = Checker::new(vec![file.clone()]);
    p.errors
        .extend(alone.errors().iter().map(|e| e.message.clone()));
    if !p.errors.is_empty() {
        return Ok(p);
    }
    for c in fixtures::run(&alone, &fixtures_of(bench, id)).cases {
        if let Some(f) = &c.failure
            && f.starts_with("规则出错")
        {
            p.errors.push(format!("{}：{f}", c.file));
        }
        p.fixtures.push((c.file, c.fires, c.failure));
    }
    let edit = Edit::Script {
        rule: id.to_string(),
        text: text.to_string(),
    };
    let trial = bench.build(&bench.pack_options(Some(&edit))?)?;
    // Every submission, earlier rounds too: saving checks them all again,
    // so a script that fails on any of them is refused here. Each file is
    // read and checked once for all its sheets.
    let files = super::stored::by_file(bench.ledger.read(|tx| tx.submissions())?);
    let results: Vec<(Vec<String>, Vec<_>, Vec<_>)> = files
        .into_par_iter()
        .map(|group| -> Result<Vec<_>> {
            let reports = super::stored::file_reports(&trial, &bench.ledger, &group[0])?;
            group
                .into_iter()
                .map(|s| {
                    let after = super::stored::part_of(&s, reports.clone());
                    tried(bench, id, &s, &after)
                })
                .collect()
        })
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    for (failed, appear, gone) in results {
        p.errors.extend(failed);
        p.appear.extend(appear);
        p.disappear.extend(gone);
    }
    Ok(p)
}

/// What a trial script did on submission `s` (its outcome `after`): the
/// rule's failures, and for a latest round the findings of the rule that
/// would appear and disappear.
#[allow(clippy::type_complexity)]
fn tried(
    bench: &Workbench,
    id: &str,
    s: &crate::ledger::Submission,
    after: &crate::diagnostic::ReportOutcome,
) -> Result<(
    Vec<String>,
    Vec<(i64, String, String)>,
    Vec<(i64, String, String)>,
)> {
    let failed: Vec<String> = after
        .errors
        .iter()
        .filter(|e| e.file.ends_with(&format!("{id}.rhai")))
        .map(|e| format!("报送 {}（{}）：{}", s.id, s.name, e.message))
        .collect();
    if s.superseded {
        // What an earlier round would show is not what the reviewer
        // looks at now.
        return Ok((failed, Vec::new(), Vec::new()));
    }
    let mut before: Vec<(String, String)> = bench.ledger.read(|tx| -> Result<_> {
        Ok(match tx.latest_run(s.id)? {
            Some(run) => tx
                .findings(run.id)?
                .into_iter()
                .filter(|f| f.rule == id)
                .map(|f| (f.path, f.message))
                .collect(),
            None => Vec::new(),
        })
    })?;
    let mut appear = Vec::new();
    for f in after.findings.iter().filter(|f| f.rule == id) {
        let key = (
            f.labels.first().map(|l| l.path.clone()).unwrap_or_default(),
            f.message.clone(),
        );
        match before.iter().position(|b| *b == key) {
            Some(i) => {
                before.remove(i);
            }
            None => appear.push((s.id, s.title.clone(), key.1)),
        }
    }
    let gone = before
        .into_iter()
        .map(|(_, m)| (s.id, s.title.clone(), m))
        .collect();
    Ok((failed, appear, gone))
}

/// Saves `text` as the script of rule `id` when it is sound, and checks
/// every submission again; else says why not, with the preview.
pub fn save(
    bench: &Workbench,
    id: &str,
    text: &str,
    by: &str,
) -> Result<std::result::Result<usize, Preview>> {
    may_change(bench)?;
    let p = preview(bench, id, text)?;
    if !p.sound() {
        return Ok(Err(p));
    }
    let edit = Edit::Script {
        rule: id.to_string(),
        text: text.to_string(),
    };
    let review = bench.build(&bench.pack_options(Some(&edit))?)?;
    bench.ledger.write(|tx| {
        tx.add_rule_change(&RuleChange {
            rule: id.to_string(),
            kind: "script".into(),
            name: None,
            value: text.to_string(),
            by: signed(by),
            at: crate::clock::now(),
        })
    })?;
    bench.mended(id);
    Ok(Ok(bench.replace_pack(review)?))
}

/// Takes rule `id` back to the base pack's (its script and parameters),
/// and checks every submission again.
pub fn revert(bench: &Workbench, id: &str, by: &str) -> Result<usize> {
    may_change(bench)?;
    bench.revert(id, by)
}

/// Refused on a workbench whose rules may not be changed.
fn may_change(bench: &Workbench) -> Result<()> {
    if bench.options.read_only_rules {
        return Err(Error::Forbidden(
            "本审核台不允许修改规则（--read-only-rules）".into(),
        ));
    }
    Ok(())
}

/// Sets parameter `name` of rule `id` to `value` (TOML, or text), when the
/// pack accepts it, and checks every submission again.
pub fn set_param(bench: &Workbench, id: &str, name: &str, value: &str, by: &str) -> Result<usize> {
    may_change(bench)?;
    let value = value.trim();
    if value.is_empty() || value.len() > 4096 || value.contains(['\n', '\r']) {
        return Err(Error::Invalid("参数值应为一行，不能为空".into()));
    }
    let edit = Edit::Param {
        rule: id.to_string(),
        name: name.to_string(),
        value: value.to_string(),
    };
    // Built as jixiao.toml is checked: an unknown parameter or a value of
    // the wrong kind is refused with the reason.
    let review = bench.build(&bench.pack_options(Some(&edit))?)?;
    bench.ledger.write(|tx| {
        tx.add_rule_change(&RuleChange {
            rule: id.to_string(),
            kind: "param".into(),
            name: Some(name.to_string()),
            value: value.to_string(),
            by: signed(by),
            at: crate::clock::now(),
        })
    })?;
    bench.mended(id);
    bench.replace_pack(review)
}
