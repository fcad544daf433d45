//! The PDF content-stream interpreter on arbitrary operations: `data` is
//! the content of the one page of a well-formed PDF (and, cut in two, the
//! page's content and a form XObject it may draw, the form deflated), so
//! the lexer, the graphics state, the form drawing, the work budget and
//! the table rebuild are reached on every input. Never a panic or a hang;
//! origins inside the text. The streams' measure runs on every file too.
#![no_main]

#[path = "common.rs"]
mod common;

use std::io::Write;

use jixiao::import::Format;
use libfuzzer_sys::fuzz_target;

/// A one-page PDF whose page draws `content`, with Helvetica as /F1 and
/// `form` (deflated) as /X1.
fn pdf(content: &[u8], form: &[u8]) -> Vec<u8> {
    let mut deflated = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    deflated.write_all(form).unwrap();
    let form = deflated.finish().unwrap();
    let mut out: Vec<u8> = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let mut object = |out: &mut Vec<u8>, body: &[u8]| {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    let stream = |dict: &str, data: &[u8]| {
        let mut b = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
        b.extend_from_slice(data);
        b.extend_from_slice(b"\nendstream");
        b
    };
    let resources = "<< /Font << /F1 3 0 R >> /XObject << /X1 5 0 R >> >>";
    object(&mut out, b"<< /Type /Catalog /Pages 2 0 R >>");
    object(&mut out, b"<< /Type /Pages /Kids [6 0 R] /Count 1 >>");
    object(&mut out, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    object(&mut out, &stream("", content));
    object(
        &mut out,
        &stream(
            &format!("/Type /XObject /Subtype /Form /BBox [0 0 600 800] /Filter /FlateDecode /Resources {resources}"),
            &form,
        ),
    );
    object(
        &mut out,
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Resources {resources} /Contents 4 0 R >>").as_bytes(),
    );
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes());
    for o in &offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", offsets.len() + 1)
            .as_bytes(),
    );
    out
}

fuzz_target!(|data: &[u8]| {
    common::imports(Format::Pdf, &pdf(data, b"BT /F1 9 Tf 10 10 Td (x) Tj ET"));
    let (page, form) = common::halves(data);
    common::imports(Format::Pdf, &pdf(page, form));
});
