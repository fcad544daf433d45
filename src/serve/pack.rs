//! The pack in force in a workbench: the base pack (`--rules`,
//! `--config`, or the embedded one) with the rule changes recorded in the
//! ledger on top. A rule whose changes no longer make a pack — a script
//! this version cannot compile, a parameter it refuses — is found rule by
//! rule when the workbench opens and left out (the base pack's rule is
//! used) until a reviewer reverts or fixes it, so that whatever the ledger
//! holds, the workbench starts.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::cache::Cache;
use crate::diagnostic::FileError;
use crate::engine::pack::RuleFile;
use crate::ledger::{Ledger, Result, RuleChange};
use crate::review::{self, PackOptions, Review};

/// A change being tried on the pack.
#[derive(Debug, Clone)]
pub enum Edit {
    Script {
        rule: String,
        text: String,
    },
    Param {
        rule: String,
        name: String,
        value: String,
    },
}

/// The kind of a rule change that takes a rule back to the base pack's.
pub const REVERT: &str = "revert";

/// The pack `base` with the ledger's changes (but those of the rules in
/// `skip`), and `edit` on top.
pub(super) fn pack_of(
    ledger: &Ledger,
    base: &PackOptions,
    edit: Option<&Edit>,
    skip: &BTreeSet<String>,
) -> Result<PackOptions> {
    let mut pack = base.clone();
    let changes: Vec<RuleChange> = ledger
        .read(|tx| tx.rule_changes())?
        .into_iter()
        .filter(|c| !skip.contains(&c.rule))
        .collect();
    let mut scripts: Vec<RuleFile> = Vec::new();
    let mut params: Vec<(String, String, String)> = Vec::new();
    let mut apply = |rule: &str, kind: &str, name: Option<&str>, value: &str| match kind {
        "script" => {
            let file = RuleFile {
                id: rule.to_string(),
                file: format!("{LEDGER_RULES}{rule}.rhai"),
                text: Arc::from(value),
            };
            match scripts.iter_mut().find(|s| s.id == rule) {
                Some(s) => *s = file,
                None => scripts.push(file),
            }
        }
        REVERT => {
            // Back to the base pack's rule: the changes before are undone.
            scripts.retain(|s| s.id != rule);
            params.retain(|(r, _, _)| r != rule);
        }
        _ => {
            let name = name.unwrap_or_default().to_string();
            params.retain(|(r, n, _)| !(r == rule && *n == name));
            params.push((rule.to_string(), name, value.to_string()));
        }
    };
    for c in &changes {
        apply(&c.rule, &c.kind, c.name.as_deref(), &c.value);
    }
    match edit {
        Some(Edit::Script { rule, text }) => apply(rule, "script", None, text),
        Some(Edit::Param { rule, name, value }) => apply(rule, "param", Some(name), value),
        None => {}
    }
    pack.scripts.extend(scripts);
    pack.params
        .extend(params.into_iter().map(|(r, n, v)| format!("{r}.{n}={v}")));
    Ok(pack)
}

/// A review whose pack holds no rule from the ledger that fails to compile
/// (a rule of the base pack that does is the base pack's own affair, said
/// as `check` says it).
pub(super) fn sound(
    built: std::result::Result<Review, Vec<FileError>>,
) -> std::result::Result<Review, Vec<FileError>> {
    let review = built?;
    let ledgers: Vec<FileError> = review
        .checker()
        .errors()
        .iter()
        .filter(|e| e.file.starts_with(LEDGER_RULES))
        .cloned()
        .collect();
    if ledgers.is_empty() {
        Ok(review)
    } else {
        Err(ledgers)
    }
}

/// How the files of rules kept in the ledger are named.
pub(super) const LEDGER_RULES: &str = "审核台账:rules/";

/// A review of `pack` (with the findings cache).
pub(super) fn build(
    pack: &PackOptions,
    cache: &Option<Arc<Cache>>,
) -> std::result::Result<Review, Vec<FileError>> {
    Review::new(
        review::Options {
            pack: pack.clone(),
            cache: cache.clone(),
            ..review::Options::default()
        },
        16,
    )
}

/// The review the workbench opens with, and the rules whose ledger
/// changes it leaves out, with why.
pub(super) fn in_force(
    ledger: &Ledger,
    base: &PackOptions,
    cache: &Option<Arc<Cache>>,
) -> std::result::Result<(Review, Vec<(String, String)>), String> {
    let said = |errors: &[FileError]| {
        errors
            .iter()
            .map(|e| format!("{}：{}", e.file, e.message))
            .collect::<Vec<_>>()
            .join("；")
    };
    let pack = pack_of(ledger, base, None, &BTreeSet::new()).map_err(|e| e.0)?;
    if let Ok(review) = sound(build(&pack, cache)) {
        return Ok((review, Vec::new()));
    }
    // Each changed rule tried alone on the base pack.
    let changed: BTreeSet<String> = ledger
        .read(|tx| tx.rule_changes())
        .map_err(|e| e.0)?
        .into_iter()
        .map(|c| c.rule)
        .collect();
    let mut broken = Vec::new();
    for rule in &changed {
        let others: BTreeSet<String> = changed.iter().filter(|r| *r != rule).cloned().collect();
        let alone = pack_of(ledger, base, None, &others).map_err(|e| e.0)?;
        if let Err(errors) = sound(build(&alone, cache)) {
            broken.push((rule.clone(), said(&errors)));
        }
    }
    let skip: BTreeSet<String> = broken.iter().map(|(r, _)| r.clone()).collect();
    let pack = pack_of(ledger, base, None, &skip).map_err(|e| e.0)?;
    match sound(build(&pack, cache)) {
        Ok(review) => Ok((review, broken)),
        // Changes that break the pack only together: all left out.
        Err(errors) => {
            let base = pack_of(ledger, base, None, &changed).map_err(|e| e.0)?;
            let review = build(&base, cache).map_err(|e| said(&e))?;
            let why = said(&errors);
            Ok((
                review,
                changed.into_iter().map(|r| (r, why.clone())).collect(),
            ))
        }
    }
}
