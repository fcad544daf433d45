//! Reports: loading a report file in format v1 into a validated model that
//! keeps the byte span of every value. Loading has two steps: [`raw`] parses
//! TOML into a tree with spans; [`validate`] checks that tree against the
//! [`schema`] and labels every span involved in each error.

pub mod path;
pub mod quantity;
pub mod raw;
pub mod read;
pub mod schema;
pub mod terms;
pub mod text;
mod validate;

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

pub use raw::{Node, Value};
pub use validate::edit_distance;

/// Byte offset where each line of `text` starts.
pub fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect()
}

/// 1-based line and column (in characters) of a byte offset, found in the
/// [`line_starts`] of `text` by binary search.
pub fn line_col_indexed(text: &str, starts: &[usize], offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line = starts.partition_point(|&s| s <= offset).max(1);
    let start = starts[line - 1];
    (line, text[start..offset].chars().count() + 1)
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source.as_bytes()[..offset];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = source[line_start..offset].chars().count() + 1;
    (line, column)
}

/// Files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The identity of a report, from its required fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// `"department"` or `"project"`.
    pub kind: String,
    pub title: String,
    pub department: String,
    pub project: Option<String>,
    pub year: i64,
}

impl Meta {
    /// Whether the report says enough of who sent it to be paired with
    /// another round of it (`--baseline`, the workbench's rounds): its
    /// department, and for a project report its project. Two reports that
    /// leave them out may be two different projects and never pair.
    pub fn identifies(&self) -> bool {
        !self.department.trim().is_empty()
            && (self.kind != "project"
                || self
                    .project
                    .as_deref()
                    .is_some_and(|p| !p.trim().is_empty()))
    }
}

/// A loaded, validated report.
#[derive(Debug, Clone)]
pub struct Report {
    /// The path as the user gave it (or as found in a directory).
    pub path: String,
    /// The file's text, exactly as read (spans index into it).
    pub source: Arc<str>,
    /// Shared, so that the rules' helpers can read the values as written
    /// while a rule runs (see the engine's `printed`).
    pub root: Arc<Node>,
    pub meta: Meta,
    /// Keys that format v1 does not know; reported as warnings.
    pub unknown_keys: Vec<UnknownKey>,
    /// Byte offset where each line starts, for positions of labels.
    pub line_starts: Vec<usize>,
    /// Who reads its findings: someone editing this TOML, or (for a report
    /// imported from a submitted document) a reviewer of that document.
    pub reader: terms::Reader,
}

impl Report {
    /// 1-based line and column (in characters) of a byte offset, found by
    /// binary search instead of a scan from the start of the file.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col_indexed(&self.source, &self.line_starts, offset)
    }

    /// The field at a data path named for whoever fills it in: the form's
    /// name, and for a TOML file its data path (see [`terms::term`]).
    pub fn field(&self, data_path: &str) -> Option<String> {
        terms::term(&self.root, &self.meta.kind, data_path, self.reader)
    }

    /// The span of the value at a data path, if the file has it.
    pub fn span_of(&self, data_path: &str) -> Option<Range<usize>> {
        path::resolve(&self.root, data_path).map(|n| n.span.clone())
    }
}

/// A key that the format does not define.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    pub path: String,
    pub span: Range<usize>,
    /// A known key of the same table that is spelt almost the same.
    pub suggestion: Option<String>,
}

/// One thing wrong with an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// A stable code such as `jixiao::load::type`.
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
    /// Spans in the file with their label text; empty when the problem has
    /// no place (an unreadable file).
    pub labels: Vec<(Range<usize>, String)>,
}

/// A file that could not be loaded, with everything wrong with it.
#[derive(Debug, Clone)]
pub struct LoadFailure {
    pub path: String,
    /// The text as far as it could be decoded (for showing the errors).
    pub source: Arc<str>,
    pub errors: Vec<LoadError>,
}

/// How to load: top-level keys to accept besides the format's own (rule
/// fixtures carry their expectations in `[[expect]]`).
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions<'a> {
    pub extra_keys: &'a [&'a str],
}

pub(crate) fn failure(
    path: &str,
    source: Arc<str>,
    code: &'static str,
    message: String,
    help: Option<String>,
    labels: Vec<(Range<usize>, String)>,
) -> LoadFailure {
    LoadFailure {
        path: path.to_string(),
        source,
        errors: vec![LoadError {
            code,
            message,
            help,
            labels,
        }],
    }
}

