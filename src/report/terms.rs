//! The form's own words for the values of a report: what a reviewer reads
//! in the submitted document (年初预算数, 扣分原因, 改进措施第 3 条,
//! 指标「项目验收合格率」的得分) for a data path (`budget.initial`,
//! `summary[1].deduction_reason`, `measures[2]`). The names themselves are
//! declared once, beside each field of the [`schema`]; this module puts
//! them together for a path, naming a row by what identifies it in the
//! document. Rules reach it through the `term` helper, the host for its
//! own findings, so that no message a reviewer reads speaks the data
//! format.

use super::path::{self, Step};
use super::raw::Node;
use super::schema::{self, Field, Ty};

/// Who reads a finding: a reviewer of the submitted document, or someone
/// editing the report as a TOML file — for whom the data path of a field
/// follows the form's name in brackets
/// (`一级指标「过程」的扣分原因（summary[0].deduction_reason）`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reader {
    #[default]
    Toml,
    Document,
}

/// The form's name for the value at `path` in a report of `kind` whose
/// values are `root`, or `None` when format v1 has no such path. A field
/// is called what the report's own table calls it when the report says
/// so (its `[names]`, which an import fills from the headers it read:
/// 未完成原因分析 rather than 偏差原因分析及改进措施), else what the
/// form of its kind calls it. Rows are named by their name or number as
/// printed (`一级指标「过程」`, `改进措施第 3 条`,
/// `「（五）部门预算及执行情况」一节`); a path without an index names the
/// field in general (`summary.deduction_reason` → 扣分原因).
pub fn term(root: &Node, kind: &str, path: &str, reader: Reader) -> Option<String> {
    let steps = path::parse(path)?;
    let mut fields: &[Field] = schema::REPORT;
    let mut node = Some(root);
    // The innermost row named, and the last field named after it.
    let mut row: Option<String> = None;
    let mut field: Option<&Field> = None;
    let mut steps = steps.into_iter().peekable();
    while let Some(step) = steps.next() {
        let Step::Key(key) = step else {
            return None;
        };
        let f = fields.iter().find(|f| f.key == key)?;
        node = node.and_then(|n| n.get(key));
        field = Some(f);
        match f.ty {
            Ty::Table(sub) => fields = sub,
            Ty::Rows(sub) => {
                fields = sub;
                if let Some(Step::Index(i)) = steps.peek() {
                    let i = *i;
                    steps.next();
                    node = node.and_then(Node::as_array).and_then(|a| a.get(i));
                    row = Some(row_name(key, node, i));
                    field = None;
                }
            }
            Ty::Strings => {
                // An item of the list is named as the list.
                if let Some(Step::Index(_)) = steps.peek() {
                    steps.next();
                }
                fields = &[];
            }
            _ => fields = &[],
        }
    }
    let own = |f: &Field| {
        root.get("names")
            .and_then(|n| n.get(&generic(path)))
            .and_then(Node::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map_or_else(|| f.term(kind).to_string(), str::to_string)
    };
    let name = match (row, field) {
        (Some(row), Some(f)) => format!("{row}的{}", own(f)),
        // A row is found by what names it, in a TOML file as in the form.
        (Some(row), None) => return Some(row),
        (None, Some(f)) => own(f),
        (None, None) => return None,
    };
    Some(match reader {
        Reader::Document => name,
        Reader::Toml => format!("{name}（{path}）"),
    })
}

/// A data path without its indexes: `indicators[2].deviation` →
/// `indicators.deviation`.
pub fn generic(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The field of format v1 that a data path without indexes names
/// (`indicators.deviation`, `summary`), if it names one.
pub fn schema_field(path: &str) -> Option<&'static Field> {
    let mut fields: &'static [Field] = schema::REPORT;
    let mut found = None;
    for key in path.split('.') {
        let f = fields.iter().find(|f| f.key == key)?;
        fields = match f.ty {
            Ty::Table(sub) | Ty::Rows(sub) => sub,
            _ => &[],
        };
        found = Some(f);
    }
    found
}

/// What identifies row `i` of `table` in the document.
fn row_name(table: &str, row: Option<&Node>, i: usize) -> String {
    let text = |key: &str| {
        row.and_then(|r| r.get(key))
            .and_then(Node::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let n = i + 1;
    match table {
        "summary" => text("name").map_or(format!("得分汇总表第 {n} 行"), |s| {
            format!("一级指标「{s}」")
        }),
        "indicators" => text("name").map_or(format!("绩效指标第 {n} 行"), |s| {
            format!("指标「{s}」")
        }),
        "problems" => format!("存在问题第 {} 条", text("id").unwrap_or(&n.to_string())),
        "measures" => format!("改进措施第 {} 条", text("id").unwrap_or(&n.to_string())),
        "sections" => {
            text("heading").map_or(format!("正文第 {n} 节"), |s| format!("「{s}」一节"))
        }
        "sources" => text("name").map_or(format!("资金来源第 {n} 行"), |s| {
            format!("资金来源「{s}」")
        }),
        "waivers" => match text("rule") {
            Some(rule) => format!("第 {n} 条豁免（{rule}）"),
            None => format!("第 {n} 条豁免"),
        },
        _ => format!("第 {n} 行"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::raw;

    const REPORT: &str = r#"
kind = "department"
[budget]
explanation = "无"
[[budget.sources]]
name = "财政拨款"
initial = 1
[[summary]]
name = "过程"
weight = 20
[[indicators]]
name = "项目验收合格率"
[[problems]]
id = "1"
title = "t"
[[measures]]
id = "3"
title = "t"
addresses = ["1"]
[[sections]]
heading = "（五）部门预算及执行情况"
"#;

    fn doc(path: &str, kind: &str) -> Option<String> {
        let root = raw::parse(REPORT).unwrap();
        term(&root, kind, path, Reader::Document)
    }

    #[test]
    fn fields_rows_and_tables_have_the_forms_names() {
        assert_eq!(doc("budget.initial", "department").unwrap(), "年初预算数");
        assert_eq!(doc("budget.adjusted", "project").unwrap(), "全年预算数");
        assert_eq!(
            doc("summary.deduction_reason", "department").unwrap(),
            "扣分原因"
        );
        assert_eq!(
            doc("summary[0].deduction_reason", "department").unwrap(),
            "一级指标「过程」的扣分原因"
        );
        assert_eq!(
            doc("indicators[0].score", "project").unwrap(),
            "指标「项目验收合格率」的得分"
        );
        assert_eq!(doc("measures[0]", "department").unwrap(), "改进措施第 3 条");
        assert_eq!(
            doc("measures[0].addresses[0]", "department").unwrap(),
            "改进措施第 3 条的对应问题"
        );
        assert_eq!(
            doc("sections[0]", "department").unwrap(),
            "「（五）部门预算及执行情况」一节"
        );
        assert_eq!(
            doc("budget.sources[0].initial", "department").unwrap(),
            "资金来源「财政拨款」的年初预算数"
        );
        assert_eq!(doc("total.grade", "project").unwrap(), "自评等级");
        assert_eq!(
            doc("summary", "department").unwrap(),
            "各部分指标得分情况汇总表"
        );
        // A row the report does not have is named by its place.
        assert_eq!(
            doc("summary[4].score", "department").unwrap(),
            "得分汇总表第 5 行的得分"
        );
    }

    #[test]
    fn a_reports_own_names_come_first() {
        let root = raw::parse(&format!(
            "{REPORT}[names]\n\"indicators.deviation\" = \"未完成原因分析\"\n"
        ))
        .unwrap();
        assert_eq!(
            term(
                &root,
                "project",
                "indicators[0].deviation",
                Reader::Document
            )
            .unwrap(),
            "指标「项目验收合格率」的未完成原因分析"
        );
        assert_eq!(generic("measures[1].addresses[0]"), "measures.addresses");
        assert!(schema_field("indicators.deviation").is_some());
        assert!(schema_field("indicators.deviaton").is_none());
    }

    #[test]
    fn unknown_paths_have_no_name() {
        assert_eq!(doc("budget.explantion", "department"), None);
        assert_eq!(doc("summary.1", "department"), None);
        assert_eq!(doc("", "department"), None);
    }

    #[test]
    fn toml_readers_get_the_path_too() {
        let root = raw::parse(REPORT).unwrap();
        assert_eq!(
            term(&root, "department", "budget.explanation", Reader::Toml).unwrap(),
            "预算执行情况的说明（budget.explanation）"
        );
    }

    #[test]
    fn every_field_of_the_format_has_a_name() {
        fn walk(fields: &[Field], at: &str) {
            for f in fields {
                assert!(!f.term.is_empty(), "{at}{}", f.key);
                assert!(f.term.chars().any(|c| c > '\u{2e80}'), "{at}{}", f.key);
                match f.ty {
                    Ty::Table(sub) | Ty::Rows(sub) => walk(sub, &format!("{at}{}.", f.key)),
                    _ => {}
                }
            }
        }
        walk(schema::REPORT, "");
    }
}
