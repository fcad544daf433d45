//! The rule host: compiles every rule once, runs each on a report with the
//! report and the rule's parameters as read-only values, checks the shape of
//! what the rule returns, and resolves each label's data path to its span.
//! The Rhai engine is built in one place, [`new_engine`], with every limit.

/// Registers `f` as the built-in `name`, pure: it only reads its first
/// argument, so that rules may call it on the read-only report (as Rhai's
/// own built-ins that it may replace are).
macro_rules! pure {
    ($engine:expr, $name:expr, $f:expr) => {
        rhai::FuncRegistration::new($name)
            .with_purity(true)
            .register_into_engine($engine, $f);
    };
}

mod compile;
mod configure;
pub mod convert;
mod current;
mod findings;
pub mod fixtures;
mod guarded;
pub mod header;
pub mod helpers;
pub mod host;
pub mod pack;
pub mod sandbox;
mod zh;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use rhai::{Dynamic, Engine, Position, Scope};

use crate::diagnostic::{FileError, Finding, ReportOutcome, RuleInfo};
use crate::report::Report;

pub use header::{Applies, Param, RuleDoc};
pub use pack::RuleFile;

pub use compile::Rule;
pub use configure::suggest;
pub use sandbox::limits;

/// Builds the one engine rules run on, with every limit and the sandbox set.
pub fn new_engine(rule_ids: Arc<BTreeSet<String>>) -> Engine {
    let mut e = Engine::new();
    sandbox::Budget::for_data(sandbox::DataSize::default()).apply(&mut e);
    e.set_max_call_levels(limits::MAX_CALL_LEVELS)
        .set_max_expr_depths(limits::MAX_EXPR_DEPTH, limits::MAX_FN_EXPR_DEPTH)
        .set_max_variables(limits::MAX_VARIABLES)
        .set_max_functions(limits::MAX_FUNCTIONS)
        .set_max_modules(0)
        // A shared interner would be a lock every worker thread contends on.
        .set_max_strings_interned(0)
        .set_strict_variables(true)
        .set_fail_on_invalid_map_property(true)
        .set_module_resolver(rhai::module_resolvers::DummyModuleResolver::new())
        .disable_symbol("eval");
    e.on_progress(sandbox::on_progress);
    // Rules must not write to the output; what they print goes to stderr,
    // escaped and capped.
    e.on_print(|s| {
        if let Some(s) = sandbox::printed(s) {
            eprintln!("[rule] {s}");
        }
    });
    e.on_debug(|s, _, pos| {
        if let Some(s) = sandbox::printed(s) {
            eprintln!("[rule debug {pos}] {s}");
        }
    });
    sandbox::register(&mut e);
    guarded::register(&mut e);
    helpers::register(&mut e, rule_ids);
    e
}

/// Compiled rules and the engine that runs them.
pub struct Checker {
    /// Which configured pack this is: a new number for every pack compiled
    /// or configured, kept by its forks (so a worker can tell whether the
    /// fork it holds is still the run's).
    generation: u64,
    /// Locked while a rule runs, to set the limits for its report (each
    /// worker thread has a checker of its own, see [`Checker::fork`]).
    engine: Mutex<Engine>,
    /// The ids `rule_exists` knows, kept to build engines for other threads.
    ids: Arc<BTreeSet<String>>,
    rules: Vec<Rule>,
    errors: Vec<FileError>,
    /// Where findings of earlier runs are kept, if anywhere.
    cache: Option<Arc<crate::cache::Cache>>,
    /// The values of what rules may read besides the report, this run.
    context: crate::cache::Context,
}

/// Below this many reports a run starts no thread pool and compiles its
/// rules without the optimiser: start-up outweighs the per-report cost.
pub const FEW_REPORTS: usize = 8;

/// The source of [`Checker::generation`] numbers.
static GENERATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

