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

/// Expands files and directories (searched recursively for every file
/// that looks like a submission — see [`SUBMISSIONS`] — following no
/// directory twice) into inputs sorted by path, without duplicates. A path
/// that does not exist is kept, so that it is reported. Files found in a
/// directory that are not checked are listed with why — jixiao's own
/// outputs, Office lock files, hidden files, the configuration file,
/// archives and pictures — so that the count a reviewer sees adds up to
/// the folder.
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
            .map(|(display, reason)| Skipped { display, reason })
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
    skipped: &mut BTreeSet<(String, String)>,
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
            continue;
        }
        match found(&name) {
            Found::Submission if crate::render::mark::is_own_output(&p) => {
                skipped.insert((
                    p.display().to_string(),
                    "这是 jixiao 写出的审核结果，不是报告".into(),
                ));
            }
            Found::Submission => {
                out.insert(input(&p));
            }
            Found::Skipped(reason) => {
                skipped.insert((p.display().to_string(), reason.into()));
            }
            Found::Other => {}
        }
    }
}

/// The extensions of files a department may submit: reports in TOML,
/// Word, WPS and OpenDocument text, Excel, WPS and OpenDocument sheets,
/// PDF and plain text.
pub const SUBMISSIONS: &[&str] = &[
    "toml", "doc", "docx", "wps", "odt", "xls", "xlsx", "xlsm", "et", "ods", "pdf", "txt", "md",
];

/// What a file found in a directory is.
enum Found {
    Submission,
    /// Listed as not checked, with why.
    Skipped(&'static str),
    /// Not a submission and not like one (a picture's thumbnail database,
    /// a script): not listed.
    Other,
}

fn found(name: &str) -> Found {
    let lower = name.to_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    let submission = SUBMISSIONS.contains(&ext);
    if name.starts_with("~$") && submission {
        return Found::Skipped("这是 Office/WPS 打开文档时留下的临时锁定文件，不是报告");
    }
    if name.starts_with('.') {
        return if submission {
            Found::Skipped("隐藏文件，未检查")
        } else {
            Found::Other
        };
    }
    if name == crate::config::CONFIG_FILE {
        return Found::Skipped("这是 jixiao 的配置文件，不是报告");
    }
    if submission {
        return Found::Submission;
    }
    match ext {
        "zip" | "rar" | "7z" | "tar" | "gz" => {
            Found::Skipped("这是压缩包，jixiao 不会打开；请解压后再检查其中的报告")
        }
        "jpg" | "jpeg" | "png" | "tif" | "tiff" | "bmp" | "gif" => {
            Found::Skipped("这是图片（可能是扫描件），没有可检查的文字；请提供 Word/Excel 原件")
        }
        _ => Found::Other,
    }
}
