//! Configuring a compiled pack: severities, disabled rules and parameter
//! values from `jixiao.toml` and `--param`, each checked against the rule's
//! header, every wrong setting an error at its place.

use std::collections::BTreeSet;

use super::Checker;
use crate::config::{Set, Settings};
use crate::diagnostic::{FileError, Severity};

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

impl Checker {
    /// Applies configured severities, disabled rules and parameters. Every
    /// setting naming an unknown rule or parameter, or giving a value of the
    /// wrong kind, is an error at the setting's span; nothing is ignored.
    pub fn configure(&mut self, settings: &Settings) -> Vec<FileError> {
        self.generation = super::next_generation();
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
}
