//! What the paths a reviewer gives expand to: report files and
//! submissions, directories searched for them, and the files found there
//! that are left out with a note (jixiao's own outputs), so that no file
//! is lost and none is read twice.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diagnostic::FileError;

/// An input named by the user: a report file (found or given), or a path
/// that could not be read as one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Input {
    pub path: PathBuf,
    /// How it is shown: the path as given or as found under a directory.
    pub display: String,
}

/// What a run's paths expand to: the inputs to check, and the files found
/// in directories that were left out, with why.
#[derive(Debug, Default)]
pub struct Collected {
    pub inputs: Vec<Input>,
    pub skipped: Vec<Skipped>,
}

/// A file found in a directory and not checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub display: String,
    pub reason: String,
}

impl Skipped {
    /// The note a run's output shows for it.
    pub fn note(&self) -> FileError {
        FileError::whole(
            "jixiao::skipped",
            &self.display,
            format!("已跳过 {}：{}", self.display, self.reason),
            None,
        )
    }
}

/// Expands files and directories (searched recursively for `*.toml`, and
/// for Word and Excel submissions, `*.docx` and `*.xlsx`; following no
/// directory twice) into inputs sorted by path, without
/// duplicates. A path that does not exist is kept, so that it is reported.
/// Files jixiao wrote itself (its outputs written into the folder it
/// checks) are skipped, with a note.
pub fn collect(paths: &[PathBuf]) -> Collected {
    let mut out = BTreeSet::new();
    let mut seen_dirs = BTreeSet::new();
    let mut skipped = BTreeSet::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out, &mut seen_dirs, &mut skipped);
        } else {
            out.insert(input(p));
        }
    }
    Collected {
        inputs: out.into_iter().collect(),
        skipped: skipped
            .into_iter()
            .map(|display| Skipped {
                display,
                reason: "这是 jixiao 写出的审核结果，不是报告".into(),
            })
            .collect(),
    }
}

fn input(p: &Path) -> Input {
    Input {
        path: p.to_path_buf(),
        display: p.display().to_string(),
    }
}

fn walk(
    dir: &Path,
    out: &mut BTreeSet<Input>,
    seen: &mut BTreeSet<PathBuf>,
    skipped: &mut BTreeSet<String>,
) {
    // Symlink loops: a directory already walked is not walked again.
    let Ok(canonical) = dir.canonicalize() else {
        return;
    };
    if !seen.insert(canonical) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        out.insert(input(dir));
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if p.is_dir() {
            if !name.starts_with('.') {
                walk(&p, out, seen, skipped);
            }
        } else if walked(&name) {
            if crate::render::mark::is_own_output(&p) {
                skipped.insert(p.display().to_string());
            } else {
                out.insert(input(&p));
            }
        }
    }
}

/// Whether a file found in a directory is checked: reports in TOML, and
/// submissions in Word or Excel (not the `~$` lock files Office leaves
/// beside an open document). Text files are checked only when named, as a
/// directory of submissions holds many that are no report.
fn walked(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.ends_with(".toml") && name != crate::config::CONFIG_FILE)
        || ((lower.ends_with(".docx") || lower.ends_with(".xlsx")) && !name.starts_with("~$"))
}
