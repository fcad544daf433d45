//! The PDF reader on arbitrary bytes (mutated LibreOffice exports from the
//! seed corpus): never a panic, never a hang, origins inside the text.
#![no_main]

#[path = "common.rs"]
mod common;

use jixiao::import::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::imports(Format::Pdf, data);
});