/// Reads and loads a report file: a regular file of at most
/// [`MAX_FILE_BYTES`] (see [`read::capped`]).
pub fn load_file(file: &Path, display: &str, opts: LoadOptions<'_>) -> Result<Report, LoadFailure> {
    let bytes = read::capped(file, MAX_FILE_BYTES).map_err(|e| {
        let help = matches!(e, read::ReadError::TooLarge { .. })
            .then(|| "自评报告通常不超过几十 KB；请确认选择的是报告文件".to_string());
        failure(
            display,
            Arc::from(""),
            e.code(),
            format!("无法读取文件：{}", e.reason()),
            help,
            vec![],
        )
    })?;
    load_bytes(display, &bytes, opts)
}

/// The error for a binary file (a NUL byte at `at`).
fn binary(path: &str, at: usize) -> LoadFailure {
    failure(
        path,
        Arc::from(""),
        "jixiao::load::binary",
        format!("这不是文本文件（第 {} 字节是 NUL 字节）", at + 1),
        Some("报告应为 UTF-8 编码的 TOML 文本文件".into()),
        vec![],
    )
}

/// The error for a file that is not UTF-8, naming the encoding it seems to
/// be in. GBK/GB18030 files (common from older Windows tools) are refused,
/// not converted: every position jixiao reports must be a position in the
/// file as submitted, and a silently re-encoded file is not that file.
fn not_utf8(path: &str, bytes: &[u8], at: usize) -> LoadFailure {
    let how = "转换为 UTF-8 后再检查：在 WPS 或记事本中“另存为”并选择编码“UTF-8”，或用 iconv -f GB18030 -t UTF-8 原文件 > 新文件";
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return failure(
            path,
            Arc::from(""),
            "jixiao::load::encoding",
            "文件是 UTF-16 编码（带字节顺序标记），本工具只读 UTF-8".into(),
            Some(how.replace("iconv -f GB18030", "iconv -f UTF-16")),
            vec![],
        );
    }
    if let Some(at) = bytes.iter().position(|b| *b == 0) {
        return binary(path, at);
    }
    let shown: Arc<str> = Arc::from(String::from_utf8_lossy(bytes).as_ref());
    // Offsets past the bad byte shift in the lossy text; keep the label at
    // the first bad byte, which is where it still matches.
    let label_at = shown
        .char_indices()
        .map(|(i, _)| i)
        .find(|&i| i >= at)
        .unwrap_or(shown.len());
    let gbk = encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .is_some_and(|t| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
    let message = if gbk {
        format!(
            "文件看起来是 GBK/GB18030 编码（常见于旧版 Windows 工具），不是 UTF-8（第 {} 字节起无法按 UTF-8 解码）",
            at + 1
        )
    } else {
        format!("文件不是 UTF-8 编码（第 {} 字节起无法解码）", at + 1)
    };
    failure(
        path,
        shown,
        "jixiao::load::encoding",
        message,
        Some(how.into()),
        vec![(label_at..label_at, "此处起不是 UTF-8".into())],
    )
}

