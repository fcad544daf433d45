//! Compiling rules: a rule file's header read into its documentation and
//! its script compiled (or deferred to its first use when an earlier run
//! compiled the very same text), and a script position turned into a span
//! of the rule file for its errors.

use std::sync::Arc;

use rhai::{AST, Dynamic, Engine, Map, Position, Scope};

use super::{RuleDoc, RuleFile, convert, header};
use crate::diagnostic::{FileError, Severity};

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
    pub(super) ast: Arc<std::sync::OnceLock<AST>>,
    pub(super) params: Dynamic,
    /// What the rule's findings depend on besides the report, hashed: the
    /// key of its findings in the cache (see [`Checker::rekey`]).
    pub(super) key: u128,
}

impl Rule {
    /// The compiled script, compiling it now if it was deferred.
    pub(super) fn ast(&self, engine: &Engine) -> Result<&AST, FileError> {
        if let Some(ast) = self.ast.get() {
            return Ok(ast);
        }
        let ast = compile_script(engine, &self.doc.id, &self.file, &self.source)?;
        Ok(self.ast.get_or_init(|| ast))
    }

    pub(super) fn set_values(&mut self, values: Vec<(String, toml::Value)>) {
        let map: Map = values
            .iter()
            .map(|(k, v)| (k.as_str().into(), convert::toml(v)))
            .collect();
        self.params = Dynamic::from_map(map).into_read_only().into_shared();
        self.values = values;
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
pub(super) fn span_at(source: &str, pos: Position) -> std::ops::Range<usize> {
    let (line, col) = (pos.line().unwrap_or(1), pos.position().unwrap_or(1));
    let start = offset_at(source, line, col);
    let len = source[start..].chars().next().map_or(0, char::len_utf8);
    start..start + len
}

/// " 第 L 行" for a script position (" " without one), to name the line
/// in a message: "规则 x 第 8 行无法编译".
pub(super) fn at_line(pos: Position) -> String {
    pos.line().map_or(" ".into(), |l| format!(" 第 {l} 行"))
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
pub(super) fn script_key(text: &str) -> u128 {
    crate::cache::key([crate::cache::BUILD_ID.as_bytes(), text.as_bytes()])
}

/// Reads a rule's header and compiles its script, or with `defer`, leaves
/// the script to be compiled on first use.
pub(super) fn compile(engine: &Engine, f: &RuleFile, defer: bool) -> Result<Rule, FileError> {
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
                message: format!(
                    "规则 {id}{}无法编译：{}",
                    at_line(pos),
                    super::zh::parse(e.err_type())
                ),
                help: None,
                file: file.into(),
                source: Some(text.clone()),
                labels: vec![(span_at(text, pos), "此处".into())],
            }
        })
}
