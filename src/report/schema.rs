//! The report format v1 as data: every known table and field with its type,
//! so that validation, documentation and the Rhai conversion share one
//! description instead of each spelling the format out again.

/// The `format` value of a v1 report.
pub const FORMAT_V1: &str = "jixiao-report/1";

/// The largest amount, weight or score accepted; larger is surely a typo.
pub const MAX_NUMBER: f64 = 1e12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// Any text.
    Str,
    /// Text that must be one of the listed values.
    OneOf(&'static [&'static str]),
    /// A finite, non-negative number (integer or float in TOML).
    Num,
    /// A TOML integer year.
    Year,
    /// A rate as printed: a string with a percent sign, "98%".
    Rate,
    /// A TOML date.
    Date,
    /// An array of strings.
    Strings,
    /// A table with these fields.
    Table(&'static [Field]),
    /// An array of tables with these fields.
    Rows(&'static [Field]),
    /// A table of texts keyed by data paths without indexes
    /// (`"indicators.deviation" = "未完成原因分析"`).
    Names,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub key: &'static str,
    pub ty: Ty,
    pub required: bool,
    /// What the field means, in Chinese (for the JSON Schema).
    pub doc: &'static str,
    /// What the form calls it — the words a reviewer reads in a 部门整体
    /// report (see [`super::terms`]).
    pub term: &'static str,
    /// What a 项目支出绩效自评表 calls it, where that differs.
    pub term_project: &'static str,
}

impl Field {
    /// The form's name for this field in a report of `kind`.
    pub fn term(&self, kind: &str) -> &'static str {
        if kind == "project" && !self.term_project.is_empty() {
            self.term_project
        } else {
            self.term
        }
    }

    const fn named(mut self, term: &'static str) -> Field {
        self.term = term;
        self
    }

    const fn in_project(mut self, term: &'static str) -> Field {
        self.term_project = term;
        self
    }
}

const fn f(key: &'static str, ty: Ty, doc: &'static str) -> Field {
    Field {
        key,
        ty,
        required: false,
        doc,
        term: "",
        term_project: "",
    }
}

const fn req(key: &'static str, ty: Ty, doc: &'static str) -> Field {
    Field {
        required: true,
        ..f(key, ty, doc)
    }
}

pub const KINDS: &[&str] = &["department", "project"];
pub const UNITS: &[&str] = &["万元", "元"];
pub const DIRECTIONS: &[&str] = &["positive", "negative"];

const SOURCES: &[Field] = &[
    req("name", Ty::Str, "资金来源名称，如“财政拨款”“其他资金”").named("资金来源"),
    f("initial", Ty::Num, "该来源的年初预算数").named("年初预算数"),
    f("adjusted", Ty::Num, "该来源的调整后预算数")
        .named("调整后预算数")
        .in_project("全年预算数"),
    f("executed", Ty::Num, "该来源的执行数")
        .named("执行数")
        .in_project("全年执行数"),
];

const BUDGET: &[Field] = &[
    f("initial", Ty::Num, "年初预算数（批复预算）").named("年初预算数"),
    f("adjusted", Ty::Num, "全年预算数/调整后预算数")
        .named("调整后预算数")
        .in_project("全年预算数"),
    f("executed", Ty::Num, "全年执行数/决算数").named("全年执行数"),
    f(
        "rate",
        Ty::Rate,
        "预算执行率，照原文写成带百分号的字符串，如 \"98%\"",
    )
    .named("预算执行率"),
    f("weight", Ty::Num, "预算执行的分值（项目自评通常为 10）").named("预算执行率的分值"),
    f("score", Ty::Num, "预算执行得分").named("预算执行率的得分"),
    f("explanation", Ty::Str, "执行偏差或预算调整的说明").named("预算执行情况的说明"),
    f("sources", Ty::Rows(SOURCES), "按资金来源分列的预算").named("资金来源"),
];

const SUMMARY: &[Field] = &[
    req("name", Ty::Str, "一级指标名称，如“决策”“产出”").named("一级指标"),
    f("weight", Ty::Num, "权重/分值").named("权重"),
    f("score", Ty::Num, "得分").named("得分"),
    f("score_rate", Ty::Rate, "得分率，照原文写成带百分号的字符串").named("得分率"),
    f("deduction_reason", Ty::Str, "扣分原因").named("扣分原因"),
];