/// Loads a report from its bytes; `path` is only used to name it.
pub fn load_bytes(path: &str, bytes: &[u8], opts: LoadOptions<'_>) -> Result<Report, LoadFailure> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) if !t.contains('\0') => t,
        Ok(t) => return Err(binary(path, t.find('\0').unwrap_or(0))),
        Err(e) => return Err(not_utf8(path, bytes, e.valid_up_to())),
    };
    let source: Arc<str> = Arc::from(text);
    // A UTF-8 byte order mark is accepted: blank it out for the parser so
    // that every offset still indexes the file as read.
    let parsed = match text.strip_prefix('\u{feff}') {
        Some(rest) => raw::parse(&format!("   {rest}")),
        None => raw::parse(text),
    };
    let root = parsed.map_err(|e| {
        failure(
            path,
            source.clone(),
            "jixiao::load::syntax",
            format!("TOML 语法错误：{}", e.message),
            None,
            vec![(e.span, e.message.clone())],
        )
    })?;
    let v = validate::validate(root, opts.extra_keys);
    match v.meta {
        Some(meta) if v.errors.is_empty() => Ok(Report {
            path: path.to_string(),
            root: Arc::new(v.root),
            meta,
            unknown_keys: v.unknown,
            line_starts: line_starts(&source),
            source,
            reader: terms::Reader::Toml,
        }),
        _ => Err(LoadFailure {
            path: path.to_string(),
            source,
            errors: v.errors,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "format = \"jixiao-report/1\"\nkind = \"department\"\ntitle = \"t\"\ndepartment = \"d\"\nyear = 2021\n";

    fn load(src: &str) -> Result<Report, LoadFailure> {
        load_bytes("t.toml", src.as_bytes(), LoadOptions::default())
    }

    fn codes(src: &str) -> Vec<&'static str> {
        load(src)
            .unwrap_err()
            .errors
            .iter()
            .map(|e| e.code)
            .collect()
    }

    #[test]
    fn line_col_matches_the_scan() {
        let src = format!("{MINIMAL}[budget]\nexplanation = \"年中\\n追加\"\n");
        let r = load(&src).unwrap();
        for offset in [0, 5, 30, src.len() - 2, src.len()] {
            assert_eq!(r.line_col(offset), line_col(&src, offset), "{offset}");
        }
    }

    #[test]
    fn line_col_counts_characters() {
        let src = "a\n权重 = 1\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 2), (2, 1));
        assert_eq!(line_col(src, "a\n权重 ".len()), (2, 4));
        assert_eq!(line_col(src, 999), (3, 1));
    }

    #[test]
    fn minimal_report_loads() {
        let r = load(MINIMAL).unwrap();
        assert_eq!(r.meta.year, 2021);
        assert_eq!(r.meta.kind, "department");
    }

    #[test]
    fn numbers_become_floats_and_keep_spans() {
        let src = format!("{MINIMAL}[budget]\nexecuted = 66941\n");
        let r = load(&src).unwrap();
        let n = path::resolve(&r.root, "budget.executed").unwrap();
        assert_eq!(n.value, Value::Float(66941.0));
        assert_eq!(&src[r.span_of("budget.executed").unwrap()], "66941");
    }

    #[test]
    fn every_error_of_a_file_is_reported() {
        let src =
            format!("{MINIMAL}[budget]\nexecuted = \"1\"\nrate = 0.98\n[[summary]]\nweight = -1\n");
        let got = codes(&src);
        assert!(got.contains(&"jixiao::load::type"), "{got:?}");
        assert!(got.contains(&"jixiao::load::bare-rate"), "{got:?}");
        assert!(got.contains(&"jixiao::load::number"), "{got:?}");
        assert!(got.contains(&"jixiao::load::missing"), "{got:?}");
    }

    #[test]
    fn format_kind_and_project_are_checked() {
        assert_eq!(
            codes(&MINIMAL.replace("jixiao-report/1", "x/2")),
            ["jixiao::load::format"]
        );
        assert_eq!(
            codes(&MINIMAL.replace("department\"\n", "project\"\n")),
            ["jixiao::load::missing"]
        );
        assert_eq!(
            codes(&MINIMAL.replace("\"department\"", "\"dept\"")),
            ["jixiao::load::value"]
        );
    }

    #[test]
    fn bom_is_accepted_and_offsets_stay_file_offsets() {
        let src = format!("\u{feff}{MINIMAL}");
        let r = load(&src).unwrap();
        assert_eq!(&src[r.span_of("title").unwrap()], "\"t\"");
    }

    #[test]
    fn non_utf8_is_an_encoding_error() {
        let err =
            load_bytes("g.toml", b"title = \"\xd6\xd0\"\n", LoadOptions::default()).unwrap_err();
        assert_eq!(err.errors[0].code, "jixiao::load::encoding");
        assert_eq!(err.errors[0].labels[0].0.start, 9);
    }

    #[test]
    fn a_reports_own_names_are_texts_keyed_by_data_paths() {
        let ok = format!("{MINIMAL}[names]\n\"indicators.deviation\" = \"未完成原因分析\"\n");
        let r = load(&ok).unwrap();
        assert_eq!(
            r.field("indicators.deviation").unwrap(),
            "未完成原因分析（indicators.deviation）"
        );
        let bad =
            format!("{MINIMAL}[names]\n\"indicators.deviaton\" = \"x\"\n\"budget.rate\" = 1\n");
        let err = load(&bad).unwrap_err();
        let said: Vec<(&str, &str)> = err
            .errors
            .iter()
            .map(|e| (e.code, e.message.as_str()))
            .collect();
        assert!(
            said.iter().any(|(c, m)| *c == "jixiao::load::value"
                && m.contains("“indicators.deviaton”不是报告格式 v1 的数据路径")),
            "{said:?}"
        );
        assert!(
            said.iter()
                .any(|(c, m)| *c == "jixiao::load::type"
                    && m.contains("“budget.rate”的名称应为字符串")),
            "{said:?}"
        );
        // Each points at what is wrong: the key, the value.
        let marked: Vec<&str> = err
            .errors
            .iter()
            .map(|e| &bad[e.labels[0].0.clone()])
            .collect();
        assert!(
            marked.iter().any(|m| m.contains("indicators.deviaton")),
            "{marked:?}"
        );
        assert!(marked.contains(&"1"), "{marked:?}");
    }

    #[test]
    fn unknown_keys_are_kept_with_a_suggestion() {
        let r = load(&format!("{MINIMAL}[budget]\nexectued = 1\n")).unwrap();
        assert_eq!(r.unknown_keys[0].path, "budget.exectued");
        assert_eq!(r.unknown_keys[0].suggestion.as_deref(), Some("executed"));
    }
}
