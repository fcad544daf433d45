//! The report loader on arbitrary bytes: never panics; every error label
//! lies inside the text it was found in.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match jixiao::report::load_bytes("fuzz.toml", data, Default::default()) {
        Ok(r) => {
            for k in &r.unknown_keys {
                assert!(k.span.end <= r.source.len());
            }
        }
        Err(f) => {
            for e in &f.errors {
                for (span, _) in &e.labels {
                    assert!(span.start <= span.end && span.end <= f.source.len());
                }
            }
        }
    }
});
