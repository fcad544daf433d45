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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub key: &'static str,
    pub ty: Ty,
    pub required: bool,
    /// What the field means, in Chinese (for the JSON Schema).
    pub doc: &'static str,
}

const fn f(key: &'static str, ty: Ty, doc: &'static str) -> Field {
    Field {
        key,
        ty,
        required: false,
        doc,
    }
}

const fn req(key: &'static str, ty: Ty, doc: &'static str) -> Field {
    Field {
        key,
        ty,
        required: true,
        doc,
    }
}

pub const KINDS: &[&str] = &["department", "project"];
pub const UNITS: &[&str] = &["万元", "元"];
pub const DIRECTIONS: &[&str] = &["positive", "negative"];

const SOURCES: &[Field] = &[
    req("name", Ty::Str, "资金来源名称，如“财政拨款”“其他资金”"),
    f("initial", Ty::Num, "该来源的年初预算数"),
    f("adjusted", Ty::Num, "该来源的调整后预算数"),
    f("executed", Ty::Num, "该来源的执行数"),
];

const BUDGET: &[Field] = &[
    f("initial", Ty::Num, "年初预算数（批复预算）"),
    f("adjusted", Ty::Num, "全年预算数/调整后预算数"),
    f("executed", Ty::Num, "全年执行数/决算数"),
    f(
        "rate",
        Ty::Rate,
        "预算执行率，照原文写成带百分号的字符串，如 \"98%\"",
    ),
    f("weight", Ty::Num, "预算执行的分值（项目自评通常为 10）"),
    f("score", Ty::Num, "预算执行得分"),
    f("explanation", Ty::Str, "执行偏差或预算调整的说明"),
    f("sources", Ty::Rows(SOURCES), "按资金来源分列的预算"),
];

const SUMMARY: &[Field] = &[
    req("name", Ty::Str, "一级指标名称，如“决策”“产出”"),
    f("weight", Ty::Num, "权重/分值"),
    f("score", Ty::Num, "得分"),
    f("score_rate", Ty::Rate, "得分率，照原文写成带百分号的字符串"),
    f("deduction_reason", Ty::Str, "扣分原因"),
];

const TOTAL: &[Field] = &[
    f("weight", Ty::Num, "合计分值（通常为 100）"),
    f("score", Ty::Num, "总分/自评得分"),
    f("score_rate", Ty::Rate, "总得分率，带百分号"),
    f("grade", Ty::Str, "绩效评级：优、良、中或差"),
];

/// The comparators a 指标性质 column holds.
pub const COMPARATORS: &[&str] = &["≥", "≤", "=", ">", "<"];

const INDICATORS: &[Field] = &[
    f(
        "level1",
        Ty::Str,
        "一级指标，应与得分汇总表的某个 name 相同",
    ),
    f(
        "level2",
        Ty::Str,
        "二级指标，如数量、质量、时效、成本、社会效益",
    ),
    req("name", Ty::Str, "三级指标名称"),
    f(
        "target",
        Ty::Str,
        "年度指标值，照原文，如 \"≥95%\"、\"161所\"、\"≤90万元\"",
    ),
    f("actual", Ty::Str, "实际完成值，照原文"),
    f(
        "direction",
        Ty::OneOf(DIRECTIONS),
        "\"positive\"（越大越好）或 \"negative\"（越小越好）；不填时按目标的比较符推断",
    ),
    f(
        "comparator",
        Ty::OneOf(COMPARATORS),
        "指标性质（四川等地自评表的一栏）：目标的比较符 \"≥\"、\"≤\"、\"=\"、\">\"、\"<\"；目标值本身未写比较符时据此判断",
    ),
    f("weight", Ty::Num, "分值"),
    f("score", Ty::Num, "得分"),
    f("deviation", Ty::Str, "偏差原因分析及改进措施"),
];

const PROBLEMS: &[Field] = &[
    req("id", Ty::Str, "问题编号，照原文，如 \"1\""),
    req("title", Ty::Str, "问题的首句"),
    f("detail", Ty::Str, "其余内容"),
];

const MEASURES: &[Field] = &[
    req("id", Ty::Str, "措施编号，照原文"),
    req("title", Ty::Str, "措施的首句"),
    f("detail", Ty::Str, "其余内容"),
    f("addresses", Ty::Strings, "本措施对应的问题编号"),
];

const SECTIONS: &[Field] = &[
    req(
        "heading",
        Ty::Str,
        "章节标题，含原文编号，如 \"一、部门基本情况\"、\"（一）部门概况\"",
    ),
    f("body", Ty::Str, "标题下的正文"),
];

const WAIVERS: &[Field] = &[
    req("rule", Ty::Str, "被豁免的规则 id"),
    f("reason", Ty::Str, "豁免理由（没有理由的豁免不生效）"),
    f("approved_by", Ty::Str, "批准人"),
    f("at", Ty::Str, "数据路径；写明时只豁免该路径下的发现"),
    f("expires", Ty::Date, "到期日（含当天），如 2027-03-31"),
];

/// The top level of a v1 report.
pub const REPORT: &[Field] = &[
    req("format", Ty::Str, "报告格式，固定为 \"jixiao-report/1\""),
    req(
        "kind",
        Ty::OneOf(KINDS),
        "\"department\"（部门整体支出）或 \"project\"（项目支出）",
    ),
    req("title", Ty::Str, "报告标题，照原文"),
    req("department", Ty::Str, "部门/单位名称"),
    f("project", Ty::Str, "项目名称（项目报告必填）"),
    req("year", Ty::Year, "评价的预算年度"),
    f(
        "unit",
        Ty::OneOf(UNITS),
        "金额单位：\"万元\"（默认）或 \"元\"",
    ),
    f("published_on", Ty::Date, "报告印发/公开日期"),
    f("budget", Ty::Table(BUDGET), "预算及执行情况"),
    f(
        "summary",
        Ty::Rows(SUMMARY),
        "一级指标得分汇总，每个一级指标一行",
    ),
    f("total", Ty::Table(TOTAL), "合计与评级"),
    f(
        "indicators",
        Ty::Rows(INDICATORS),
        "绩效指标明细（自评表各行）",
    ),
    f("problems", Ty::Rows(PROBLEMS), "存在问题"),
    f("measures", Ty::Rows(MEASURES), "改进措施"),
    f("sections", Ty::Rows(SECTIONS), "报告正文，按原文顺序"),
    f("waivers", Ty::Rows(WAIVERS), "豁免：评审同意的例外"),
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
        }
    }
    let mut schema = table(REPORT);
    schema["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    schema["title"] = json!("jixiao 绩效自评报告（报告格式 v1）");
    schema["properties"]["format"]["const"] = json!(FORMAT_V1);
    schema
}
