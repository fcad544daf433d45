//! The findings cache: what each rule found in each report, kept on disk so
//! that a rerun only runs the rules whose text, parameters or severity
//! changed, on the reports whose text changed. Reviewers rerun the whole
//! batch after every rule edit; with the cache they wait for that one rule.
//!
//! An entry is keyed by a hash of the report's text (one file per report
//! text, `findings-v1/ab/cdef…`), and holds, for each rule, a hash of
//! everything the rule's findings depend on (see
//! [`crate::engine::Checker`]: this build of jixiao, the rule's id, text,
//! severity and parameters, the ids of the pack, and the date for rules
//! that read it) with the findings. Only successful runs are stored: an
//! error (a time limit, a wrong result) is run again next time. A damaged
//! line (a torn write, two runs writing it at once) fails its checksum and
//! is a miss, never an error.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{xxh3_64, xxh3_128};

use crate::diagnostic::{Finding, Label, Severity};

/// Where the cache is kept unless `--cache-dir` says otherwise:
/// `$JIXIAO_CACHE_DIR`, else the user's cache directory
/// (`$XDG_CACHE_HOME/jixiao`, `~/.cache/jixiao`, `%LOCALAPPDATA%\jixiao`).
pub fn default_dir() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = var("JIXIAO_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = var("XDG_CACHE_HOME") {
        return Some(PathBuf::from(dir).join("jixiao"));
    }
    if cfg!(windows)
        && let Some(dir) = var("LOCALAPPDATA")
    {
        return Some(PathBuf::from(dir).join("jixiao"));
    }
    var("HOME").map(|home| PathBuf::from(home).join(".cache").join("jixiao"))
}

/// Whether `dir` is a cache directory jixiao made (it holds the tag).
pub fn is_cache(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join(TAG_FILE)).is_ok_and(|t| t.starts_with(TAG))
}

const TAG_FILE: &str = "CACHEDIR.TAG";
/// The start of the standard tag that tells backup tools to skip a folder
/// (<https://bford.info/cachedir/>).
const TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55";

/// The folder of the current entry format inside a cache directory.
const FORMAT: &str = "findings-v1";

/// An open cache directory.
#[derive(Debug)]
pub struct Cache {
    root: PathBuf,
    /// Whether a failed write was already reported (once per run).
    warned: AtomicBool,
}

/// The findings stored for one report text, as read at the start of its
/// check; [`Cache::save`] writes back what rules found that was not there.
///
/// The file has one line per rule: `CHECKSUM KEY FINDINGS`, the checksum a
/// 64-bit hash of the rest of the line, the key the rule's (see
/// [`crate::engine::Checker`]) and the findings as JSON arrays (see
/// [`Stored`]: small entries, as ext4 writes one of 4 KB or less for half
/// the cost of a larger one). Lines are decoded
/// only when their rule asks; a rule run again is appended as a new line
/// (the last line of a key counts), and the file is rewritten with only
/// the current rules' lines once the stale ones outnumber them.
#[derive(Debug, Default)]
pub struct Entry {
    file: PathBuf,
    bytes: Vec<u8>,
    /// Each line's key and byte range (without its newline).
    lines: Vec<(u128, std::ops::Range<usize>)>,
    /// Keys found or added during this check, with their line: what a
    /// rewrite keeps (a rule edited since is dropped).
    used: Vec<(u128, Line)>,
    /// New lines, to append or write.
    added: Vec<u8>,
}

#[derive(Debug)]
enum Line {
    OnDisk(std::ops::Range<usize>),
    Added,
}

/// Where the parts of a line start: checksum (16 hex digits), key (32),
/// findings.
const KEY_AT: usize = 17;
const FINDINGS_AT: usize = KEY_AT + 33;

/// A finding as stored: message, help, labels (path, message, span, line,
/// column), and its severity when the rule set one other than its own. Its
/// rule is the line's (and the rule's severity part of the key); waivers,
/// baselines and document locations are applied after the check, never
/// stored.
#[derive(Serialize, Deserialize)]
struct Stored<'a>(
    Cow<'a, str>,
    Option<Cow<'a, str>>,
    Vec<StoredLabel<'a>>,
    Option<Cow<'a, str>>,
);

/// A label as stored: path, message, span start and end, line, column.
type StoredLabel<'a> = (Cow<'a, str>, Cow<'a, str>, usize, usize, usize, usize);

