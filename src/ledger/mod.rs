//! The review ledger (审核台账): a SQLite file that keeps everything a
//! review season produces — every submission's bytes exactly as received
//! (stored by their hash, never changed, never a path on disk), who sent it
//! and when, its identity and round; every run's findings with the rule
//! pack that produced them; every decision on a finding; every change to a
//! rule or a parameter. Written in transactions on a write-ahead log, so a
//! server killed mid-request loses nothing committed and leaves nothing
//! half-written; opened by one server at a time (a lock file beside it).
//! Storage only: what the rows mean is the workbench's business.

mod lock;
mod schema;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, params};

pub use lock::Lock;

/// What went wrong with the ledger, in words for the person who started
/// the server.
#[derive(Debug)]
pub struct LedgerError(pub String);

impl std::fmt::Display for LedgerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<rusqlite::Error> for LedgerError {
    fn from(e: rusqlite::Error) -> LedgerError {
        LedgerError(format!("审核台账读写出错：{e}"))
    }
}

pub type Result<T> = std::result::Result<T, LedgerError>;

/// Who a report is across rounds: a resubmission with the same identity
/// is its next round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub department: String,
    pub year: i64,
    /// `department` or `project`.
    pub kind: String,
    /// Empty for a 部门整体 report.
    pub project: String,
}

/// A submission: one report as received (a workbook of several 自评表 is
/// a submission per sheet, sharing the file's bytes).
#[derive(Debug, Clone)]
pub struct Submission {
    pub id: i64,
    /// The hash of the file's bytes (their key in the ledger).
    pub blob: String,
    /// The file name as uploaded (shown, never used as a path).
    pub name: String,
    /// The sheet, for one report of a workbook of several.
    pub part: Option<String>,
    pub uploaded_at: String,
    pub uploader: String,
    /// None when the file could not be read as a report.
    pub identity: Option<Identity>,
    pub title: String,
    pub round: i64,
    /// The submission this one is the next round of.
    pub previous: Option<i64>,
    /// Whether a later round has come in.
    pub superseded: bool,
}

/// A submission to record.
#[derive(Debug, Clone)]
pub struct NewSubmission {
    pub blob: String,
    pub name: String,
    pub part: Option<String>,
    pub uploader: String,
    pub identity: Option<Identity>,
    pub title: String,
    pub round: i64,
    pub previous: Option<i64>,
}

/// One check of a submission.
#[derive(Debug, Clone)]
pub struct Run {
    pub id: i64,
    pub submission: i64,
    /// The hash of the rules and parameters that ran.
    pub pack: String,
    pub at: String,
    /// `pass`, `fail` or `error`.
    pub status: String,
    pub errors: i64,
    pub warnings: i64,
    pub advice: i64,
    /// The report as `check --format json` gives it (one element of its
    /// `reports`).
    pub report: String,
}

/// A run to record, with its findings.
#[derive(Debug, Clone)]
pub struct NewRun {
    pub pack: String,
    pub status: String,
    pub errors: i64,
    pub warnings: i64,
    pub advice: i64,
    pub report: String,
    pub findings: Vec<FindingRow>,
}

/// A finding of a run, by its stable id (the same finding of the same
/// submission keeps its id across runs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingRow {
    pub id: String,
    pub rule: String,
    pub severity: String,
    /// The data path of its first label.
    pub path: String,
    pub message: String,
    /// `new` or `persisting` against the earlier round.
    pub baseline: Option<String>,
}

/// A reviewer's decision on a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub finding: String,
    pub submission: i64,
    /// `confirmed`, `waived` or `false-positive`.
    pub decision: String,
    pub reason: String,
    pub by: String,
    pub at: String,
    /// The finding of the earlier round whose decision this carries over.
    pub carried_from: Option<String>,
}

/// A change to the rule pack: a rule's script, or one parameter's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleChange {
    pub rule: String,
    /// `script` or `param`.
    pub kind: String,
    /// The parameter's name (for `param`).
    pub name: Option<String>,
    /// The script's text, or the parameter's value as TOML.
    pub value: String,
    pub by: String,
    pub at: String,
}

/// The ledger, open.
pub struct Ledger {
    conn: Mutex<Connection>,
    _lock: Lock,
}

