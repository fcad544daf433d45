//! PDF: not read yet; a PDF is an error entry that says what to send.

use super::Doc;
use crate::report::LoadFailure;

pub fn read(name: &str, _bytes: &[u8]) -> Result<Doc, LoadFailure> {
    Err(super::fail(
        name,
        "jixiao::import::format",
        "暂不能读取 PDF 文件".into(),
        Some("请提供 Word/Excel 原件，或把 PDF 中的文字复制到 .txt 文件再检查".into()),
    ))
}
