//! Rule headers: the leading `//!` lines of a rule file are a TOML document
//! that names the rule and documents it (title, severity, parameters,
//! regulatory basis, what it checks, why, an example). `explain`, SARIF and
//! the HTML pack all read a rule's documentation from here.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;

use crate::diagnostic::Severity;

/// Which reports a rule runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    All,
    Department,
    Project,
}

impl Applies {
    pub fn includes(self, kind: &str) -> bool {
        match self {
            Applies::All => true,
            Applies::Department => kind == "department",
            Applies::Project => kind == "project",
        }
    }

    /// Which reports, in Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            Applies::All => "全部报告",
            Applies::Department => "部门整体报告",
            Applies::Project => "项目报告",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Applies::All => "all",
            Applies::Department => "department",
            Applies::Project => "project",
        }
    }
}

/// A rule parameter: its default and what it means.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub default: toml::Value,
    pub doc: String,
}

/// A rule's metadata and documentation, as written in its header.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleDoc {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub applies: Applies,
    pub basis: String,
    pub checks: String,
    pub why: String,
    pub example: String,
    /// Ordered by name.
    pub params: Vec<Param>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    id: String,
    title: String,
    severity: String,
    #[serde(default)]
    applies: Option<String>,
    basis: String,
    checks: String,
    why: String,
    example: String,
    #[serde(default)]
    params: BTreeMap<String, RawParam>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParam {
    default: toml::Value,
    doc: String,
}

/// What is wrong with a header, with a byte span in the rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderError {
    pub message: String,
    pub span: Range<usize>,
}

/// The header's TOML text and, per header line, where that line's text
/// starts in the header and in the file.
struct Extracted {
    text: String,
    lines: Vec<(usize, usize)>,
}

fn extract(source: &str) -> Extracted {
    let mut text = String::new();
    let mut lines = Vec::new();
    let mut file_offset = 0;
    for line in source.split_inclusive('\n') {
        let Some(rest) = line.trim_end_matches(['\n', '\r']).strip_prefix("//!") else {
            break;
        };
        let content = rest.strip_prefix(' ').unwrap_or(rest);
        let prefix =
            line.len() - line.trim_start_matches("//!").len() + (rest.len() - content.len());
        lines.push((text.len(), file_offset + prefix));
        text.push_str(content);
        text.push('\n');
        file_offset += line.len();
    }
    Extracted { text, lines }
}

impl Extracted {
    /// Maps a byte offset in the header text to one in the file.
    fn to_file(&self, offset: usize) -> usize {
        let i = self
            .lines
            .partition_point(|(h, _)| *h <= offset)
            .saturating_sub(1);
        self.lines.get(i).map_or(0, |(h, f)| f + (offset - h))
    }
}

/// Parses the header of the rule file whose id (file stem) is `expected_id`.
pub fn parse(source: &str, expected_id: &str) -> Result<RuleDoc, HeaderError> {
    let ex = extract(source);
    if ex.lines.is_empty() {
        return Err(HeaderError {
            message: "规则文件缺少以 //! 开头的文档头（id、title、severity 等）".into(),
            span: 0..source
                .find('\n')
                .unwrap_or(source.len())
                .max(1)
                .min(source.len()),
        });
    }
    let raw: Raw = toml::from_str(&ex.text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        HeaderError {
            message: format!("规则文档头有误：{}", e.message().trim()),
            span: ex.to_file(span.start)..ex.to_file(span.end.max(span.start)),
        }
    })?;
    let header_span = ex.lines[0].1..ex.lines[0].1;
    let bad = |message: String| HeaderError {
        message,
        span: header_span.clone(),
    };
    if raw.id != expected_id {
        return Err(bad(format!(
            "文档头中的 id \"{}\" 与文件名 \"{expected_id}.rhai\" 不一致",
            raw.id
        )));
    }
    let severity = Severity::parse(&raw.severity).ok_or_else(|| {
        bad(format!(
            "severity \"{}\" 无效，应为 error、warning 或 advice",
            raw.severity
        ))
    })?;
    let applies = match raw.applies.as_deref() {
        None | Some("all") => Applies::All,
        Some("department") => Applies::Department,
        Some("project") => Applies::Project,
        Some(other) => {
            return Err(bad(format!(
                "applies \"{other}\" 无效，应为 all、department 或 project"
            )));
        }
    };
    Ok(RuleDoc {
        id: raw.id,
        title: raw.title,
        severity,
        applies,
        basis: raw.basis.trim().to_string(),
        checks: raw.checks.trim().to_string(),
        why: raw.why.trim().to_string(),
        example: raw.example.trim().to_string(),
        params: raw
            .params
            .into_iter()
            .map(|(name, p)| Param {
                name,
                default: p.default,
                doc: p.doc,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "//! id = \"x\"\n//! title = \"标题\"\n//! severity = \"warning\"\n//! applies = \"project\"\n//! basis = \"b\"\n//! checks = \"c\"\n//! why = \"w\"\n//! example = \"e\"\n//! [params.max]\n//! default = \"100%\"\n//! doc = \"上限\"\n\n[]\n";

    #[test]
    fn parses_a_header() {
        let doc = parse(GOOD, "x").unwrap();
        assert_eq!(doc.title, "标题");
        assert_eq!(doc.severity, Severity::Warning);
        assert_eq!(doc.applies, Applies::Project);
        assert_eq!(doc.params[0].name, "max");
        assert_eq!(doc.params[0].default.as_str(), Some("100%"));
    }

    #[test]
    fn header_errors_point_into_the_file() {
        let src = GOOD.replace("severity = \"warning\"", "severity = warning");
        let err = parse(&src, "x").unwrap_err();
        let line = src.lines().nth(2).unwrap();
        let start = src.find(line).unwrap();
        assert!(
            err.span.start >= start && err.span.start < start + line.len(),
            "{err:?}"
        );
        assert!(parse(GOOD, "y").unwrap_err().message.contains("不一致"));
        assert!(parse("let x = 1;", "x").is_err());
        assert!(parse(&GOOD.replace("\"warning\"", "\"fatal\""), "x").is_err());
    }
}
