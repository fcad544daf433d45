//! The sandbox every rule runs in: the limits (operations, time, memory,
//! sizes of strings, arrays and maps), sized per report so that honest
//! rules run on the largest report the loader accepts while a hostile one
//! is stopped with its limit named; the state of the rule being run
//! (deadline, memory floor) that Rhai's progress callback and every helper
//! consult; replacements for the Rhai built-ins that could build something
//! huge in one call (`replace`, `split`, `to_chars`…) which check the size
//! of what they would build first; and the cap on what a rule may print.

use std::cell::Cell;
use std::time::{Duration, Instant};

use rhai::{Array, Dynamic, Engine, EvalAltResult, FLOAT, INT, ImmutableString, Position};

use crate::memory::held;

/// The limits of a rule's own work, on top of the report it is given.
pub mod limits {
    use std::time::Duration;

    /// Operations one rule may perform on one report, besides those the
    /// report's size allows ([`super::Budget::for_data`]).
    pub const MAX_OPERATIONS: u64 = 2_000_000;
    pub const MAX_CALL_LEVELS: usize = 32;
    pub const MAX_EXPR_DEPTH: usize = 64;
    pub const MAX_FN_EXPR_DEPTH: usize = 32;
    /// The rule's own strings, arrays and maps: each value may be this
    /// much larger than the report data it holds.
    pub const MAX_STRING_BYTES: usize = 1 << 20;
    pub const MAX_ARRAY_LEN: usize = 10_000;
    pub const MAX_MAP_LEN: usize = 10_000;
    /// Arrays and maps nested in one another, where a built-in walks them
    /// (comparing, printing, sorting): deeper is an error, not a native
    /// recursion without bound.
    pub const MAX_DEPTH: usize = 64;
    pub const MAX_VARIABLES: usize = 1_000;
    pub const MAX_FUNCTIONS: usize = 256;
    /// Wall-clock time one rule may take on one report, besides what the
    /// report's size allows.
    pub const WALL_CLOCK: Duration = Duration::from_millis(500);
    /// Memory one rule may hold at once on one report, besides what the
    /// report's size allows.
    pub const MEMORY_BYTES: usize = 128 << 20;
    /// The stack of every thread that runs rules (reserved, not
    /// committed): Rhai copies, sizes and drops nested values by native
    /// recursion, as deep as a rule could nest them within its
    /// operations, which a default thread's 2 MiB does not hold.
    pub const STACK_BYTES: usize = 256 << 20;
    /// What one rule may print (`print`, `debug`) on one report.
    pub const PRINT_BYTES: usize = 64 * 1024;

    /// Per array or map entry of the report: operations a rule may spend
    /// on it. The default rules spend at most 27 per indicator row, which
    /// has 9 or 10 entries (BENCHMARKS.md): 20 an entry is ten times that.
    pub const OPERATIONS_PER_ENTRY: u64 = 20;
    /// Per array or map entry of the report: what a rule's findings may
    /// hold besides the rule's own allowance — a rule that reports every
    /// row of a 5,000-row table holds a finding and two labels a row, a
    /// few hundred bytes of text (the default rules hold under 250 bytes
    /// and 3 items for a row of 9 or 10 entries).
    pub const OUTPUT_BYTES_PER_ENTRY: usize = 64;
    pub const OUTPUT_ITEMS_PER_ENTRY: usize = 1;
    /// Per operation the report's size allows: time (an operation takes
    /// 0.2–0.4 µs).
    pub const NANOS_PER_OPERATION: u64 = 500;
    /// Per byte of the report's text: memory (a rule that copies a table
    /// out of the report holds it as Rhai values, several times its text).
    pub const MEMORY_PER_BYTE: usize = 16;
}

/// How much data a value holds, counted as Rhai counts it: array entries,
/// map entries and string bytes, over everything nested in it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DataSize {
    pub arrays: usize,
    pub maps: usize,
    pub strings: usize,
}

impl DataSize {
    /// The size of `value` (a shared value is read through).
    pub fn of(value: &Dynamic) -> DataSize {
        let mut size = DataSize::default();
        size.add(value);
        size
    }

