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
}

const fn f(key: &'static str, ty: Ty) -> Field {
    Field {
        key,
        ty,
        required: false,
    }
}

const fn req(key: &'static str, ty: Ty) -> Field {
    Field {
        key,
        ty,
        required: true,
    }
}

pub const KINDS: &[&str] = &["department", "project"];
pub const UNITS: &[&str] = &["万元", "元"];
pub const DIRECTIONS: &[&str] = &["positive", "negative"];

const SOURCES: &[Field] = &[
    req("name", Ty::Str),
    f("initial", Ty::Num),
    f("adjusted", Ty::Num),
    f("executed", Ty::Num),
];

const BUDGET: &[Field] = &[
    f("initial", Ty::Num),
    f("adjusted", Ty::Num),
    f("executed", Ty::Num),
    f("rate", Ty::Rate),
    f("weight", Ty::Num),
    f("score", Ty::Num),
    f("explanation", Ty::Str),
    f("sources", Ty::Rows(SOURCES)),
];

const SUMMARY: &[Field] = &[
    req("name", Ty::Str),
    f("weight", Ty::Num),
    f("score", Ty::Num),
    f("score_rate", Ty::Rate),
    f("deduction_reason", Ty::Str),
];

const TOTAL: &[Field] = &[
    f("weight", Ty::Num),
    f("score", Ty::Num),
    f("score_rate", Ty::Rate),
    f("grade", Ty::Str),
];

const INDICATORS: &[Field] = &[
    f("level1", Ty::Str),
    f("level2", Ty::Str),
    req("name", Ty::Str),
    f("target", Ty::Str),
    f("actual", Ty::Str),
    f("direction", Ty::OneOf(DIRECTIONS)),
    f("weight", Ty::Num),
    f("score", Ty::Num),
    f("deviation", Ty::Str),
];

const PROBLEMS: &[Field] = &[
    req("id", Ty::Str),
    req("title", Ty::Str),
    f("detail", Ty::Str),
];

const MEASURES: &[Field] = &[
    req("id", Ty::Str),
    req("title", Ty::Str),
    f("detail", Ty::Str),
    f("addresses", Ty::Strings),
];

const SECTIONS: &[Field] = &[req("heading", Ty::Str), f("body", Ty::Str)];

const WAIVERS: &[Field] = &[
    req("rule", Ty::Str),
    f("reason", Ty::Str),
    f("approved_by", Ty::Str),
    f("at", Ty::Str),
];

/// The top level of a v1 report.
pub const REPORT: &[Field] = &[
    req("format", Ty::Str),
    req("kind", Ty::OneOf(KINDS)),
    req("title", Ty::Str),
    req("department", Ty::Str),
    f("project", Ty::Str),
    req("year", Ty::Year),
    f("unit", Ty::OneOf(UNITS)),
    f("published_on", Ty::Date),
    f("budget", Ty::Table(BUDGET)),
    f("summary", Ty::Rows(SUMMARY)),
    f("total", Ty::Table(TOTAL)),
    f("indicators", Ty::Rows(INDICATORS)),
    f("problems", Ty::Rows(PROBLEMS)),
    f("measures", Ty::Rows(MEASURES)),
    f("sections", Ty::Rows(SECTIONS)),
    f("waivers", Ty::Rows(WAIVERS)),
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
