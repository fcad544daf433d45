//! The importers on arbitrary bytes: text, Word and Excel never panic, and
//! what they import is TOML whose origins lie inside the readable text.
#![no_main]

use jixiao::import::{Format, import_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for format in [Format::Text, Format::Docx, Format::Xlsx] {
        for i in import_bytes(format, "fuzz", data).into_iter().flatten() {
            assert!(toml::from_str::<toml::Table>(&i.toml).is_ok(), "{}", i.toml);
            for o in i.origins.values() {
                assert!(o.span.start <= o.span.end && o.span.end <= i.display.len());
            }
        }
    }
});
