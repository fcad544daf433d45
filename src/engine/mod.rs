//! The rule host: compiles every rule once, runs each on a report with the
//! report and the rule's parameters as read-only values, checks the shape of
//! what the rule returns, and resolves each label's data path to its span.
//! The Rhai engine is built in one place, [`new_engine`], with every limit.

pub mod convert;
pub mod fixtures;
pub mod header;
pub mod helpers;
pub mod host;
pub mod pack;
pub mod sandbox;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use rhai::{AST, Dynamic, Engine, EvalAltResult, Map, Position, Scope};

use crate::config::{Set, Settings};
use crate::diagnostic::{FileError, Finding, Label, ReportOutcome, RuleInfo, Severity};
use crate::report::{Node, Report, path};

pub use header::{Applies, Param, RuleDoc};
pub use pack::RuleFile;

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
    helpers::register(&mut e, rule_ids);
    e
}

/// A compiled rule.
pub struct Rule {
    pub doc: RuleDoc,
    pub file: String,
    pub source: Arc<str>,
    /// The severity in force (the header's, unless configured).
    pub severity: Severity,
    /// The parameter values in force, in the order of `doc.params`.
    pub values: Vec<(String, toml::Value)>,
    /// Compiled when the checker is made, or on first use when an earlier
    /// run compiled this very text (see [`Checker::for_reports`]); shared
    /// with the checker's forks.
    ast: Arc<std::sync::OnceLock<AST>>,
    params: Dynamic,
    /// What the rule's findings depend on besides the report, hashed: the
    /// key of its findings in the cache (see [`Checker::rekey`]).
    key: u128,
}

impl Rule {
    /// The compiled script, compiling it now if it was deferred.
    fn ast(&self, engine: &Engine) -> Result<&AST, FileError> {
        if let Some(ast) = self.ast.get() {
            return Ok(ast);
        }
        let ast = compile_script(engine, &self.doc.id, &self.file, &self.source)?;
        Ok(self.ast.get_or_init(|| ast))
    }

    fn set_values(&mut self, values: Vec<(String, toml::Value)>) {
        let map: Map = values
            .iter()
            .map(|(k, v)| (k.as_str().into(), convert::toml(v)))
            .collect();
        self.params = Dynamic::from_map(map).into_read_only().into_shared();
        self.values = values;
    }
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

/// "Did you mean …" for an unknown name: the closest known names.
pub fn suggest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> String {
    let mut scored: Vec<(usize, &str)> = known
        .map(|k| (crate::report::edit_distance(name, k), k))
        .collect();
    scored.sort();
    let close: Vec<&str> = scored
        .iter()
        .filter(|(d, k)| *d <= 3.max(k.len() / 3))
        .take(3)
        .map(|(_, k)| *k)
        .collect();
    if close.is_empty() {
        let all: Vec<&str> = scored.iter().map(|(_, k)| *k).collect();
        format!("可用的有：{}", all.join("、"))
    } else {
        format!("是否应为：{}？", close.join("、"))
    }
}

/// Checks a configured value against the parameter's default: the same
/// kind of value (integers and floats are both numbers), and a rate where
/// the default is a rate. Returns the value to use, or what was expected.
fn coerce(default: &toml::Value, value: &toml::Value) -> Result<toml::Value, &'static str> {
    use crate::report::quantity::parse_rate;
    use toml::Value as V;
    match (default, value) {
        (V::Integer(_) | V::Float(_), V::Integer(i)) => Ok(V::Float(*i as f64)),
        (V::Integer(_) | V::Float(_), V::Float(x)) if x.is_finite() => Ok(V::Float(*x)),
        (V::Integer(_) | V::Float(_), V::String(s))
            if s.trim().parse::<f64>().is_ok_and(f64::is_finite) =>
        {
            Ok(V::Float(s.trim().parse().unwrap_or_default()))
        }
        (V::Integer(_) | V::Float(_), _) => Err("数字"),
        (V::String(d), V::String(s)) if parse_rate(d).is_some() => {
            if parse_rate(s).is_some() {
                Ok(value.clone())
            } else {
                Err("带百分号的比率（如 \"110%\"）")
            }
        }
        (V::String(_), V::String(_)) => Ok(value.clone()),
        (V::String(_), _) => Err("字符串"),
        (V::Boolean(_), V::Boolean(_)) => Ok(value.clone()),
        (V::Boolean(_), _) => Err("true 或 false"),
        (V::Array(_), V::Array(_)) => Ok(value.clone()),
        (V::Array(_), _) => Err("数组"),
        (V::Table(_), V::Table(_)) => Ok(value.clone()),
        (V::Table(_), _) => Err("表"),
        (V::Datetime(_), _) => Ok(value.clone()),
    }
}

