//! The workbench's work, apart from HTTP: taking submissions in (checked
//! with the current pack, each a round of its report), recording findings
//! with stable ids and decisions on them (carried over to the next round
//! for findings that persist), and giving back a submission's outcome as
//! the review sees it now. The rule pack is the base pack (embedded, or
//! `--rules`/`--config`) with the ledger's changes on top; every change is
//! followed by a new run of every submission, so that the ledger's
//! findings are always those of the pack in force.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, RwLock};

use serde_json::{Value, json};

use super::pack;
pub use super::pack::Edit;
use super::stored::{self, checked};
use crate::baseline::Previous;
use crate::cache::Cache;
use crate::diagnostic::{FileError, ReportOutcome, Waived};
use crate::ledger::{
    self, Decision, FindingRow, Identity, Ledger, NewRun, NewSubmission, RuleChange, Submission,
};
use crate::render;
use crate::review::{Document, PackOptions, Review, Source};

/// What can go wrong in the workbench, with the HTTP status it deserves.
#[derive(Debug)]
pub enum Error {
    /// 404
    NotFound(String),
    /// 422: a request that is well formed but cannot be done as asked.
    Invalid(String),
    /// 403
    Forbidden(String),
    /// 500: the ledger or the pack failed.
    Internal(String),
}

impl Error {
    /// What the reviewer is told.
    pub fn message(&self) -> String {
        match self {
            Error::NotFound(m) | Error::Invalid(m) | Error::Forbidden(m) | Error::Internal(m) => {
                m.clone()
            }
        }
    }
}

impl From<ledger::LedgerError> for Error {
    fn from(e: ledger::LedgerError) -> Error {
        Error::Internal(e.0)
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// How the workbench is set up.
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// `--rules` and `--config`: the base pack.
    pub pack: PackOptions,
    /// Whether rules and parameters may be changed here.
    pub read_only_rules: bool,
    pub cache: Option<Arc<Cache>>,
}

/// A file received.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub bytes: Arc<[u8]>,
}

/// A decision on a finding, as the reviewer gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// 确认（需整改）
    Confirmed,
    /// 豁免: reason and approver required.
    Waived,
    /// 误报: a note required.
    FalsePositive,
}

impl Verdict {
    pub fn parse(s: &str) -> Option<Verdict> {
        match s {
            "confirmed" => Some(Verdict::Confirmed),
            "waived" => Some(Verdict::Waived),
            "false-positive" => Some(Verdict::FalsePositive),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Confirmed => "confirmed",
            Verdict::Waived => "waived",
            Verdict::FalsePositive => "false-positive",
        }
    }
}

/// What a decision is called on the pages.
pub fn verdict_zh(s: &str) -> &'static str {
    match s {
        "confirmed" => "确认（需整改）",
        "waived" => "豁免",
        "false-positive" => "误报",
        _ => "",
    }
}

/// A submission as it stands now: its record, its report re-checked with
/// the pack in force (compared with its earlier round), each finding's id,
/// and the decisions in force.
pub struct View {
    pub submission: Submission,
    pub outcome: ReportOutcome,
    pub ids: Vec<String>,
    pub decisions: Vec<Decision>,
}

impl View {
    /// The decision in force on the finding at `i`.
    pub fn decision(&self, i: usize) -> Option<&Decision> {
        let id = self.ids.get(i)?;
        self.decisions.iter().find(|d| &d.finding == id)
    }
}

/// The workbench: the ledger and the pack in force.
pub struct Workbench {
    pub ledger: Ledger,
    pub options: Options,
    review: RwLock<Arc<Review>>,
    /// Taking submissions in and running the batch again are done one at a
    /// time, so that rounds are numbered in the order files came.
    writing: Mutex<()>,
    /// Rules whose changes in the ledger are left out, and why.
    broken: RwLock<Vec<(String, String)>>,
}