impl<'a> Stored<'a> {
    /// None for a finding with anything the format does not hold.
    fn of(f: &'a Finding, severity: Severity) -> Option<Stored<'a>> {
        if f.waived.is_some() || f.baseline.is_some() {
            return None;
        }
        let labels = f
            .labels
            .iter()
            .map(|l| {
                l.location.is_none().then_some((
                    Cow::Borrowed(l.path.as_str()),
                    Cow::Borrowed(l.message.as_str()),
                    l.span.start,
                    l.span.end,
                    l.line,
                    l.column,
                ))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Stored(
            Cow::Borrowed(&f.message),
            f.help.as_deref().map(Cow::Borrowed),
            labels,
            (f.severity != severity).then(|| Cow::Borrowed(f.severity.as_str())),
        ))
    }

    fn finding(self, rule: &str, severity: Severity) -> Option<Finding> {
        let severity = match self.3 {
            Some(s) => Severity::parse(&s)?,
            None => severity,
        };
        Some(Finding {
            rule: rule.into(),
            severity,
            message: self.0.into_owned(),
            help: self.1.map(Cow::into_owned),
            labels: self
                .2
                .into_iter()
                .map(|(path, message, start, end, line, column)| Label {
                    path: path.into_owned(),
                    message: message.into_owned(),
                    span: start..end,
                    line,
                    column,
                    location: None,
                })
                .collect(),
            waived: None,
            baseline: None,
        })
    }
}

/// Key and line ranges of an entry file's lines; lines without a key are
/// left out (and dropped when the entry is rewritten).
fn lines(bytes: &[u8]) -> Vec<(u128, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in bytes.split(|&b| b == b'\n') {
        let range = start..start + line.len();
        start = range.end + 1;
        let key = line
            .get(KEY_AT..FINDINGS_AT - 1)
            .and_then(|k| std::str::from_utf8(k).ok())
            .and_then(|k| u128::from_str_radix(k, 16).ok());
        if let Some(key) = key {
            out.push((key, range));
        }
    }
    out
}

/// One line of an entry file, newline included; None if a finding cannot
/// be stored.
fn line(key: u128, severity: Severity, findings: &[Finding]) -> Option<Vec<u8>> {
    let stored = findings
        .iter()
        .map(|f| Stored::of(f, severity))
        .collect::<Option<Vec<_>>>()?;
    let json = serde_json::to_string(&stored).ok()?;
    let rest = format!("{key:032x} {json}");
    Some(format!("{:016x} {rest}\n", xxh3_64(rest.as_bytes())).into_bytes())
}

impl Cache {
    /// Opens (creating it if need be) the cache in `dir`; a folder that
    /// holds other files is refused.
    pub fn open(dir: &Path) -> std::io::Result<Cache> {
        let root = dir.join(FORMAT);
        if !is_cache(dir) {
            // Never take over a folder of other files (a mistyped path).
            if std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some()) {
                return Err(std::io::Error::other(
                    "目录不为空，且不是 jixiao 的缓存目录（其中没有 CACHEDIR.TAG）",
                ));
            }
            std::fs::create_dir_all(dir)?;
            std::fs::write(
                dir.join(TAG_FILE),
                format!("{TAG}\n# jixiao 的检查结果缓存，可随时删除（jixiao cache clean）。\n"),
            )?;
        }
        std::fs::create_dir_all(&root)?;
        Ok(Cache {
            root,
            warned: AtomicBool::new(false),
        })
    }

    /// The entry of a report text (empty when there is none).
    pub fn entry(&self, source: &str) -> Entry {
        let hash = format!("{:032x}", xxh3_128(source.as_bytes()));
        let file = self.root.join(&hash[..2]).join(&hash[2..]);
        let bytes = std::fs::read(&file).unwrap_or_default();
        Entry {
            file,
            lines: lines(&bytes),
            bytes,
            used: Vec::new(),
            added: Vec::new(),
        }
    }

    /// Writes what rules found for `entry` that it did not hold: appended,
    /// or the whole entry rewritten when it has more stale lines than
    /// current ones. A failure to write is reported once per run, on
    /// stderr, and otherwise ignored: the cache only saves time.
    pub fn save(&self, entry: Entry) {
        if entry.added.is_empty() {
            return;
        }
        let new = entry
            .used
            .iter()
            .filter(|(_, l)| matches!(l, Line::Added))
            .count();
        let stale = (entry.lines.len() + new).saturating_sub(entry.used.len());
        let append =
            !entry.bytes.is_empty() && entry.bytes.ends_with(b"\n") && stale <= entry.used.len();
        let written = if append {
            std::fs::OpenOptions::new()
                .append(true)
                .open(&entry.file)
                .and_then(|mut f| f.write_all(&entry.added))
        } else {
            let mut bytes = Vec::with_capacity(entry.bytes.len() + entry.added.len());
            for (_, l) in &entry.used {
                if let Line::OnDisk(r) = l {
                    bytes.extend_from_slice(&entry.bytes[r.clone()]);
                    bytes.push(b'\n');
                }
            }
            bytes.extend_from_slice(&entry.added);
            overwrite(&entry.file, &bytes, entry.bytes.len())
        };
        if let Err(e) = written
            && !self.warned.swap(true, Ordering::Relaxed)
        {
            eprintln!(
                "警告：无法写入检查结果缓存 {}：{e}（结果不受影响，只是下次不能复用）",
                entry.file.display()
            );
        }
    }
}

/// The file listing the scripts (by [`key`] of build and text) that
/// compiled in earlier runs, one hex key a line, appended to.
const COMPILED: &str = "compiled-v1";
/// Past this size the list is started afresh (it only grows as rules are
/// edited; about 2,000 edits).
const COMPILED_MAX: u64 = 64 * 1024;

impl Cache {
    /// The scripts known to compile, from earlier runs.
    pub fn compiled_scripts(&self) -> std::collections::HashSet<u128> {
        let file = self.root.join(COMPILED);
        if std::fs::metadata(&file).is_ok_and(|m| m.len() > COMPILED_MAX) {
            let _ = std::fs::remove_file(&file);
        }
        std::fs::read_to_string(file)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.len() == 32)
            .filter_map(|l| u128::from_str_radix(l, 16).ok())
            .collect()
    }