    fn add(&mut self, value: &Dynamic) {
        if value.is_shared() {
            // Read in place: the report is shared at its root only.
            if let Some(m) = value.read_lock::<rhai::Map>() {
                for v in m.values() {
                    self.maps += 1;
                    self.add(v);
                }
            } else if let Some(a) = value.read_lock::<Array>() {
                for v in a.iter() {
                    self.arrays += 1;
                    self.add(v);
                }
            }
            return;
        }
        if let Ok(s) = value.as_immutable_string_ref() {
            self.strings += s.len();
        } else if let Ok(a) = value.as_array_ref() {
            for v in a.iter() {
                self.arrays += 1;
                self.add(v);
            }
        } else if let Ok(m) = value.as_map_ref() {
            for v in m.values() {
                self.maps += 1;
                self.add(v);
            }
        }
    }
}

/// The limits in force for one rule on one report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub operations: u64,
    pub string_bytes: usize,
    pub array_len: usize,
    pub map_len: usize,
    pub wall_clock: Duration,
    pub memory_bytes: usize,
}

impl Budget {
    /// The rule's own budget plus what the report's data needs: the report
    /// as loaded is not counted against the rule, so every default rule
    /// runs on the largest report the loader accepts.
    pub fn for_data(data: DataSize) -> Budget {
        use limits::*;
        let entries = (data.arrays + data.maps) as u64;
        let extra_ops = entries.saturating_mul(OPERATIONS_PER_ENTRY);
        Budget {
            operations: MAX_OPERATIONS.saturating_add(extra_ops),
            string_bytes: MAX_STRING_BYTES
                .saturating_add(data.strings)
                .saturating_add((entries as usize).saturating_mul(OUTPUT_BYTES_PER_ENTRY)),
            array_len: MAX_ARRAY_LEN
                .saturating_add(data.arrays)
                .saturating_add((entries as usize).saturating_mul(OUTPUT_ITEMS_PER_ENTRY)),
            map_len: MAX_MAP_LEN
                .saturating_add(data.maps)
                .saturating_add((entries as usize).saturating_mul(OUTPUT_ITEMS_PER_ENTRY)),
            wall_clock: WALL_CLOCK
                + Duration::from_nanos(extra_ops.saturating_mul(NANOS_PER_OPERATION)),
            memory_bytes: MEMORY_BYTES.saturating_add(data.strings.saturating_mul(MEMORY_PER_BYTE)),
        }
    }

    /// Sets the engine's own checks to this budget.
    pub fn apply(&self, engine: &mut Engine) {
        engine
            .set_max_operations(self.operations)
            .set_max_string_size(self.string_bytes)
            .set_max_array_size(self.array_len)
            .set_max_map_size(self.map_len);
    }

    /// The message for a rule stopped by Rhai's own checks or ours.
    pub fn stopped_by(&self, err: &EvalAltResult) -> Option<String> {
        use EvalAltResult as E;
        Some(match err {
            E::ErrorTooManyOperations(_) => {
                format!("超过运算次数上限（{} 次），已停止", self.operations)
            }
            E::ErrorStackOverflow(_) => format!(
                "函数调用层级超过上限（{} 层），已停止",
                limits::MAX_CALL_LEVELS
            ),
            E::ErrorDataTooLarge(what, _) => {
                let limit = if what.contains("string") {
                    format!("字符串长度超过上限（{} 字节）", self.string_bytes)
                } else if what.contains("array") {
                    format!("数组长度超过上限（{} 项）", self.array_len)
                } else if what == DEPTH {
                    format!("数据嵌套层数超过上限（{} 层）", limits::MAX_DEPTH)
                } else if what.contains("map") {
                    format!("对象映射大小超过上限（{} 项）", self.map_len)
                } else {
                    format!("{what} 超过大小上限")
                };
                format!("{limit}，已停止")
            }
            E::ErrorTerminated(token, _) => match token.clone().into_string().as_deref() {
                Ok(MEMORY) => format!("占用内存超过上限（{} MB），已停止", self.memory_bytes >> 20),
                _ => format!(
                    "运行时间超过上限（{} 毫秒），已停止",
                    self.wall_clock.as_millis()
                ),
            },
            _ => return None,
        })
    }
}