impl Ledger {
    /// Opens the ledger at `path`, creating it and bringing its tables to
    /// this version's; refused while another server has it open.
    pub fn open(path: &Path) -> Result<Ledger> {
        let lock = Lock::take(path)?;
        let conn = Connection::open(path)
            .map_err(|e| LedgerError(format!("无法打开审核台账 {}：{e}", path.display())))?;
        schema::prepare(&conn)?;
        Ok(Ledger {
            conn: Mutex::new(conn),
            _lock: lock,
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while the lock was held left no transaction open (it
        // rolled back when dropped): the connection is usable.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` in one transaction: all of it is recorded, or none (an
    /// error of `f` rolls it back).
    pub fn write<T, E: From<LedgerError>>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(LedgerError::from)?;
        let out = f(&Tx(&tx))?;
        tx.commit().map_err(LedgerError::from)?;
        Ok(out)
    }

    /// Reads in one consistent view.
    pub fn read<T, E: From<LedgerError>>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(LedgerError::from)?;
        f(&Tx(&tx))
    }
}

/// A transaction on the ledger, with typed reads and writes.
pub struct Tx<'a>(&'a rusqlite::Transaction<'a>);

const SUBMISSION: &str = "id, blob, name, part, uploaded_at, uploader, department, year, kind, project, title, round, previous, superseded";

fn submission(row: &rusqlite::Row<'_>) -> rusqlite::Result<Submission> {
    let department: Option<String> = row.get(6)?;
    let identity = match department {
        Some(department) => Some(Identity {
            department,
            year: row.get(7)?,
            kind: row.get(8)?,
            project: row.get(9)?,
        }),
        None => None,
    };
    Ok(Submission {
        id: row.get(0)?,
        blob: row.get(1)?,
        name: row.get(2)?,
        part: row.get(3)?,
        uploaded_at: row.get(4)?,
        uploader: row.get(5)?,
        identity,
        title: row.get(10)?,
        round: row.get(11)?,
        previous: row.get(12)?,
        superseded: row.get::<_, i64>(13)? != 0,
    })
}

const RUN: &str = "id, submission, pack, at, status, errors, warnings, advice, report";

fn run(row: &rusqlite::Row<'_>) -> rusqlite::Result<Run> {
    Ok(Run {
        id: row.get(0)?,
        submission: row.get(1)?,
        pack: row.get(2)?,
        at: row.get(3)?,
        status: row.get(4)?,
        errors: row.get(5)?,
        warnings: row.get(6)?,
        advice: row.get(7)?,
        report: row.get(8)?,
    })
}

fn decision(row: &rusqlite::Row<'_>) -> rusqlite::Result<Decision> {
    Ok(Decision {
        finding: row.get(0)?,
        submission: row.get(1)?,
        decision: row.get(2)?,
        reason: row.get(3)?,
        by: row.get(4)?,
        at: row.get(5)?,
        carried_from: row.get(6)?,
    })
}

impl Tx<'_> {
    /// Keeps a file's bytes (once per content) and returns their hash.
    pub fn put_blob(&self, bytes: &[u8]) -> Result<String> {
        let hash = blake3::hash(bytes).to_hex().to_string();
        self.0.execute(
            "INSERT OR IGNORE INTO blobs (hash, bytes, size) VALUES (?1, ?2, ?3)",
            params![hash, bytes, bytes.len() as i64],
        )?;
        Ok(hash)
    }

    /// A file's bytes by their hash.
    pub fn blob(&self, hash: &str) -> Result<Option<Vec<u8>>> {
        Ok(self
            .0
            .query_row("SELECT bytes FROM blobs WHERE hash = ?1", [hash], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Records a submission (and marks the one it follows superseded).
    pub fn add_submission(&self, s: &NewSubmission) -> Result<i64> {
        let id = s.identity.as_ref();
        self.0.execute(
            "INSERT INTO submissions (blob, name, part, uploaded_at, uploader, department, year, kind, project, title, round, previous, superseded)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 0)",
            params![
                s.blob,
                s.name,
                s.part,
                crate::clock::now(),
                s.uploader,
                id.map(|i| &i.department),
                id.map(|i| i.year),
                id.map(|i| &i.kind),
                id.map(|i| &i.project),
                s.title,
                s.round,
                s.previous,
            ],
        )?;
        if let Some(p) = s.previous {
            self.0
                .execute("UPDATE submissions SET superseded = 1 WHERE id = ?1", [p])?;
        }
        Ok(self.0.last_insert_rowid())
    }

    pub fn submission(&self, id: i64) -> Result<Option<Submission>> {
        Ok(self
            .0
            .query_row(
                &format!("SELECT {SUBMISSION} FROM submissions WHERE id = ?1"),
                [id],
                submission,
            )
            .optional()?)
    }

    /// Every submission, oldest first.
    pub fn submissions(&self) -> Result<Vec<Submission>> {
        let mut st = self
            .0
            .prepare(&format!("SELECT {SUBMISSION} FROM submissions ORDER BY id"))?;
        let rows = st.query_map([], submission)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The latest round of a report with this identity (the one a
    /// resubmission follows).
    pub fn latest_round(&self, identity: &Identity) -> Result<Option<Submission>> {
        Ok(self
            .0
            .query_row(
                &format!(
                    "SELECT {SUBMISSION} FROM submissions
                     WHERE department = ?1 AND year = ?2 AND kind = ?3 AND project = ?4 AND superseded = 0
                     ORDER BY id DESC LIMIT 1"
                ),
                params![identity.department, identity.year, identity.kind, identity.project],
                submission,
            )
            .optional()?)
    }

    /// Records a run of a submission with its findings.
    pub fn add_run(&self, submission: i64, r: &NewRun) -> Result<i64> {
        self.0.execute(
            "INSERT INTO runs (submission, pack, at, status, errors, warnings, advice, report)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                submission,
                r.pack,
                crate::clock::now(),
                r.status,
                r.errors,
                r.warnings,
                r.advice,
                r.report
            ],
        )?;
        let run = self.0.last_insert_rowid();
        let mut st = self.0.prepare(
            "INSERT INTO findings (id, run, submission, rule, severity, path, message, baseline)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for f in &r.findings {
            st.execute(params![
                f.id, run, submission, f.rule, f.severity, f.path, f.message, f.baseline
            ])?;
        }
        Ok(run)
    }

    /// A submission's latest run.
    pub fn latest_run(&self, submission: i64) -> Result<Option<Run>> {
        Ok(self
            .0
            .query_row(
                &format!("SELECT {RUN} FROM runs WHERE submission = ?1 ORDER BY id DESC LIMIT 1"),
                [submission],
                run,
            )
            .optional()?)
    }

    /// The findings of a run, in its order.
    pub fn findings(&self, run: i64) -> Result<Vec<FindingRow>> {
        let mut st = self.0.prepare(
            "SELECT id, rule, severity, path, message, baseline FROM findings WHERE run = ?1 ORDER BY rowid",
        )?;
        let rows = st.query_map([run], |r| {
            Ok(FindingRow {
                id: r.get(0)?,
                rule: r.get(1)?,
                severity: r.get(2)?,
                path: r.get(3)?,
                message: r.get(4)?,
                baseline: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The submission a finding of a latest run belongs to.
    pub fn finding_submission(&self, finding: &str) -> Result<Option<i64>> {
        Ok(self
            .0
            .query_row(
                "SELECT submission FROM findings WHERE id = ?1 ORDER BY run DESC LIMIT 1",
                [finding],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Records a decision.
    pub fn add_decision(&self, d: &Decision) -> Result<()> {
        self.0.execute(
            "INSERT INTO decisions (finding, submission, decision, reason, by, at, carried_from)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                d.finding,
                d.submission,
                d.decision,
                d.reason,
                d.by,
                d.at,
                d.carried_from
            ],
        )?;
        Ok(())
    }

    /// The decision in force on each finding of a submission: the latest.
    pub fn decisions(&self, submission: i64) -> Result<Vec<Decision>> {
        let mut st = self.0.prepare(
            "SELECT finding, submission, decision, reason, by, at, carried_from FROM decisions d
             WHERE submission = ?1 AND id = (SELECT MAX(id) FROM decisions e WHERE e.finding = d.finding)
             ORDER BY id",
        )?;
        let rows = st.query_map([submission], decision)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records a change to the pack.
    pub fn add_rule_change(&self, c: &RuleChange) -> Result<()> {
        self.0.execute(
            "INSERT INTO rule_changes (rule, kind, name, value, by, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![c.rule, c.kind, c.name, c.value, c.by, c.at],
        )?;
        Ok(())
    }

    /// Every change to the pack, oldest first.
    pub fn rule_changes(&self) -> Result<Vec<RuleChange>> {
        let mut st = self
            .0
            .prepare("SELECT rule, kind, name, value, by, at FROM rule_changes ORDER BY id")?;
        let rows = st.query_map([], |r| {
            Ok(RuleChange {
                rule: r.get(0)?,
                kind: r.get(1)?,
                name: r.get(2)?,
                value: r.get(3)?,
                by: r.get(4)?,
                at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Counts of false positives per rule (decisions in force).
    pub fn false_positives(&self) -> Result<Vec<(String, i64)>> {
        let mut st = self.0.prepare(
            "SELECT f.rule, COUNT(DISTINCT d.finding) FROM decisions d
             JOIN findings f ON f.id = d.finding
             WHERE d.decision = 'false-positive'
               AND d.id = (SELECT MAX(id) FROM decisions e WHERE e.finding = d.finding)
             GROUP BY f.rule ORDER BY f.rule",
        )?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn ledger(name: &str) -> (Ledger, PathBuf) {
        let dir = std::env::temp_dir().join(format!("jixiao-ledger-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("台账.sqlite");
        (Ledger::open(&path).unwrap(), path)
    }

    fn new(blob: &str, round: i64, previous: Option<i64>) -> NewSubmission {
        NewSubmission {
            blob: blob.into(),
            name: "报告.docx".into(),
            part: None,
            uploader: "张三".into(),
            identity: Some(Identity {
                department: "示例局".into(),
                year: 2022,
                kind: "department".into(),
                project: String::new(),
            }),
            title: "示例局2022年度部门整体支出绩效自评报告".into(),
            round,
            previous,
        }
    }

    #[test]
    fn submissions_rounds_runs_and_decisions_are_kept_across_opening() {
        let (l, path) = ledger("keep");
        let first: i64 = l
            .write(|tx| -> Result<i64> {
                let blob = tx.put_blob(b"bytes")?;
                assert_eq!(tx.put_blob(b"bytes")?, blob, "stored once by content");
                let id = tx.add_submission(&new(&blob, 1, None))?;
                tx.add_run(
                    id,
                    &NewRun {
                        pack: "p".into(),
                        status: "fail".into(),
                        errors: 1,
                        warnings: 0,
                        advice: 0,
                        report: "{}".into(),
                        findings: vec![FindingRow {
                            id: format!("{id}-a"),
                            rule: "weights-sum".into(),
                            severity: "error".into(),
                            path: "summary[0].weight".into(),
                            message: "权重合计为 95，应为 100".into(),
                            baseline: None,
                        }],
                    },
                )?;
                tx.add_decision(&Decision {
                    finding: format!("{id}-a"),
                    submission: id,
                    decision: "waived".into(),
                    reason: "已报批".into(),
                    by: "李四".into(),
                    at: "2026-12-02 10:00:00".into(),
                    carried_from: None,
                })?;
                Ok(id)
            })
            .unwrap();
        // A second server on the same ledger is refused while it is open.
        let again = Ledger::open(&path);
        assert!(again.is_err(), "locked");
        drop(l);
        let l = Ledger::open(&path).unwrap();
        l.read(|tx| -> Result<()> {
            let s = tx.submission(first)?.unwrap();
            assert_eq!(s.round, 1);
            assert_eq!(tx.blob(&s.blob)?.unwrap(), b"bytes");
            let run = tx.latest_run(first)?.unwrap();
            assert_eq!(tx.findings(run.id)?.len(), 1);
            assert_eq!(tx.decisions(first)?[0].decision, "waived");
            let latest = tx.latest_round(s.identity.as_ref().unwrap())?.unwrap();
            assert_eq!(latest.id, first);
            Ok(())
        })
        .unwrap();
        let second: i64 = l
            .write(|tx| -> Result<i64> {
                let blob = tx.put_blob(b"fixed")?;
                tx.add_submission(&new(&blob, 2, Some(first)))
            })
            .unwrap();
        l.read(|tx| -> Result<()> {
            assert!(tx.submission(first)?.unwrap().superseded);
            let id = tx.submission(second)?.unwrap().identity.unwrap();
            assert_eq!(tx.latest_round(&id)?.unwrap().id, second);
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn a_failed_write_records_nothing() {
        let (l, _) = ledger("rollback");
        let r: Result<()> = l.write(|tx| {
            tx.put_blob(b"half")?;
            Err(LedgerError("stopped".into()))
        });
        assert!(r.is_err());
        let hash = blake3::hash(b"half").to_hex().to_string();
        let found: Result<Option<Vec<u8>>> = l.read(|tx| tx.blob(&hash));
        assert!(found.unwrap().is_none());
    }
}
