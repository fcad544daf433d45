//! Configuration: `jixiao.toml` (found in the working directory or a parent,
//! or named by `--config`) and `--param RULE.KEY=VALUE` overrides, read into
//! [`Settings`] that remember where every setting came from, so that a wrong
//! one is reported at its span in the file.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::FileError;
use crate::report::{Node, Value, raw};

/// The configuration file's name; directory walks skip it.
pub const CONFIG_FILE: &str = "jixiao.toml";

/// Where a setting was written.
#[derive(Debug, Clone)]
pub enum Origin {
    /// A span in a configuration file.
    File {
        file: String,
        source: Arc<str>,
        span: Range<usize>,
    },
    /// A command-line argument, as given.
    Arg(String),
}

impl Origin {
    /// An error about the setting written here.
    pub fn error(
        &self,
        code: &str,
        message: String,
        help: Option<String>,
        label: &str,
    ) -> FileError {
        match self {
            Origin::File { file, source, span } => FileError {
                code: code.into(),
                message,
                help,
                file: file.clone(),
                source: Some(source.clone()),
                labels: vec![(span.clone(), label.into())],
            },
            Origin::Arg(arg) => FileError::whole(
                code,
                "<命令行>",
                format!("{message}（命令行参数 {arg}）"),
                help,
            ),
        }
    }
}

/// A value with where it was written.
#[derive(Debug, Clone)]
pub struct Set<T> {
    pub value: T,
    pub origin: Origin,
}

/// A parameter override.
#[derive(Debug, Clone)]
pub struct ParamSetting {
    pub rule: Set<String>,
    pub key: Set<String>,
    pub value: Set<toml::Value>,
}

/// Everything configurable about a run's rules.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Whether the embedded default pack is used.
    pub default_pack: bool,
    /// Rule directories added to the pack (resolved against the config
    /// file's directory).
    pub paths: Vec<Set<PathBuf>>,
    pub disable: Vec<Set<String>>,
    /// Rule id → `error` | `warning` | `advice` | `off`.
    pub severity: Vec<(Set<String>, Set<String>)>,
    pub params: Vec<ParamSetting>,
    /// The configuration file read, if any.
    pub file: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            default_pack: true,
            paths: Vec::new(),
            disable: Vec::new(),
            severity: Vec::new(),
            params: Vec::new(),
            file: None,
        }
    }
}

/// The nearest `jixiao.toml` in `dir` or its parents.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(CONFIG_FILE))
        .find(|p| p.is_file())
}

/// Converts a parsed TOML node back to a plain TOML value.
pub fn to_toml(n: &Node) -> toml::Value {
    match &n.value {
        Value::Str(s) => toml::Value::String(s.clone()),
        Value::Int(i) => toml::Value::Integer(*i),
        Value::Float(x) => toml::Value::Float(*x),
        Value::Bool(b) => toml::Value::Boolean(*b),
        Value::Date(d) => d
            .parse()
            .map(toml::Value::Datetime)
            .unwrap_or(toml::Value::String(d.clone())),
        Value::Array(items) => toml::Value::Array(items.iter().map(to_toml).collect()),
        Value::Table(entries) => toml::Value::Table(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone(), to_toml(v)))
                .collect(),
        ),
    }
}

struct Reader {
    file: String,
    source: Arc<str>,
    errors: Vec<FileError>,
}

impl Reader {
    fn origin(&self, span: &Range<usize>) -> Origin {
        Origin::File {
            file: self.file.clone(),
            source: self.source.clone(),
            span: span.clone(),
        }
    }

    fn fail(&mut self, span: &Range<usize>, message: String, help: Option<String>) {
        let e = self
            .origin(span)
            .error("jixiao::config", message, help, "此处");
        self.errors.push(e);
    }