/// Byte offset of a 1-based line and character column.
fn offset_at(source: &str, line: usize, column: usize) -> usize {
    let start: usize = source
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &source[start.min(source.len())..];
    start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

/// A span of one character at a script position (or the file's start).
fn span_at(source: &str, pos: Position) -> std::ops::Range<usize> {
    let (line, col) = (pos.line().unwrap_or(1), pos.position().unwrap_or(1));
    let start = offset_at(source, line, col);
    let len = source[start..].chars().next().map_or(0, char::len_utf8);
    start..start + len
}

/// Rhai's error text without the " (line L, position P)" it appends; the
/// position is shown as a label instead.
fn without_position(mut text: String) -> String {
    if let Some(i) = text.rfind(" (line ") {
        text.truncate(i);
    }
    text
}

/// The error text without the position Rhai appends to it, a limit that
/// stopped the rule named with its value.
fn bare_message(err: &EvalAltResult, budget: &sandbox::Budget) -> String {
    if let EvalAltResult::ErrorRuntime(value, _) = err {
        // `throw "…"` in a rule, or a helper's own message.
        return value.to_string();
    }
    budget
        .stopped_by(err)
        .unwrap_or_else(|| without_position(err.to_string()))
}

/// Below this many reports a run starts no thread pool and compiles its
/// rules without the optimiser: start-up outweighs the per-report cost.
pub const FEW_REPORTS: usize = 8;

/// The source of [`Checker::generation`] numbers.
static GENERATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_generation() -> u64 {
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
        let keys: Vec<u128> = files.iter().map(|f| script_key(&f.text)).collect();
        let work: Vec<(&RuleFile, bool)> = files
            .iter()
            .zip(&keys)
            .map(|(f, k)| (f, known.contains(k)))
            .collect();
        let one = |(f, defer): &(&RuleFile, bool)| compile(&engine, f, *defer);
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

    /// Applies configured severities, disabled rules and parameters. Every
    /// setting naming an unknown rule or parameter, or giving a value of the
    /// wrong kind, is an error at the setting's span; nothing is ignored.
    pub fn configure(&mut self, settings: &Settings) -> Vec<FileError> {
        self.generation = next_generation();
        let mut errors = Vec::new();
        let ids: Vec<String> = self.rules.iter().map(|r| r.doc.id.clone()).collect();
        let unknown_rule = |s: &Set<String>| {
            s.origin.error(
                "jixiao::config::rule",
                format!("没有 id 为 `{}` 的规则", s.value),
                Some(suggest(&s.value, ids.iter().map(String::as_str))),
                "未知规则",
            )
        };
        let mut off: BTreeSet<String> = BTreeSet::new();
        for d in &settings.disable {
            if ids.contains(&d.value) {
                off.insert(d.value.clone());
            } else {
                errors.push(unknown_rule(d));
            }
        }
        for (id, level) in &settings.severity {
            let Some(rule) = self.rules.iter_mut().find(|r| r.doc.id == id.value) else {
                errors.push(unknown_rule(id));
                continue;
            };
            match (level.value.as_str(), Severity::parse(&level.value)) {
                ("off", _) => {
                    off.insert(id.value.clone());
                }
                (_, Some(s)) => rule.severity = s,
                (other, None) => errors.push(level.origin.error(
                    "jixiao::config::severity",
                    format!("级别 \"{other}\" 无效"),
                    Some("可用：error、warning、advice、off".into()),
                    "应为 error、warning、advice 或 off",
                )),
            }
        }
        for p in &settings.params {
            let Some(rule) = self.rules.iter_mut().find(|r| r.doc.id == p.rule.value) else {
                errors.push(unknown_rule(&p.rule));
                continue;
            };
            let names: Vec<&str> = rule.doc.params.iter().map(|d| d.name.as_str()).collect();
            let Some(i) = names.iter().position(|n| *n == p.key.value) else {
                let help = if names.is_empty() {
                    format!("规则 {} 没有参数", rule.doc.id)
                } else {
                    suggest(&p.key.value, names.iter().copied())
                };
                errors.push(p.key.origin.error(
                    "jixiao::config::param",
                    format!("规则 {} 没有参数 `{}`", rule.doc.id, p.key.value),
                    Some(help),
                    "未知参数",
                ));
                continue;
            };
            let default = &rule.doc.params[i].default;
            match coerce(default, &p.value.value) {
                Ok(v) => {
                    let mut values = rule.values.clone();
                    values[i].1 = v;
                    rule.set_values(values);
                }
                Err(want) => errors.push(p.value.origin.error(
                    "jixiao::config::type",
                    format!("参数 {}.{} 应为{want}", rule.doc.id, p.key.value),
                    Some(format!("默认值为 {default}")),
                    &format!("应为{want}"),
                )),
            }
        }
        self.rules.retain(|r| !off.contains(&r.doc.id));
        self.rekey();
        errors
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
        let mut entry = self.cache.as_ref().map(|c| c.entry(&report.source));
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
        let running = sandbox::Running::start(*budget);
        let result = engine.eval_ast_with_scope::<Dynamic>(&mut scope, ast);
        let read = running.finish();
        drop(engine);
        let value = result.map_err(|err| FileError {
            code: "jixiao::rule::runtime".into(),
            message: format!(
                "规则 {} 在检查 {} 时出错：{}",
                rule.doc.id,
                report.path,
                bare_message(&err, budget)
            ),
            help: None,
            file: rule.file.clone(),
            source: Some(rule.source.clone()),
            labels: vec![(span_at(&rule.source, err.position()), "出错位置".into())],
        })?;
        let found = findings_of(rule, value, report).map_err(|message| FileError {
            code: "jixiao::rule::shape".into(),
            message: format!("规则 {} 在检查 {} 时返回的结果无效：{message}", rule.doc.id, report.path),
            help: Some("规则应返回发现项数组，每项形如 #{ message: \"…\", labels: [label(\"budget.rate\", \"…\")] }，可选 help".into()),
            file: rule.file.clone(),
            source: Some(rule.source.clone()),
            labels: vec![(span_at(&rule.source, Position::new(1, 1)), "此规则".into())],
        })?;
        Ok((found, read))
    }
}

/// The script with its `//!` header lines emptied: the header is read by
/// [`header::parse`], and the tokenizer need not scan it again. Lines stay
/// where they are, so script positions are positions in the file.
fn without_header(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            if line.starts_with("//!") {
                if line.ends_with('\n') { "\n" } else { "" }
            } else {
                line
            }
        })
        .collect()
}