    /// Records scripts that compiled. One write with `O_APPEND`, so lines
    /// of concurrent runs do not mix; failure only costs a compile later.
    pub fn mark_compiled(&self, keys: &[u128]) {
        if keys.is_empty() {
            return;
        }
        let lines: String = keys.iter().map(|k| format!("{k:032x}\n")).collect();
        let _ = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(self.root.join(COMPILED))
            .and_then(|mut f| f.write_all(lines.as_bytes()));
    }
}

impl Entry {
    /// The findings stored for a rule key (as found by the rule `rule`,
    /// at `severity`), if its last line is intact.
    pub fn get(&mut self, key: u128, rule: &str, severity: Severity) -> Option<Vec<Finding>> {
        let (_, range) = self.lines.iter().rev().find(|(k, _)| *k == key)?;
        let line = &self.bytes[range.clone()];
        let (sum, rest) = (line.get(..KEY_AT - 1)?, line.get(KEY_AT..)?);
        let sum = u64::from_str_radix(std::str::from_utf8(sum).ok()?, 16).ok()?;
        if sum != xxh3_64(rest) {
            return None;
        }
        let stored: Vec<Stored> = serde_json::from_slice(line.get(FINDINGS_AT..)?).ok()?;
        let found = stored
            .into_iter()
            .map(|s| s.finding(rule, severity))
            .collect::<Option<Vec<_>>>()?;
        self.used.push((key, Line::OnDisk(range.clone())));
        Some(found)
    }

    /// Records what the rule of `key`, whose severity is `severity`, found.
    pub fn put(&mut self, key: u128, severity: Severity, findings: &[Finding]) {
        if let Some(line) = line(key, severity, findings) {
            self.added.extend(line);
            self.used.push((key, Line::Added));
        }
    }
}

/// Writes `bytes` over a file in place, cutting it to length if it was
/// longer. A torn or interleaved write (two runs writing the same entry at
/// once, a crash) fails the lines' checksums and reads as a miss. In place
/// rather than through a renamed temporary file: ext4 flushes a file
/// replaced by a rename (or truncated to zero) when it is closed, and
/// creating a new inode for every report on every rerun cost more than a
/// third of the run.
fn overwrite(file: &Path, bytes: &[u8], on_disk: usize) -> std::io::Result<()> {
    let write = || {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(file)?;
        f.write_all(bytes)?;
        if bytes.len() < on_disk {
            f.set_len(bytes.len() as u64)?;
        }
        Ok::<(), std::io::Error>(())
    };
    match write() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(file.parent().unwrap_or(Path::new(".")))?;
            write()
        }
        done => done,
    }
}

