//! The findings cache: what each rule found in each report, kept on disk so
//! that a rerun only runs the rules whose text, parameters or severity
//! changed, on the reports whose text changed. Reviewers rerun the whole
//! batch after every rule edit; with the cache they wait for that one rule.
//!
//! An entry is keyed by a hash of the report's text (one file per report
//! text, `findings-v2/ab/cdef…`), and holds, for each rule, a hash of
//! everything the rule's findings depend on (see
//! the checker: this build of jixiao, the rule's id, text,
//! severity and parameters) with the findings, and what else the rule
//! actually read while it ran (the date, the ids of the pack), recorded
//! when it called `today` or `rule_exists` — however it reached them — and
//! compared on every reuse. Only successful runs are stored: an error (a
//! time limit, a wrong result) is run again next time.
//!
//! Every line is authenticated with a key kept outside the cache directory
//! (`~/.config/jixiao/cache.key`, mode 0600, made on first use): a line
//! that was damaged (a torn write, two runs writing it at once), forged or
//! copied from another report's entry fails its check and is a miss, never
//! a result. Whoever can read the key can forge entries; whoever can only
//! write the cache directory cannot.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{xxh3_128, xxh3_128_with_seed};

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

mod key;

pub use key::{Key, key_file, load_key};

/// The folder of the current entry format inside a cache directory.
const FORMAT: &str = "findings-v2";

/// An open cache directory.
#[derive(Debug)]
pub struct Cache {
    root: PathBuf,
    /// The key every line is authenticated with.
    key: Key,
    /// Whether a failed write was already reported (once per run).
    warned: AtomicBool,
}

/// What a rule read while it ran, besides the report and its own text and
/// parameters: the date (`today`), the ids of the pack (`rule_exists`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Used {
    pub today: bool,
    pub pack: bool,
}

/// The values of what rules may read, as they are in this run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    pub today: String,
    /// A hash of the pack's ids.
    pub pack: u128,
}

impl Context {
    /// The hash of the values `used` names (0 for none).
    fn hash(&self, used: Used) -> u128 {
        if !used.today && !used.pack {
            return 0;
        }
        let pack = self.pack.to_le_bytes();
        key([
            if used.today {
                self.today.as_bytes()
            } else {
                b""
            },
            if used.pack { &pack[..] } else { b"" },
        ])
    }
}

/// The findings stored for one report text, as read at the start of its
/// check; [`Cache::save`] writes back what rules found that was not there.
///
/// The file has one line per rule: `MAC KEY USED FINDINGS` — the MAC (see
/// [`Key::mac`]) of the rest of the line, the key of the rule (see
/// the checker), what it read while it ran (`-` for nothing
/// else, or a flag digit — 1 the date, 2 the pack's ids — then the 32-hex
/// hash of their values), and
/// the findings as JSON arrays (see [`Stored`]: small entries, as ext4
/// writes one of 4 KB or less for half the cost of a larger one). Lines are
/// decoded only when their rule asks; a rule run again is appended as a new
/// line (the last line of a key counts), and the file is rewritten with
/// only the current rules' lines once the stale ones outnumber them.
#[derive(Debug)]
pub struct Entry {
    file: PathBuf,
    /// The hash of the report text, which names the entry.
    id: String,
    key: Key,
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

/// Where the parts of a line start: MAC (32 hex digits), key (32), then
/// what the rule read (`-` for nothing, else a flag digit and 32 hex
/// digits) and the findings.
const KEY_AT: usize = 33;
const USED_AT: usize = KEY_AT + 33;

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
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    for end in ends {
        let line = &bytes[start..end];
        let key = line
            .get(KEY_AT..USED_AT - 1)
            .and_then(|k| std::str::from_utf8(k).ok())
            .and_then(|k| u128::from_str_radix(k, 16).ok());
        if let Some(key) = key {
            out.push((key, start..end));
        }
        start = end + 1;
    }
    out
}

/// One line of an entry file, newline included; None if a finding cannot
/// be stored.
fn line(
    entry: &Entry,
    rule: u128,
    severity: Severity,
    used: Used,
    context: &Context,
    findings: &[Finding],
) -> Option<Vec<u8>> {
    let stored = findings
        .iter()
        .map(|f| Stored::of(f, severity))
        .collect::<Option<Vec<_>>>()?;
    let json = serde_json::to_string(&stored).ok()?;
    let read = if used == Used::default() {
        "-".to_string()
    } else {
        let flags = u8::from(used.today) | (u8::from(used.pack) << 1);
        format!("{flags}{:032x}", context.hash(used))
    };
    let rest = format!("{rule:032x} {read} {json}");
    Some(format!("{} {rest}\n", entry.key.mac(&entry.id, rest.as_bytes())).into_bytes())
}

