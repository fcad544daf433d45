//! What a submission is, by its bytes rather than its name: offices rename
//! files (a .docx saved as .doc, a workbook exported by a web system as an
//! HTML page called .xls), and a password-protected .docx is an OLE file.
//! The content decides which reader runs; what no reader takes is an error
//! that says what the file is and what to do.

use super::{Format, fail, ole};
use crate::report::LoadFailure;

/// The format the bytes hold, or why they cannot be read. `claimed` is
/// the format the file's extension gives.
pub(super) fn sniff(claimed: Format, name: &str, bytes: &[u8]) -> Result<Format, LoadFailure> {
    let refuse = |code: &'static str, message: String, help: &str| {
        Err(fail(name, code, message, Some(help.to_string())))
    };
    let as_docx = "请用 Word 或 WPS 打开后另存为 .docx 再检查";
    let as_xlsx = "请用 Excel 或 WPS 打开后另存为 .xlsx 再检查";
    if bytes.starts_with(&ole::MAGIC) {
        let file = match ole::open(bytes) {
            Ok(f) => f,
            Err(e) => {
                return refuse(
                    "jixiao::import::corrupt",
                    format!("文件已损坏，无法读取：{e}"),
                    "请向报送单位索取完好的文件，或用 Word/WPS 打开修复后另存为 .docx",
                );
            }
        };
        return match ole::holds(&file) {
            ole::Holds::Word => Ok(Format::Doc),
            ole::Holds::Workbook => Ok(Format::Xls),
            ole::Holds::Encrypted => Err(super::encrypted(name, "文件")),
            ole::Holds::OldWorkbook => refuse(
                "jixiao::import::format",
                "这是 Excel 5.0/95 格式的工作簿，无法读取".into(),
                as_xlsx,
            ),
            ole::Holds::Other => refuse(
                "jixiao::import::format",
                if claimed == Format::Doc {
                    "这是 WPS 早期版本或其他程序的文档格式，无法读取".into()
                } else {
                    "文件是 OLE 复合文档，但其中既没有 Word 正文也没有 Excel 工作表".into()
                },
                as_docx,
            ),
        };
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(zipped(bytes).unwrap_or(claimed));
    }
    let head = &bytes[..bytes.len().min(1024)];
    let pdf = match claimed {
        Format::Text => bytes.starts_with(b"%PDF-"),
        _ => find(head, b"%PDF-").is_some(),
    };
    if pdf {
        return Ok(Format::Pdf);
    }
    if claimed == Format::Text {
        return Ok(Format::Text);
    }
    if bytes.is_empty() {
        return refuse(
            "jixiao::import::corrupt",
            "文件是空的（0 字节）".into(),
            "请向报送单位索取完整的文件",
        );
    }
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let text = String::from_utf8_lossy(&lower);
    if text.trim_start_matches('\u{feff}').starts_with("{\\rtf") {
        return refuse(
            "jixiao::import::format",
            format!("这是 RTF 格式的文档（扩展名却是 {}），无法读取", ext(name)),
            as_docx,
        );
    }
    if text.contains("<html") || text.contains("<!doctype html") {
        return refuse(
            "jixiao::import::format",
            format!("这是网页（HTML）文件，扩展名却是 {}，无法读取", ext(name)),
            if matches!(claimed, Format::Xls | Format::Xlsx | Format::Ods) {
                as_xlsx
            } else {
                as_docx
            },
        );
    }
    if text.contains("<?xml") {
        return refuse(
            "jixiao::import::format",
            format!(
                "这是 XML 格式（Word/Excel 2003 XML）的文件，扩展名却是 {}，无法读取",
                ext(name)
            ),
            if text.contains("spreadsheet") {
                as_xlsx
            } else {
                as_docx
            },
        );
    }
    match claimed {
        // Their readers say what is wrong with the package.
        Format::Docx | Format::Xlsx => Ok(claimed),
        _ => refuse(
            "jixiao::import::corrupt",
            format!(
                "文件已损坏，或不是{}：开头的字节不是任何已知的文档格式",
                claimed.what()
            ),
            "请用 Word/WPS/Excel 打开确认；能打开的，另存为 .docx 或 .xlsx 后再检查",
        ),
    }
}

/// The format of a zip package by the parts it holds.
fn zipped(bytes: &[u8]) -> Option<Format> {
    let mut zip = super::package::open(bytes).ok()?;
    let names: Vec<String> = zip.file_names().flatten().map(|n| n.into_owned()).collect();
    if names.iter().any(|n| n == "word/document.xml") {
        return Some(Format::Docx);
    }
    if names.iter().any(|n| n == "xl/workbook.xml") {
        return Some(Format::Xlsx);
    }
    let mimetype = super::package::part(&mut zip, "mimetype").ok()??;
    match mimetype.trim() {
        "application/vnd.oasis.opendocument.text" => Some(Format::Odt),
        "application/vnd.oasis.opendocument.spreadsheet" => Some(Format::Ods),
        _ => None,
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn ext(name: &str) -> String {
    std::path::Path::new(name)
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_else(|| "（无扩展名）".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(claimed: Format, name: &str, bytes: &[u8]) -> Result<Format, &'static str> {
        sniff(claimed, name, bytes).map_err(|f| f.errors[0].code)
    }

    #[test]
    fn the_bytes_decide() {
        let mut protected = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
        protected.create_stream("/EncryptionInfo").unwrap();
        protected.create_stream("/EncryptedPackage").unwrap();
        let protected = protected.into_inner().into_inner();
        assert_eq!(
            code(Format::Docx, "a.docx", &protected),
            Err("jixiao::import::encrypted")
        );
        assert_eq!(
            code(Format::Doc, "a.doc", b"{\\rtf1\\ansi hello}"),
            Err("jixiao::import::format")
        );
        assert_eq!(
            code(
                Format::Xls,
                "a.xls",
                b"<html><table><tr><td>1</td></tr></table></html>"
            ),
            Err("jixiao::import::format")
        );
        assert_eq!(
            code(Format::Doc, "a.doc", b""),
            Err("jixiao::import::corrupt")
        );
        assert_eq!(code(Format::Doc, "a.doc", b"%PDF-1.4\n"), Ok(Format::Pdf));
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        let docx = zip.finish().unwrap().into_inner();
        assert_eq!(code(Format::Doc, "renamed.doc", &docx), Ok(Format::Docx));
        assert_eq!(
            code(Format::Text, "a.txt", b"plain %PDF- text"),
            Ok(Format::Text)
        );
    }
}