/// The stable id of each finding of a report of submission `submission`:
/// its rule, first data path and its rank among findings of both, so the
/// same finding keeps its id when the report is checked again.
pub fn finding_ids(submission: i64, r: &ReportOutcome) -> Vec<String> {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    r.findings
        .iter()
        .map(|f| {
            let path = f.labels.first().map_or("", |l| l.path.as_str());
            let rank = seen
                .iter()
                .filter(|k| **k == (f.rule.as_str(), path))
                .count();
            seen.push((&f.rule, path));
            let key = crate::cache::key([
                f.rule.as_bytes(),
                path.as_bytes(),
                rank.to_string().as_bytes(),
            ]);
            format!("{submission}-{:012x}", key as u64 & 0xffff_ffff_ffff)
        })
        .collect()
}

fn identity_of(r: &ReportOutcome) -> Option<Identity> {
    r.meta.as_ref().map(|m| Identity {
        department: m.department.clone(),
        year: m.year,
        kind: m.kind.clone(),
        project: m.project.clone().unwrap_or_default(),
    })
}

/// Who did something, as recorded: the name given (at most 40
/// characters), or 未署名.
pub fn signed(by: &str) -> String {
    let by = by.trim();
    if by.is_empty() {
        "未署名".into()
    } else {
        by.chars().take(40).collect()
    }
}

/// A file name as shown: its last component, without control characters
/// (it is never a path).
fn shown_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean: String = last.chars().filter(|c| !c.is_control()).collect();
    if clean.trim().is_empty() {
        "未命名".into()
    } else {
        clean
    }
}

impl Workbench {
    /// Opens the workbench on the ledger at `path`. A rule whose changes in
    /// the ledger no longer make a pack (a script this version cannot
    /// compile, a parameter it refuses) is used as the base pack has it
    /// until a reviewer reverts or fixes it ([`Workbench::broken`]): the
    /// workbench starts whatever the ledger holds.
    pub fn open(
        path: &std::path::Path,
        options: Options,
    ) -> std::result::Result<Workbench, String> {
        let ledger = Ledger::open(path).map_err(|e| e.0)?;
        let (review, broken) = pack::in_force(&ledger, &options.pack, &options.cache)?;
        Ok(Workbench {
            ledger,
            options,
            review: RwLock::new(Arc::new(review)),
            writing: Mutex::new(()),
            broken: RwLock::new(broken),
        })
    }

