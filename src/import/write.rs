//! Writing an extracted draft as a report in format v1: TOML in the
//! format's order, each value followed by a comment naming its place in
//! the original, and the data path of each value mapped to that place.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::extract::{Draft, Field, Row, Value};
use super::{At, Format, Origin};

pub struct Written {
    pub toml: String,
    pub origins: BTreeMap<String, Origin>,
}

/// A TOML basic string; text with line breaks as a multi-line one.
fn quoted(s: &str) -> String {
    let multi = s.contains('\n');
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(if multi { "\"\"\"\n" } else { "\"" });
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' if multi => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push_str(if multi { "\"\"\"" } else { "\"" });
    out
}

fn value(v: &Value) -> String {
    match v {
        Value::Text(s) | Value::Rate(s) => quoted(s),
        Value::Number(n) => n.clone(),
        Value::Integer(i) => i.to_string(),
    }
}

struct Writer {
    toml: String,
    origins: BTreeMap<String, Origin>,
}

impl Writer {
    fn field(&mut self, prefix: &str, key: &str, f: &Field) {
        let _ = write!(self.toml, "{key} = {}", value(&f.value));
        if f.origin.at == At::Nowhere {
            self.toml.push_str("  # 原文中未找到\n");
            return;
        }
        let _ = writeln!(self.toml, "  # {}", comment(&f.origin.at.to_string()));
        self.origins
            .insert(format!("{prefix}{key}"), f.origin.clone());
    }

    fn table(&mut self, name: &str, row: &Row) {
        if row.is_empty() {
            return;
        }
        let _ = writeln!(self.toml, "\n[{name}]");
        for (k, f) in row {
            self.field(&format!("{name}."), k, f);
        }
    }

    fn array(&mut self, name: &str, rows: &[Row]) {
        for (i, row) in rows.iter().enumerate() {
            let _ = writeln!(self.toml, "\n[[{name}]]");
            for (k, f) in row {
                self.field(&format!("{name}[{i}]."), k, f);
            }
        }
    }
}

/// Text for a TOML comment: control characters, which TOML forbids there
/// and a line break would end the comment early, become spaces (a file or
/// sheet name may hold them).
fn comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

pub fn write(d: &Draft, format: Format, name: &str) -> Written {
    let mut w = Writer {
        toml: String::new(),
        origins: BTreeMap::new(),
    };
    let what = format.what();
    let shown = comment(name);
    let _ = writeln!(
        w.toml,
        "# 由 jixiao import 从{what}“{shown}”导入，报告格式 v1。"
    );
    w.toml
        .push_str("# 每个值右侧的注释是它在原文中的位置，请对照原文核对。\n");
    for n in &d.notes {
        let at = n
            .origin
            .as_ref()
            .map(|o| format!("（{}）", o.at))
            .unwrap_or_default();
        let _ = writeln!(w.toml, "# 注意：{}", comment(&format!("{}{at}", n.message)));
    }
    if !d.has("year") {
        w.toml
            .push_str("# 注意：原文中找不到评价年度；请补填 year = 年份，否则报告无法载入。\n");
    }
    w.toml.push_str("\nformat = \"jixiao-report/1\"\n");
    let _ = writeln!(w.toml, "kind = \"{}\"", d.kind);
    for (k, f) in &d.top {
        w.field("", k, f);
    }
    w.table("budget", &d.budget);
    w.array("budget.sources", &d.sources);
    w.array("summary", &d.summary);
    w.table("total", &d.total);
    w.array("indicators", &d.indicators);
    w.array("problems", &d.problems);
    w.array("measures", &d.measures);
    w.array("sections", &d.sections);
    by_path(
        &mut w.toml,
        "names",
        "原文表头对各栏的称呼，审核意见用这些名称。",
        &d.names,
    );
    by_path(
        &mut w.toml,
        "unread",
        "原文中看似有、却未能读出的部分：这些部分不按“缺少”报告，请对照原文核对。",
        &d.unread,
    );
    Written {
        toml: w.toml,
        origins: w.origins,
    }
}

/// A table keyed by data path (`[names]`, `[unread]`), each value with its
/// place as a comment; nothing when it is empty.
fn by_path(toml: &mut String, table: &str, about: &str, rows: &[(String, Field)]) {
    if rows.is_empty() {
        return;
    }
    let _ = write!(toml, "\n# {about}\n[{table}]\n");
    for (path, f) in rows {
        let _ = writeln!(
            toml,
            "{} = {}  # {}",
            quoted(path),
            value(&f.value),
            comment(&f.origin.at.to_string())
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_valid_toml() {
        for s in ["a\"b\\c", "一\n二\"\"\"三", "tab\there", "\u{7}bell"] {
            let doc = format!("v = {}\n", quoted(s));
            let parsed: toml::Table = toml::from_str(&doc).unwrap();
            assert_eq!(parsed["v"].as_str().unwrap(), s, "{doc}");
        }
    }
}