    fn string(&mut self, n: &Node, what: &str) -> Option<String> {
        match n.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.fail(
                    &n.span,
                    format!("{what} 应为字符串，实际是{}", n.value.type_name()),
                    None,
                );
                None
            }
        }
    }

    fn strings(&mut self, n: &Node, what: &str) -> Vec<Set<String>> {
        let Some(items) = n.as_array() else {
            self.fail(&n.span, format!("{what} 应为字符串数组"), None);
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|i| {
                self.string(i, what).map(|value| Set {
                    value,
                    origin: self.origin(&i.span),
                })
            })
            .collect()
    }

    fn unknown(&mut self, span: &Range<usize>, key: &str, known: &[&str]) {
        let list = known.join("、");
        self.fail(
            span,
            format!("配置中没有 `{key}` 这一项"),
            Some(format!("可用的项：{list}")),
        );
    }
}

/// Configuration files larger than this are refused.
pub const MAX_CONFIG_BYTES: u64 = 8 * 1024 * 1024;

/// Reads a configuration file.
pub fn load(path: &Path) -> Result<Settings, Vec<FileError>> {
    let file = path.display().to_string();
    let text = crate::report::read::capped_text(path, MAX_CONFIG_BYTES).map_err(|e| {
        vec![FileError::whole(
            "jixiao::config::io",
            &file,
            format!("无法读取配置文件 {file}：{e}"),
            None,
        )]
    })?;
    parse(&file, &text, path.parent().unwrap_or(Path::new(".")))
}

/// Parses configuration text; relative rule paths resolve against `base`.
pub fn parse(file: &str, text: &str, base: &Path) -> Result<Settings, Vec<FileError>> {
    let mut r = Reader {
        file: file.to_string(),
        source: Arc::from(text),
        errors: Vec::new(),
    };
    let root = raw::parse(text).map_err(|e| {
        vec![r.origin(&e.span).error(
            "jixiao::config::syntax",
            format!("配置文件 TOML 语法错误：{}", e.message),
            None,
            "此处",
        )]
    })?;
    let mut s = Settings {
        file: Some(PathBuf::from(file)),
        ..Settings::default()
    };
    let Value::Table(top) = &root.value else {
        unreachable!("a TOML document is a table")
    };
    for (key, node) in top {
        match key.name.as_str() {
            "rules" => read_rules(&mut r, &mut s, node, base),
            "params" => read_params(&mut r, &mut s, node),
            other => r.unknown(&key.span, other, &["rules", "params"]),
        }
    }
    if r.errors.is_empty() {
        Ok(s)
    } else {
        Err(r.errors)
    }
}

fn read_rules(r: &mut Reader, s: &mut Settings, node: &Node, base: &Path) {
    let Value::Table(entries) = &node.value else {
        return r.fail(&node.span, "[rules] 应为表".into(), None);
    };
    for (key, n) in entries {
        match key.name.as_str() {
            "paths" => {
                s.paths = r
                    .strings(n, "rules.paths")
                    .into_iter()
                    .map(|p| Set {
                        value: base.join(&p.value),
                        origin: p.origin,
                    })
                    .collect();
            }
            "default_pack" => match n.value {
                Value::Bool(b) => s.default_pack = b,
                _ => r.fail(
                    &n.span,
                    "rules.default_pack 应为 true 或 false".into(),
                    None,
                ),
            },
            "disable" => s.disable = r.strings(n, "rules.disable"),
            "severity" => {
                let Value::Table(pairs) = &n.value else {
                    r.fail(
                        &n.span,
                        "[rules.severity] 应为表：规则 id = \"error\"".into(),
                        None,
                    );
                    continue;
                };
                for (id, v) in pairs {
                    if let Some(level) = r.string(v, &format!("rules.severity.{}", id.name)) {
                        let rule = Set {
                            value: id.name.clone(),
                            origin: r.origin(&id.span),
                        };
                        let level = Set {
                            value: level,
                            origin: r.origin(&v.span),
                        };
                        s.severity.push((rule, level));
                    }
                }
            }
            other => r.unknown(
                &key.span,
                other,
                &["paths", "default_pack", "disable", "severity"],
            ),
        }
    }
}