/// The termination tokens of [`on_progress`].
const TIME: &str = "wall-clock";
const MEMORY: &str = "memory";
const STOPS: [&str; 3] = ["", TIME, MEMORY];

fn stopped() -> Option<&'static str> {
    match STOPPED.get() {
        0 => None,
        n => Some(STOPS[n as usize]),
    }
}

fn set_stopped(why: &'static str) {
    STOPPED.set(if why == MEMORY { 2 } else { 1 });
}

/// The CPU time this thread has used: what a rule's time limit counts, so
/// that a rule near its limit is stopped or not whatever else the machine
/// (or another worker thread of the batch) is doing.
fn cpu_time() -> Option<Duration> {
    #[cfg(target_os = "linux")]
    {
        let mut t = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes the timespec it is given.
        if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0 {
            return Some(Duration::new(t.tv_sec as u64, t.tv_nsec as u32));
        }
    }
    None
}

/// How much longer than its time limit a rule may take on the wall clock,
/// when its thread shares the processor (a backstop: the limit itself is
/// counted in the thread's CPU time where that is known).
const WALL_FACTOR: u32 = 4;

/// The rule being run on this thread.
#[derive(Debug, Clone, Copy)]
struct Run {
    started: Instant,
    /// The thread's CPU time and the wall clock when they were first read
    /// during the rule (at its first clock check): reading the CPU time
    /// is a system call, which a rule that ends sooner never pays.
    cpu_base: Option<(Duration, Instant)>,
    /// Bytes this thread held when the rule started.
    memory_floor: isize,
    budget: Budget,
    printed: usize,
    /// What the rule read besides the report (see [`Read`]).
    read: Read,
}

/// What a rule read while it ran besides the report, its text and its
/// parameters: noted by the helpers that give it, however the rule called
/// them (by name, through `Fn(…)` or `call`), so that the findings cache
/// knows what else the findings depend on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Read {
    /// The date (`today`).
    pub today: bool,
    /// The ids of the pack (`rule_exists`).
    pub pack: bool,
}

/// Notes that the running rule read the date.
pub fn read_today() {
    update(|r| r.read.today = true);
}

/// Notes that the running rule read the ids of the pack.
pub fn read_pack() {
    update(|r| r.read.pack = true);
}

thread_local! {
    static RUN: Cell<Option<Run>> = const { Cell::new(None) };
    /// Why the running rule was stopped, once it was (an index into
    /// [`STOPS`]; 0 not stopped): read at every operation, so it is kept
    /// apart from the rest of [`Run`], as small as it can be.
    static STOPPED: Cell<u8> = const { Cell::new(0) };
    /// Calls of [`tick`] since the clock was last read.
    static TICKS: Cell<u32> = const { Cell::new(0) };
}

/// Makes a panic inside a rule silent (it becomes that rule's error on
/// its report, see [`contain`]); panics elsewhere are shown as before.
fn quiet_rule_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if RUN.try_with(|r| r.get().is_none()).unwrap_or(true) {
                previous(info);
            }
        }));
    });
}

/// Runs a rule's evaluation so that a panic inside it (a built-in's bug)
/// is that rule's error, never the process's.
pub fn contain<T>(f: impl FnOnce() -> R<T>) -> R<T> {
    quiet_rule_panics();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|p| {
        let what = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(format!("规则执行时内部出错，已停止（{what}）").into())
    })
}

/// Marks a rule as running on this thread under `budget` until dropped.
pub struct Running(());

impl Running {
    pub fn start(budget: Budget) -> Running {
        RUN.set(Some(Run {
            started: Instant::now(),
            cpu_base: None,
            memory_floor: held(),
            budget,
            printed: 0,
            read: Read::default(),
        }));
        Running(())
    }

    /// Ends the run: what the rule read besides the report.
    pub fn finish(self) -> Read {
        RUN.get().map(|r| r.read).unwrap_or_default()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        RUN.set(None);
        STOPPED.set(0);
        TICKS.set(0);
    }
}

fn update(f: impl FnOnce(&mut Run)) {
    if let Some(mut run) = RUN.get() {
        f(&mut run);
        RUN.set(Some(run));
    }
}

