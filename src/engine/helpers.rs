//! The functions rule scripts may call, implemented in Rust so that loops
//! over report rows and text parsing stay short in the scripts and fast.
//! Every helper is pure: it reads its arguments and returns a value.

use std::collections::BTreeSet;
use std::sync::Arc;

use rhai::{Array, Dynamic, Engine, FLOAT, INT, ImmutableString, Map};

use super::text;
use crate::report::quantity::{self, Cmp, parse_quantity, parse_rate};

fn num(v: &Dynamic) -> Option<FLOAT> {
    v.as_float()
        .ok()
        .or_else(|| v.as_int().ok().map(|i| i as FLOAT))
}

/// Sum of a numeric field over rows; absent or non-numeric values count 0.
fn sum(rows: &mut Array, key: &str) -> FLOAT {
    rows.iter()
        .filter_map(|r| r.as_map_ref().ok().and_then(|m| m.get(key).and_then(num)))
        .sum()
}

/// Whether every row has a numeric value at `key` (false for no rows).
fn all_have(rows: &mut Array, key: &str) -> bool {
    !rows.is_empty()
        && rows.iter().all(|r| {
            r.as_map_ref()
                .is_ok_and(|m| m.get(key).and_then(num).is_some())
        })
}

/// Whether `map[key]` is present and, for text, not a placeholder.
fn filled(map: &mut Map, key: &str) -> bool {
    match map.get(key) {
        None => false,
        Some(v) if v.is_unit() => false,
        Some(v) => match v.read_lock::<ImmutableString>() {
            Some(s) => !text::is_placeholder(&s),
            None => true,
        },
    }
}

fn opt_float(x: Option<FLOAT>) -> Dynamic {
    x.map_or(Dynamic::UNIT, Dynamic::from_float)
}

fn direction_is_negative(direction: &Dynamic, target: &quantity::Quantity) -> bool {
    match direction
        .read_lock::<ImmutableString>()
        .as_deref()
        .map(|s| s.as_str())
    {
        Some("negative") => true,
        Some("positive") => false,
        _ => matches!(target.cmp, Some(Cmp::Le | Cmp::Lt)),
    }
}

/// Compares an actual value with its target: Some((met, completion ratio
/// capped at 1)), or None when either cannot be read as a quantity or
/// their units differ.
fn judge(target: &str, actual: &str, direction: &Dynamic) -> Option<(bool, FLOAT)> {
    let t = parse_quantity(target)?;
    let a = parse_quantity(actual)?;
    if !t.unit.is_empty() && !a.unit.is_empty() && t.unit != a.unit {
        return None;
    }
    let negative = direction_is_negative(direction, &t);
    let cmp = t.cmp.unwrap_or(if negative { Cmp::Le } else { Cmp::Ge });
    let met = cmp.holds(a.value, t.value);
    let ratio = |x: f64, y: f64| if y == 0.0 { 1.0 } else { x / y };
    let completion = match cmp {
        Cmp::Eq => ratio(a.value, t.value).min(ratio(t.value, a.value)),
        _ if negative => ratio(t.value, a.value),
        _ => ratio(a.value, t.value),
    };
    Some((met, completion.clamp(0.0, 1.0)))
}

fn quantity_map(s: &str) -> Dynamic {
    match parse_quantity(s) {
        None => Dynamic::UNIT,
        Some(q) => {
            let mut m = Map::new();
            m.insert(
                "cmp".into(),
                q.cmp.map_or(Dynamic::UNIT, |c| c.symbol().into()),
            );
            m.insert("value".into(), q.value.into());
            m.insert("unit".into(), q.unit.into());
            m.into()
        }
    }
}

/// The grade band of a score: 优/良/中/差 by the floors in `bands`
/// (`excellent`, `good`, `fair`).
fn grade_of(score: FLOAT, bands: Map) -> String {
    let floor = |k: &str, d: FLOAT| bands.get(k).and_then(num).unwrap_or(d);
    if score >= floor("excellent", 90.0) - 1e-9 {
        "优"
    } else if score >= floor("good", 80.0) - 1e-9 {
        "良"
    } else if score >= floor("fair", 60.0) - 1e-9 {
        "中"
    } else {
        "差"
    }
    .into()
}

/// A grade as written, reduced to 优/良/中/差; () when it is none of them.
fn normalize_grade(s: &str) -> Dynamic {
    let g = s.trim().trim_matches(['“', '”', '"', '「', '」']);
    match g {
        "优" | "优秀" => "优".into(),
        "良" | "良好" => "良".into(),
        "中" | "中等" | "一般" | "合格" => "中".into(),
        "差" | "较差" | "不合格" => "差".into(),
        _ => Dynamic::UNIT,
    }
}

/// The execution of a budget: executed amount, the denominator chosen by
/// `mode` ("adjusted": the adjusted budget when given, else the initial one;
/// "initial"), its key and the rate in percent (() when the denominator is
/// zero). () when the executed amount or the denominator is missing.
fn execution(budget: &mut Map, mode: &str) -> Result<Dynamic, Box<rhai::EvalAltResult>> {
    let keys: &[&str] = match mode {
        "adjusted" => &["adjusted", "initial"],
        "initial" => &["initial"],
        other => {
            return Err(format!(
                "参数 denominator 为 \"{other}\"，应为 \"adjusted\" 或 \"initial\""
            )
            .into());
        }
    };
    let get = |k: &str| budget.get(k).and_then(num);
    let (Some(executed), Some((key, base))) = (
        get("executed"),
        keys.iter().find_map(|k| get(k).map(|v| (*k, v))),
    ) else {
        return Ok(Dynamic::UNIT);
    };
    let mut m = Map::new();
    m.insert("executed".into(), executed.into());
    m.insert("base".into(), base.into());
    m.insert("base_key".into(), key.into());
    m.insert(
        "base_name".into(),
        if key == "adjusted" {
            "调整后预算数"
        } else {
            "年初预算数"
        }
        .into(),
    );
    m.insert(
        "rate".into(),
        if base == 0.0 {
            Dynamic::UNIT
        } else {
            (executed / base * 100.0).into()
        },
    );
    Ok(m.into())
}