/// What the cache knows a script by: this build and its text.
fn script_key(text: &str) -> u128 {
    crate::cache::key([crate::cache::BUILD_ID.as_bytes(), text.as_bytes()])
}

/// Reads a rule's header and compiles its script, or with `defer`, leaves
/// the script to be compiled on first use.
fn compile(engine: &Engine, f: &RuleFile, defer: bool) -> Result<Rule, FileError> {
    let doc = header::parse(&f.text, &f.id).map_err(|e| FileError {
        code: "jixiao::rule::header".into(),
        message: e.message,
        help: None,
        file: f.file.clone(),
        source: Some(f.text.clone()),
        labels: vec![(e.span, "此处".into())],
    })?;
    let ast = std::sync::OnceLock::new();
    if !defer {
        let _ = ast.set(compile_script(engine, &f.id, &f.file, &f.text)?);
    }
    let values = doc
        .params
        .iter()
        .map(|p| (p.name.clone(), p.default.clone()))
        .collect();
    let mut rule = Rule {
        severity: doc.severity,
        doc,
        file: f.file.clone(),
        source: f.text.clone(),
        values: Vec::new(),
        ast: Arc::new(ast),
        params: Dynamic::UNIT,
        key: 0,
    };
    rule.set_values(values);
    Ok(rule)
}