pub(crate) fn next_generation() -> u64 {
    GENERATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Checker {
    /// Compiles `files`. A rule that does not compile is left out and
    /// recorded in [`Checker::errors`]; the others still run.
    pub fn new(files: Vec<RuleFile>) -> Checker {
        Checker::compiled(files, rhai::OptimizationLevel::Simple, None)
    }

    /// [`Checker::new`] for a run over `reports` reports, keeping findings
    /// in `cache` (see [`Checker::set_cache`]).
    ///
    /// For a handful of reports, the scripts are compiled without Rhai's
    /// optimiser, which takes longer (~0.4 ms of a one-report run) than it
    /// saves on so few reports. With a cache, a script whose exact text
    /// compiled in an earlier run (with this build) is compiled only when
    /// a report needs it to run, not for reports whose findings of it are
    /// cached: rerunning one report after editing one rule compiles that
    /// rule alone.
    pub fn for_reports(
        files: Vec<RuleFile>,
        reports: usize,
        cache: Option<Arc<crate::cache::Cache>>,
    ) -> Checker {
        let level = if reports < FEW_REPORTS {
            rhai::OptimizationLevel::None
        } else {
            rhai::OptimizationLevel::Simple
        };
        Checker::compiled(files, level, cache)
    }

    fn compiled(
        files: Vec<RuleFile>,
        level: rhai::OptimizationLevel,
        cache: Option<Arc<crate::cache::Cache>>,
    ) -> Checker {
        let mut ids: BTreeSet<String> = files.iter().map(|f| f.id.clone()).collect();
        ids.extend(host::ids().map(str::to_string));
        let ids = Arc::new(ids);
        let mut engine = new_engine(ids.clone());
        engine.set_optimization_level(level);
        let known = cache
            .as_ref()
            .map(|c| c.compiled_scripts())
            .unwrap_or_default();
        let keys: Vec<u128> = files.iter().map(|f| compile::script_key(&f.text)).collect();
        let work: Vec<(&RuleFile, bool)> = files
            .iter()
            .zip(&keys)
            .map(|(f, k)| (f, known.contains(k)))
            .collect();
        let one = |(f, defer): &(&RuleFile, bool)| compile::compile(&engine, f, *defer);
        // Compiling is most of a one-report run's start-up: a second thread
        // takes half of a large pack. The order of the files is kept.
        let eager = work.iter().filter(|(_, defer)| !defer).count();
        let compiled: Vec<Result<Rule, FileError>> = if eager >= 8 {
            let half = work
                .iter()
                .scan(0, |n, (_, defer)| {
                    *n += usize::from(!defer);
                    Some(*n)
                })
                .position(|n| n == eager / 2)
                .map_or(0, |i| i + 1);
            let (a, b) = work.split_at(half);
            std::thread::scope(|s| {
                let other = s.spawn(|| b.iter().map(one).collect::<Vec<_>>());
                let mut first: Vec<_> = a.iter().map(one).collect();
                match other.join() {
                    Ok(rest) => first.extend(rest),
                    Err(_) => first.extend(b.iter().map(one)),
                }
                first
            })
        } else {
            work.iter().map(one).collect()
        };
        if let Some(c) = &cache {
            let compiled_now: Vec<u128> = compiled
                .iter()
                .zip(&work)
                .zip(&keys)
                .filter(|((r, (_, defer)), _)| r.is_ok() && !defer)
                .map(|(_, k)| *k)
                .collect();
            c.mark_compiled(&compiled_now);
        }
        let mut rules = Vec::new();
        let mut errors = Vec::new();
        for c in compiled {
            match c {
                Ok(rule) => rules.push(rule),
                Err(e) => errors.push(e),
            }
        }
        let mut checker = Checker {
            generation: next_generation(),
            engine: Mutex::new(engine),
            ids,
            rules,
            errors,
            cache,
            context: crate::cache::Context::default(),
        };
        checker.rekey();
        checker
    }

    /// Computes each rule's cache key from what its findings depend on
    /// besides the report: this build, the rule's id, text, severity and
    /// parameter values; and the values of what a rule may read while it
    /// runs (the date, the ids of the pack), which an entry is compared
    /// with only for the rules that did read them (see [`crate::cache`]).
    fn rekey(&mut self) {
        let ids: Vec<&[u8]> = self.ids.iter().map(|i| i.as_bytes()).collect();
        self.context = crate::cache::Context {
            today: crate::clock::today(),
            pack: crate::cache::key(ids.iter().copied()),
        };
        for rule in &mut self.rules {
            let values: Vec<String> = rule
                .values
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            rule.key = crate::cache::key(
                [
                    crate::cache::BUILD_ID.as_bytes(),
                    rule.doc.id.as_bytes(),
                    rule.source.as_bytes(),
                    rule.severity.as_str().as_bytes(),
                ]
                .into_iter()
                .chain(values.iter().map(|v| v.as_bytes())),
            );
        }
    }

    /// Keeps findings in `cache` and reuses them: a rule runs on a report
    /// only if this rule, as configured, has not checked this report text
    /// before.
    pub fn set_cache(&mut self, cache: Option<Arc<crate::cache::Cache>>) {
        self.generation = next_generation();
        self.cache = cache;
    }

    /// Whether `other` is this checker or a fork of it, with the same
    /// configuration.
    pub fn same_pack(&self, other: &Checker) -> bool {
        self.generation == other.generation
    }

    /// A checker with the same compiled rules and settings and an engine of
    /// its own, for another worker thread: threads sharing one engine (and
    /// one set of shared parameter values) contend on their locks.
    pub fn fork(&self) -> Checker {
        let rules = self
            .rules
            .iter()
            .map(|r| {
                let mut rule = Rule {
                    doc: r.doc.clone(),
                    file: r.file.clone(),
                    source: r.source.clone(),
                    severity: r.severity,
                    values: Vec::new(),
                    ast: r.ast.clone(),
                    params: Dynamic::UNIT,
                    key: r.key,
                };
                rule.set_values(r.values.clone());
                rule
            })
            .collect();
        Checker {
            generation: self.generation,
            engine: Mutex::new(new_engine(self.ids.clone())),
            ids: self.ids.clone(),
            rules,
            errors: self.errors.clone(),
            cache: self.cache.clone(),
            context: self.context.clone(),
        }
    }

    /// The documentation of every rule, and of the host's own checks, for
    /// renderers.
    pub fn rule_infos(&self) -> Vec<RuleInfo> {
        let mut infos: Vec<RuleInfo> = self
            .rules
            .iter()
            .map(|r| RuleInfo {
                id: r.doc.id.clone(),
                title: r.doc.title.clone(),
                severity: r.severity,
                basis: r.doc.basis.clone(),
                checks: r.doc.checks.clone(),
                why: r.doc.why.clone(),
                applies: r.doc.applies.as_str().into(),
            })
            .collect();
        infos.extend(host::infos());
        infos.sort_by(|a, b| a.id.cmp(&b.id));
        infos
    }

    /// Every id a waiver may name: the rules and the host's own checks.
    pub fn known_ids(&self) -> BTreeSet<String> {
        let mut ids: BTreeSet<String> = self.rules.iter().map(|r| r.doc.id.clone()).collect();
        ids.extend(host::ids().map(str::to_string));
        ids
    }

    /// What identifies this pack as configured: a hash of every rule's id,
    /// text, severity and parameter values (the keys its findings are
    /// cached under) and of the rules that failed to compile. Equal packs
    /// give equal findings.
    pub fn pack_key(&self) -> String {
        let keys: Vec<[u8; 16]> = self.rules.iter().map(|r| r.key.to_le_bytes()).collect();
        let errors: Vec<String> = self
            .errors
            .iter()
            .map(|e| format!("{}\0{}", e.file, e.message))
            .collect();
        let key = crate::cache::key(
            keys.iter()
                .map(|k| &k[..])
                .chain(errors.iter().map(|e| e.as_bytes())),
        );
        format!("{key:032x}")
    }

    /// The rules that compiled, ordered by id.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Records rule files that could not be read: errors of the run, as
    /// rules that do not compile are.
    pub fn add_errors(&mut self, errors: Vec<FileError>) {
        self.errors.extend(errors);
    }

    /// Rules that could not be compiled.
    pub fn errors(&self) -> &[FileError] {
        &self.errors
    }

    /// Runs every applicable rule on a report.
    pub fn check(&self, report: &Report) -> ReportOutcome {
        self.check_with(report, |_| true)
    }

    /// Runs the applicable rules that `select` picks on a report.
    pub fn check_with(&self, report: &Report, select: impl Fn(&Rule) -> bool) -> ReportOutcome {
        let mut out = ReportOutcome {
            path: report.path.clone(),
            source: report.source.clone(),
            meta: Some(report.meta.clone()),
            findings: Vec::new(),
            errors: Vec::new(),
            fixed: Vec::new(),
            imported_from: None,
            rules_run: 0,
        };
        out.findings = host::unknown_keys(report);
        let mut entry = self
            .cache
            .as_ref()
            .map(|c| c.entry_for(&report.source, report.reader));
        // Converted only if some rule has to run.
        let mut data = None;
        for rule in self
            .rules
            .iter()
            .filter(|r| r.doc.applies.includes(&report.meta.kind) && select(r))
        {
            out.rules_run += 1;
            if let Some(found) = entry
                .as_mut()
                .and_then(|e| e.get(rule.key, &rule.doc.id, rule.severity, &self.context))
            {
                out.findings.extend(found);
                continue;
            }
            let (data, budget) = data.get_or_insert_with(|| {
                let value = convert::report(&report.root);
                let budget = sandbox::Budget::for_data(sandbox::DataSize::of(&value));
                (value, budget)
            });
            match self.run(rule, data, budget, report) {
                Ok((found, read)) => {
                    if let Some(e) = entry.as_mut() {
                        let used = crate::cache::Used {
                            today: read.today,
                            pack: read.pack,
                        };
                        e.put(rule.key, rule.severity, used, &self.context, &found);
                    }
                    out.findings.extend(found)
                }
                Err(e) => out.errors.push(e),
            }
        }
        if let (Some(cache), Some(entry)) = (&self.cache, entry) {
            cache.save(entry);
        }
        out.sort();
        out
    }

    /// Runs every rule on an already converted report (for measurements).
    #[doc(hidden)]
    pub fn run_on(&self, report: &Report, data: &Dynamic) -> Vec<Finding> {
        let budget = sandbox::Budget::for_data(sandbox::DataSize::of(data));
        self.rules
            .iter()
            .filter(|r| r.doc.applies.includes(&report.meta.kind))
            .filter_map(|r| self.run(r, data, &budget, report).ok().map(|(f, _)| f))
            .flatten()
            .collect()
    }

    fn run(
        &self,
        rule: &Rule,
        data: &Dynamic,
        budget: &sandbox::Budget,
        report: &Report,
    ) -> Result<(Vec<Finding>, sandbox::Read), FileError> {
        let mut scope = Scope::new();
        scope.push_constant_dynamic("report", data.clone());
        scope.push_constant_dynamic("params", rule.params.clone());
        // A poisoned lock only means a rule panicked earlier; the engine
        // itself holds no state of that run.
        let mut engine = self.engine.lock().unwrap_or_else(|p| p.into_inner());
        // A deferred script is compiled first, outside the rule's time.
        let ast = rule.ast(&engine)?;
        budget.apply(&mut engine);
        let _reading = current::Reading::start(report);
        let running = sandbox::Running::start(*budget);
        let result = sandbox::contain(|| engine.eval_ast_with_scope::<Dynamic>(&mut scope, ast));
        let read = running.finish();
        drop(engine);
        let value = result.map_err(|err| FileError {
            code: "jixiao::rule::runtime".into(),
            message: format!(
                "规则 {}{}在检查 {} 时出错：{}",
                rule.doc.id,
                compile::at_line(err.position()),
                report.path,
                findings::bare_message(&err, budget)
            ),
            help: None,
            file: rule.file.clone(),
            source: Some(rule.source.clone()),
            labels: vec![(
                compile::span_at(&rule.source, err.position()),
                "出错位置".into(),
            )],
        })?;
        let found = findings::findings_of(rule, value, report).map_err(|message| FileError {
            code: "jixiao::rule::shape".into(),
            message: format!("规则 {} 在检查 {} 时返回的结果无效：{message}", rule.doc.id, report.path),
            help: Some("规则应返回发现项数组，每项形如 #{ message: \"…\", labels: [label(\"budget.rate\", \"…\")] }，可选 help".into()),
            file: rule.file.clone(),
            source: Some(rule.source.clone()),
            labels: vec![(compile::span_at(&rule.source, Position::new(1, 1)), "此规则".into())],
        })?;
        Ok((found, read))
    }
}
