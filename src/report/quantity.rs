//! Reading numbers as reports print them: rates ("130.53%") and indicator
//! values with comparators and units ("≥95%", "98%以上", "161所",
//! "≤90万元", "不低于3次"). Pure functions, shared by validation and by the
//! helpers that rules call.

/// How a target compares an actual value with its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Ge,
    Le,
    Gt,
    Lt,
    Eq,
}

impl Cmp {
    /// A comparator as a 指标性质 cell writes it (≥, ≤, =, >, <, and the
    /// ASCII >= <=).
    pub fn from_symbol(s: &str) -> Option<Cmp> {
        match s.trim() {
            "≥" | ">=" | "＞＝" => Some(Cmp::Ge),
            "≤" | "<=" | "＜＝" => Some(Cmp::Le),
            ">" | "＞" => Some(Cmp::Gt),
            "<" | "＜" => Some(Cmp::Lt),
            "=" | "＝" => Some(Cmp::Eq),
            _ => None,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Ge => "≥",
            Cmp::Le => "≤",
            Cmp::Gt => ">",
            Cmp::Lt => "<",
            Cmp::Eq => "=",
        }
    }

    /// Whether `actual` satisfies `actual <cmp> target` (with a small
    /// tolerance for values computed in floating point).
    pub fn holds(self, actual: f64, target: f64) -> bool {
        const EPS: f64 = 1e-9;
        match self {
            Cmp::Ge => actual >= target - EPS,
            Cmp::Le => actual <= target + EPS,
            Cmp::Gt => actual > target + EPS,
            Cmp::Lt => actual < target - EPS,
            Cmp::Eq => (actual - target).abs() <= EPS,
        }
    }
}

/// A parsed indicator value.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The comparator written before or after the number, if any.
    pub cmp: Option<Cmp>,
    pub value: f64,
    /// The unit as written ("%", "所", "万元"), empty when none.
    pub unit: String,
    /// Digits printed after the decimal point.
    pub decimals: u32,
}

const PREFIXES: &[(&str, Cmp)] = &[
    ("大于或等于", Cmp::Ge),
    ("大于等于", Cmp::Ge),
    ("小于或等于", Cmp::Le),
    ("小于等于", Cmp::Le),
    ("不低于", Cmp::Ge),
    ("不少于", Cmp::Ge),
    ("不小于", Cmp::Ge),
    ("不高于", Cmp::Le),
    ("不超过", Cmp::Le),
    ("不多于", Cmp::Le),
    ("不大于", Cmp::Le),
    ("至少", Cmp::Ge),
    ("至多", Cmp::Le),
    ("大于", Cmp::Gt),
    ("超过", Cmp::Gt),
    ("高于", Cmp::Gt),
    ("小于", Cmp::Lt),
    ("低于", Cmp::Lt),
    ("少于", Cmp::Lt),
    ("等于", Cmp::Eq),
    (">=", Cmp::Ge),
    ("<=", Cmp::Le),
    ("≥", Cmp::Ge),
    ("≧", Cmp::Ge),
    ("≤", Cmp::Le),
    ("≦", Cmp::Le),
    (">", Cmp::Gt),
    ("<", Cmp::Lt),
    ("=", Cmp::Eq),
];

const SUFFIXES: &[(&str, Cmp)] = &[
    ("及以上", Cmp::Ge),
    ("以上", Cmp::Ge),
    ("及以下", Cmp::Le),
    ("以下", Cmp::Le),
    ("以内", Cmp::Le),
    ("之内", Cmp::Le),
];

/// Full-width digits and signs to ASCII, thousands separators and blanks
/// dropped.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut prev_digit = false;
    while let Some(c) = chars.next() {
        let c = match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '％' => '%',
            '．' => '.',
            '＞' => '>',
            '＜' => '<',
            '＝' => '=',
            c => c,
        };
        if c.is_whitespace() {
            continue;
        }
        // "1,000" and "1，000": a comma between digits is a separator.
        let next_digit = chars
            .peek()
            .is_some_and(|n| n.is_ascii_digit() || ('０'..='９').contains(n));
        if (c == ',' || c == '，') && prev_digit && next_digit {
            continue;
        }
        prev_digit = c.is_ascii_digit();
        out.push(c);
    }
    out
}