/// Compiles a rule file's script (its header left out).
fn compile_script(
    engine: &Engine,
    id: &str,
    file: &str,
    text: &Arc<str>,
) -> Result<AST, FileError> {
    let mut scope = Scope::new();
    scope.push("report", Map::new());
    scope.push("params", Map::new());
    engine
        .compile_with_scope(&scope, without_header(text))
        .map_err(|e| {
            let pos = e.position();
            FileError {
                code: "jixiao::rule::syntax".into(),
                message: format!("规则 {id} 无法编译：{}", without_position(e.to_string())),
                help: None,
                file: file.into(),
                source: Some(text.clone()),
                labels: vec![(span_at(text, pos), "此处".into())],
            }
        })
}

fn make_label(
    report: &Report,
    data_path: &str,
    span: std::ops::Range<usize>,
    message: String,
) -> Label {
    let (line, column) = report.line_col(span.start);
    Label {
        path: data_path.to_string(),
        message,
        span,
        line,
        column,
        location: None,
    }
}

const FINDING_KEYS: &[&str] = &["message", "help", "labels", "severity"];

fn text_of(m: &Map, key: &str, what: &str) -> Result<Option<String>, String> {
    match m.get(key) {
        None => Ok(None),
        Some(v) if v.is_unit() => Ok(None),
        Some(v) => v
            .clone()
            .into_string()
            .map(Some)
            .map_err(|t| format!("{what} 的 `{key}` 应为字符串，实际是 {t}")),
    }
}

/// Checks the shape of a rule's result and turns it into findings.
fn findings_of(rule: &Rule, value: Dynamic, report: &Report) -> Result<Vec<Finding>, String> {
    if value.is_unit() {
        return Ok(Vec::new());
    }
    let items = value
        .into_array()
        .map_err(|t| format!("应返回数组，实际是 {t}"))?;
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let what = format!("第 {} 个发现项", i + 1);
        let m = item
            .try_cast::<Map>()
            .ok_or_else(|| format!("{what} 应为对象映射 #{{…}}"))?;
        if let Some(k) = m.keys().find(|k| !FINDING_KEYS.contains(&k.as_str())) {
            return Err(format!(
                "{what} 含有未知的键 `{k}`（可用：message、help、labels、severity）"
            ));
        }
        let message = text_of(&m, "message", &what)?
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| format!("{what} 缺少 message"))?;
        let help = text_of(&m, "help", &what)?;
        let severity = match text_of(&m, "severity", &what)? {
            None => rule.severity,
            Some(s) => {
                Severity::parse(&s).ok_or_else(|| format!("{what} 的 severity \"{s}\" 无效"))?
            }
        };
        let labels = m
            .get("labels")
            .and_then(|l| l.clone().try_cast::<rhai::Array>())
            .filter(|l| !l.is_empty())
            .ok_or_else(|| format!("{what} 须有至少一个 label"))?;
        let mut resolved = Vec::with_capacity(labels.len());
        for l in labels {
            let lm = l
                .try_cast::<Map>()
                .ok_or_else(|| format!("{what} 的 label 应为 label(路径, 说明)"))?;
            let data_path =
                text_of(&lm, "path", &what)?.ok_or_else(|| format!("{what} 的 label 缺少 path"))?;
            let text = text_of(&lm, "message", &what)?.unwrap_or_default();
            let node: &Node = path::resolve(&report.root, &data_path)
                .filter(|n| !n.span.is_empty())
                .ok_or_else(|| format!("数据路径 `{data_path}` 在报告中不存在"))?;
            resolved.push(make_label(report, &data_path, node.span.clone(), text));
        }
        out.push(Finding {
            rule: rule.doc.id.clone(),
            severity,
            message,
            help,
            labels: resolved,
            waived: None,
            baseline: None,
        });
    }
    Ok(out)
}