    /// The rules whose changes in the ledger are not used (they no longer
    /// make a pack), with why.
    pub fn broken(&self) -> Vec<(String, String)> {
        self.broken
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Rule `rule` was changed (saved, set or reverted): if its changes in
    /// the ledger make a pack again, they are used from now on.
    pub(super) fn mended(&self, rule: &str) {
        let mut skip = self.skipped();
        if !skip.remove(rule) {
            return;
        }
        let sound = pack::pack_of(&self.ledger, &self.options.pack, None, &skip)
            .is_ok_and(|p| pack::sound(pack::build(&p, &self.options.cache)).is_ok());
        if sound {
            self.broken
                .write()
                .unwrap_or_else(|p| p.into_inner())
                .retain(|(r, _)| r != rule);
        }
    }

    fn skipped(&self) -> BTreeSet<String> {
        self.broken().into_iter().map(|(r, _)| r).collect()
    }

    /// Reverts rule `rule` to the base pack's (its script and parameters),
    /// recorded in the ledger, and checks every submission again.
    /// (The rules page's revert, `rules::revert`, says who may.)
    pub(super) fn revert(&self, rule: &str, by: &str) -> Result<usize> {
        self.ledger.write(|tx| {
            tx.add_rule_change(&RuleChange {
                rule: rule.to_string(),
                kind: pack::REVERT.into(),
                name: None,
                value: String::new(),
                by: signed(by),
                at: crate::clock::now(),
            })
        })?;
        self.mended(rule);
        let review = self.build(&self.pack_options(None)?)?;
        self.replace_pack(review)
    }

    /// The pack in force.
    pub fn review(&self) -> Arc<Review> {
        self.review
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The base pack with the ledger's changes, and `edit` on top (a
    /// rule's script or a parameter being tried).
    pub fn pack_options(&self, edit: Option<&Edit>) -> Result<PackOptions> {
        Ok(pack::pack_of(
            &self.ledger,
            &self.options.pack,
            edit,
            &self.skipped(),
        )?)
    }

    /// A review of `pack` (with the findings cache).
    pub fn build(&self, pack: &PackOptions) -> std::result::Result<Review, Vec<FileError>> {
        pack::build(pack, &self.options.cache)
    }

    /// The earlier round a report of submission `previous` gives to compare with.
    fn previous_round(tx: &ledger::Tx<'_>, previous: Option<i64>) -> Result<Option<Previous>> {
        let Some(p) = previous else { return Ok(None) };
        let Some(run) = tx.latest_run(p)? else {
            return Ok(None);
        };
        let report: Value = serde_json::from_str(&run.report).unwrap_or_default();
        Ok(Some(Previous::from_reports([&report])))
    }

    /// Records a run of submission `s` whose outcome is `r`: compared with
    /// its earlier round, its findings with their ids, and the decisions of
    /// the earlier round carried over to the findings that persist (on the
    /// first run of the submission only).
    fn record(
        &self,
        tx: &ledger::Tx<'_>,
        s: &Submission,
        mut r: ReportOutcome,
        pack: &str,
    ) -> Result<ReportOutcome> {
        let previous = Self::previous_round(tx, s.previous)?;
        if let Some(p) = &previous {
            p.apply_report(&mut r);
        }
        let ids = finding_ids(s.id, &r);
        let report = render::json::report_value(&r, previous.is_some());
        let c = r.counts();
        let findings: Vec<FindingRow> = r
            .findings
            .iter()
            .zip(&ids)
            .map(|(f, id)| FindingRow {
                id: id.clone(),
                rule: f.rule.clone(),
                severity: f.severity.as_str().into(),
                path: f.labels.first().map(|l| l.path.clone()).unwrap_or_default(),
                message: f.message.clone(),
                baseline: f.baseline.map(|b| b.as_str().to_string()),
            })
            .collect();
        let first = tx.latest_run(s.id)?.is_none();
        tx.add_run(
            s.id,
            &NewRun {
                pack: pack.to_string(),
                status: r.status().as_str().into(),
                errors: c.error as i64,
                warnings: c.warning as i64,
                advice: c.advice as i64,
                report: report.to_string(),
                findings: findings.clone(),
            },
        )?;
        if let (true, Some(p)) = (first, s.previous) {
            carry_decisions(tx, p, s.id, &findings)?;
        }
        Ok(r)
    }

    /// Takes files in: each checked, each report of each a submission (the
    /// next round of an earlier one with its identity). A file whose bytes
    /// are those of the latest round already is not taken twice.
    pub fn upload(&self, files: Vec<Upload>, uploader: &str) -> Result<Vec<Value>> {
        let review = self.review();
        let pack = review.checker().pack_key();
        let uploader = signed(uploader);
        // Checked, and their bytes stored (by hash, which any order may
        // do), before the ledger is held for the rounds: a slow file keeps
        // no other upload from being recorded, and each file's bytes are
        // let go as soon as they are stored.
        let mut checked: Vec<(String, String, Vec<ReportOutcome>)> = Vec::new();
        for file in files {
            let name = shown_name(&file.name);
            let reports = review.check(&Source::Memory(Document {
                name: name.clone(),
                bytes: file.bytes.clone(),
            }));
            let blob = self.ledger.write(|tx| tx.put_blob(&file.bytes))?;
            checked.push((blob, name, reports));
        }
        let _one = self.writing.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = Vec::new();
        for (blob, name, reports) in checked {
            let several = reports.len() > 1;
            let given = self.ledger.write(|tx| -> Result<Vec<Value>> {
                let mut given = Vec::new();
                for r in reports {
                    let part = several
                        .then(|| r.path.rsplit_once('#').map(|(_, p)| p.to_string()))
                        .flatten();
                    let identity = identity_of(&r);
                    // A report that does not say enough of who sent it
                    // (a project report without its project) is no round
                    // of another: it may be another project.
                    let pairs = r.meta.as_ref().is_some_and(|m| m.identifies());
                    let earlier = match &identity {
                        Some(i) if pairs => tx.latest_round(i)?,
                        _ => None,
                    };
                    if let Some(e) = earlier
                        .as_ref()
                        .filter(|e| e.blob == blob && e.part == part)
                    {
                        given.push(summary_of(tx, e, true)?);
                        continue;
                    }
                    let new = NewSubmission {
                        blob: blob.clone(),
                        name: name.clone(),
                        part: part.clone(),
                        uploader: uploader.clone(),
                        identity,
                        title: r.meta.as_ref().map(|m| m.title.clone()).unwrap_or_default(),
                        round: earlier.as_ref().map_or(1, |e| e.round + 1),
                        previous: earlier.as_ref().map(|e| e.id),
                    };
                    let id = tx.add_submission(&new)?;
                    let s = tx
                        .submission(id)?
                        .ok_or_else(|| Error::Internal("刚记录的报送不见了".into()))?;
                    self.record(tx, &s, r, &pack)?;
                    given.push(summary_of(tx, &s, false)?);
                }
                Ok(given)
            })?;
            out.extend(given);
        }
        Ok(out)
    }

    /// Checks every submission again with the pack in force, oldest first
    /// (an earlier round before the later one compared with it); those
    /// already checked with this pack are left as they are.
    pub fn rerun_all(&self) -> Result<usize> {
        let _one = self.writing.lock().unwrap_or_else(|p| p.into_inner());
        let review = self.review();
        let pack = review.checker().pack_key();
        let all = self.ledger.read(|tx| tx.submissions())?;
        let mut stale = Vec::new();
        for s in all {
            let current = self.ledger.read(|tx| tx.latest_run(s.id))?;
            if current.is_none_or(|r| r.pack != pack) {
                stale.push(s);
            }
        }
        let mut ran = 0;
        for checked in stored::checked_each(&review, &self.ledger, stale) {
            let (s, r) = checked?;
            self.ledger
                .write(|tx| self.record(tx, &s, r, &pack).map(|_| ()))?;
            ran += 1;
        }
        Ok(ran)
    }

    /// Puts `pack` in force and checks every submission again with it.
    pub fn replace_pack(&self, review: Review) -> Result<usize> {
        *self.review.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(review);
        self.rerun_all()
    }

    /// A submission as it stands now (see [`View`]).
    pub fn view(&self, id: i64) -> Result<View> {
        let (s, bytes, previous, decisions) = self.ledger.read(|tx| -> Result<_> {
            let s = tx
                .submission(id)?
                .ok_or_else(|| Error::NotFound(format!("没有编号为 {id} 的报送")))?;
            let bytes = tx.blob(&s.blob)?.unwrap_or_default();
            let previous = Self::previous_round(tx, s.previous)?;
            Ok((s, bytes, previous, tx.decisions(id)?))
        })?;
        let mut outcome = checked(&self.review(), &s, bytes);
        if let Some(p) = &previous {
            p.apply_report(&mut outcome);
        }
        let ids = finding_ids(id, &outcome);
        Ok(View {
            submission: s,
            outcome,
            ids,
            decisions,
        })
    }

    /// A submission's report as the API gives it: one element of `check
    /// --format json`'s `reports` (its latest run), each diagnostic with
    /// its id and the decision in force, and the submission's record.
    pub fn report_json(&self, id: i64) -> Result<Value> {
        self.ledger
            .read(|tx| -> Result<Option<Value>> {
                let Some(s) = tx.submission(id)? else {
                    return Ok(None);
                };
                let Some(run) = tx.latest_run(id)? else {
                    return Ok(None);
                };
                let mut report: Value = serde_json::from_str(&run.report).unwrap_or_default();
                let rows = tx.findings(run.id)?;
                let decisions = tx.decisions(id)?;
                if let Some(ds) = report["diagnostics"].as_array_mut() {
                    for (d, row) in ds.iter_mut().zip(&rows) {
                        d["id"] = json!(row.id);
                        let decided = decisions.iter().find(|x| x.finding == row.id);
                        d["decision"] = json!(decided.map(|x| x.decision.clone()));
                        if let Some(x) = decided {
                            // A 豁免 is a waiver, as check's JSON shows one.
                            if x.decision == "waived" && d.get("waived").is_none() {
                                d["waived"] = json!(waiver(x));
                            }
                            d["decision_reason"] = json!(x.reason);
                            d["decided_by"] = json!(x.by);
                            d["decided_at"] = json!(x.at);
                            if let Some(c) = &x.carried_from {
                                d["carried_from"] = json!(c);
                            }
                        }
                    }
                }
                report["submission"] = submission_json(&s, &run);
                Ok(Some(report))
            })?
            .ok_or_else(|| Error::NotFound(format!("没有编号为 {id} 的报送")))
    }

    /// Every submission with its latest run, for the list: the run's counts
    /// and status as the decisions leave them (see [`effective`]), and how
    /// many findings have no decision yet.
    pub fn list(&self) -> Result<Vec<(Submission, Option<ledger::Run>, usize)>> {
        self.ledger.read(|tx| -> Result<_> {
            let mut out = Vec::new();
            for s in tx.submissions()? {
                let (run, open) = effective(tx, &s)?;
                out.push((s, run, open));
            }
            Ok(out)
        })
    }

    /// The findings of every report's latest round per rule: all of them,
    /// those without a decision, and the false positives.
    pub fn rule_counts(&self) -> Result<std::collections::BTreeMap<String, (usize, usize, usize)>> {
        self.ledger.read(|tx| -> Result<_> {
            let mut out: std::collections::BTreeMap<String, (usize, usize, usize)> =
                Default::default();
            for s in tx.submissions()?.into_iter().filter(|s| !s.superseded) {
                let Some(run) = tx.latest_run(s.id)? else {
                    continue;
                };
                let decisions = tx.decisions(s.id)?;
                for f in tx.findings(run.id)? {
                    let c = out.entry(f.rule.clone()).or_default();
                    c.0 += 1;
                    match decisions.iter().find(|d| d.finding == f.id) {
                        None => c.1 += 1,
                        Some(d) if d.decision == "false-positive" => c.2 += 1,
                        Some(_) => {}
                    }
                }
            }
            Ok(out)
        })
    }

    /// Records a decision on a finding of a submission's latest run.
    pub fn decide(&self, finding: &str, verdict: &str, reason: &str, by: &str) -> Result<Decision> {
        let verdict = Verdict::parse(verdict).ok_or_else(|| {
            Error::Invalid(format!(
                "decision 应为 confirmed、waived 或 false-positive，而不是“{verdict}”"
            ))
        })?;
        let (reason, by) = (reason.trim(), by.trim());
        match verdict {
            Verdict::Waived if reason.is_empty() || by.is_empty() => {
                return Err(Error::Invalid(
                    "豁免须写明理由（reason）和批准人（by）".into(),
                ));
            }
            Verdict::FalsePositive if reason.is_empty() => {
                return Err(Error::Invalid("误报须写明说明（reason）".into()));
            }
            _ => {}
        }
        self.ledger.write(|tx| -> Result<Decision> {
            let submission = tx
                .finding_submission(finding)?
                .ok_or_else(|| Error::NotFound(format!("没有编号为 {finding} 的发现")))?;
            let d = Decision {
                finding: finding.to_string(),
                submission,
                decision: verdict.as_str().into(),
                reason: reason.chars().take(2000).collect(),
                by: signed(by),
                at: crate::clock::now(),
                carried_from: None,
            };
            tx.add_decision(&d)?;
            Ok(d)
        })
    }

    /// The view's outcome with its decisions applied, as the exports show
    /// it: a waiver is a waiver, a false positive is no finding.
    pub fn decided(view: View) -> ReportOutcome {
        let View {
            mut outcome,
            ids,
            decisions,
            ..
        } = view;
        let mut keep = Vec::new();
        for (mut f, id) in outcome.findings.into_iter().zip(ids) {
            match decisions.iter().find(|d| d.finding == id) {
                Some(d) if d.decision == "false-positive" => continue,
                Some(d) if d.decision == "waived" => f.waived = Some(waiver(d)),
                _ => {}
            }
            keep.push(f);
        }
        outcome.findings = keep;
        outcome
    }
}

impl From<Vec<FileError>> for Error {
    fn from(errors: Vec<FileError>) -> Error {
        Error::Invalid(
            errors
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join("；"),
        )
    }
}

/// A 豁免 decided in the workbench as the waiver it is: its reason, its
/// approver, no end date.
fn waiver(d: &Decision) -> Waived {
    Waived {
        reason: d.reason.clone(),
        approved_by: Some(d.by.clone()),
        expires: None,
    }
}

/// Carries the decisions of round `from` over to the findings of `to` that
/// persist: a finding pairs with one of the same rule and data path, one
/// to one in order, as the comparison pairs them.
fn carry_decisions(tx: &ledger::Tx<'_>, from: i64, to: i64, findings: &[FindingRow]) -> Result<()> {
    let Some(run) = tx.latest_run(from)? else {
        return Ok(());
    };
    let mut earlier = tx.findings(run.id)?;
    let decisions = tx.decisions(from)?;
    for f in findings {
        let Some(i) = earlier
            .iter()
            .position(|e| e.rule == f.rule && e.path == f.path)
        else {
            continue;
        };
        let e = earlier.remove(i);
        if f.baseline.as_deref() != Some("persisting") {
            continue;
        }
        if let Some(d) = decisions.iter().find(|d| d.finding == e.id) {
            tx.add_decision(&Decision {
                finding: f.id.clone(),
                submission: to,
                carried_from: Some(e.id.clone()),
                at: crate::clock::now(),
                ..d.clone()
            })?;
        }
    }
    Ok(())
}

/// A submission's record, as the API gives it.
pub fn submission_json(s: &Submission, run: &ledger::Run) -> Value {
    json!({
        "id": s.id,
        "name": s.name,
        "part": s.part,
        "round": s.round,
        "previous": s.previous,
        "superseded": s.superseded,
        "uploaded_at": s.uploaded_at,
        "uploader": s.uploader,
        "status": run.status,
        "pack": run.pack,
        "checked_at": run.at,
    })
}

/// A submission's latest run with its counts and status as the decisions
/// leave them — a waived or false-positive finding neither counts nor
/// fails the report — and how many findings have no decision yet.
pub fn effective(
    tx: &ledger::Tx<'_>,
    s: &Submission,
) -> ledger::Result<(Option<ledger::Run>, usize)> {
    let Some(mut run) = tx.latest_run(s.id)? else {
        return Ok((None, 0));
    };
    let decisions = tx.decisions(s.id)?;
    let (mut counts, mut open) = ([0i64; 3], 0);
    for f in tx.findings(run.id)? {
        match decisions.iter().find(|d| d.finding == f.id) {
            None => open += 1,
            Some(d) if d.decision != "confirmed" => continue,
            Some(_) => {}
        }
        match f.severity.as_str() {
            "error" => counts[0] += 1,
            "warning" => counts[1] += 1,
            _ => counts[2] += 1,
        }
    }
    [run.errors, run.warnings, run.advice] = counts;
    if run.status != "error" {
        run.status = if counts[0] > 0 { "fail" } else { "pass" }.into();
    }
    Ok((Some(run), open))
}

/// What the list and an upload say of a submission.
fn summary_of(tx: &ledger::Tx<'_>, s: &Submission, duplicate: bool) -> ledger::Result<Value> {
    let (run, open) = effective(tx, s)?;
    let id = s.identity.as_ref();
    Ok(json!({
        "id": s.id,
        "name": s.name,
        "part": s.part,
        "status": run.as_ref().map(|r| r.status.clone()),
        "round": s.round,
        "previous": s.previous,
        "department": id.map(|i| i.department.clone()),
        "year": id.map(|i| i.year),
        "kind": id.map(|i| i.kind.clone()),
        "project": id.map(|i| i.project.clone()).filter(|p| !p.is_empty()),
        "title": s.title,
        "errors": run.as_ref().map_or(0, |r| r.errors),
        "warnings": run.as_ref().map_or(0, |r| r.warnings),
        "advice": run.as_ref().map_or(0, |r| r.advice),
        "undecided": open,
        "uploaded_at": s.uploaded_at,
        "uploader": s.uploader,
        "duplicate": duplicate,
    }))
}

/// Every submission as the list API gives it.
pub fn list_json(bench: &Workbench) -> Result<Value> {
    let all = bench.ledger.read(|tx| {
        tx.submissions()?
            .iter()
            .map(|s| summary_of(tx, s, false))
            .collect::<ledger::Result<Vec<Value>>>()
    })?;
    Ok(json!({ "submissions": all }))
}