const TOTAL: &[Field] = &[
    f("weight", Ty::Num, "合计分值（通常为 100）").named("合计分值"),
    f("score", Ty::Num, "总分/自评得分").named("总分"),
    f("score_rate", Ty::Rate, "总得分率，带百分号").named("总得分率"),
    f("grade", Ty::Str, "绩效评级：优、良、中或差")
        .named("绩效评级")
        .in_project("自评等级"),
];

/// The comparators a 指标性质 column holds.
pub const COMPARATORS: &[&str] = &["≥", "≤", "=", ">", "<"];

const INDICATORS: &[Field] = &[
    f(
        "level1",
        Ty::Str,
        "一级指标，应与得分汇总表的某个 name 相同",
    )
    .named("一级指标"),
    f(
        "level2",
        Ty::Str,
        "二级指标，如数量、质量、时效、成本、社会效益",
    )
    .named("二级指标"),
    req("name", Ty::Str, "三级指标名称").named("三级指标"),
    f(
        "target",
        Ty::Str,
        "年度指标值，照原文，如 \"≥95%\"、\"161所\"、\"≤90万元\"",
    )
    .named("年度指标值"),
    f("actual", Ty::Str, "实际完成值，照原文").named("实际完成值"),
    f(
        "direction",
        Ty::OneOf(DIRECTIONS),
        "\"positive\"（越大越好）或 \"negative\"（越小越好）；不填时按目标的比较符推断",
    )
    .named("指标方向"),
    f(
        "comparator",
        Ty::OneOf(COMPARATORS),
        "指标性质（四川等地自评表的一栏）：目标的比较符 \"≥\"、\"≤\"、\"=\"、\">\"、\"<\"；目标值本身未写比较符时据此判断",
    )
    .named("指标性质"),
    f("weight", Ty::Num, "分值").named("分值"),
    f("score", Ty::Num, "得分").named("得分"),
    f("deviation", Ty::Str, "偏差原因分析及改进措施").named("偏差原因分析及改进措施"),
];

const PROBLEMS: &[Field] = &[
    req("id", Ty::Str, "问题编号，照原文，如 \"1\"").named("编号"),
    req("title", Ty::Str, "问题的首句").named("首句"),
    f("detail", Ty::Str, "其余内容").named("内容"),
];

const MEASURES: &[Field] = &[
    req("id", Ty::Str, "措施编号，照原文").named("编号"),
    req("title", Ty::Str, "措施的首句").named("首句"),
    f("detail", Ty::Str, "其余内容").named("内容"),
    f("addresses", Ty::Strings, "本措施对应的问题编号").named("对应问题"),
];

const SECTIONS: &[Field] = &[
    req(
        "heading",
        Ty::Str,
        "章节标题，含原文编号，如 \"一、部门基本情况\"、\"（一）部门概况\"",
    )
    .named("标题"),
    f("body", Ty::Str, "标题下的正文").named("正文"),
];

const WAIVERS: &[Field] = &[
    req("rule", Ty::Str, "被豁免的规则 id").named("规则"),
    f("reason", Ty::Str, "豁免理由（没有理由的豁免不生效）").named("理由"),
    f("approved_by", Ty::Str, "批准人").named("批准人"),
    f("at", Ty::Str, "数据路径；写明时只豁免该路径下的发现").named("适用位置"),
    f("expires", Ty::Date, "到期日（含当天），如 2027-03-31").named("到期日"),
];

