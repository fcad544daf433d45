//! Step two of loading: checks the raw tree against the v1 schema and turns
//! it into the validated model. Every error labels every span involved; all
//! errors of a file are collected, not just the first.

use std::ops::Range;

use super::quantity::parse_rate;
use super::raw::{Key, Node, Value};
use super::schema::{self, Field, Ty};
use super::{LoadError, Meta, UnknownKey};

pub(super) struct Validated {
    pub root: Node,
    pub meta: Option<Meta>,
    pub errors: Vec<LoadError>,
    pub unknown: Vec<UnknownKey>,
}

/// Validates `root` in place: numbers of number fields become floats; the
/// top-level keys in `extra_keys` are accepted and left as they are.
pub(super) fn validate(mut root: Node, extra_keys: &[&str]) -> Validated {
    let mut v = Validator {
        errors: Vec::new(),
        unknown: Vec::new(),
    };
    v.table(&mut root, schema::REPORT, P::Root, extra_keys);
    let meta = if v.errors.is_empty() {
        v.meta(&root)
    } else {
        None
    };
    Validated {
        root,
        meta,
        errors: v.errors,
        unknown: v.unknown,
    }
}

struct Validator {
    errors: Vec<LoadError>,
    unknown: Vec<UnknownKey>,
}

/// A data path built only when an error needs its text: validating a
/// report that is fine allocates no path strings.
#[derive(Clone, Copy)]
enum P<'a> {
    Root,
    Key(&'a P<'a>, &'a str),
    Index(&'a P<'a>, usize),
}

impl std::fmt::Display for P<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            P::Root => Ok(()),
            P::Key(P::Root, k) => f.write_str(k),
            P::Key(parent, k) => write!(f, "{parent}.{k}"),
            P::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

impl Validator {
    fn error(
        &mut self,
        code: &'static str,
        message: String,
        help: Option<String>,
        labels: Vec<(Range<usize>, String)>,
    ) {
        self.errors.push(LoadError {
            code,
            message,
            help,
            labels,
        });
    }

    fn table(&mut self, node: &mut Node, fields: &[Field], path: P<'_>, extra_keys: &[&str]) {
        let header = node.span.clone();
        let Value::Table(entries) = &mut node.value else {
            return;
        };
        for (key, value) in entries.iter_mut() {
            let key_path = P::Key(&path, &key.name);
            match fields.iter().find(|f| f.key == key.name) {
                Some(field) => self.value(key, value, field.ty, key_path),
                None if matches!(path, P::Root) && extra_keys.contains(&key.name.as_str()) => {}
                None => self.unknown.push(UnknownKey {
                    path: key_path.to_string(),
                    span: key.span.clone(),
                    suggestion: closest(&key.name, fields),
                }),
            }
        }
        for field in fields.iter().filter(|f| f.required) {
            if !entries.iter().any(|(k, _)| k.name == field.key) {
                let what = if matches!(path, P::Root) {
                    "报告".to_string()
                } else {
                    format!("`{path}`")
                };
                self.error(
                    "jixiao::load::missing",
                    format!("{what}缺少必填字段 `{}`", field.key),
                    Some(format!(
                        "添加 `{} = …`（{}）",
                        field.key,
                        schema::describe(field.ty)
                    )),
                    vec![(header.clone(), format!("此处缺少 `{}`", field.key))],
                );
            }
        }
    }

