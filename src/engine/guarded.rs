//! Replacements for the Rhai built-ins that walk or build values in one
//! native call — `pad`, sorting with a comparer, equality and printing of
//! arrays and maps, `to_json` — so that each respects the rule's limits
//! while it works: the size of what it builds is counted (with checked
//! arithmetic) before it is built, nesting deeper than
//! [`limits::MAX_DEPTH`](super::sandbox::limits::MAX_DEPTH) is an error
//! instead of a deep native recursion, and the deadline is looked at as
//! it goes. Rhai's own versions loop forever on an empty padding string,
//! overflow a capacity, recurse without a bound, or sort with Rust's sort,
//! which panics on a comparer that is not a total order.

use std::cell::Cell;

use rhai::{Array, Dynamic, Engine, FnPtr, INT, ImmutableString, Map, NativeCallContext};

use super::sandbox::{R, limits, room_for_array, room_for_string, tick, too_deep};

thread_local! {
    /// How deeply the guarded built-ins are nested in one another now.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// One level deeper into a value while it is walked; the level is left
/// when dropped.
struct Level(());

impl Level {
    fn enter() -> R<Level> {
        let d = DEPTH.get() + 1;
        if d > limits::MAX_DEPTH {
            return Err(too_deep());
        }
        DEPTH.set(d);
        Ok(Level(()))
    }
}

impl Drop for Level {
    fn drop(&mut self) {
        DEPTH.set(DEPTH.get().saturating_sub(1));
    }
}

/// Whether `value` nests arrays and maps at most `room` levels deep,
/// looked at in place without recursing further than that.
fn within_depth(value: &Dynamic, room: usize) -> R<()> {
    let walk = |children: &mut dyn Iterator<Item = &Dynamic>| -> R<()> {
        for c in children.filter(|v| v.is_array() || v.is_map()) {
            if room == 0 {
                return Err(too_deep());
            }
            tick()?;
            within_depth(c, room - 1)?;
        }
        Ok(())
    };
    if let Ok(a) = value.as_array_ref() {
        walk(&mut a.iter())
    } else if let Ok(m) = value.as_map_ref() {
        walk(&mut m.values())
    } else {
        Ok(())
    }
}

fn pad_string(s: &mut ImmutableString, len: INT, padding: &str) -> R<()> {
    let Ok(len) = usize::try_from(len) else {
        return Ok(());
    };
    let have = s.chars().count();
    if len <= have {
        return Ok(());
    }
    if padding.is_empty() {
        return Err("pad 的填充字符串不能为空".into());
    }
    // The padding's longest character, for the bytes it would add.
    let widest = padding.chars().map(char::len_utf8).max().unwrap_or(1);
    let bytes = (len - have)
        .checked_mul(widest)
        .and_then(|b| b.checked_add(s.len()))
        .unwrap_or(usize::MAX);
    room_for_string(bytes)?;
    let mut out = String::with_capacity(bytes);
    out.push_str(s);
    let mut n = have;
    'fill: loop {
        tick()?;
        for c in padding.chars() {
            if n == len {
                break 'fill;
            }
            out.push(c);
            n += 1;
        }
    }
    *s = out.into();
    Ok(())
}

fn pad_array(a: &mut Array, len: INT, item: Dynamic) -> R<()> {
    let Ok(len) = usize::try_from(len) else {
        return Ok(());
    };
    if len <= a.len() {
        return Ok(());
    }
    let size = super::sandbox::DataSize::of(&item);
    let added = len - a.len();
    // Every copy of the item counts, as Rhai counts them.
    let entries = size
        .arrays
        .checked_add(1)
        .and_then(|per| per.checked_mul(added))
        .and_then(|n| n.checked_add(a.len()))
        .unwrap_or(usize::MAX);
    room_for_array(entries)?;
    room_for_string(size.strings.saturating_mul(added))?;
    a.reserve(added);
    for _ in 0..added {
        tick()?;
        a.push(item.clone());
    }
    Ok(())
}

/// The comparer's answer for `x` and `y`: its number's sign, or a bool
/// (true: `x` first); anything else is the rule's error.
fn compare(ctx: &NativeCallContext, f: &FnPtr, x: &Dynamic, y: &Dynamic) -> R<std::cmp::Ordering> {
    use std::cmp::Ordering::*;
    tick()?;
    let v = f.call_raw(ctx, None, [x.clone(), y.clone()])?;
    if let Ok(n) = v.as_int() {
        return Ok(n.cmp(&0));
    }
    if let Ok(b) = v.as_bool() {
        return Ok(if b { Less } else { Greater });
    }
    Err(format!(
        "排序比较函数应返回整数（负数、0、正数）或布尔值，实际返回了 {}",
        v.type_name()
    )
    .into())
}