/// Which limit the running rule has passed, if any: checked now. Time is
/// the thread's CPU time (so that a rule is stopped or not whatever else
/// runs on the machine, other workers of the batch included) where it is
/// known, with [`WALL_FACTOR`] times the limit on the wall clock as a
/// backstop; the wall clock alone elsewhere.
fn over(run: &Run) -> Option<&'static str> {
    let now = Instant::now();
    let limit = run.budget.wall_clock;
    let wall = now - run.started;
    let base = match run.cpu_base {
        Some(b) => Some(b),
        None => {
            let b = cpu_time().map(|c| (c, now));
            update(|r| r.cpu_base = b);
            b
        }
    };
    let timed_out = match base {
        // Until the limit has passed on the wall clock, it cannot have
        // passed in CPU time: only then is the CPU time read again.
        Some((cpu0, at)) if wall > limit => {
            let used = cpu_time().map_or(wall, |c| c.saturating_sub(cpu0) + (at - run.started));
            used > limit || wall > limit * WALL_FACTOR
        }
        Some(_) => false,
        None => wall > limit,
    };
    if timed_out {
        Some(TIME)
    } else if held().saturating_sub(run.memory_floor) > run.budget.memory_bytes as isize {
        Some(MEMORY)
    } else {
        None
    }
}

/// Rhai's progress callback: stops the rule once it passes its deadline
/// or its memory, looking at the clock every 256 operations and, once
/// stopped, stopping every operation at once (a helper that swallows
/// errors, such as `sort`'s comparer, would otherwise go on calling the
/// script).
pub fn on_progress(ops: u64) -> Option<Dynamic> {
    if STOPPED.get() != 0 {
        return stopped().map(Dynamic::from);
    }
    if !ops.is_multiple_of(256) {
        return None;
    }
    let why = over(&RUN.get()?)?;
    set_stopped(why);
    Some(why.into())
}

/// The error that stops a rule for `why`.
fn stop(why: &'static str) -> Box<EvalAltResult> {
    EvalAltResult::ErrorTerminated(why.into(), Position::NONE).into()
}

/// For helpers' loops: an error once the rule has passed its deadline or
/// memory (the clock is read every 64 calls).
pub fn tick() -> Result<(), Box<EvalAltResult>> {
    if let Some(why) = stopped() {
        return Err(stop(why));
    }
    let n = TICKS.get() + 1;
    if n < 64 {
        TICKS.set(n);
        return Ok(());
    }
    TICKS.set(0);
    let Some(run) = RUN.get() else {
        return Ok(());
    };
    match over(&run) {
        Some(why) => {
            set_stopped(why);
            Err(stop(why))
        }
        None => Ok(()),
    }
}

/// What the built-ins and helpers return.
pub type R<T> = Result<T, Box<EvalAltResult>>;

fn too_large(what: &str) -> Box<EvalAltResult> {
    EvalAltResult::ErrorDataTooLarge(what.into(), Position::NONE).into()
}

/// What [`too_deep`] names, for [`Budget::stopped_by`].
const DEPTH: &str = "Depth of nesting";

/// The error for a value nested deeper than [`limits::MAX_DEPTH`].
pub fn too_deep() -> Box<EvalAltResult> {
    too_large(DEPTH)
}

/// The running rule's budget (none outside a rule: no limit).
fn budget() -> Option<Budget> {
    RUN.get().map(|r| r.budget)
}

/// An error unless a string of `bytes` bytes fits the running rule's
/// limit: for helpers, before they build it.
pub fn room_for_string(bytes: usize) -> Result<(), Box<EvalAltResult>> {
    match budget() {
        Some(b) if bytes > b.string_bytes => Err(too_large("Length of string")),
        _ => Ok(()),
    }
}

/// An error unless an array of `len` entries fits the running rule's
/// limit: for helpers, before they build it.
pub fn room_for_array(len: usize) -> Result<(), Box<EvalAltResult>> {
    match budget() {
        Some(b) if len > b.array_len => Err(too_large("Size of array")),
        _ => Ok(()),
    }
}

