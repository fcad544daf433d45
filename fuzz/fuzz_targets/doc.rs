//! The Word 97–2003 reader on arbitrary bytes: as a whole file (a mutated
//! .doc from the seed corpus), and as the streams of a well-formed OLE
//! container (the first part the WordDocument stream, the rest the table
//! stream), which reaches the FIB, piece table, paragraph properties,
//! styles and list tables whatever the container.
#![no_main]

#[path = "common.rs"]
mod common;

use jixiao::import::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::imports(Format::Doc, data);
    let (word, table) = common::halves(data);
    let file = common::compound(&[
        ("WordDocument", word),
        ("0Table", table),
        ("1Table", table),
        ("Data", table),
    ]);
    common::imports(Format::Doc, &file);
});
