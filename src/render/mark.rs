//! How jixiao marks the files it writes, and recognises them when it meets
//! them again: reviewers write the results into the folder of submissions
//! they check (`check 报告目录/ --output 报告目录/审核意见.xlsx`), and the
//! next run must not read its own output back as a report.
//!
//! The marks: a `generator` document property in Excel and Word files, a
//! `<!-- generator: jixiao -->` first line in Markdown, a generator `<meta>`
//! in HTML, a `"generator"` key in JSON, the name of JUnit's test suites
//! (SARIF names jixiao as its tool). The human text is recognised by its last
//! line, the summary sentence every run ends with (it may have been
//! redirected by the shell, which no mark survives).

use std::io::Read;
use std::path::Path;

/// The generator's name in every mark.
pub const GENERATOR: &str = "jixiao";

/// The first line of jixiao's Markdown.
pub const MARKDOWN: &str = "<!-- generator: jixiao -->";

/// The property name in Office documents jixiao writes.
pub const PROPERTY: &str = "generator";

/// How much of a text file's start is looked at: every mark stands in its
/// first 200 bytes.
const HEAD: u64 = 256;

/// How much of a human text's end is looked at: its summary line.
const TAIL: u64 = 512;

/// Whether the file at `path` is one jixiao wrote (see the module
/// documentation). Only a regular file is opened; anything that cannot be
/// read is not recognised (and is reported when it is read as a report).
pub fn is_own_output(path: &Path) -> bool {
    if !crate::report::read::is_regular(path) {
        return false;
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "docx" | "xlsm" => office_marked(path),
        "md" | "markdown" | "txt" | "json" | "toml" | "html" | "htm" | "xml" | "sarif" => {
            text_marked(path, &ext)
        }
        _ => false,
    }
}

/// An Office package whose custom properties name jixiao as generator.
fn office_marked(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(mut zip) = zip::ZipArchive::new(file) else {
        return false;
    };
    let Ok(part) = zip.by_name("docProps/custom.xml") else {
        return false;
    };
    let mut xml = String::new();
    if part.take(64 * 1024).read_to_string(&mut xml).is_err() {
        return false;
    }
    xml.contains(&format!("name=\"{PROPERTY}\""))
        && xml.contains(&format!("<vt:lpwstr>{GENERATOR}</vt:lpwstr>"))
}

/// A text file with a mark near its start, or (a `.txt`, the human text)
/// the summary sentence as its last line. Bytes are searched as they are:
/// a directory of thousands of reports is walked with one small read each.
fn text_marked(path: &Path, ext: &str) -> bool {
    use std::io::{Seek, SeekFrom};
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::new();
    if (&mut file).take(HEAD).read_to_end(&mut head).is_err() {
        return false;
    }
    const MARKS: [&str; 4] = [
        MARKDOWN,
        "\"generator\": \"jixiao\"",
        "<meta name=\"generator\" content=\"jixiao\">",
        "<testsuites name=\"jixiao\"",
    ];
    if MARKS.iter().any(|m| contains(&head, m.as_bytes())) {
        return true;
    }
    if ext != "txt" {
        return false;
    }
    let len = file.metadata().map_or(0, |m| m.len());
    let mut tail = Vec::new();
    if file
        .seek(SeekFrom::Start(len.saturating_sub(TAIL)))
        .is_err()
        || file.take(TAIL).read_to_end(&mut tail).is_err()
    {
        return false;
    }
    let tail = String::from_utf8_lossy(&tail);
    tail.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .is_some_and(is_summary_sentence)
}

/// Whether `needle` (not empty) occurs in `hay`: compared only where its
/// first byte is.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.iter()
        .enumerate()
        .filter(|(_, b)| **b == needle[0])
        .any(|(i, _)| hay[i..].starts_with(needle))
}

/// Whether a line is [`crate::diagnostic::Summary::sentence`].
fn is_summary_sentence(line: &str) -> bool {
    let shape = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_ascii_digit() { '0' } else { c })
            .collect::<String>()
            .split('0')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("0")
    };
    let expected = crate::diagnostic::Summary::default().sentence();
    shape(line.trim()) == shape(&expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marks_name_the_generator() {
        assert_eq!(GENERATOR, "jixiao", "the marks in text_marked spell it out");
    }

    #[test]
    fn the_summary_sentence_is_recognised_whatever_its_counts() {
        let mut s = crate::diagnostic::Summary::default();
        assert!(is_summary_sentence(&s.sentence()));
        s.reports = 120;
        s.findings.error = 37;
        assert!(is_summary_sentence(&s.sentence()));
        assert!(!is_summary_sentence("检查报告共计 3 份"));
        assert!(!is_summary_sentence("一、部门基本情况"));
    }
}