/// The top level of a v1 report.
pub const REPORT: &[Field] = &[
    req("format", Ty::Str, "报告格式，固定为 \"jixiao-report/1\"").named("报告格式"),
    req(
        "kind",
        Ty::OneOf(KINDS),
        "\"department\"（部门整体支出）或 \"project\"（项目支出）",
    )
    .named("报告类型"),
    req("title", Ty::Str, "报告标题，照原文")
        .named("报告标题")
        .in_project("自评表标题"),
    req("department", Ty::Str, "部门/单位名称")
        .named("部门（单位）名称")
        .in_project("主管部门"),
    f("project", Ty::Str, "项目名称（项目报告必填）").named("项目名称"),
    req("year", Ty::Year, "评价的预算年度").named("评价年度"),
    f(
        "unit",
        Ty::OneOf(UNITS),
        "金额单位：\"万元\"（默认）或 \"元\"",
    )
    .named("金额单位"),
    f("published_on", Ty::Date, "报告印发/公开日期").named("报告日期"),
    f("budget", Ty::Table(BUDGET), "预算及执行情况")
        .named("预算执行情况")
        .in_project("项目资金"),
    f(
        "summary",
        Ty::Rows(SUMMARY),
        "一级指标得分汇总，每个一级指标一行",
    )
    .named("各部分指标得分情况汇总表"),
    f("total", Ty::Table(TOTAL), "合计与评级").named("合计"),
    f(
        "indicators",
        Ty::Rows(INDICATORS),
        "绩效指标明细（自评表各行）",
    )
    .named("绩效指标表")
    .in_project("自评表的绩效指标"),
    f("problems", Ty::Rows(PROBLEMS), "存在问题").named("存在的问题"),
    f("measures", Ty::Rows(MEASURES), "改进措施").named("改进措施"),
    f("sections", Ty::Rows(SECTIONS), "报告正文，按原文顺序").named("报告正文"),
    f("waivers", Ty::Rows(WAIVERS), "豁免：评审同意的例外").named("豁免"),
    f(
        "names",
        Ty::Names,
        "本报告表格自己的栏目名，按不带序号的数据路径，如 \"indicators.deviation\" = \"未完成原因分析\"；审核意见用这些名称称呼各栏",
    )
    .named("栏目名称"),
    f(
        "unread",
        Ty::Names,
        "导入时原文中看似有、却未能读出的部分，按数据路径（如 \"budget.executed\" = \"第 5 段“……”\"）写明原文何处；这些部分不按“缺少”报告",
    )
    .named("未能识别的部分"),
];

/// What a value of this type looks like, in Chinese, for messages.
pub fn describe(ty: Ty) -> &'static str {
    match ty {
        Ty::Str | Ty::OneOf(_) => "字符串",
        Ty::Num => "数字",
        Ty::Year => "整数年份",
        Ty::Rate => "带百分号的字符串（如 \"98%\"）",
        Ty::Date => "日期（如 2021-04-22，不加引号）",
        Ty::Strings => "字符串数组",
        Ty::Table(_) => "表",
        Ty::Rows(_) => "表数组（[[...]]）",
        Ty::Names => "以数据路径为键、文字为值的表",
    }
}

/// A JSON Schema (draft 2020-12) of format v1, with Chinese descriptions,
/// for editors that complete and validate TOML (Taplo, Even Better TOML).
pub fn json_schema() -> serde_json::Value {
    use serde_json::json;
    fn table(fields: &[Field]) -> serde_json::Value {
        let props: serde_json::Map<String, serde_json::Value> = fields
            .iter()
            .map(|f| {
                let mut v = ty(f.ty);
                v["description"] = json!(f.doc);
                (f.key.to_string(), v)
            })
            .collect();
        let required: Vec<&str> = fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.key)
            .collect();
        json!({ "type": "object", "properties": props, "required": required, "additionalProperties": false })
    }
    fn ty(t: Ty) -> serde_json::Value {
        match t {
            Ty::Str => json!({ "type": "string" }),
            Ty::OneOf(values) => json!({ "type": "string", "enum": values }),
            Ty::Num => json!({ "type": "number", "minimum": 0, "maximum": MAX_NUMBER }),
            Ty::Year => json!({ "type": "integer", "minimum": 1900, "maximum": 2100 }),
            Ty::Rate => {
                json!({ "type": "string", "pattern": "^\\s*[0-9０-９]+([.．][0-9０-９]+)?\\s*[%％]\\s*$" })
            }
            Ty::Date => json!({ "type": "string", "format": "date" }),
            Ty::Strings => json!({ "type": "array", "items": { "type": "string" } }),
            Ty::Table(fields) => table(fields),
            Ty::Rows(fields) => json!({ "type": "array", "items": table(fields) }),
            Ty::Names => json!({ "type": "object", "additionalProperties": { "type": "string" } }),
        }
    }
    let mut schema = table(REPORT);
    schema["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    schema["title"] = json!("jixiao 绩效自评报告（报告格式 v1）");
    schema["properties"]["format"]["const"] = json!(FORMAT_V1);
    schema
}
