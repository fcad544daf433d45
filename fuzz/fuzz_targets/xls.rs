//! The Excel 97–2003 reader on arbitrary bytes: as a whole file (a mutated
//! .xls from the seed corpus), and as the Workbook stream of a
//! well-formed OLE container, which reaches the BIFF8 records whatever
//! the container.
#![no_main]

#[path = "common.rs"]
mod common;

use jixiao::import::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::imports(Format::Xls, data);
    common::imports(Format::Xls, &common::compound(&[("Workbook", data)]));
});