/// `items` sorted by `cmp` (a stable merge sort): however `cmp` answers,
/// every item stays once and the sort ends after O(n log n) calls.
fn merge_sort(
    mut items: Vec<Dynamic>,
    mut cmp: impl FnMut(&Dynamic, &Dynamic) -> R<std::cmp::Ordering>,
) -> R<Vec<Dynamic>> {
    let n = items.len();
    let mut width = 1;
    while width < n {
        let mut merged: Vec<Dynamic> = Vec::with_capacity(n);
        let mut rest = std::mem::take(&mut items).into_iter();
        loop {
            let left: Vec<Dynamic> = rest.by_ref().take(width).collect();
            if left.is_empty() {
                break;
            }
            let right: Vec<Dynamic> = rest.by_ref().take(width).collect();
            let (mut l, mut r) = (left.into_iter().peekable(), right.into_iter().peekable());
            while let (Some(x), Some(y)) = (l.peek(), r.peek()) {
                if cmp(x, y)? == std::cmp::Ordering::Greater {
                    merged.extend(r.next());
                } else {
                    merged.extend(l.next());
                }
            }
            merged.extend(l);
            merged.extend(r);
        }
        items = merged;
        width *= 2;
    }
    Ok(items)
}

/// Sorts `a` by the comparer.
fn sort_by(ctx: NativeCallContext, a: &mut Array, f: FnPtr) -> R<()> {
    if a.len() > 1 {
        *a = merge_sort(std::mem::take(a), |x, y| compare(&ctx, &f, x, y))?;
    }
    Ok(())
}

/// The natural order of two values of one type (numbers, characters,
/// strings, booleans), as Rhai's own `sort()` has it.
fn natural(x: &Dynamic, y: &Dynamic) -> R<std::cmp::Ordering> {
    tick()?;
    if let (Ok(a), Ok(b)) = (x.as_int(), y.as_int()) {
        return Ok(a.cmp(&b));
    }
    if let (Ok(a), Ok(b)) = (x.as_float(), y.as_float()) {
        return Ok(a.partial_cmp(&b).unwrap_or(std::cmp::Ordering::Equal));
    }
    if let (Ok(a), Ok(b)) = (x.as_char(), y.as_char()) {
        return Ok(a.cmp(&b));
    }
    if let (Ok(a), Ok(b)) = (x.as_bool(), y.as_bool()) {
        return Ok(a.cmp(&b));
    }
    if let (Ok(a), Ok(b)) = (x.as_immutable_string_ref(), y.as_immutable_string_ref()) {
        return Ok(a.as_str().cmp(b.as_str()));
    }
    if x.is_unit() && y.is_unit() {
        return Ok(std::cmp::Ordering::Equal);
    }
    Err(format!(
        "{} 类型的元素不能直接排序，请给 sort 一个比较函数",
        x.type_name()
    )
    .into())
}

/// `a` in its natural order, or reversed (`sort()`, `sort_desc()`).
fn sorted_naturally(a: &mut Array, descending: bool) -> R<()> {
    if a.len() <= 1 {
        return Ok(());
    }
    let first = a[0].type_id();
    if a.iter().any(|v| v.type_id() != first) {
        return Err("数组中的元素类型不同，不能排序".into());
    }
    *a = merge_sort(std::mem::take(a), |x, y| {
        natural(x, y).map(|o| if descending { o.reverse() } else { o })
    })?;
    Ok(())
}

/// Where `value` first stands in `a` from `start` on (-1 if nowhere).
fn position(ctx: &NativeCallContext, a: &mut Array, value: &Dynamic, start: INT) -> R<INT> {
    // A negative start counts from the end, as in Rhai.
    let from = if start < 0 {
        a.len()
            .saturating_sub(usize::try_from(start.unsigned_abs()).unwrap_or(usize::MAX))
    } else {
        usize::try_from(start).unwrap_or(usize::MAX)
    };
    for (i, item) in a.iter_mut().enumerate().skip(from) {
        if equal(ctx, item, &mut value.clone())? {
            return Ok(i as INT);
        }
    }
    Ok(-1)
}

/// `a` without runs of equal items (each run kept once).
fn dedup(ctx: NativeCallContext, a: &mut Array) -> R<()> {
    let mut out: Array = Vec::with_capacity(a.len());
    for mut item in std::mem::take(a) {
        let same = match out.last_mut() {
            Some(last) => equal(&ctx, last, &mut item)?,
            None => false,
        };
        if !same {
            out.push(item);
        }
    }
    *a = out;
    Ok(())
}

/// A sorted copy of `a` (`order`, `order_by`).
fn ordered(ctx: NativeCallContext, a: &mut Array, f: FnPtr) -> R<Array> {
    let mut copy = a.clone();
    sort_by(ctx, &mut copy, f)?;
    Ok(copy)
}

const EQUALS: &str = "==";

/// `==` on two values through Rhai's own operator for them (which, for
/// arrays and maps, is [`arrays_equal`] and [`maps_equal`] again): a value
/// of another type than its counterpart is unequal, as in Rhai.
fn equal(ctx: &NativeCallContext, x: &mut Dynamic, y: &mut Dynamic) -> R<bool> {
    tick()?;
    match ctx.call_native_fn_raw(EQUALS, true, &mut [x, y]) {
        Ok(v) => Ok(v.as_bool().unwrap_or(false)),
        Err(e) => match *e {
            rhai::EvalAltResult::ErrorFunctionNotFound(ref sig, ..)
                if sig.starts_with(EQUALS) && x.type_id() != y.type_id() =>
            {
                Ok(false)
            }
            _ => Err(e),
        },
    }
}