    fn value(&mut self, key: &Key, node: &mut Node, ty: Ty, path: P<'_>) {
        let span = node.span.clone();
        let wrong_type = |v: &mut Self, node: &Node| {
            let help = match (ty, &node.value) {
                (Ty::Rate, Value::Int(_) | Value::Float(_)) => Some(format!(
                    "比率须按原文写成带百分号的字符串，例如 {} = \"98%\"：裸数字无法区分 0.98 与 98",
                    key.name
                )),
                (Ty::Str | Ty::OneOf(_), Value::Int(_) | Value::Float(_)) => {
                    Some(format!("文字须加引号，例如 {} = \"1\"", key.name))
                }
                (Ty::Num, Value::Str(_)) => Some(format!(
                    "金额、分值写成不加引号的数字，例如 {} = 98.5（单位见 `unit`）",
                    key.name
                )),
                _ => None,
            };
            let code = if ty == Ty::Rate && matches!(node.value, Value::Int(_) | Value::Float(_)) {
                "jixiao::load::bare-rate"
            } else {
                "jixiao::load::type"
            };
            v.error(
                code,
                format!(
                    "`{path}` 应为{}，实际是{}",
                    schema::describe(ty),
                    node.value.type_name()
                ),
                help,
                vec![(node.span.clone(), format!("应为{}", schema::describe(ty)))],
            );
        };
        match ty {
            Ty::Str => {
                if !matches!(node.value, Value::Str(_)) {
                    wrong_type(self, node);
                }
            }
            Ty::OneOf(allowed) => match &node.value {
                Value::Str(s) if allowed.contains(&s.as_str()) => {}
                Value::Str(s) => {
                    let list = allowed
                        .iter()
                        .map(|a| format!("\"{a}\""))
                        .collect::<Vec<_>>()
                        .join("、");
                    self.error(
                        "jixiao::load::value",
                        format!("`{path}` 的值 \"{s}\" 无效，应为 {list} 之一"),
                        None,
                        vec![(span, format!("应为 {list} 之一"))],
                    );
                }
                _ => wrong_type(self, node),
            },
            Ty::Num => {
                let x = match node.value {
                    Value::Int(i) => i as f64,
                    Value::Float(x) => x,
                    _ => return wrong_type(self, node),
                };
                let problem = if x.is_nan() {
                    Some("不是数字（nan）")
                } else if x.is_infinite() || x.abs() > schema::MAX_NUMBER {
                    Some("超出合理范围")
                } else if x < 0.0 {
                    Some("不能为负数")
                } else {
                    None
                };
                match problem {
                    Some(p) => self.error(
                        "jixiao::load::number",
                        format!("`{path}` 的值{p}"),
                        Some(format!(
                            "金额、权重、得分应为 0 到 {} 之间的数字",
                            schema::MAX_NUMBER
                        )),
                        vec![(span, p.to_string())],
                    ),
                    None => node.value = Value::Float(x),
                }
            }
            Ty::Year => match node.value {
                Value::Int(y) if (1900..=2100).contains(&y) => {}
                Value::Int(y) => self.error(
                    "jixiao::load::number",
                    format!("`{path}` 的年份 {y} 不在 1900–2100 之间"),
                    None,
                    vec![(span, "年份无效".into())],
                ),
                _ => wrong_type(self, node),
            },
            Ty::Rate => match &node.value {
                Value::Str(s) if parse_rate(s).is_some() => {}
                Value::Str(s) => self.error(
                    "jixiao::load::rate",
                    format!("`{path}` 的值 \"{s}\" 不是比率"),
                    Some("比率写成数字加百分号，例如 \"98%\" 或 \"130.53%\"".into()),
                    vec![(span, "应为带百分号的数字".into())],
                ),
                _ => wrong_type(self, node),
            },
            Ty::Date => {
                if !matches!(node.value, Value::Date(_)) {
                    wrong_type(self, node);
                }
            }
            Ty::Strings => match &node.value {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if !matches!(item.value, Value::Str(_)) {
                            self.error(
                                "jixiao::load::type",
                                format!(
                                    "`{path}[{i}]` 应为字符串，实际是{}",
                                    item.value.type_name()
                                ),
                                Some("编号须加引号，例如 [\"1\", \"2\"]".into()),
                                vec![(item.span.clone(), "应为字符串".into())],
                            );
                        }
                    }
                }
                _ => wrong_type(self, node),
            },
            Ty::Names => match &node.value {
                Value::Table(entries) => {
                    for (key, value) in entries {
                        if !matches!(value.value, Value::Str(_)) {
                            self.error(
                                "jixiao::load::type",
                                format!(
                                    "`{path}` 中“{}”的名称应为字符串，实际是{}",
                                    key.name,
                                    value.value.type_name()
                                ),
                                None,
                                vec![(value.span.clone(), "应为字符串".into())],
                            );
                        }
                        if super::terms::schema_field(&key.name).is_none() {
                            self.error(
                                "jixiao::load::value",
                                format!("`{path}` 中的“{}”不是报告格式 v1 的数据路径", key.name),
                                Some(
                                    "键写成不带序号的数据路径，如 \"indicators.deviation\"".into(),
                                ),
                                vec![(key.span.clone(), "没有此数据路径".into())],
                            );
                        }
                    }
                }
                _ => wrong_type(self, node),
            },
            Ty::Table(fields) => {
                if matches!(node.value, Value::Table(_)) {
                    self.table(node, fields, path, &[]);
                } else {
                    wrong_type(self, node);
                }
            }
            Ty::Rows(fields) => match &mut node.value {
                Value::Array(items) => {
                    for (i, item) in items.iter_mut().enumerate() {
                        let row_path = P::Index(&path, i);
                        if matches!(item.value, Value::Table(_)) {
                            self.table(item, fields, row_path, &[]);
                        } else {
                            self.error(
                                "jixiao::load::type",
                                format!("`{row_path}` 应为表，实际是{}", item.value.type_name()),
                                Some(format!("每一行写成 [[{}]] 表", key.name)),
                                vec![(item.span.clone(), "应为表".into())],
                            );
                        }
                    }
                }
                _ => wrong_type(self, node),
            },
        }
    }

    fn meta(&mut self, root: &Node) -> Option<Meta> {
        let text = |k: &str| root.get(k).and_then(Node::as_str).map(str::to_string);
        let format = root.get("format")?;
        if format.as_str() != Some(schema::FORMAT_V1) {
            self.error(
                "jixiao::load::format",
                format!("未知的报告格式 \"{}\"", format.as_str().unwrap_or_default()),
                Some(format!("本工具读取 format = \"{}\"", schema::FORMAT_V1)),
                vec![(format.span.clone(), "不支持的格式".into())],
            );
            return None;
        }
        let kind = text("kind")?;
        if kind == "project" && root.get("project").is_none() {
            let span = root.get("kind").map(|n| n.span.clone()).unwrap_or(0..0);
            self.error(
                "jixiao::load::missing",
                "项目支出自评报告（kind = \"project\"）缺少必填字段 `project`".into(),
                Some("添加 project = \"项目名称\"".into()),
                vec![(span, "项目报告须写明项目名称".into())],
            );
            return None;
        }
        let year = match root.get("year")?.value {
            Value::Int(y) => y,
            _ => return None,
        };
        Some(Meta {
            kind,
            title: text("title")?,
            department: text("department")?,
            project: text("project"),
            year,
        })
    }
}

/// The known key closest to a misspelt one, when it is close enough.
fn closest(name: &str, fields: &[Field]) -> Option<String> {
    fields
        .iter()
        .map(|f| (edit_distance(name, f.key), f.key))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k.to_string())
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