/// An error unless `entries` map entries fit the running rule's limit.
pub fn room_for_map(entries: usize) -> Result<(), Box<EvalAltResult>> {
    match budget() {
        Some(b) if entries > b.map_len => Err(too_large("Size of object map")),
        _ => Ok(()),
    }
}

/// Text a rule prints, as it may reach stderr: control characters escaped,
/// cut once the rule has printed [`limits::PRINT_BYTES`], and nothing
/// after that.
pub fn printed(text: &str) -> Option<String> {
    let run = RUN.get()?;
    let room = limits::PRINT_BYTES
        .checked_sub(run.printed)
        .filter(|r| *r > 0)?;
    let shown = crate::diagnostic::safe::sanitize_text(text);
    let used = shown.len().min(room);
    let out = if shown.len() > room {
        let mut end = room;
        while !shown.is_char_boundary(end) {
            end -= 1;
        }
        format!(
            "{}…（规则输出超过 {} KB，其余省略）",
            &shown[..end],
            limits::PRINT_BYTES / 1024
        )
    } else {
        shown.into_owned()
    };
    update(|r| r.printed += used);
    Some(out)
}

// ------------------------------------------------------------- built-ins

/// Bytes of `s` with every match of `find` replaced by `with`, counted
/// before anything is built.
fn replaced_len(s: &str, find: &str, with: usize) -> usize {
    if find.is_empty() {
        // Rust inserts the replacement at every char boundary.
        return s.len() + (s.chars().count() + 1) * with;
    }
    let n = s.matches(find).count();
    s.len() - n * find.len() + n * with
}

fn replace(s: &mut ImmutableString, find: &str, with: &str) -> Result<(), Box<EvalAltResult>> {
    room_for_string(replaced_len(s, find, with.len()))?;
    *s = s.replace(find, with).into();
    Ok(())
}

/// Parts a split would make, counted before any is built.
fn parts(n: usize) -> Result<(), Box<EvalAltResult>> {
    room_for_array(n)
}

fn pieces(s: &str, pattern: &str) -> usize {
    if pattern.is_empty() {
        s.chars().count() + 2
    } else {
        s.matches(pattern).count() + 1
    }
}

fn to_array<'a>(items: impl Iterator<Item = &'a str>) -> Array {
    items.map(|p| Dynamic::from(p.to_string())).collect()
}

fn bounded(segments: INT) -> usize {
    segments.clamp(1, INT::MAX) as usize
}

