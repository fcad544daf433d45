//! The budget every reader builds a document under: how much text and how
//! many pieces (paragraphs, cells, lines) it may build, how much work it
//! may do (content-stream operations, glyphs, drawn forms), how
//! long it may take and how much memory its thread may come to hold. A
//! file's import runs in one [`Scope`] on one thread; readers charge what
//! they build and do as they go ([`built`], [`work`]), and stop early
//! where they can ([`exceeded`]). Once over, nothing more is built (a
//! piece charged after that is built empty) and the import is an error
//! entry for that file, naming the limit — never an abort of the batch.

use std::cell::Cell;
use std::time::Instant;

/// The limits of one file's import.
pub mod limits {
    use std::time::Duration;

    /// Text the pieces of one document may hold: far beyond any report
    /// (a 5,000-row table of long cells is a few MB).
    pub const TEXT_BYTES: usize = 32 << 20;
    /// Pieces (paragraphs, table cells, lines) of one document.
    pub const PIECES: usize = 300_000;
    /// Units of work a reader may do on one document: a content-stream
    /// operation, a glyph, a drawn form and every 256 bytes of content it
    /// unpacks, the pairing of a page's ruling lines.
    pub const WORK: u64 = 20_000_000;
    /// Time one document's import may take.
    pub const TIME: Duration = Duration::from_secs(20);
    /// Memory the importing thread may come to hold above what it held
    /// when the import started.
    pub const MEMORY_BYTES: usize = 320 << 20;
}

/// Which limit an import passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Over {
    Text,
    Pieces,
    Work,
    Time,
    Memory,
}

impl Over {
    /// What the reviewer is told.
    pub fn message(self) -> String {
        use limits::*;
        match self {
            Over::Text => format!("文档文字超过导入上限（{} MB）", TEXT_BYTES >> 20),
            Over::Pieces => format!("文档的段落和单元格超过导入上限（{PIECES} 个）"),
            Over::Work => format!("读取文档所需的处理超过上限（{WORK} 步，如 PDF 中的绘图指令）"),
            Over::Time => format!("读取文档超过时间上限（{} 秒）", TIME.as_secs()),
            Over::Memory => format!("读取文档占用内存超过上限（{} MB）", MEMORY_BYTES >> 20),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct State {
    text: usize,
    pieces: usize,
    work: u64,
    started: Instant,
    floor: isize,
    over: Option<Over>,
}

thread_local! {
    static STATE: Cell<Option<State>> = const { Cell::new(None) };
}

/// One file's import on this thread, until dropped (scopes nest: an inner
/// one is charged to itself, and the outer one resumes after it).
pub struct Scope {
    outer: Option<State>,
}

impl Scope {
    pub fn enter() -> Scope {
        let outer = STATE.get();
        STATE.set(Some(State {
            text: 0,
            pieces: 0,
            work: 0,
            started: Instant::now(),
            floor: crate::memory::held(),
            over: None,
        }));
        Scope { outer }
    }

    /// The limit the import passed, if it passed one.
    pub fn over(&self) -> Option<Over> {
        STATE.get().and_then(|s| s.over)
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        STATE.set(self.outer);
    }
}

fn update(f: impl FnOnce(&mut State)) -> bool {
    match STATE.get() {
        Some(mut s) => {
            if s.over.is_none() {
                f(&mut s);
            }
            let ok = s.over.is_none();
            STATE.set(Some(s));
            ok
        }
        None => true,
    }
}

/// Looks at the clock and the thread's memory.
fn look(s: &mut State) {
    if s.started.elapsed() > limits::TIME {
        s.over = Some(Over::Time);
    } else if crate::memory::held().saturating_sub(s.floor) > limits::MEMORY_BYTES as isize {
        s.over = Some(Over::Memory);
    }
}

/// Adds `bytes` of text to the import's count: over at the limit, the
/// clock and memory looked at every MB.
fn add_text(s: &mut State, bytes: usize) {
    let before = s.text;
    s.text = s.text.saturating_add(bytes);
    if s.text > limits::TEXT_BYTES {
        s.over = Some(Over::Text);
    } else if before >> 20 != s.text >> 20 {
        look(s);
    }
}

/// Charges `bytes` bytes of text a reader builds outside a piece (a
/// cell's text while it is read, copies of a repeated cell); false once
/// the import is over a limit.
pub fn text(bytes: usize) -> bool {
    update(|s| add_text(s, bytes))
}

/// Charges a piece of `bytes` bytes of text; false (and nothing should be
/// built) once the import is over a limit.
pub fn built(bytes: usize) -> bool {
    update(|s| {
        s.pieces += 1;
        if s.pieces > limits::PIECES {
            s.over = Some(Over::Pieces);
            return;
        }
        add_text(s, bytes);
        if s.over.is_none() && s.pieces.is_multiple_of(1024) {
            look(s);
        }
    })
}

/// Charges `n` units of work; false once the import is over a limit (the
/// clock and memory are looked at every 4,096 units).
pub fn work(n: u64) -> bool {
    update(|s| {
        let before = s.work;
        s.work = s.work.saturating_add(n);
        if s.work > limits::WORK {
            s.over = Some(Over::Work);
        } else if before >> 12 != s.work >> 12 {
            look(s);
        }
    })
}

/// Whether the import is over a limit (looked at now).
pub fn exceeded() -> bool {
    !update(look)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_stops_building_at_its_limit_and_says_which() {
        let scope = Scope::enter();
        assert!(built(10));
        assert!(work(100));
        let mut n = 0;
        while built(0) {
            n += 1;
        }
        assert_eq!(n, limits::PIECES - 1);
        assert_eq!(scope.over(), Some(Over::Pieces));
        assert!(!work(1), "nothing more once over");
        drop(scope);
        assert!(built(1), "no limit outside an import");
    }

    #[test]
    fn work_past_the_limit_is_over() {
        let scope = Scope::enter();
        assert!(!work(limits::WORK + 1));
        assert_eq!(scope.over(), Some(Over::Work));
        assert!(Over::Work.message().contains("上限"));
    }
}
