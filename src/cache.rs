//! The findings cache: what each rule found in each report, kept on disk so
//! that a rerun only runs the rules whose text, parameters or severity
//! changed, on the reports whose text changed. Reviewers rerun the whole
//! batch after every rule edit; with the cache they wait for that one rule.
//!
//! An entry is keyed by a hash of the report's text (one file per report
//! text, `findings-v1/ab/cdef….json`), and holds, for each rule, a hash of
//! everything the rule's findings depend on (see
//! [`crate::engine::Checker`]: this build of jixiao, the rule's id, text,
//! severity and parameters, and the ids of the pack) with the findings. Only
//! successful runs are stored: an error (a time limit, a wrong result) is
//! run again next time. A damaged entry (a torn write, two runs writing it
//! at once) fails its checksum and is a miss, never an error.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_128;

use crate::diagnostic::Finding;

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
/// check; [`Cache::save`] writes it back when a rule had to run.
#[derive(Debug, Default)]
pub struct Entry {
    file: PathBuf,
    stored: Vec<(u128, Vec<Finding>)>,
    /// The length of the file as read (0: none).
    on_disk: usize,
    /// Keys looked up or added during this check: what is written back
    /// (a rule edited since is dropped from the entry).
    used: Vec<u128>,
    added: bool,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    /// The report text's length, a check against a damaged or foreign file.
    len: usize,
    rules: Vec<StoredRule>,
}

#[derive(Serialize, Deserialize)]
struct StoredRule {
    key: String,
    findings: Vec<Finding>,
}

impl Cache {
    /// Opens (creating it if need be) the cache in `dir`.
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

    /// The entry of a report text (empty when there is none, or it is
    /// damaged).
    pub fn entry(&self, source: &str) -> Entry {
        let hash = format!("{:032x}", xxh3_128(source.as_bytes()));
        let file = self.root.join(&hash[..2]).join(&hash[2..]);
        let bytes = std::fs::read(&file).unwrap_or_default();
        let stored = Some(bytes.as_slice())
            .filter(|b| !b.is_empty())
            .and_then(|bytes| serde_json::from_slice::<Stored>(checked(bytes)?).ok())
            .filter(|s| s.len == source.len())
            .map(|s| {
                s.rules
                    .into_iter()
                    .filter_map(|r| Some((u128::from_str_radix(&r.key, 16).ok()?, r.findings)))
                    .collect()
            })
            .unwrap_or_default();
        Entry {
            file,
            stored,
            on_disk: bytes.len(),
            used: Vec::new(),
            added: false,
        }
    }

    /// Writes `entry` back if a rule was run for it. A failure to write is
    /// reported once per run, on stderr, and otherwise ignored: the cache
    /// only saves time.
    pub fn save(&self, entry: Entry, source_len: usize) {
        if !entry.added {
            return;
        }
        let stored = Stored {
            len: source_len,
            rules: entry
                .stored
                .into_iter()
                .filter(|(key, _)| entry.used.contains(key))
                .map(|(key, findings)| StoredRule {
                    key: format!("{key:032x}"),
                    findings,
                })
                .collect(),
        };
        if let Err(e) = write_checked(&entry.file, &stored, entry.on_disk)
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
    /// The findings stored for a rule key, if any.
    pub fn get(&mut self, key: u128) -> Option<&[Finding]> {
        let found = self.stored.iter().position(|(k, _)| *k == key)?;
        self.used.push(key);
        Some(&self.stored[found].1)
    }

    /// Records what the rule of `key` found.
    pub fn put(&mut self, key: u128, findings: Vec<Finding>) {
        self.stored.retain(|(k, _)| *k != key);
        self.stored.push((key, findings));
        self.used.push(key);
        self.added = true;
    }
}

/// Writes an entry in place: its first line is a hash of the rest, so a
/// torn or interleaved write (two runs writing the same entry at once, a
/// crash) reads as damaged, that is, as a miss. In place rather than
/// through a renamed temporary file: ext4 flushes a file replaced by a
/// rename when it is closed, and creating a new inode for every report on
/// every rerun cost more than a third of the run.
fn write_checked(file: &Path, stored: &Stored, on_disk: usize) -> std::io::Result<()> {
    let json = serde_json::to_vec(stored).map_err(std::io::Error::other)?;
    let mut bytes = format!("{:032x}\n", xxh3_128(&json)).into_bytes();
    bytes.extend_from_slice(&json);
    // Overwritten, then cut to length if shorter, not truncated first: ext4 flushes a
    // file truncated to zero and written again to disk when it is closed,
    // which made a rerun after a rule edit twice as slow.
    let write = || {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(file)?;
        f.write_all(&bytes)?;
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

/// The JSON of an entry whose first line is the hash of the rest.
fn checked(bytes: &[u8]) -> Option<&[u8]> {
    let newline = bytes.iter().position(|&b| b == b'\n')?;
    let (hash, json) = (&bytes[..newline], &bytes[newline + 1..]);
    let hash = u128::from_str_radix(std::str::from_utf8(hash).ok()?, 16).ok()?;
    (hash == xxh3_128(json)).then_some(json)
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
    use crate::diagnostic::{Label, Severity};

    fn finding(message: &str) -> Finding {
        Finding {
            rule: "r".into(),
            severity: Severity::Warning,
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

    #[test]
    fn entries_keep_the_rules_used_and_fail_their_checksum_when_damaged() {
        let dir = std::env::temp_dir().join(format!("jixiao-cache-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let cache = Cache::open(&dir).unwrap();
        let text = "year = 2021\n";
        let mut e = cache.entry(text);
        assert!(e.get(1).is_none());
        e.put(1, vec![finding("一")]);
        e.put(2, vec![]);
        cache.save(e, text.len());

        let mut e = cache.entry(text);
        assert_eq!(e.get(1), Some(&[finding("一")][..]));
        // Rule 2 was edited (a new key, 3): the entry keeps 1 and 3 only.
        e.put(3, vec![finding("三")]);
        cache.save(e, text.len());
        let mut e = cache.entry(text);
        assert!(e.get(2).is_none());
        assert_eq!(e.get(3).map(<[Finding]>::len), Some(1));
        assert!(e.get(1).is_some());

        // A damaged entry (a byte changed, cut short) is empty.
        let file = cache.entry(text).file;
        let bytes = std::fs::read(&file).unwrap();
        let mut flipped = bytes.clone();
        let last = flipped.len() - 2;
        flipped[last] ^= 1;
        std::fs::write(&file, &flipped).unwrap();
        assert!(cache.entry(text).stored.is_empty());
        std::fs::write(&file, &bytes[..bytes.len() - 1]).unwrap();
        assert!(cache.entry(text).stored.is_empty());
        std::fs::write(&file, &bytes).unwrap();
        assert!(!cache.entry(text).stored.is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
