//! The ledger's tables and their migrations: each version's statements,
//! applied in order inside one transaction and counted in SQLite's
//! `user_version`, so that a ledger of an older version is brought up to
//! date when opened and one of a newer version is refused rather than
//! misread.

use rusqlite::Connection;

use super::{LedgerError, Result};

/// The statements that bring a ledger from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE blobs (
    hash TEXT PRIMARY KEY,
    bytes BLOB NOT NULL,
    size INTEGER NOT NULL
);
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    blob TEXT NOT NULL REFERENCES blobs(hash),
    name TEXT NOT NULL,
    part TEXT,
    uploaded_at TEXT NOT NULL,
    uploader TEXT NOT NULL,
    department TEXT,
    year INTEGER,
    kind TEXT,
    project TEXT,
    title TEXT NOT NULL,
    round INTEGER NOT NULL,
    previous INTEGER REFERENCES submissions(id),
    superseded INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX submissions_identity ON submissions (department, year, kind, project, superseded);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    submission INTEGER NOT NULL REFERENCES submissions(id),
    pack TEXT NOT NULL,
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    advice INTEGER NOT NULL,
    report TEXT NOT NULL
);
CREATE INDEX runs_submission ON runs (submission, id);
CREATE TABLE findings (
    id TEXT NOT NULL,
    run INTEGER NOT NULL REFERENCES runs(id),
    submission INTEGER NOT NULL REFERENCES submissions(id),
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    path TEXT NOT NULL,
    message TEXT NOT NULL,
    baseline TEXT,
    PRIMARY KEY (run, id)
);
CREATE INDEX findings_id ON findings (id);
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    finding TEXT NOT NULL,
    submission INTEGER NOT NULL REFERENCES submissions(id),
    decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'waived', 'false-positive')),
    reason TEXT NOT NULL,
    by TEXT NOT NULL,
    at TEXT NOT NULL,
    carried_from TEXT
);
CREATE INDEX decisions_finding ON decisions (finding, id);
CREATE INDEX decisions_submission ON decisions (submission);
CREATE TABLE rule_changes (
    id INTEGER PRIMARY KEY,
    rule TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('script', 'param')),
    name TEXT,
    value TEXT NOT NULL,
    by TEXT NOT NULL,
    at TEXT NOT NULL
);
"#,
    r#"
-- 2: a rule change may take a rule back to the base pack's (`revert`).
CREATE TABLE rule_changes_2 (
    id INTEGER PRIMARY KEY,
    rule TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('script', 'param', 'revert')),
    name TEXT,
    value TEXT NOT NULL,
    by TEXT NOT NULL,
    at TEXT NOT NULL
);
INSERT INTO rule_changes_2 SELECT id, rule, kind, name, value, by, at FROM rule_changes;
DROP TABLE rule_changes;
ALTER TABLE rule_changes_2 RENAME TO rule_changes;
"#,
];

/// Sets the connection up (write-ahead log, full sync, foreign keys, a
/// wait for a busy database) and migrates it to this version.
pub fn prepare(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(LedgerError(format!(
            "审核台账是更新版本的 jixiao 建立的（版本 {version}，本程序只认识到 {known}），请用新版本打开"
        )));
    }
    for (i, statements) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(statements)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
