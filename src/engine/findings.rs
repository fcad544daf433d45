//! What a rule returns, checked: an array of findings, each with a message,
//! at least one label whose data path names a value in the report, an
//! optional help and severity, and nothing else; and a rule's run-time
//! error in words that name the limit that stopped it.

use rhai::{Dynamic, EvalAltResult, Map};

use super::{Rule, sandbox};
use crate::diagnostic::{Finding, Label, Severity};
use crate::report::{Node, Report, path};

/// The error text without the position Rhai appends to it, a limit that
/// stopped the rule named with its value.
pub(super) fn bare_message(err: &EvalAltResult, budget: &sandbox::Budget) -> String {
    // A limit passed inside a closure (`retain`, `all`, `reduce`, a sort's
    // comparer) comes wrapped in the call that ran it: the limit is what
    // the rule author needs to read.
    let mut inner = err;
    while let EvalAltResult::ErrorInFunctionCall(_, _, e, _) = inner {
        inner = e;
    }
    if let Some(stopped) = budget.stopped_by(inner) {
        return stopped;
    }
    if let EvalAltResult::ErrorRuntime(value, _) = err {
        // `throw "…"` in a rule, or a helper's own message.
        return value.to_string();
    }
    budget
        .stopped_by(err)
        .unwrap_or_else(|| super::zh::runtime(err))
}

pub(super) fn make_label(
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
pub(super) fn findings_of(
    rule: &Rule,
    value: Dynamic,
    report: &Report,
) -> Result<Vec<Finding>, String> {
    if value.is_unit() {
        return Ok(Vec::new());
    }
    let items = value
        .into_array()
        .map_err(|t| format!("应返回数组，实际是 {t}"))?;
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let what = format!("第 {} 个发现项", i + 1);
        let m = if item.is::<super::helpers::Found>() {
            item.cast::<super::helpers::Found>().0
        } else {
            item.try_cast::<Map>()
                .ok_or_else(|| format!("{what} 应为对象映射 #{{…}}"))?
        };
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
