//! OLE compound files (the container of Word 97–2003 .doc, Excel 97–2003
//! .xls, WPS .wps/.et, and of password-protected Office files), opened with
//! the `cfb` crate within bounds: what the container holds, and its streams
//! read up to a limit.

use std::io::{Cursor, Read};

/// The signature every compound file starts with.
pub(crate) const MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Streams longer than this are refused: no report's text or sheets come
/// near it, and a stream cannot be longer than the file that holds it.
const MAX_STREAM_BYTES: u64 = super::MAX_PACKAGE_BYTES;

pub(crate) type File<'a> = cfb::CompoundFile<Cursor<&'a [u8]>>;

/// What a compound file holds.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Holds {
    /// A Word document (`WordDocument` stream): .doc, and .wps since WPS 2003.
    Word,
    /// An Excel 97–2003 workbook (`Workbook` stream): .xls, and .et.
    Workbook,
    /// An Excel 5.0/95 workbook (`Book` stream).
    OldWorkbook,
    /// A password-protected .docx/.xlsx (`EncryptedPackage`).
    Encrypted,
    /// Something else (an early WPS format, an Outlook message…).
    Other,
}

pub(crate) fn open(bytes: &[u8]) -> Result<File<'_>, String> {
    cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| format!("复合文档结构损坏（{e}）"))
}

pub(crate) fn holds(file: &File<'_>) -> Holds {
    let has = |name: &str| file.is_stream(format!("/{name}"));
    if has("EncryptedPackage") {
        Holds::Encrypted
    } else if has("WordDocument") {
        Holds::Word
    } else if has("Workbook") {
        Holds::Workbook
    } else if has("Book") {
        Holds::OldWorkbook
    } else {
        Holds::Other
    }
}

/// A stream by name, read whole; `None` when the file has no such stream.
pub(crate) fn stream(file: &mut File<'_>, name: &str) -> Result<Option<Vec<u8>>, String> {
    let path = format!("/{name}");
    if !file.is_stream(&path) {
        return Ok(None);
    }
    let s = file
        .open_stream(&path)
        .map_err(|e| format!("无法读取 {name} 流（{e}）"))?;
    let mut out = Vec::new();
    s.take(MAX_STREAM_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("无法读取 {name} 流（{e}）"))?;
    if out.len() as u64 > MAX_STREAM_BYTES {
        return Err(format!("{name} 流超过 {MAX_STREAM_BYTES} 字节"));
    }
    Ok(Some(out))
}
