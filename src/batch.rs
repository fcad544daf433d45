//! Batches: turning the paths a user gives into the list of report files,
//! and checking each of them so that no file is lost, whatever fails.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::{FileError, Outcome, ReportOutcome};
use crate::engine::Checker;
use crate::import;
use crate::report::{self, LoadFailure, LoadOptions};

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

/// What a report file that did not load looks like in the outcome.
pub fn failed(f: LoadFailure) -> ReportOutcome {
    let source = f.source.clone();
    ReportOutcome {
        path: f.path.clone(),
        source: source.clone(),
        meta: None,
        findings: Vec::new(),
        fixed: Vec::new(),
        imported_from: None,
        rules_run: 0,
        errors: f
            .errors
            .into_iter()
            .map(|e| FileError {
                code: e.code.to_string(),
                message: e.message,
                help: e.help,
                file: f.path.clone(),
                source: (!e.labels.is_empty()).then(|| source.clone()),
                labels: e.labels,
            })
            .collect(),
    }
}

/// Loads and checks one input: a report in TOML, or a document imported
/// in memory whose findings are then moved onto the original.
pub fn check_one(checker: &Checker, input: &Input) -> ReportOutcome {
    if let Some(format) = import::Format::of(&input.path) {
        return match import::load(&input.path, &input.display) {
            Ok((report, imported)) => {
                let mut out = checker.check(&report);
                import::relocate(&mut out, &imported);
                out
            }
            Err(f) => ReportOutcome {
                imported_from: Some(format.id()),
                ..failed(f)
            },
        };
    }
    checked(
        checker,
        report::load_file(&input.path, &input.display, LoadOptions::default()),
    )
}

fn checked(checker: &Checker, loaded: Result<report::Report, LoadFailure>) -> ReportOutcome {
    match loaded {
        Ok(r) => checker.check(&r),
        Err(f) => failed(f),
    }
}

/// Checks every input on `jobs` threads (0: one per core), keeping the
/// order of `inputs` whatever the thread count; `tick` is called once per
/// file checked. Rule compile errors go to the run's own errors.
pub fn check_all_with(
    checker: &Checker,
    inputs: &[Input],
    jobs: usize,
    tick: &(dyn Fn() + Sync),
) -> Outcome {
    let pool = pool(jobs, inputs.len());
    Outcome {
        reports: check_chunk(pool.as_ref(), checker, inputs, tick),
        errors: checker.errors().to_vec(),
        rules: checker.rule_infos(),
        ..Outcome::default()
    }
}

/// The most worker threads a check starts: four per core. More only
/// costs memory (a rule engine each) and makes every rule's wall clock run
/// slower.
pub fn max_jobs() -> usize {
    4 * std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// A pool of `jobs` worker threads (0: one per core; at most
/// [`max_jobs`]), or None to check on the calling thread.
pub fn pool(jobs: usize, inputs: usize) -> Option<rayon::ThreadPool> {
    // Starting worker threads costs more than checking a few reports.
    if jobs == 1 || inputs < crate::engine::FEW_REPORTS {
        return None;
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.min(max_jobs()))
        .build()
        .ok()
        .filter(|p| p.current_num_threads() > 1)
}

/// Checks `inputs` on the pool (each worker with its own engine, see
/// [`Checker::fork`]) or on this thread, keeping their order.
pub fn check_chunk(
    pool: Option<&rayon::ThreadPool>,
    checker: &Checker,
    inputs: &[Input],
    tick: &(dyn Fn() + Sync),
) -> Vec<ReportOutcome> {
    check_chunk_then(pool, checker, inputs, tick, &|r| r)
}

/// [`check_chunk`], with `then` applied to each outcome on the worker that
/// checked it (waivers, baselines and rendering run in parallel too).
pub fn check_chunk_then<T: Send>(
    pool: Option<&rayon::ThreadPool>,
    checker: &Checker,
    inputs: &[Input],
    tick: &(dyn Fn() + Sync),
    then: &(dyn Fn(ReportOutcome) -> T + Sync),
) -> Vec<T> {
    match pool {
        Some(pool) => pool.install(|| {
            inputs
                .par_iter()
                .map(|i| {
                    let r = on_worker(checker, |c| then(check_one(c, i)));
                    tick();
                    r
                })
                .collect()
        }),
        None => inputs
            .iter()
            .map(|i| {
                let r = then(check_one(checker, i));
                tick();
                r
            })
            .collect(),
    }
}

thread_local! {
    /// This worker thread's own checker (see [`Checker::fork`]): made once
    /// per thread and pack, not once per piece of work rayon hands out.
    static WORKER: std::cell::RefCell<Option<Checker>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` with this thread's fork of `checker`, making it first if the
/// thread has none of this pack.
fn on_worker<R>(checker: &Checker, f: impl FnOnce(&Checker) -> R) -> R {
    WORKER.with(|w| {
        let mut w = w.borrow_mut();
        if !w.as_ref().is_some_and(|c| c.same_pack(checker)) {
            *w = Some(checker.fork());
        }
        match w.as_ref() {
            Some(c) => f(c),
            None => f(checker),
        }
    })
}

/// Checks every input, one per core, in order.
pub fn check_all(checker: &Checker, inputs: &[Input]) -> Outcome {
    check_all_with(checker, inputs, 0, &|| {})
}

/// A report outcome for text given directly (tests and tools).
pub fn check_text(checker: &Checker, path: &str, text: &str) -> ReportOutcome {
    checked(
        checker,
        report::load_bytes(path, text.as_bytes(), LoadOptions::default()),
    )
}
