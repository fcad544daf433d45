//! The files `jixiao rules new` writes: a documented rule whose header
//! shows every field, and a firing and a quiet fixture for it.

pub const NEW_RULE: &str = r#"//! id = "{id}"
//! title = "报告标题应写明部门名称"
//! severity = "warning"
//! applies = "all"
//! basis = "（填写依据的文件和条款；未核对原文的条款标注 [R]）"
//! checks = """
//! （说明本规则检查什么。模板示例：报告标题 `title` 应包含部门名称 `department`。）"""
//! why = "（说明为什么要检查。模板示例：标题不写部门，公开后无法辨认是哪个单位的报告。）"
//! example = """
//! （举一个会报告的例子。模板示例：标题“2021年度部门整体支出绩效自评报告”没有部门名称 → 报告。）"""
//!
//! [params.min_length]
//! default = 2
//! doc = "部门名称至少多少个字才检查（示例参数，可删除）"

// 规则可读取 report（报告，只读）和 params（参数）；返回发现项数组。
if report.department.len() < params.min_length || report.title.contains(report.department) {
    return [];
}
[finding(
    `标题「${report.title}」中没有部门名称「${report.department}」`,
    [label("title", "缺少部门名称"), label("department", "部门名称")],
    "在标题中写明部门全称"
)]
"#;

pub const NEW_FIRES: &str = r#"# 会报告：标题中没有部门名称。
format = "jixiao-report/1"
kind = "department"
title = "2021年度部门整体支出绩效自评报告"
department = "示例局"
year = 2021

[[expect]]
path = "title"
message = "没有部门名称「示例局」"
"#;

pub const NEW_QUIET: &str = r#"# 不会报告：标题中有部门名称。
format = "jixiao-report/1"
kind = "department"
title = "示例局2021年度部门整体支出绩效自评报告"
department = "示例局"
year = 2021
"#;
