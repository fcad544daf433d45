//! The whole check on arbitrary bytes with the default rule pack: never
//! panics, and every label marks text inside the report.
#![no_main]

use std::sync::OnceLock;

use jixiao::engine::{Checker, pack};
use libfuzzer_sys::fuzz_target;

fn checker() -> &'static Checker {
    static C: OnceLock<Checker> = OnceLock::new();
    C.get_or_init(|| Checker::new(pack::embedded()))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let out = jixiao::review::check_text(checker(), "fuzz.toml", text);
    for f in &out.findings {
        for l in &f.labels {
            assert!(!l.span.is_empty() && l.span.end <= text.len(), "{l:?}");
        }
    }
    let mut sink = Vec::new();
    let outcome = jixiao::diagnostic::Outcome { reports: vec![out], ..Default::default() };
    jixiao::render::json::render(&outcome, &mut sink).unwrap();
    jixiao::render::human::render(&outcome, &mut sink, Default::default()).unwrap();
});
