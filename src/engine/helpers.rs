//! The functions rule scripts may call, implemented in Rust so that loops
//! over report rows and text parsing stay short in the scripts and fast.
//! Every helper is pure: it reads its arguments and returns a value.

use std::collections::BTreeSet;
use std::sync::Arc;

use rhai::{Array, Dynamic, Engine, FLOAT, INT, ImmutableString, Map};

use super::current;
use super::sandbox::{R, room_for_array, room_for_map, room_for_string, tick};
use crate::report::quantity::{self, Cmp, parse_quantity, parse_rate};
use crate::report::text;

fn num(v: &Dynamic) -> Option<FLOAT> {
    v.as_float()
        .ok()
        .or_else(|| v.as_int().ok().map(|i| i as FLOAT))
}

/// Sum of a numeric field over rows; absent or non-numeric values count 0.
fn sum(rows: &mut Array, key: &str) -> R<FLOAT> {
    let mut total = 0.0;
    for r in rows.iter() {
        tick()?;
        total += num_of(r, key).unwrap_or(0.0);
    }
    Ok(total)
}

/// Whether every row has a numeric value at `key` (false for no rows).
fn all_have(rows: &mut Array, key: &str) -> R<bool> {
    for r in rows.iter() {
        tick()?;
        if num_of(r, key).is_none() {
            return Ok(false);
        }
    }
    Ok(!rows.is_empty())
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

/// Whether an indicator is negative (less is better): by its `direction`,
/// else by the comparator of its 指标性质 or of its target (≤, <).
fn direction_is_negative(direction: &Dynamic, cmp: Option<Cmp>) -> bool {
    match direction
        .read_lock::<ImmutableString>()
        .as_deref()
        .map(|s| s.as_str())
    {
        Some("negative") => true,
        Some("positive") => false,
        _ => matches!(cmp, Some(Cmp::Le | Cmp::Lt)),
    }
}

/// Compares an actual value with its target: Some((met, completion ratio
/// capped at 1)), or None when either cannot be read as a quantity or
/// their units differ. The comparator is the target's own, else
/// `comparator` (a 指标性质 column), else "at least" (at most for a
/// negative indicator).
fn judge(
    target: &str,
    actual: &str,
    direction: &Dynamic,
    comparator: Option<Cmp>,
) -> Option<(bool, FLOAT)> {
    let t = parse_quantity(target)?;
    let a = parse_quantity(actual)?;
    if !t.unit.is_empty() && !a.unit.is_empty() && t.unit != a.unit {
        return None;
    }
    let stated = t.cmp.or(comparator);
    let negative = direction_is_negative(direction, stated);
    let cmp = stated.unwrap_or(if negative { Cmp::Le } else { Cmp::Ge });
    let met = cmp.holds(a.value, t.value);
    let ratio = |x: f64, y: f64| if y == 0.0 { 1.0 } else { x / y };
    let completion = match cmp {
        Cmp::Eq => ratio(a.value, t.value).min(ratio(t.value, a.value)),
        _ if negative => ratio(t.value, a.value),
        _ => ratio(a.value, t.value),
    };
    Some((met, completion.clamp(0.0, 1.0)))
}

/// [`judge`] on an indicator row: its target, actual, direction and
/// comparator.
fn judge_row(row: &Dynamic) -> Option<(bool, FLOAT)> {
    let (t, a) = (text_of(row, "target")?, text_of(row, "actual")?);
    let d = key_of(row, "direction").unwrap_or(Dynamic::UNIT);
    let c = text_of(row, "comparator").and_then(|c| Cmp::from_symbol(&c));
    judge(&t, &a, &d, c)
}

/// Whether an indicator row is negative (see [`direction_is_negative`]).
fn row_is_negative(row: &Dynamic) -> bool {
    let d = key_of(row, "direction").unwrap_or(Dynamic::UNIT);
    let stated = text_of(row, "target")
        .and_then(|t| parse_quantity(&t))
        .and_then(|q| q.cmp)
        .or_else(|| text_of(row, "comparator").and_then(|c| Cmp::from_symbol(&c)));
    direction_is_negative(&d, stated)
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
/// The length of the result is counted before it is built.
fn join(items: &mut Array, sep: &str) -> R<String> {
    let parts: Vec<String> = items
        .iter()
        .map(|v| match num(v) {
            Some(x) if !v.is_string() => quantity::format_number(x, 2),
            _ => v.to_string(),
        })
        .collect();
    let len = parts.iter().map(String::len).sum::<usize>()
        + sep.len().saturating_mul(parts.len().saturating_sub(1));
    room_for_string(len)?;
    Ok(parts.join(sep))
}

fn label(path: &str, message: &str) -> Map {
    let mut m = Map::new();
    m.insert("path".into(), path.into());
    m.insert("message".into(), message.into());
    m
}

/// A finding as `finding()` makes it: a map behind a type of its own, so
/// that the check Rhai makes of a value's size after every `out.push(…)`
/// (which walks the whole array, every time) counts each finding as one
/// item instead of walking into its labels — without it a rule reporting
/// every row of a 5,000-row table spends its time re-counting the
/// findings it already has. Its fields read and write as a map's do.
#[derive(Debug, Clone)]
pub struct Found(pub Map);

/// The keys of a finding (see [`Found`]).
const FOUND_KEYS: [&str; 4] = ["message", "labels", "help", "severity"];

fn finding(message: &str, labels: Array) -> Found {
    let mut m = Map::new();
    m.insert("message".into(), message.into());
    m.insert("labels".into(), labels.into());
    Found(m)
}

/// Registers [`Found`]: its fields, indexing by key, `in`, printing.
fn register_found(engine: &mut Engine) {
    engine.register_type_with_name::<Found>("finding");
    for key in FOUND_KEYS {
        engine.register_get_set(
            key,
            move |f: &mut Found| f.0.get(key).cloned().unwrap_or(Dynamic::UNIT),
            move |f: &mut Found, v: Dynamic| {
                f.0.insert(key.into(), v);
            },
        );
    }
    engine
        .register_indexer_get_set(
            |f: &mut Found, k: &str| f.0.get(k).cloned().unwrap_or(Dynamic::UNIT),
            |f: &mut Found, k: &str, v: Dynamic| {
                f.0.insert(k.into(), v);
            },
        )
        .register_fn("contains", |f: &mut Found, k: &str| f.0.contains_key(k))
        .register_fn("to_map", |f: &mut Found| f.0.clone());
    for name in ["print", "to_string", "debug", "to_debug"] {
        engine.register_fn(name, |f: &mut Found| {
            let message =
                f.0.get("message")
                    .map(|m| m.to_string())
                    .unwrap_or_default();
            format!("finding「{message}」")
        });
    }
}

fn key_of(row: &Dynamic, key: &str) -> Option<Dynamic> {
    row.as_map_ref().ok().and_then(|m| m.get(key).cloned())
}

fn num_of(row: &Dynamic, key: &str) -> Option<FLOAT> {
    key_of(row, key).as_ref().and_then(num)
}

fn text_of(row: &Dynamic, key: &str) -> Option<ImmutableString> {
    key_of(row, key).and_then(|v| v.into_immutable_string().ok())
}

fn indices(rows: &Array, keep: impl Fn(&Dynamic) -> bool) -> R<Array> {
    let mut out = Array::new();
    for (i, r) in rows.iter().enumerate() {
        tick()?;
        if keep(r) {
            out.push(Dynamic::from_int(i as INT));
        }
    }
    Ok(out)
}

/// The numbers at `key` of the rows that have one, in order.
fn values(rows: &mut Array, key: &str) -> R<Array> {
    let mut out = Array::new();
    for r in rows.iter() {
        tick()?;
        if let Some(x) = num_of(r, key) {
            out.push(Dynamic::from_float(x));
        }
    }
    Ok(out)
}

/// How many rows have a number at `key`.
fn count_with(rows: &mut Array, key: &str) -> R<INT> {
    Ok(indices(rows, |r| num_of(r, key).is_some())?.len() as INT)
}

/// A label for each row's number at `key` — path `<table>[i].<key>`, text
/// "<name> <value>" — for findings about a sum, where every addend is
/// labelled. The labels' text is counted as it is built, so that a long
/// table name repeated on every row stops at the limit.
fn addends(rows: &mut Array, table: &str, key: &str) -> R<Array> {
    room_for_array(rows.len())?;
    let mut out = Array::new();
    let mut bytes = 0usize;
    for (i, r) in rows.iter().enumerate() {
        tick()?;
        let Some(x) = num_of(r, key) else { continue };
        let name = text_of(r, "name").unwrap_or_default();
        let path = format!("{table}[{i}].{key}");
        let text = format!("{name} {}", quantity::format_number(x, 2));
        bytes += path.len() + text.len();
        room_for_string(bytes)?;
        out.push(label(&path, &text).into());
    }
    Ok(out)
}

/// Indices of rows whose score is above their weight.
fn over_weight(rows: &mut Array) -> R<Array> {
    indices(
        rows,
        |r| matches!((num_of(r, "score"), num_of(r, "weight")), (Some(s), Some(w)) if s > w + 1e-6),
    )
}

/// Indices of rows whose score is below their weight.
fn below_weight(rows: &mut Array) -> R<Array> {
    indices(
        rows,
        |r| matches!((num_of(r, "score"), num_of(r, "weight")), (Some(s), Some(w)) if s < w - 1e-6),
    )
}

/// Indices of indicator rows whose actual value misses the target (rows
/// whose values cannot be read as quantities are left out).
fn missed_targets(rows: &mut Array) -> R<Array> {
    indices(rows, |r| matches!(judge_row(r), Some((false, _))))
}

/// Indices of rows whose text at `key` equals `value`.
fn where_eq(rows: &mut Array, key: &str, value: &str) -> R<Array> {
    indices(rows, |r| {
        text_of(r, key).is_some_and(|t| t.as_str() == value)
    })
}

/// Indices of rows whose text at `key` contains any of `words`.
fn where_contains(rows: &mut Array, key: &str, words: Array) -> R<Array> {
    let words = strings(words);
    let mut out = Array::new();
    for (i, r) in rows.iter().enumerate() {
        tick()?;
        let Some(t) = text_of(r, key) else { continue };
        for w in &words {
            tick()?;
            if t.contains(w.as_str()) {
                out.push(Dynamic::from_int(i as INT));
                break;
            }
        }
    }
    Ok(out)
}

/// Indices of `problems` that no measure answers: by the measures'
/// `addresses` when any measure has them, else by equal `id`.
fn unanswered(problems: &mut Array, measures: Array) -> R<Array> {
    let by_addresses = measures.iter().any(|m| key_of(m, "addresses").is_some());
    let mut answered = std::collections::HashSet::new();
    for m in &measures {
        tick()?;
        if by_addresses {
            let ids = key_of(m, "addresses").and_then(|a| a.try_cast::<Array>());
            for id in ids.into_iter().flatten() {
                tick()?;
                if let Ok(id) = id.into_immutable_string() {
                    answered.insert(id);
                }
            }
        } else if let Some(id) = text_of(m, "id") {
            answered.insert(id);
        }
    }
    indices(problems, |p| {
        text_of(p, "id").is_some_and(|id| !answered.contains(&id))
    })
}

/// The index of the row whose title and detail read most like `text`,
/// and that similarity: [index, similarity]; () for no rows.
fn closest(rows: &mut Array, text: &str) -> R<Dynamic> {
    let mut best: Option<(usize, f64)> = None;
    for (i, r) in rows.iter().enumerate() {
        tick()?;
        let mut t = text_of(r, "title")
            .map(|s| s.to_string())
            .unwrap_or_default();
        if let Some(d) = text_of(r, "detail") {
            t.push_str(&d);
        }
        let s = text::similarity(text, &t);
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((i, s));
        }
    }
    Ok(best.map_or(Dynamic::UNIT, |(i, s)| {
        vec![Dynamic::from_int(i as INT), Dynamic::from_float(s)].into()
    }))
}

/// Indices of rows that have text at `key` which is none of `values`.
fn where_not_in(rows: &mut Array, key: &str, values: Array) -> R<Array> {
    let values: std::collections::HashSet<ImmutableString> = strings(values).into_iter().collect();
    indices(rows, |r| {
        text_of(r, key).is_some_and(|t| !values.contains(&t))
    })
}

/// The texts of `keys`, an array of strings.
fn strings(keys: Array) -> Vec<ImmutableString> {
    keys.into_iter()
        .filter_map(|k| k.into_immutable_string().ok())
        .collect()
}

/// [index, key] for every present value among `keys` that is a
/// placeholder. What is found is counted as it is found, so that many
/// rows times many keys stop at the array limit.
fn placeholders(rows: &mut Array, keys: Array) -> R<Array> {
    let keys = strings(keys);
    let mut out = Array::new();
    for (i, r) in rows.iter().enumerate() {
        for k in &keys {
            tick()?;
            if text_of(r, k).is_some_and(|t| text::is_placeholder(&t)) {
                room_for_array(3 * (out.len() + 1))?;
                out.push(vec![Dynamic::from_int(i as INT), k.clone().into()].into());
            }
        }
    }
    Ok(out)
}

/// [index, [keys…]] for every row with any of `keys` missing or a
/// placeholder (counted as in [`placeholders`]).
fn unfilled(rows: &mut Array, keys: Array) -> R<Array> {
    let keys = strings(keys);
    let mut out = Array::new();
    let mut entries = 0usize;
    for (i, r) in rows.iter_mut().enumerate() {
        let Ok(mut m) = r.as_map_mut() else { continue };
        let mut missing = Array::new();
        for k in &keys {
            tick()?;
            if !filled(&mut m, k) {
                entries += 1;
                room_for_array(entries + 3 * (out.len() + 1))?;
                missing.push(k.clone().into());
            }
        }
        if !missing.is_empty() {
            out.push(vec![Dynamic::from_int(i as INT), missing.into()].into());
        }
    }
    Ok(out)
}

/// Whether any row's text at `key` contains one of `words`.
fn any_contains(rows: &mut Array, key: &str, words: Array) -> R<bool> {
    let words = strings(words);
    for r in rows.iter() {
        tick()?;
        if let Some(t) = text_of(r, key) {
            for w in &words {
                tick()?;
                if t.contains(w.as_str()) {
                    return Ok(true);
                }
            }
        }
    }
    Ok(false)
}

/// The heading number of every row's `heading` (() for none), in one call.
fn heading_numbers(rows: &mut Array) -> R<Array> {
    room_for_map(3 * rows.len())?;
    let mut out = Array::new();
    for r in rows.iter() {
        tick()?;
        out.push(text_of(r, "heading").map_or(Dynamic::UNIT, |h| heading_map(&h)));
    }
    Ok(out)
}

fn heading_map(s: &str) -> Dynamic {
    match text::heading_number(s) {
        None => Dynamic::UNIT,
        Some(h) => {
            let mut m = Map::new();
            m.insert("level".into(), h.level.into());
            m.insert("n".into(), h.n.into());
            m.insert("printed".into(), h.printed.into());
            m.into()
        }
    }
}

/// The breaks in the numbering of `rows`' headings (see
/// [`text::numbering`]), as maps with `kind` = "gap" | "repeat" | "order" |
/// "unnumbered", `index` and the numbers as printed.
fn numbering(rows: &mut Array) -> R<Array> {
    let mut headings: Vec<ImmutableString> = Vec::with_capacity(rows.len());
    for r in rows.iter() {
        tick()?;
        headings.push(text_of(r, "heading").unwrap_or_default());
    }
    let refs: Vec<&str> = headings.iter().map(|h| h.as_str()).collect();
    let s = |x: String| -> Dynamic { x.into() };
    let opt = |x: Option<String>| x.map_or(Dynamic::UNIT, Into::into);
    let breaks = text::numbering(&refs);
    room_for_map(6 * breaks.len())?;
    Ok(breaks
        .into_iter()
        .map(|b| {
            let mut m = Map::new();
            let (kind, index) = match b {
                text::Break::Gap {
                    index,
                    after,
                    printed,
                    missing,
                } => {
                    m.insert("after".into(), opt(after));
                    m.insert("printed".into(), s(printed));
                    m.insert("missing".into(), s(missing.concat()));
                    ("gap", index)
                }
                text::Break::Repeat {
                    index,
                    printed,
                    expected,
                } => {
                    m.insert("printed".into(), s(printed));
                    m.insert("expected".into(), s(expected));
                    ("repeat", index)
                }
                text::Break::Order {
                    index,
                    printed,
                    previous,
                    expected,
                } => {
                    m.insert("printed".into(), s(printed));
                    m.insert("previous".into(), s(previous));
                    m.insert("expected".into(), s(expected));
                    ("order", index)
                }
                text::Break::Unnumbered { index, suggested } => {
                    m.insert("suggested".into(), opt(suggested));
                    ("unnumbered", index)
                }
            };
            m.insert("kind".into(), kind.into());
            m.insert("index".into(), (index as INT).into());
            m.into()
        })
        .collect())
}

/// Groups rows by the text at `by` and adds up the numbers at `value`:
/// a map from each group to #{ sum, rows } (rows: indices having `value`).
fn sum_by(rows: &mut Array, by: &str, value: &str) -> R<Map> {
    room_for_map(3 * rows.len())?;
    let mut out = Map::new();
    for (i, r) in rows.iter().enumerate() {
        tick()?;
        let (Some(group), Some(x)) = (text_of(r, by), num_of(r, value)) else {
            continue;
        };
        let entry = out.entry(group.as_str().into()).or_insert_with(|| {
            let mut m = Map::new();
            m.insert("sum".into(), Dynamic::from_float(0.0));
            m.insert("rows".into(), Array::new().into());
            m.into()
        });
        if let Some(mut m) = entry.write_lock::<Map>() {
            let sum = m.get("sum").and_then(num).unwrap_or(0.0) + x;
            m.insert("sum".into(), sum.into());
            if let Some(mut ix) = m.get_mut("rows").and_then(|r| r.write_lock::<Array>()) {
                ix.push(Dynamic::from_int(i as INT));
            }
        }
    }
    Ok(out)
}

/// Registers a helper that reads its first argument in place (so a call
/// on `report.indicators` does not copy the rows) and never changes it, so
/// it may be called on the read-only report.
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
        // At a printed precision: pct(97.5, 2) is "97.50%".
        .register_fn("pct", |x: FLOAT, places: INT| {
            format!("{:.*}%", places.clamp(0, 6) as usize, x)
        })
        .register_fn("close", |a: FLOAT, b: FLOAT, tol: FLOAT| {
            (a - b).abs() <= tol + 1e-9
        })
        .register_fn("filled", filled)
        .register_fn("is_placeholder", |s: &str| text::is_placeholder(s))
        .register_fn("quantity", quantity_map)
        .register_fn("meets", |t: &str, a: &str, d: Dynamic| {
            judge(t, a, &d, None).map_or(Dynamic::UNIT, |(met, _)| met.into())
        })
        .register_fn("completion", |t: &str, a: &str, d: Dynamic| {
            opt_float(judge(t, a, &d, None).map(|(_, c)| c))
        })
        .register_fn("completion", |row: Map| {
            opt_float(judge_row(&row.into()).map(|(_, c)| c))
        })
        .register_fn("is_negative", |row: Map| row_is_negative(&row.into()))
        .register_fn("printed", current::printed)
        .register_fn("understood", current::understood)
        .register_fn("term", current::term)
        .register_fn("field", current::field)
        .register_fn("grade_of", grade_of)
        .register_fn("normalize_grade", normalize_grade)
        .register_fn("similarity", |a: &str, b: &str| text::similarity(a, b))
        .register_fn("heading_number", heading_map)
        .register_fn("numeral", |level: INT, n: INT| text::numeral(level, n))
        .register_fn("years_in", |s: &str| -> Array {
            text::years_in(s)
                .into_iter()
                .map(Dynamic::from_int)
                .collect()
        })
        .register_fn("contains_any", |s: &str, words: Array| -> R<bool> {
            for w in strings(words) {
                tick()?;
                if s.contains(w.as_str()) {
                    return Ok(true);
                }
            }
            Ok(false)
        })
        .register_fn("today", || {
            super::sandbox::read_today();
            crate::clock::today()
        })
        .register_fn("rule_exists", move |id: &str| {
            super::sandbox::read_pack();
            rule_ids.contains(id)
        })
        .register_fn("execution", execution)
        .register_fn("join", join)
        .register_fn("label", label)
        .register_fn("finding", finding)
        .register_fn("finding", |message: &str, labels: Array, help: &str| {
            let mut f = finding(message, labels);
            f.0.insert("help".into(), help.into());
            f
        });
    register_found(engine);
    pure!(engine, "sum", sum);
    pure!(engine, "all_have", all_have);
    pure!(engine, "over_weight", over_weight);
    pure!(engine, "values", values);
    pure!(engine, "count_with", count_with);
    pure!(engine, "addends", addends);
    pure!(engine, "below_weight", below_weight);
    pure!(engine, "missed_targets", missed_targets);
    pure!(engine, "where_eq", where_eq);
    pure!(engine, "where_not_in", where_not_in);
    pure!(engine, "unanswered", unanswered);
    pure!(engine, "closest", closest);
    pure!(engine, "where_contains", where_contains);
    pure!(engine, "placeholders", placeholders);
    pure!(engine, "unfilled", unfilled);
    pure!(engine, "any_contains", any_contains);
    pure!(engine, "heading_numbers", heading_numbers);
    pure!(engine, "numbering", numbering);
    pure!(engine, "sum_by", sum_by);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judging_targets() {
        let pos = Dynamic::UNIT;
        assert_eq!(judge("≥95%", "90%", &pos, None), Some((false, 90.0 / 95.0)));
        assert_eq!(judge("98%以上", "99%", &pos, None), Some((true, 1.0)));
        assert_eq!(judge("161所", "161", &pos, None), Some((true, 1.0)));
        // Without a comparator a negative indicator means "at most".
        let neg: Dynamic = "negative".into();
        assert_eq!(judge("90万元", "100万元", &neg, None), Some((false, 0.9)));
        assert_eq!(judge("≤90万元", "85万元", &pos, None), Some((true, 1.0)));
        assert_eq!(judge("合格", "合格", &pos, None), None);
        assert_eq!(judge("≥3次", "3天", &pos, None), None);
        // A 指标性质 column gives the comparator the target does not write.
        assert_eq!(
            judge("90万元", "95万元", &pos, Some(Cmp::Le)),
            Some((false, 90.0 / 95.0))
        );
        assert!(!judge("100%", "98%", &pos, Some(Cmp::Eq)).unwrap().0);
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