impl Cache {
    /// Opens (creating it if need be) the cache in `dir`; a folder that
    /// holds other files is refused.
    pub fn open(dir: &Path, key: Key) -> std::io::Result<Cache> {
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
            key,
            warned: AtomicBool::new(false),
        })
    }

    /// The entry of a report text (empty when there is none).
    pub fn entry(&self, source: &str) -> Entry {
        self.entry_for(source, crate::report::terms::Reader::Toml)
    }

    /// The entry of a report text read by `reader`: rules word their
    /// findings for whoever reads them (the data path in brackets for a
    /// TOML file, not for an imported document), so the same text has an
    /// entry for each.
    pub fn entry_for(&self, source: &str, reader: crate::report::terms::Reader) -> Entry {
        let hash = match reader {
            crate::report::terms::Reader::Toml => xxh3_128(source.as_bytes()),
            crate::report::terms::Reader::Document => xxh3_128_with_seed(source.as_bytes(), 1),
        };
        let hash = format!("{hash:032x}");
        let file = self.root.join(&hash[..2]).join(&hash[2..]);
        // An entry is small; anything else there is not one.
        let bytes = crate::report::read::capped(&file, MAX_ENTRY_BYTES).unwrap_or_default();
        Entry {
            file,
            id: hash,
            key: self.key,
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
            let mut options = std::fs::OpenOptions::new();
            options.append(true);
            open_own(&mut options, &entry.file).and_then(|mut f| f.write_all(&entry.added))
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
                "警告：无法写入检查结果缓存 {}：{}（结果不受影响，只是下次不能复用）",
                crate::diagnostic::safe::sanitize_line(&entry.file.display().to_string()),
                crate::diagnostic::safe::sanitize_line(&e.to_string())
            );
        }
    }
}

/// Entries larger than this are not read (a report's is a few KB).
const MAX_ENTRY_BYTES: u64 = 16 * 1024 * 1024;

/// The file listing the scripts (by [`key`] of build and text) that
/// compiled in earlier runs, one `MAC KEY` line each, appended to.
const COMPILED: &str = "compiled-v2";
/// Past this size the list is started afresh (it only grows as rules are
/// edited; about 2,000 edits).
const COMPILED_MAX: u64 = 64 * 1024;

impl Cache {
    /// The scripts known to compile, from earlier runs (lines that do not
    /// verify are left out).
    pub fn compiled_scripts(&self) -> std::collections::HashSet<u128> {
        let file = self.root.join(COMPILED);
        if std::fs::metadata(&file).is_ok_and(|m| m.len() > COMPILED_MAX) {
            let _ = std::fs::remove_file(&file);
        }
        crate::report::read::capped_text(&file, COMPILED_MAX)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| {
                let (mac, key) = l.split_once(' ')?;
                (key.len() == 32 && self.key.verifies(COMPILED, key.as_bytes(), mac.as_bytes()))
                    .then(|| u128::from_str_radix(key, 16).ok())?
            })
            .collect()
    }

    /// Records scripts that compiled. One write with `O_APPEND`, so lines
    /// of concurrent runs do not mix; failure only costs a compile later.
    pub fn mark_compiled(&self, keys: &[u128]) {
        if keys.is_empty() {
            return;
        }
        let lines: String = keys
            .iter()
            .map(|k| {
                let key = format!("{k:032x}");
                format!("{} {key}\n", self.key.mac(COMPILED, key.as_bytes()))
            })
            .collect();
        let mut options = std::fs::OpenOptions::new();
        options.append(true).create(true);
        let _ = open_own(&mut options, &self.root.join(COMPILED))
            .and_then(|mut f| f.write_all(lines.as_bytes()));
    }
}

