//! The OpenDocument readers on arbitrary bytes: as a whole file (a mutated
//! .odt/.ods from the seed corpus), and as the content.xml (first part)
//! and styles.xml (the rest) of a well-formed package, read both as text
//! and as a spreadsheet.
#![no_main]

#[path = "common.rs"]
mod common;

use std::io::Write;

use jixiao::import::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::imports(Format::Odt, data);
    common::imports(Format::Ods, data);
    let (content, styles) = common::halves(data);
    for mimetype in ["text", "spreadsheet"] {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", opts).unwrap();
        zip.write_all(format!("application/vnd.oasis.opendocument.{mimetype}").as_bytes())
            .unwrap();
        zip.start_file("content.xml", opts).unwrap();
        zip.write_all(content).unwrap();
        zip.start_file("styles.xml", opts).unwrap();
        zip.write_all(styles).unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        let format = if mimetype == "text" { Format::Odt } else { Format::Ods };
        common::imports(format, &bytes);
    }
});