/// Splits a leading unsigned decimal number off `s`: (value, decimals, rest).
fn leading_number(s: &str) -> Option<(f64, u32, &str)> {
    let bytes = s.as_bytes();
    let mut end = 0;
    while end < bytes.len() && bytes[end].is_ascii_digit() {
        end += 1;
    }
    if end == 0 {
        return None;
    }
    let mut decimals = 0;
    if end + 1 < bytes.len() && bytes[end] == b'.' && bytes[end + 1].is_ascii_digit() {
        end += 1;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
            decimals += 1;
        }
    }
    let value: f64 = s[..end].parse().ok()?;
    value.is_finite().then_some((value, decimals, &s[end..]))
}

/// Parses an indicator value such as `"≥95%"`, `"98%以上"`, `"161所"` or
/// `"≤90万元"`. Returns `None` for qualitative text ("合格", "有效提升").
pub fn parse_quantity(text: &str) -> Option<Quantity> {
    let norm = normalize(text);
    let mut rest = norm.as_str();
    let mut cmp = None;
    if let Some((p, c)) = PREFIXES.iter().find(|(p, _)| rest.starts_with(p)) {
        cmp = Some(*c);
        rest = &rest[p.len()..];
    }
    let (value, decimals, rest) = leading_number(rest)?;
    let mut unit = rest;
    if let Some((s, c)) = SUFFIXES.iter().find(|(s, _)| unit.ends_with(s)) {
        unit = &unit[..unit.len() - s.len()];
        cmp = cmp.or(Some(*c));
    }
    // A unit is a short word; anything longer or with digits is prose.
    if unit.chars().count() > 8 || unit.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(Quantity {
        cmp,
        value,
        unit: unit.to_string(),
        decimals,
    })
}

/// Parses a rate as printed, `"98%"` or `"130.53%"`, into (percent,
/// decimals printed). Anything but a non-negative number and a percent sign
/// is `None`.
pub fn parse_rate(text: &str) -> Option<(f64, u32)> {
    let norm = normalize(text);
    let (value, decimals, rest) = leading_number(&norm)?;
    (rest == "%").then_some((value, decimals))
}

/// Rounds `x` to `decimals` digits after the point.
pub fn round_to(x: f64, decimals: u32) -> f64 {
    let f = 10f64.powi(decimals.min(12) as i32);
    (x * f).round() / f
}

/// Formats a number for a message: at most `max_decimals` digits, trailing
/// zeros dropped ("130.53", "98", "12.5").
pub fn format_number(x: f64, max_decimals: usize) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let s = format!("{:.*}", max_decimals, x);
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".to_string() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Option<(Option<Cmp>, f64, String)> {
        parse_quantity(s).map(|q| (q.cmp, q.value, q.unit))
    }

    #[test]
    fn quantities_with_comparators_and_units() {
        assert_eq!(q("≥95%"), Some((Some(Cmp::Ge), 95.0, "%".into())));
        assert_eq!(q("98%以上"), Some((Some(Cmp::Ge), 98.0, "%".into())));
        assert_eq!(q("161所"), Some((None, 161.0, "所".into())));
        assert_eq!(q("≤90万元"), Some((Some(Cmp::Le), 90.0, "万元".into())));
        assert_eq!(q("不低于 3 次"), Some((Some(Cmp::Ge), 3.0, "次".into())));
        assert_eq!(q("大于等于９５％"), Some((Some(Cmp::Ge), 95.0, "%".into())));
        assert_eq!(
            q("3个工作日以内"),
            Some((Some(Cmp::Le), 3.0, "个工作日".into()))
        );
        assert_eq!(q("1,200人"), Some((None, 1200.0, "人".into())));
        assert_eq!(q("=100%"), Some((Some(Cmp::Eq), 100.0, "%".into())));
    }

    #[test]
    fn qualitative_text_is_not_a_quantity() {
        for s in ["合格", "有效提升", "", "完成率100%", "2021年12月31日前完成"] {
            assert_eq!(parse_quantity(s), None, "{s}");
        }
    }

    #[test]
    fn rates_need_a_percent_sign() {
        assert_eq!(parse_rate("130.53%"), Some((130.53, 2)));
        assert_eq!(parse_rate(" 98 ％"), Some((98.0, 0)));
        assert_eq!(parse_rate("0.98"), None);
        assert_eq!(parse_rate("98%以上"), None);
        assert_eq!(parse_rate("-5%"), None);
    }

    #[test]
    fn numbers_format_without_noise() {
        assert_eq!(format_number(130.531_2, 2), "130.53");
        assert_eq!(format_number(0.1 + 0.2, 2), "0.3");
        assert_eq!(format_number(98.0, 2), "98");
        assert_eq!(format_number(-0.001, 2), "0");
        assert_eq!(round_to(130.526, 2), 130.53);
    }
}