impl Entry {
    /// The findings stored for a rule key (as found by the rule `rule`,
    /// at `severity`), if its last line verifies and what the rule read
    /// when it ran has the same values in `context`.
    pub fn get(
        &mut self,
        key: u128,
        rule: &str,
        severity: Severity,
        context: &Context,
    ) -> Option<Vec<Finding>> {
        let (_, range) = self.lines.iter().rev().find(|(k, _)| *k == key)?;
        let line = &self.bytes[range.clone()];
        let (mac, rest) = (line.get(..KEY_AT - 1)?, line.get(KEY_AT..)?);
        if !self.key.verifies(&self.id, rest, mac) {
            return None;
        }
        let rest = line.get(USED_AT..)?;
        let cut = memchr::memchr(b' ', rest)?;
        let (used, findings) = (&rest[..cut], &rest[cut + 1..]);
        if used != b"-" {
            let flags = (*used.first()? as char).to_digit(10)?;
            let read = Used {
                today: flags & 1 != 0,
                pack: flags & 2 != 0,
            };
            let hash = u128::from_str_radix(std::str::from_utf8(used.get(1..)?).ok()?, 16).ok()?;
            if hash != context.hash(read) {
                return None;
            }
        }
        let stored: Vec<Stored> = serde_json::from_slice(findings).ok()?;
        let found = stored
            .into_iter()
            .map(|s| s.finding(rule, severity))
            .collect::<Option<Vec<_>>>()?;
        self.used.push((key, Line::OnDisk(range.clone())));
        Some(found)
    }