/// A 128-bit hash of `parts`, each ended by a zero byte so that
/// ("ab", "c") and ("a", "bc") differ.
pub fn key<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for p in parts {
        h.update(p);
        h.update(&[0]);
    }
    h.digest128()
}

/// This build of jixiao: part of every rule's key.
pub const BUILD_ID: &str = env!("JIXIAO_BUILD_ID");

#[cfg(test)]
mod tests {
    use super::*;

    const W: Severity = Severity::Warning;

    fn finding(message: &str) -> Finding {
        Finding {
            rule: "r".into(),
            severity: W,
            message: message.into(),
            help: Some("帮助".into()),
            labels: vec![Label {
                path: "budget.rate".into(),
                message: "此处".into(),
                span: 3..7,
                line: 2,
                column: 4,
                location: None,
            }],
            waived: None,
            baseline: None,
        }
    }

    fn temp_cache(name: &str) -> (Cache, PathBuf) {
        let dir =
            std::env::temp_dir().join(format!("jixiao-cache-unit-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        (Cache::open(&dir).unwrap(), dir)
    }

    fn lines_of(cache: &Cache, text: &str) -> usize {
        cache.entry(text).lines.len()
    }

    #[test]
    fn entries_append_rules_run_again_and_compact_when_mostly_stale() {
        let (cache, dir) = temp_cache("lines");
        let text = "year = 2021\n";
        let mut e = cache.entry(text);
        assert!(e.get(1, "r", W).is_none());
        e.put(1, W, &[finding("一")]);
        e.put(2, W, &[]);
        cache.save(e);
        assert_eq!(lines_of(&cache, text), 2);

        // Rule 2 was edited (its new key is 3): the new line is appended.
        let mut e = cache.entry(text);
        assert_eq!(e.get(1, "r", W), Some(vec![finding("一")]));
        e.put(3, W, &[finding("三")]);
        cache.save(e);
        assert_eq!(lines_of(&cache, text), 3);
        let mut e = cache.entry(text);
        assert_eq!(e.get(3, "r", W), Some(vec![finding("三")]));
        assert_eq!(e.get(2, "r", W), Some(vec![]), "stale, still readable");

        // Edited twice more: stale lines would outnumber current ones, so
        // the entry is rewritten with the current rules' lines only.
        for key in [4, 5] {
            let mut e = cache.entry(text);
            e.get(1, "r", W).unwrap();
            e.put(key, W, &[]);
            cache.save(e);
        }
        assert_eq!(lines_of(&cache, text), 2);
        let mut e = cache.entry(text);
        assert!(e.get(3, "r", W).is_none());
        assert_eq!(e.get(1, "r", W), Some(vec![finding("一")]));
        assert_eq!(e.get(5, "r", W), Some(vec![]));

        // A damaged line (a byte changed, or cut short) is a miss; the
        // other lines still count.
        let file = cache.entry(text).file;
        let bytes = std::fs::read(&file).unwrap();
        let mut flipped = bytes.clone();
        flipped[40] ^= 1;
        std::fs::write(&file, &flipped).unwrap();
        let mut e = cache.entry(text);
        assert!(e.get(1, "r", W).is_none());
        assert!(e.get(5, "r", W).is_some());
        std::fs::write(&file, &bytes[..bytes.len() - 3]).unwrap();
        let mut e = cache.entry(text);
        assert!(e.get(5, "r", W).is_none());
        assert!(e.get(1, "r", W).is_some());
        // A file cut short is rewritten, not appended to.
        e.put(5, W, &[]);
        cache.save(e);
        let mut e = cache.entry(text);
        assert!(e.get(1, "r", W).is_some() && e.get(5, "r", W).is_some());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn findings_keep_their_own_severity_and_what_cannot_be_stored_is_not() {
        let (cache, dir) = temp_cache("stored");
        let text = "year = 2022\n";
        let mut advice = finding("建议");
        advice.severity = Severity::Advice;
        let mut placed = finding("导入的位置");
        placed.labels[0].location = Some("自评表!H15".into());
        let mut e = cache.entry(text);
        e.put(1, W, &[finding("一"), advice.clone()]);
        e.put(2, W, &[placed]);
        cache.save(e);
        let mut e = cache.entry(text);
        let found = e.get(1, "r", W).unwrap();
        assert_eq!(found, [finding("一"), advice]);
        assert!(
            e.get(2, "r", W).is_none(),
            "a document location is never stored"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
