//! One review run, as a library object: a [`Review`] holds the configured
//! rule pack, the batch waivers and the baseline, and [`Review::run`]
//! streams every input — a file, or a document given as bytes — through
//! load → import → check → waive → compare → emit, in input order, on a
//! pool of worker threads, into a set of [`Sink`]s. The command line, its
//! watch mode, the tests, the benches and the workbench all drive this one
//! object; nothing else does any of these steps.

pub mod collect;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub use collect::{Collected, Input, Skipped, collect};

use crate::baseline::{self, Previous};
use crate::cache::Cache;
use crate::config::{self, Settings};
use crate::diagnostic::{FileError, Outcome, ReportOutcome, RuleInfo, Summary};
use crate::engine::{Checker, host, pack};
use crate::import;
use crate::render::{self, Begin, End, Prepare};
use crate::report::{self, LoadFailure, LoadOptions};
use crate::waivers::{self, WaiverFile};

/// Which rules run, and how they are configured.
#[derive(Debug, Clone, Default)]
pub struct PackOptions {
    /// A directory of rules that replaces the whole pack (`--rules`).
    pub rules: Option<PathBuf>,
    /// The configuration file (`--config`); else `jixiao.toml` is looked
    /// for in the working directory and its parents.
    pub config: Option<PathBuf>,
    /// `RULE.KEY=VALUE` overrides (`--param`).
    pub params: Vec<String>,
    /// Rule files that take the place of the pack's rule of the same id,
    /// or join the pack (the workbench's edited rules).
    pub scripts: Vec<pack::RuleFile>,
}

