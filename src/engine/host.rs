//! The checks the host makes itself, besides the rule files: keys format v1
//! does not define, waivers that waive nothing, and what an import could
//! not decide. Each is declared here once, with the same header a rule file
//! has (id, title, severity, basis, checks, why, example), so that `rules
//! list`, `rules explain`, SARIF and the HTML pack read them like any rule.

use std::sync::LazyLock;

use super::header::{self, RuleDoc};
use crate::diagnostic::{Finding, Label, RuleInfo, Severity};
use crate::report::Report;

/// Keys that format v1 does not define.
pub const UNKNOWN_KEY: &str = "unknown-key";
/// A report's waiver that matched no finding.
pub const UNUSED_WAIVER: &str = "unused-waiver";
/// What an import from Word, Excel or text could not decide.
pub use crate::diagnostic::IMPORT_UNCERTAIN;

const HEADERS: &[(&str, &str)] = &[
    (
        UNKNOWN_KEY,
        r#"//! id = "unknown-key"
//! title = "报告中有格式 v1 未定义的字段"
//! severity = "warning"
//! applies = "all"
//! basis = "报告格式 v1（本工具的约定）"
//! checks = "报告中出现格式 v1 没有定义的键，其值不会被任何规则检查；拼写相近时给出建议。"
//! why = "拼错或未使用的内容不会被检查，容易让人误以为已经审核。"
//! example = "[budget] 中写成 exectued = 66941.43 → 报告“没有字段 budget.exectued”，建议 executed。"
"#,
    ),
    (
        UNUSED_WAIVER,
        r#"//! id = "unused-waiver"
//! title = "豁免没有对应的发现"
//! severity = "warning"
//! applies = "all"
//! basis = "报告格式 v1（本工具的约定）"
//! checks = "报告中有效的豁免没有匹配任何发现（问题已改正，或规则 id、at 路径写错）。"
//! why = "拼错或未使用的内容不会被检查，容易让人误以为已经审核。"
//! example = "对 execution-rate-bounds 的豁免，而执行率已在合理范围内 → 报告“豁免没有对应的发现”。"
"#,
    ),
    (
        IMPORT_UNCERTAIN,
        r#"//! id = "import-uncertain"
//! title = "导入时无法确定的内容"
//! severity = "warning"
//! applies = "all"
//! basis = "导入 Word、Excel 或文本报告时的约定：无法确定的内容不臆造。"
//! checks = "直接检查 .docx、.xlsx、.txt 或 .md 时，导入没有把握的地方：原文没有标题、单元格不是数字、同一数额前后不一致、问题或措施没有编号等，标在原文中的位置。"
//! why = "导入可能取错或漏取数值；标出没有把握之处，审核人员才知道该对照原文核对哪里。"
//! example = "自评表中“得分”一格写成“二十” → 报告“二十”应为数字，未导入，标在该单元格。"
"#,
    ),
];

/// The host checks' documentation, parsed as rule headers are.
pub fn docs() -> &'static [RuleDoc] {
    static DOCS: LazyLock<Vec<RuleDoc>> = LazyLock::new(|| {
        HEADERS
            .iter()
            .map(|(id, text)| {
                header::parse(text, id).unwrap_or_else(|e| {
                    panic!("the header of host check {id} is invalid: {}", e.message)
                })
            })
            .collect()
    });
    &DOCS
}

/// The ids of the host checks.
pub fn ids() -> impl Iterator<Item = &'static str> {
    HEADERS.iter().map(|(id, _)| *id)
}

/// Whether `id` is a host check's.
pub fn is_host(id: &str) -> bool {
    ids().any(|h| h == id)
}

/// What renderers show of a host check.
pub fn infos() -> impl Iterator<Item = RuleInfo> {
    docs().iter().map(|d| RuleInfo {
        id: d.id.clone(),
        title: d.title.clone(),
        severity: d.severity,
        basis: d.basis.clone(),
        checks: d.checks.clone(),
        why: d.why.clone(),
        applies: d.applies.as_str().into(),
    })
}

/// A finding of a host check at one label.
pub fn finding(id: &str, message: String, help: Option<String>, label: Label) -> Finding {
    let severity = docs()
        .iter()
        .find(|d| d.id == id)
        .map_or(Severity::Warning, |d| d.severity);
    Finding {
        rule: id.into(),
        severity,
        message,
        help,
        labels: vec![label],
        waived: None,
        baseline: None,
    }
}

/// `unknown-key`: a finding for every key of the report that format v1
/// does not define.
pub fn unknown_keys(report: &Report) -> Vec<Finding> {
    report
        .unknown_keys
        .iter()
        .map(|k| {
            let help = k.suggestion.as_ref().map(|s| format!("是否应为 `{s}`？"));
            let (line, column) = report.line_col(k.span.start);
            finding(
                UNKNOWN_KEY,
                format!("报告格式 v1 中没有字段 `{}`，其值未被检查", k.path),
                help,
                Label {
                    path: k.path.clone(),
                    message: "未知字段".into(),
                    span: k.span.clone(),
                    line,
                    column,
                    location: None,
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_host_check_is_documented_as_a_rule_is() {
        let docs = super::docs();
        assert_eq!(docs.len(), 3);
        for d in docs {
            assert!(!d.title.is_empty() && !d.example.is_empty(), "{}", d.id);
        }
    }
}