    /// Records what the rule of `key`, whose severity is `severity`, found,
    /// and what it read besides the report (`used`, with its values in
    /// `context`).
    pub fn put(
        &mut self,
        key: u128,
        severity: Severity,
        used: Used,
        context: &Context,
        findings: &[Finding],
    ) {
        if let Some(line) = line(self, key, severity, used, context, findings) {
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
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(false);
        let mut f = open_own(&mut options, file)?;
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

/// Opens a file of the cache for writing, refusing anything but a regular
/// file of its own: a symbolic link there (which would make jixiao write
/// wherever it points) or a named pipe (which would block the run) that
/// someone put into the cache directory is an error, and so a miss.
fn open_own(options: &mut std::fs::OpenOptions, file: &Path) -> std::io::Result<std::fs::File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let f = options.open(file)?;
    if !f.metadata()?.is_file() {
        return Err(std::io::Error::other("缓存中的这一项不是普通文件"));
    }
    Ok(f)
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

    #[test]
    fn lines_forged_or_moved_to_another_entry_do_not_verify() {
        let (cache, dir) = temp_cache("forged");
        let mut e = cache.entry("year = 2021\n");
        e.put(1, W, Used::default(), &Context::default(), &[finding("一")]);
        cache.save(e);
        let file = cache.entry("year = 2021\n").file;
        let line = std::fs::read_to_string(&file).unwrap();
        // Rewritten to "no findings" with a MAC made without the key.
        let (_, rest) = line.trim_end().split_at(KEY_AT);
        let rest = format!("{}- []", &rest[..USED_AT - KEY_AT]);
        let other = Key::from_bytes([8; 32]).mac(&cache.entry("year = 2021\n").id, rest.as_bytes());
        std::fs::write(&file, format!("{other} {rest}\n")).unwrap();
        assert!(
            cache
                .entry("year = 2021\n")
                .get(1, "r", W, &Context::default())
                .is_none()
        );
        // A valid line copied into another report's entry.
        std::fs::write(&file, &line).unwrap();
        let moved = cache.entry("year = 2022\n").file;
        std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
        std::fs::write(&moved, &line).unwrap();
        assert!(
            cache
                .entry("year = 2021\n")
                .get(1, "r", W, &Context::default())
                .is_some()
        );
        assert!(
            cache
                .entry("year = 2022\n")
                .get(1, "r", W, &Context::default())
                .is_none()
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn what_a_rule_read_must_be_the_same_for_its_findings_to_be_reused() {
        let (cache, dir) = temp_cache("used");
        let day = |d: &str| Context {
            today: d.into(),
            pack: 5,
        };
        let mut e = cache.entry("t");
        let dated = Used {
            today: true,
            pack: false,
        };
        e.put(1, W, dated, &day("2026-12-01"), &[finding("日期")]);
        e.put(2, W, Used::default(), &day("2026-12-01"), &[]);
        cache.save(e);
        let mut e = cache.entry("t");
        assert!(e.get(1, "r", W, &day("2026-12-01")).is_some());
        assert!(
            e.get(1, "r", W, &day("2026-12-02")).is_none(),
            "another day"
        );
        assert!(
            e.get(2, "r", W, &day("2026-12-02")).is_some(),
            "did not read the date"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

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
        (Cache::open(&dir, Key::from_bytes([7; 32])).unwrap(), dir)
    }

    fn lines_of(cache: &Cache, text: &str) -> usize {
        cache.entry(text).lines.len()
    }

    #[test]
    fn entries_append_rules_run_again_and_compact_when_mostly_stale() {
        let (cache, dir) = temp_cache("lines");
        let text = "year = 2021\n";
        let mut e = cache.entry(text);
        assert!(e.get(1, "r", W, &Context::default()).is_none());
        e.put(1, W, Used::default(), &Context::default(), &[finding("一")]);
        e.put(2, W, Used::default(), &Context::default(), &[]);
        cache.save(e);
        assert_eq!(lines_of(&cache, text), 2);

        // Rule 2 was edited (its new key is 3): the new line is appended.
        let mut e = cache.entry(text);
        assert_eq!(
            e.get(1, "r", W, &Context::default()),
            Some(vec![finding("一")])
        );
        e.put(3, W, Used::default(), &Context::default(), &[finding("三")]);
        cache.save(e);
        assert_eq!(lines_of(&cache, text), 3);
        let mut e = cache.entry(text);
        assert_eq!(
            e.get(3, "r", W, &Context::default()),
            Some(vec![finding("三")])
        );
        assert_eq!(
            e.get(2, "r", W, &Context::default()),
            Some(vec![]),
            "stale, still readable"
        );

        // Edited twice more: stale lines would outnumber current ones, so
        // the entry is rewritten with the current rules' lines only.
        for key in [4, 5] {
            let mut e = cache.entry(text);
            e.get(1, "r", W, &Context::default()).unwrap();
            e.put(key, W, Used::default(), &Context::default(), &[]);
            cache.save(e);
        }
        assert_eq!(lines_of(&cache, text), 2);
        let mut e = cache.entry(text);
        assert!(e.get(3, "r", W, &Context::default()).is_none());
        assert_eq!(
            e.get(1, "r", W, &Context::default()),
            Some(vec![finding("一")])
        );
        assert_eq!(e.get(5, "r", W, &Context::default()), Some(vec![]));

        // A damaged line (a byte changed, or cut short) is a miss; the
        // other lines still count.
        let file = cache.entry(text).file;
        let bytes = std::fs::read(&file).unwrap();
        let mut flipped = bytes.clone();
        flipped[40] ^= 1;
        std::fs::write(&file, &flipped).unwrap();
        let mut e = cache.entry(text);
        assert!(e.get(1, "r", W, &Context::default()).is_none());
        assert!(e.get(5, "r", W, &Context::default()).is_some());
        std::fs::write(&file, &bytes[..bytes.len() - 3]).unwrap();
        let mut e = cache.entry(text);
        assert!(e.get(5, "r", W, &Context::default()).is_none());
        assert!(e.get(1, "r", W, &Context::default()).is_some());
        // A file cut short is rewritten, not appended to.
        e.put(5, W, Used::default(), &Context::default(), &[]);
        cache.save(e);
        let mut e = cache.entry(text);
        assert!(
            e.get(1, "r", W, &Context::default()).is_some()
                && e.get(5, "r", W, &Context::default()).is_some()
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn findings_keep_their_own_severity_and_what_cannot_be_stored_is_not() {
        let (cache, dir) = temp_cache("stored");
        let text = "year = 2022\n";
        let mut advice = finding("建议");
        advice.severity = Severity::Advice;
        let mut placed = finding("导入的位置");
        placed.labels[0].location = Some(crate::diagnostic::Location {
            text: "自评表!H15".into(),
            ..Default::default()
        });
        let mut e = cache.entry(text);
        e.put(
            1,
            W,
            Used::default(),
            &Context::default(),
            &[finding("一"), advice.clone()],
        );
        e.put(2, W, Used::default(), &Context::default(), &[placed]);
        cache.save(e);
        let mut e = cache.entry(text);
        let found = e.get(1, "r", W, &Context::default()).unwrap();
        assert_eq!(found, [finding("一"), advice]);
        assert!(
            e.get(2, "r", W, &Context::default()).is_none(),
            "a document location is never stored"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