fn arrays_equal(ctx: NativeCallContext, a: &mut Array, mut b: Array) -> R<bool> {
    let _level = Level::enter()?;
    if a.len() != b.len() {
        return Ok(false);
    }
    for (x, y) in a.iter_mut().zip(b.iter_mut()) {
        if !equal(&ctx, x, y)? {
            return Ok(false);
        }
    }
    Ok(true)
}

fn maps_equal(ctx: NativeCallContext, a: &mut Map, mut b: Map) -> R<bool> {
    let _level = Level::enter()?;
    if a.len() != b.len() {
        return Ok(false);
    }
    for (k, x) in a.iter_mut() {
        let Some(y) = b.get_mut(k) else {
            return Ok(false);
        };
        if !equal(&ctx, x, y)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A value as `to_debug` shows it inside an array or map.
fn shown(ctx: &NativeCallContext, v: &mut Dynamic, out: &mut String) -> R<()> {
    tick()?;
    let text = ctx.call_native_fn_raw("to_debug", true, &mut [v])?;
    out.push_str(&text.into_immutable_string().unwrap_or_default());
    room_for_string(out.len())
}

fn format_array(ctx: NativeCallContext, a: &mut Array) -> R<ImmutableString> {
    let _level = Level::enter()?;
    let mut out = String::from("[");
    let len = a.len();
    for (i, v) in a.iter_mut().enumerate() {
        shown(&ctx, v, &mut out)?;
        if i + 1 < len {
            out.push_str(", ");
        }
    }
    out.push(']');
    Ok(out.into())
}

fn format_map(ctx: NativeCallContext, m: &mut Map) -> R<ImmutableString> {
    let _level = Level::enter()?;
    let mut out = String::from("#{");
    let len = m.len();
    for (i, (k, v)) in m.iter_mut().enumerate() {
        out.push_str(&format!("{:?}: ", k.as_str()));
        shown(&ctx, v, &mut out)?;
        if i + 1 < len {
            out.push_str(", ");
        }
    }
    out.push('}');
    Ok(out.into())
}

/// Registers the replacements over Rhai's own. Those that only read
/// their first argument are registered as pure, as Rhai's own are, so
/// that rules may call them on the read-only report.
pub(super) fn register(engine: &mut Engine) {
    engine
        .register_fn("pad", |s: &mut ImmutableString, len: INT, c: char| {
            pad_string(s, len, c.encode_utf8(&mut [0; 4]))
        })
        .register_fn("pad", |s: &mut ImmutableString, len: INT, p: &str| {
            pad_string(s, len, p)
        })
        .register_fn("pad", pad_array)
        .register_fn("sort", sort_by)
        .register_fn("sort_by", sort_by)
        .register_fn("sort", |a: &mut Array| sorted_naturally(a, false))
        .register_fn("sort_desc", |a: &mut Array| sorted_naturally(a, true))
        .register_fn("dedup", dedup);
    pure!(engine, "order", ordered);
    pure!(engine, "order_by", ordered);
    pure!(engine, "order", |a: &mut Array| -> R<Array> {
        let mut copy = a.clone();
        sorted_naturally(&mut copy, false)?;
        Ok(copy)
    });
    pure!(engine, "order_desc", |a: &mut Array| -> R<Array> {
        let mut copy = a.clone();
        sorted_naturally(&mut copy, true)?;
        Ok(copy)
    });
    pure!(engine, "contains", |ctx: NativeCallContext,
                               a: &mut Array,
                               v: Dynamic|
     -> R<bool> {
        Ok(position(&ctx, a, &v, 0)? >= 0)
    });
    pure!(
        engine,
        "index_of",
        |ctx: NativeCallContext, a: &mut Array, v: Dynamic| position(&ctx, a, &v, 0)
    );
    pure!(
        engine,
        "index_of",
        |ctx: NativeCallContext, a: &mut Array, v: Dynamic, start: INT| {
            position(&ctx, a, &v, start)
        }
    );
    pure!(engine, EQUALS, arrays_equal);
    pure!(engine, "!=", |ctx: NativeCallContext,
                         a: &mut Array,
                         b: Array| {
        arrays_equal(ctx, a, b).map(|e| !e)
    });
    pure!(engine, EQUALS, maps_equal);
    pure!(engine, "!=", |ctx: NativeCallContext,
                         a: &mut Map,
                         b: Map| {
        maps_equal(ctx, a, b).map(|e| !e)
    });
    pure!(engine, "to_json", |m: &mut Map| -> R<String> {
        for v in m.values() {
            within_depth(v, limits::MAX_DEPTH - 1)?;
        }
        let s = rhai::format_map_as_json(m);
        room_for_string(s.len())?;
        Ok(s)
    });
    for name in ["print", "to_string", "debug", "to_debug"] {
        pure!(engine, name, format_array);
        pure!(engine, name, format_map);
    }
}