/// Settings from the configuration file and the parameter overrides.
pub fn settings(pack: &PackOptions) -> Result<Settings, Vec<FileError>> {
    let file = match &pack.config {
        Some(f) => Some(f.clone()),
        None => std::env::current_dir()
            .ok()
            .and_then(|d| config::discover(&d)),
    };
    let mut s = match file {
        Some(f) => config::load(&f)?,
        None => Settings::default(),
    };
    let mut errors = Vec::new();
    for arg in &pack.params {
        match config::parse_param_arg(arg) {
            Ok(p) => s.params.push(p),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(s)
    } else {
        Err(errors)
    }
}

/// The configured pack, compiled for a run over `reports` reports; rules
/// that do not compile or could not be read are in its errors.
pub fn checker(
    pack: &PackOptions,
    reports: usize,
    cache: Option<Arc<Cache>>,
) -> Result<(Checker, Settings), Vec<FileError>> {
    let s = settings(pack)?;
    let mut loaded = pack::assemble(&s, pack.rules.as_deref())?;
    for edited in &pack.scripts {
        match loaded.files.iter_mut().find(|f| f.id == edited.id) {
            Some(f) => *f = edited.clone(),
            None => loaded.files.push(edited.clone()),
        }
    }
    let mut checker = Checker::for_reports(loaded.files, reports, cache);
    checker.add_errors(loaded.errors);
    let errors = checker.configure(&s);
    if errors.is_empty() {
        Ok((checker, s))
    } else {
        Err(errors)
    }
}

/// Everything a run is set up from, besides its inputs.
#[derive(Debug, Default)]
pub struct Options {
    pub pack: PackOptions,
    /// A batch waiver file (`--waivers`).
    pub waivers: Option<PathBuf>,
    /// An earlier run's JSON output to compare with (`--baseline`).
    pub baseline: Option<PathBuf>,
    /// The findings cache, if one is used.
    pub cache: Option<Arc<Cache>>,
    /// Worker threads (0: one per core).
    pub jobs: usize,
}

/// A submission given as bytes, with the name it is shown under (its file
/// name decides how it is read).
#[derive(Debug, Clone)]
pub struct Document {
    pub name: String,
    pub bytes: Arc<[u8]>,
}

/// One input of a run.
#[derive(Debug, Clone)]
pub enum Source {
    File(Input),
    Memory(Document),
}

impl Source {
    /// The name the input is shown under.
    pub fn name(&self) -> &str {
        match self {
            Source::File(i) => &i.display,
            Source::Memory(d) => &d.name,
        }
    }
}

/// Where a run's results go, a report at a time.
pub trait Sink: Send {
    fn begin(&mut self, run: &Begin<'_>) -> io::Result<()>;

    /// A renderer the workers may use while this sink writes (see
    /// [`render::Emitter::preparer`]).
    fn preparer(&self) -> Option<Box<dyn Prepare>> {
        None
    }

    fn report(&mut self, r: &ReportOutcome, prepared: Vec<u8>) -> io::Result<()>;

    fn end(&mut self, end: &End<'_>) -> io::Result<()>;
}

/// A sink that renders one format to a writer.
pub struct Emit<W: Write + Send> {
    pub emitter: Box<dyn render::Emitter>,
    pub writer: W,
}

impl<W: Write + Send> Sink for Emit<W> {
    fn begin(&mut self, run: &Begin<'_>) -> io::Result<()> {
        self.emitter.begin(&mut self.writer, run)
    }

    fn preparer(&self) -> Option<Box<dyn Prepare>> {
        self.emitter.preparer()
    }

    fn report(&mut self, r: &ReportOutcome, prepared: Vec<u8>) -> io::Result<()> {
        self.emitter.report(&mut self.writer, r, prepared)
    }

    fn end(&mut self, end: &End<'_>) -> io::Result<()> {
        self.emitter.end(&mut self.writer, end)?;
        self.writer.flush()
    }
}

/// A sink that keeps the whole outcome (for tests, tools and the
/// workbench, which store every report).
#[derive(Debug, Default)]
pub struct Collect {
    pub outcome: Outcome,
}

impl Sink for Collect {
    fn begin(&mut self, run: &Begin<'_>) -> io::Result<()> {
        self.outcome.errors = run.errors.to_vec();
        self.outcome.rules = run.rules.to_vec();
        self.outcome.compared = run.compared;
        self.outcome.config = run.config.map(str::to_string);
        Ok(())
    }

    fn report(&mut self, r: &ReportOutcome, _: Vec<u8>) -> io::Result<()> {
        self.outcome.reports.push(r.clone());
        Ok(())
    }

    fn end(&mut self, end: &End<'_>) -> io::Result<()> {
        self.outcome.warnings = end.warnings.to_vec();
        Ok(())
    }
}

/// How a run ended.
#[derive(Debug)]
pub struct Ran {
    pub summary: Summary,
    /// 0 clean, 1 a finding at error severity, 2 a file or rule could not
    /// be used.
    pub exit_code: i32,
    /// Sinks that failed to write, by index, with the error; a failed
    /// sink is given nothing more.
    pub failed: Vec<(usize, io::Error)>,
}

/// Reports checked per chunk: large enough to keep the workers busy, small
/// enough that memory does not grow with the batch.
const CHUNK: usize = 128;

/// A configured review; see the module documentation.
pub struct Review {
    checker: Checker,
    config: Option<String>,
    default_pack: bool,
    waivers: Option<WaiverFile>,
    baseline: Option<Previous>,
    jobs: usize,
}

impl Review {
    /// Sets a run up: the pack as configured, the waiver file and the
    /// baseline read. A configuration, waiver or baseline file that cannot
    /// be used is an error; rules that do not compile are errors of the
    /// run, which still checks with the others.
    pub fn new(options: Options, reports: usize) -> Result<Review, Vec<FileError>> {
        let (checker, settings) = checker(&options.pack, reports, options.cache)?;
        let waivers = options.waivers.as_deref().map(waivers::load).transpose()?;
        let baseline = options
            .baseline
            .as_deref()
            .map(baseline::load)
            .transpose()
            .map_err(|e| vec![e])?;
        Ok(Review {
            checker,
            config: settings.file.as_ref().map(|f| f.display().to_string()),
            default_pack: settings.default_pack,
            waivers,
            baseline,
            jobs: options.jobs,
        })
    }

    /// A review with a given checker and nothing else (tests and tools).
    pub fn with_checker(checker: Checker) -> Review {
        Review {
            checker,
            config: None,
            default_pack: true,
            waivers: None,
            baseline: None,
            jobs: 0,
        }
    }

    /// The same review on `jobs` worker threads (0: one per core).
    pub fn with_jobs(mut self, jobs: usize) -> Review {
        self.jobs = jobs;
        self
    }

    /// Compares with `previous`, an earlier run (the workbench's rounds).
    pub fn compare_with(&mut self, previous: Previous) {
        self.baseline = Some(previous);
    }

    pub fn checker(&self) -> &Checker {
        &self.checker
    }

    /// The configuration file used, if any.
    pub fn config(&self) -> Option<&str> {
        self.config.as_deref()
    }

    /// Every rule of the run and the host's checks, as renderers show them.
    pub fn rules(&self) -> Vec<RuleInfo> {
        self.checker.rule_infos()
    }

    /// Loads, imports and checks one input, and applies its own waivers:
    /// everything that depends on this input alone. A workbook of several
    /// 自评表 gives a report for each.
    pub fn check(&self, source: &Source) -> Vec<ReportOutcome> {
        on_worker(&self.checker, |c| check_with(c, source))
    }

    /// Checks `sources` into `sinks`, in input order; `skipped` are the
    /// files left out of the batch, noted in the output; `tick` is called
    /// once per input checked (a progress bar).
    pub fn run(
        &self,
        sources: &[Source],
        skipped: &[Skipped],
        sinks: &mut [&mut dyn Sink],
        tick: &(dyn Fn() + Sync),
    ) -> Ran {
        let errors = self.checker.errors().to_vec();
        let rules = self.rules();
        let compared = self.baseline.is_some();
        let begin = Begin {
            errors: &errors,
            rules: &rules,
            compared,
            config: self.config.as_deref(),
        };
        let mut failed: Vec<(usize, io::Error)> = Vec::new();
        for (i, s) in sinks.iter_mut().enumerate() {
            if let Err(e) = s.begin(&begin) {
                failed.push((i, e));
            }
        }
        let preparers: Vec<Option<Box<dyn Prepare>>> = sinks.iter().map(|s| s.preparer()).collect();
        let waiving = self.waivers.as_ref().map(|w| w.start());
        let baseline = self.baseline.as_ref();
        let pool = pool(self.jobs, sources.len());
        let then = |source: &Source| {
            let reports = self.check(source);
            let done: Vec<(ReportOutcome, Vec<Vec<u8>>)> = reports
                .into_iter()
                .map(|mut r| {
                    if let Some(w) = &waiving {
                        w.apply(&mut r);
                    }
                    if let Some(p) = baseline {
                        p.apply_report(&mut r);
                    }
                    let prepared: Vec<Vec<u8>> = preparers
                        .iter()
                        .map(|p| p.as_ref().map(|p| p.prepare(&r)).unwrap_or_default())
                        .collect();
                    (r, prepared)
                })
                .collect();
            tick();
            done
        };
        let run = |chunk: &[Source]| -> Vec<(ReportOutcome, Vec<Vec<u8>>)> {
            match &pool {
                Some(pool) => pool.install(|| chunk.par_iter().flat_map_iter(then).collect()),
                None => chunk.iter().flat_map(then).collect(),
            }
        };
        let mut summary = Summary::default();
        let mut unchecked: Vec<String> = Vec::new();
        // While this thread writes one chunk, the workers check the next.
        let mut chunks = sources.chunks(CHUNK);
        let mut ready = chunks.next().map(run);
        while let Some(done) = ready.take() {
            let next = chunks.next();
            std::thread::scope(|scope| {
                // With one job everything stays on this thread.
                let worker = next
                    .filter(|_| pool.is_some())
                    .map(|c| scope.spawn(move || run(c)));
                for (r, prepared) in done {
                    summary.add(&r);
                    if r.meta.is_some() && r.rules_run == 0 {
                        unchecked.push(r.path.clone());
                    }
                    for (i, (s, bytes)) in sinks.iter_mut().zip(prepared).enumerate() {
                        if failed.iter().any(|(f, _)| *f == i) {
                            continue;
                        }
                        if let Err(e) = s.report(&r, bytes) {
                            failed.push((i, e));
                        }
                    }
                }
                ready = match worker {
                    Some(w) => Some(w.join().unwrap_or_else(|p| std::panic::resume_unwind(p))),
                    None => next.map(run),
                };
            });
        }
        let mut warnings: Vec<FileError> = skipped.iter().map(Skipped::note).collect();
        warnings.extend(self.no_rules_ran(&unchecked));
        if let Some(w) = waiving {
            warnings.extend(w.finish(&self.checker.known_ids()));
        }
        let end = End {
            errors: &errors,
            warnings: &warnings,
            summary: &summary,
        };
        for (i, s) in sinks.iter_mut().enumerate() {
            if failed.iter().any(|(f, _)| *f == i) {
                continue;
            }
            if let Err(e) = s.end(&end) {
                failed.push((i, e));
            }
        }
        failed.sort_by_key(|(i, _)| *i);
        Ran {
            exit_code: summary.exit_code(!errors.is_empty()),
            summary,
            failed,
        }
    }

    /// The whole outcome of checking `sources` (tests and tools).
    pub fn outcome(&self, sources: &[Source]) -> Outcome {
        let mut all = Collect::default();
        self.run(sources, &[], &mut [&mut all], &|| {});
        all.outcome
    }

    /// The warning for reports that no rule checked (a configuration that
    /// turned every rule off, or none that applies to their kind): "通过"
    /// must never mean that nothing was looked at.
    fn no_rules_ran(&self, paths: &[String]) -> Option<FileError> {
        use crate::diagnostic::safe::sanitize_line;
        let first = paths.first()?;
        let shown: Vec<&str> = paths.iter().take(5).map(String::as_str).collect();
        let more = if paths.len() > 5 {
            format!(" 等 {} 份", paths.len())
        } else {
            String::new()
        };
        let why = match (&self.config, self.default_pack) {
            (Some(c), false) => format!(
                "配置文件 {} 设置了 default_pack = false，内置规则包未使用",
                sanitize_line(c)
            ),
            (Some(c), true) => format!("配置文件 {} 关闭了适用于它们的规则", sanitize_line(c)),
            (None, _) => "规则包中没有适用于它们的规则".into(),
        };
        Some(FileError::whole(
            "jixiao::no-rules",
            first,
            format!(
                "没有任何规则检查了 {}{more}：{why}；“通过”不表示已审核",
                shown.join("、")
            ),
            Some("检查配置文件的 [rules] 一节，或用 --config 指定应使用的配置文件".into()),
        ))
    }
}

/// The sources of the inputs a directory walk found.
pub fn sources(inputs: Vec<Input>) -> Vec<Source> {
    inputs.into_iter().map(Source::File).collect()
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

/// An input read: a report in TOML, or a document imported into one or
/// more (a workbook of several 自评表), each loaded or not.
enum Loaded {
    Report(report::Report),
    Imported(import::Format, import::Loaded),
}

fn load(source: &Source) -> Result<Loaded, ReportOutcome> {
    let (name, format) = match source {
        Source::File(i) => (i.display.as_str(), import::Format::of(&i.path)),
        Source::Memory(d) => (d.name.as_str(), import::Format::of(Path::new(&d.name))),
    };
    let imported = |f: LoadFailure, format: import::Format| ReportOutcome {
        imported_from: Some(format.id()),
        ..failed(f)
    };
    match (source, format) {
        (_, Some(format)) => {
            let read = match source {
                Source::File(i) => import::load(&i.path, name),
                Source::Memory(d) => import::load_bytes(format, name, &d.bytes),
            };
            read.map(|parts| Loaded::Imported(format, parts))
                .map_err(|f| imported(f, format))
        }
        (Source::File(i), None) => report::load_file(&i.path, name, LoadOptions::default())
            .map(Loaded::Report)
            .map_err(failed),
        (Source::Memory(d), None) => report::load_bytes(name, &d.bytes, LoadOptions::default())
            .map(Loaded::Report)
            .map_err(failed),
    }
}

/// A report given as text, checked as [`Review::check`] checks it (tests,
/// fuzzing and tools that hold a checker of their own).
pub fn check_text(checker: &Checker, name: &str, text: &str) -> ReportOutcome {
    let source = Source::Memory(Document {
        name: name.into(),
        bytes: Arc::from(text.as_bytes()),
    });
    check_with(checker, &source)
        .into_iter()
        .next()
        .unwrap_or_else(|| unreachable!("a source gives at least one report"))
}

/// [`Review::check`] with a given checker (this worker thread's, or the
/// caller's): every report the source holds, in order — one, or one per
/// 自评表 sheet of a workbook.
pub fn check_with(checker: &Checker, source: &Source) -> Vec<ReportOutcome> {
    match load(source) {
        Err(out) => vec![out],
        Ok(Loaded::Report(report)) => {
            let mut out = checker.check(&report);
            waivers::apply_in_report(&report, &mut out.findings);
            out.sort();
            vec![out]
        }
        Ok(Loaded::Imported(format, parts)) => parts
            .into_iter()
            .map(|part| match part {
                Err(f) => ReportOutcome {
                    imported_from: Some(format.id()),
                    ..failed(f)
                },
                Ok((report, imported)) => checked_import(checker, &report, &imported),
            })
            .collect(),
    }
}

/// An imported report checked, its findings moved onto the original and
/// what the import found uncertain added as findings.
fn checked_import(
    checker: &Checker,
    report: &report::Report,
    imported: &import::Imported,
) -> ReportOutcome {
    let mut out = checker.check(report);
    import::relocate(&mut out, imported);
    out.findings.extend(imported.notes.iter().map(|n| {
        let label = imported.label_of_note(n);
        host::finding(
            host::IMPORT_UNCERTAIN,
            n.message.clone(),
            Some("导入时无法确定，请对照原文核对这一处".into()),
            label,
        )
    }));
    out.sort();
    out
}

/// The most worker threads a check starts: four per core. More only
/// costs memory (a rule engine each) and makes every rule's wall clock run
/// slower.
pub fn max_jobs() -> usize {
    4 * std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// A pool of `jobs` worker threads (0: one per core; at most
/// [`max_jobs`]), or None to check on the calling thread.
fn pool(jobs: usize, inputs: usize) -> Option<rayon::ThreadPool> {
    // Starting worker threads costs more than checking a few reports.
    if jobs == 1 || inputs < crate::engine::FEW_REPORTS {
        return None;
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.min(max_jobs()))
        .stack_size(crate::engine::limits::STACK_BYTES)
        .build()
        .ok()
        .filter(|p| p.current_num_threads() > 1)
}

thread_local! {
    /// This worker thread's own checker (see [`Checker::fork`]): made once
    /// per thread and pack, not once per piece of work rayon hands out.
    static WORKER: std::cell::RefCell<Option<Checker>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` with this thread's fork of `checker` on a worker thread, or
/// with `checker` itself on the thread that owns it.
fn on_worker<R>(checker: &Checker, f: impl FnOnce(&Checker) -> R) -> R {
    if rayon::current_thread_index().is_none() {
        return f(checker);
    }
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