/// Joins values with a separator; numbers are formatted as in messages.
fn join(items: &mut Array, sep: &str) -> String {
    items
        .iter()
        .map(|v| match num(v) {
            Some(x) if !v.is_string() => quantity::format_number(x, 2),
            _ => v.to_string(),
        })
        .collect::<Vec<_>>()
        .join(sep)
}

fn label(path: &str, message: &str) -> Map {
    let mut m = Map::new();
    m.insert("path".into(), path.into());
    m.insert("message".into(), message.into());
    m
}

fn finding(message: &str, labels: Array) -> Map {
    let mut m = Map::new();
    m.insert("message".into(), message.into());
    m.insert("labels".into(), labels.into());
    m
}

/// Registers every helper on `engine`; `rule_ids` are the ids of the pack
/// being run (for `rule_exists`).
pub fn register(engine: &mut Engine, rule_ids: Arc<BTreeSet<String>>) {
    engine
        .register_fn("rate", |s: &str| opt_float(parse_rate(s).map(|(v, _)| v)))
        .register_fn("decimals", |s: &str| -> INT {
            parse_rate(s)
                .map(|(_, d)| d)
                .or_else(|| parse_quantity(s).map(|q| q.decimals))
                .unwrap_or(0) as INT
        })
        .register_fn("round_to", |x: FLOAT, d: INT| {
            quantity::round_to(x, d.clamp(0, 12) as u32)
        })
        .register_fn("fmt", |x: FLOAT| quantity::format_number(x, 2))
        .register_fn("fmt", |x: INT| x.to_string())
        .register_fn("pct", |x: FLOAT| {
            format!("{}%", quantity::format_number(x, 2))
        })
        .register_fn("close", |a: FLOAT, b: FLOAT, tol: FLOAT| {
            (a - b).abs() <= tol + 1e-9
        })
        .register_fn("sum", sum)
        .register_fn("all_have", all_have)
        .register_fn("filled", filled)
        .register_fn("is_placeholder", |s: &str| text::is_placeholder(s))
        .register_fn("quantity", quantity_map)
        .register_fn("meets", |t: &str, a: &str, d: Dynamic| {
            judge(t, a, &d).map_or(Dynamic::UNIT, |(met, _)| met.into())
        })
        .register_fn("completion", |t: &str, a: &str, d: Dynamic| {
            opt_float(judge(t, a, &d).map(|(_, c)| c))
        })
        .register_fn("grade_of", grade_of)
        .register_fn("normalize_grade", normalize_grade)
        .register_fn("similarity", |a: &str, b: &str| text::similarity(a, b))
        .register_fn("heading_number", |s: &str| match text::heading_number(s) {
            None => Dynamic::UNIT,
            Some(h) => {
                let mut m = Map::new();
                m.insert("level".into(), h.level.into());
                m.insert("n".into(), h.n.into());
                m.insert("printed".into(), h.printed.into());
                m.into()
            }
        })
        .register_fn("numeral", |level: INT, n: INT| text::numeral(level, n))
        .register_fn("years_in", |s: &str| -> Array {
            text::years_in(s)
                .into_iter()
                .map(Dynamic::from_int)
                .collect()
        })
        .register_fn("contains_any", |s: &str, words: Array| {
            words.iter().any(|w| {
                w.read_lock::<ImmutableString>()
                    .is_some_and(|w| s.contains(w.as_str()))
            })
        })
        .register_fn("today", crate::waivers::today)
        .register_fn("rule_exists", move |id: &str| rule_ids.contains(id))
        .register_fn("execution", execution)
        .register_fn("join", join)
        .register_fn("label", label)
        .register_fn("finding", finding)
        .register_fn("finding", |message: &str, labels: Array, help: &str| {
            let mut m = finding(message, labels);
            m.insert("help".into(), help.into());
            m
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judging_targets() {
        let pos = Dynamic::UNIT;
        assert_eq!(judge("≥95%", "90%", &pos), Some((false, 90.0 / 95.0)));
        assert_eq!(judge("98%以上", "99%", &pos), Some((true, 1.0)));
        assert_eq!(judge("161所", "161", &pos), Some((true, 1.0)));
        // Without a comparator a negative indicator means "at most".
        let neg: Dynamic = "negative".into();
        assert_eq!(judge("90万元", "100万元", &neg), Some((false, 0.9)));
        assert_eq!(judge("≤90万元", "85万元", &pos), Some((true, 1.0)));
        assert_eq!(judge("合格", "合格", &pos), None);
        assert_eq!(judge("≥3次", "3天", &pos), None);
    }

    #[test]
    fn grades() {
        let bands = Map::new();
        assert_eq!(grade_of(90.0, bands.clone()), "优");
        assert_eq!(grade_of(89.99, bands.clone()), "良");
        assert_eq!(grade_of(60.0, bands.clone()), "中");
        assert_eq!(grade_of(59.5, bands.clone()), "差");
        assert_eq!(normalize_grade("优秀").into_string().unwrap(), "优");
        assert!(normalize_grade("A").is_unit());
    }
}