/// Registers, over Rhai's own, the built-ins that could build far more
/// than the limits in one call, each checking the size of its result
/// before building it; and `sleep`, which would stall the batch, as an
/// error.
pub fn register(engine: &mut Engine) {
    engine
        .register_fn("replace", replace)
        .register_fn(
            "replace",
            |s: &mut ImmutableString, find: &str, with: char| -> R<()> {
                replace(s, find, with.encode_utf8(&mut [0; 4]))
            },
        )
        .register_fn(
            "replace",
            |s: &mut ImmutableString, find: char, with: &str| -> R<()> {
                replace(s, find.encode_utf8(&mut [0; 4]), with)
            },
        )
        .register_fn(
            "replace",
            |s: &mut ImmutableString, find: char, with: char| -> R<()> {
                replace(
                    s,
                    find.encode_utf8(&mut [0; 4]),
                    with.encode_utf8(&mut [0; 4]),
                )
            },
        )
        .register_fn("to_chars", |s: &str| -> R<Array> {
            parts(s.chars().count())?;
            Ok(s.chars().map(Dynamic::from).collect::<Array>())
        })
        .register_fn("sleep", |_: INT| -> Result<(), Box<EvalAltResult>> {
            Err("规则中不能使用 sleep：规则不能暂停".into())
        })
        .register_fn("sleep", |_: FLOAT| -> Result<(), Box<EvalAltResult>> {
            Err("规则中不能使用 sleep：规则不能暂停".into())
        });
    // Splitting reads its string in place, so it may be called on the
    // read-only report (as Rhai's own, which it replaces, may).
    pure!(engine, "split", |s: &mut ImmutableString,
                            d: &str|
     -> R<Array> {
        parts(pieces(s, d))?;
        Ok(to_array(s.split(d)))
    });
    pure!(engine, "split", |s: &mut ImmutableString,
                            d: char|
     -> R<Array> {
        let d = d.encode_utf8(&mut [0; 4]).to_string();
        parts(pieces(s, &d))?;
        Ok(to_array(s.split(d.as_str())))
    });
    pure!(engine, "split", |s: &mut ImmutableString,
                            d: &str,
                            n: INT|
     -> R<Array> {
        parts(pieces(s, d).min(bounded(n)))?;
        Ok(to_array(s.splitn(bounded(n), d)))
    });
    pure!(engine, "split", |s: &mut ImmutableString,
                            d: char,
                            n: INT|
     -> R<Array> {
        let d = d.encode_utf8(&mut [0; 4]).to_string();
        parts(pieces(s, &d).min(bounded(n)))?;
        Ok(to_array(s.splitn(bounded(n), d.as_str())))
    });
    pure!(engine, "split_rev", |s: &mut ImmutableString,
                                d: &str|
     -> R<Array> {
        parts(pieces(s, d))?;
        Ok(to_array(s.rsplit(d)))
    });
    pure!(engine, "split_rev", |s: &mut ImmutableString,
                                d: char|
     -> R<Array> {
        let d = d.encode_utf8(&mut [0; 4]).to_string();
        parts(pieces(s, &d))?;
        Ok(to_array(s.rsplit(d.as_str())))
    });
    pure!(engine, "split_rev", |s: &mut ImmutableString,
                                d: &str,
                                n: INT|
     -> R<Array> {
        parts(pieces(s, d).min(bounded(n)))?;
        Ok(to_array(s.rsplitn(bounded(n), d)))
    });
    pure!(engine, "split_rev", |s: &mut ImmutableString,
                                d: char,
                                n: INT|
     -> R<Array> {
        let d = d.encode_utf8(&mut [0; 4]).to_string();
        parts(pieces(s, &d).min(bounded(n)))?;
        Ok(to_array(s.rsplitn(bounded(n), d.as_str())))
    });
    pure!(engine, "split", |s: &mut ImmutableString| -> R<Array> {
        parts(s.split_whitespace().count())?;
        Ok(to_array(s.split_whitespace()))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use rhai::Map;

    #[test]
    fn budgets_grow_with_the_report() {
        let small = Budget::for_data(DataSize::default());
        assert_eq!(small.operations, limits::MAX_OPERATIONS);
        assert_eq!(small.wall_clock, limits::WALL_CLOCK);
        let big = Budget::for_data(DataSize {
            arrays: 40_000,
            maps: 300_000,
            strings: 7 << 20,
        });
        let entries = 340_000;
        assert_eq!(
            big.array_len,
            limits::MAX_ARRAY_LEN + 40_000 + entries * limits::OUTPUT_ITEMS_PER_ENTRY
        );
        assert_eq!(
            big.map_len,
            limits::MAX_MAP_LEN + 300_000 + entries * limits::OUTPUT_ITEMS_PER_ENTRY
        );
        assert_eq!(
            big.string_bytes,
            limits::MAX_STRING_BYTES + (7 << 20) + entries * limits::OUTPUT_BYTES_PER_ENTRY
        );
        assert!(big.operations > small.operations && big.wall_clock > small.wall_clock);
    }

    #[test]
    fn replacements_are_measured_before_they_are_built() {
        assert_eq!(replaced_len("abcabc", "b", 3), 10);
        assert_eq!(replaced_len("ab", "", 2), 2 + 3 * 2);
        assert_eq!(replaced_len("中文", "中", 0), 3);
        assert_eq!(pieces("a,b,c", ","), 3);
    }

    #[test]
    fn sizes_count_nested_data_as_rhai_does() {
        let mut row = Map::new();
        row.insert("name".into(), "指标".into());
        row.insert("weight".into(), Dynamic::from_float(1.0));
        let rows: Array = vec![row.clone().into(), row.into()];
        let mut top = Map::new();
        top.insert("indicators".into(), rows.into());
        let shared = Dynamic::from_map(top).into_shared();
        assert_eq!(
            DataSize::of(&shared),
            DataSize {
                arrays: 2,
                maps: 5,
                strings: 12
            }
        );
    }
}