fn read_params(r: &mut Reader, s: &mut Settings, node: &Node) {
    let Value::Table(rules) = &node.value else {
        return r.fail(&node.span, "[params] 应为表：[params.规则id]".into(), None);
    };
    for (rule, table) in rules {
        let Value::Table(pairs) = &table.value else {
            r.fail(
                &table.span,
                format!("[params.{}] 应为表：参数名 = 值", rule.name),
                None,
            );
            continue;
        };
        for (key, v) in pairs {
            s.params.push(ParamSetting {
                rule: Set {
                    value: rule.name.clone(),
                    origin: r.origin(&rule.span),
                },
                key: Set {
                    value: key.name.clone(),
                    origin: r.origin(&key.span),
                },
                value: Set {
                    value: to_toml(v),
                    origin: r.origin(&v.span),
                },
            });
        }
    }
}

/// Parses a `--param RULE.KEY=VALUE` argument. The value is read as TOML
/// when it is a TOML value (`110`, `"110%"`, `["产出"]`), else as text
/// (`110%`).
pub fn parse_param_arg(arg: &str) -> Result<ParamSetting, FileError> {
    let origin = Origin::Arg(arg.to_string());
    let bad = || {
        origin.error(
            "jixiao::config::param",
            "参数应写成 规则id.参数名=值".into(),
            Some("例如 --param execution-rate-bounds.max=110%".into()),
            "",
        )
    };
    let (name, value) = arg.split_once('=').ok_or_else(bad)?;
    let (rule, key) = name.trim().split_once('.').ok_or_else(bad)?;
    if rule.is_empty() || key.is_empty() {
        return Err(bad());
    }
    let value = value.trim();
    let parsed = toml::from_str::<toml::Table>(&format!("v = {value}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(value.to_string()));
    let set = |v: String| Set {
        value: v,
        origin: origin.clone(),
    };
    Ok(ParamSetting {
        rule: set(rule.to_string()),
        key: set(key.to_string()),
        value: Set {
            value: parsed,
            origin: origin.clone(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "[rules]\npaths = [\"mine\"]\ndisable = [\"year-consistent\"]\n[rules.severity]\nweights-sum = \"warning\"\n[params.execution-rate-bounds]\nmax = \"110%\"\n";

    #[test]
    fn reads_every_setting_with_its_span() {
        let s = parse("jixiao.toml", CONFIG, Path::new("/cfg")).unwrap();
        assert_eq!(s.paths[0].value, PathBuf::from("/cfg/mine"));
        assert_eq!(s.disable[0].value, "year-consistent");
        assert_eq!(s.severity[0].1.value, "warning");
        let p = &s.params[0];
        assert_eq!(
            (p.rule.value.as_str(), p.key.value.as_str()),
            ("execution-rate-bounds", "max")
        );
        assert_eq!(p.value.value.as_str(), Some("110%"));
        let Origin::File { span, .. } = &p.key.origin else {
            panic!()
        };
        assert_eq!(&CONFIG[span.clone()], "max");
    }

    #[test]
    fn unknown_keys_are_errors_with_spans() {
        let errs = parse("jixiao.toml", "[rule]\n", Path::new(".")).unwrap_err();
        assert_eq!(errs[0].labels[0].0, 1..5);
        let errs = parse("jixiao.toml", "[rules]\ndisabled = []\n", Path::new(".")).unwrap_err();
        assert!(errs[0].message.contains("disabled"));
    }

    #[test]
    fn param_arguments() {
        let p = parse_param_arg("execution-rate-bounds.max=140%").unwrap();
        assert_eq!(p.value.value.as_str(), Some("140%"));
        let p = parse_param_arg("weights-sum.expected_total=100").unwrap();
        assert_eq!(p.value.value.as_integer(), Some(100));
        assert!(parse_param_arg("nonsense").is_err());
        assert!(parse_param_arg(".x=1").is_err());
    }
}
