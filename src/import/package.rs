//! Office packages (.docx, .xlsx: zip files of XML parts), opened within
//! bounds: a package that says it unpacks to too much is refused before
//! any part is read, and a part is read only up to its own bound. Also
//! the XML attribute reading the Word parts share.

use std::io::Read;

use quick_xml::events::BytesStart;

/// Packages that say they unpack to more than this are refused before any
/// part is read.
const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// Opens a Word or Excel package, refusing one whose parts add up to more
/// than [`MAX_UNPACKED_BYTES`].
pub(crate) fn open(bytes: &[u8]) -> Result<zip::ZipArchive<std::io::Cursor<&[u8]>>, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let size = zip.by_index_raw(i).map_err(|e| e.to_string())?.size();
        total = total.saturating_add(size);
    }
    if total > MAX_UNPACKED_BYTES {
        return Err(format!(
            "解压后共 {total} 字节，超过上限 {MAX_UNPACKED_BYTES} 字节"
        ));
    }
    Ok(zip)
}

/// Parts larger than this (unpacked) are refused: a zip bomb, not a report.
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

/// Reads one part of the package as text; `None` when it is absent.
pub(crate) fn part<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    path: &str,
) -> Result<Option<String>, String> {
    let file = match zip.by_name(path) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let mut text = String::new();
    let read = file
        .take(MAX_PART_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| e.to_string())?;
    if read as u64 > MAX_PART_BYTES {
        return Err(format!("{path} 解压后超过 {MAX_PART_BYTES} 字节"));
    }
    Ok(Some(text))
}

/// The text an entity or character reference in XML text stands for.
pub(crate) fn entity(g: &quick_xml::events::BytesRef<'_>) -> String {
    match g.resolve_char_ref() {
        Ok(Some(c)) => c.to_string(),
        _ => quick_xml::escape::resolve_predefined_entity(&g.xml10_content())
            .unwrap_or("")
            .to_string(),
    }
}

/// The value of an attribute by its local name (`w:val` → `val`).
pub(crate) fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local)
            .then(|| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{Format, import_bytes};
    use std::io::Write;

    /// A one-entry package whose central directory says the entry unpacks
    /// to `size` bytes.
    fn claiming(size: u32) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("word/document.xml", opts).unwrap();
        zip.write_all(b"x").unwrap();
        let mut bytes = zip.finish().unwrap().into_inner();
        // The central directory header: signature PK\1\2, uncompressed size
        // at offset 24.
        let at = bytes
            .windows(4)
            .position(|w| w == [0x50, 0x4b, 0x01, 0x02])
            .unwrap();
        bytes[at + 24..at + 28].copy_from_slice(&size.to_le_bytes());
        bytes
    }

    #[test]
    fn packages_that_unpack_too_large_are_refused_before_reading() {
        assert!(open(&claiming(1)).is_ok());
        let err = open(&claiming(300 * 1024 * 1024)).unwrap_err();
        assert!(err.contains("超过上限"), "{err}");
        let refused = import_bytes(Format::Docx, "bomb.docx", &claiming(u32::MAX)).unwrap_err();
        assert_eq!(refused.errors[0].code, "jixiao::import::docx");
    }
}
