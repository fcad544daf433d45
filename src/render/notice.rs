//! The 整改通知: for one report, the Word document a reviewer sends back
//! to the department — addressed to it, naming the report, its findings
//! numbered 一、二、… each with where it is and what to change, the
//! findings accepted as exceptions listed apart, and blanks for the date
//! due, the issuing office and the date issued, which the reviewer fills
//! in. Laid out as an official notice (GB/T 9704: A4, 二号 title, 三号
//! 仿宋 body, 黑体 headings). Written as WordprocessingML by hand on the
//! zip writer the crate already has: docx-rs was measured and not taken
//! (README).

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::diagnostic::{Baseline, Finding, ReportOutcome, RuleInfo, Severity};

/// Chinese numerals for the findings' numbers: 一 … 九十九.
pub fn numeral(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[n - 10] }),
        20..=99 => format!(
            "{}十{}",
            DIGITS[n / 10],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[n % 10]
            }
        ),
        _ => n.to_string(),
    }
}

/// The file name of a report's notice: year, department and project (or
/// the file's own name when the report could not be read), with what a
/// file name cannot hold replaced.
pub fn file_name(r: &ReportOutcome) -> String {
    let base = match &r.meta {
        Some(m) => {
            let mut parts = vec![format!("{}年度", m.year), m.department.clone()];
            match &m.project {
                Some(p) => parts.push(p.clone()),
                None => parts.push(super::kind_zh(r).to_string()),
            }
            parts.join("-")
        }
        None => std::path::Path::new(r.path.split('#').next().unwrap_or(&r.path))
            .file_stem()
            .map_or("报告".into(), |s| s.to_string_lossy().into_owned()),
    };
    let clean = crate::diagnostic::safe::file_name_part(&base);
    let clean: String = clean.trim().trim_matches('.').chars().take(60).collect();
    format!("{clean}-整改通知.docx")
}

/// The first of `wanted`, `…（2）.docx`, `…（3）.docx` … that `free`
/// accepts: a name for a notice that no other one has.
pub fn first_free(wanted: &str, mut free: impl FnMut(&str) -> bool) -> String {
    let stem = wanted.trim_end_matches(".docx");
    let mut n = 1;
    loop {
        let name = if n == 1 {
            wanted.to_string()
        } else {
            format!("{stem}（{n}）.docx")
        };
        if free(&name) {
            return name;
        }
        n += 1;
    }
}

/// Text for XML: escaped, and without the characters XML 1.0 cannot hold.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || ('\u{fffe}'..='\u{ffff}').contains(&c) => {}
            c => out.push(c),
        }
    }
    out
}

/// A paragraph's look.
#[derive(Clone, Copy)]
enum Look {
    /// 二号 centred title.
    Title,
    /// Flush left (the addressee).
    Left,
    /// Indented two characters (the body).
    Body,
    /// 黑体 numbered heading of a finding, indented.
    Heading,
    /// Flush right (the signature).
    Right,
}

/// The body of `word/document.xml`, built paragraph by paragraph.
#[derive(Default)]
struct Body(String);

impl Body {
    fn para(&mut self, look: Look, text: &str) {
        let (style, jc) = match look {
            Look::Title => ("Title", "center"),
            Look::Left => ("Normal", "left"),
            Look::Body => ("Body", "both"),
            Look::Heading => ("Finding", "both"),
            Look::Right => ("Normal", "right"),
        };
        let _ = write!(
            self.0,
            r#"<w:p><w:pPr><w:pStyle w:val="{style}"/><w:jc w:val="{jc}"/></w:pPr><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
            xml(text)
        );
    }

    fn blank(&mut self) {
        self.0.push_str("<w:p/>");
    }
}

fn severity_words(s: Severity) -> &'static str {
    match s {
        Severity::Error => "错误，须整改",
        Severity::Warning => "警告，请核实并说明或整改",
        Severity::Advice => "建议",
    }
}

/// One finding: its number and message, where it is, what to change.
fn finding(body: &mut Body, n: usize, f: &Finding, rules: &[RuleInfo]) {
    body.para(
        Look::Heading,
        &format!(
            "{}、{}（{}）",
            numeral(n),
            f.message,
            severity_words(f.severity)
        ),
    );
    body.para(Look::Body, &format!("位置：{}。", super::places_text(f)));
    let fix = f.help.as_deref().unwrap_or("请核实并改正。");
    body.para(Look::Body, &format!("整改要求：{}", ending(fix)));
    if f.baseline == Some(Baseline::Persisting) {
        body.para(
            Look::Body,
            "说明：该问题在上一轮审核中已经指出，本次报送仍未整改。",
        );
    }
    if let Some(rule) = super::rule(rules, &f.rule) {
        body.para(
            Look::Body,
            &format!("审核要点：{}（规则 {}）。", rule.title, f.rule),
        );
    }
}

/// A sentence with its full stop.
fn ending(text: &str) -> String {
    let t = text.trim();
    if t.ends_with(['。', '！', '？', '；']) {
        t.to_string()
    } else {
        format!("{t}。")
    }
}

/// The report's title, or its file when it has none.
fn title(r: &ReportOutcome) -> String {
    r.meta
        .as_ref()
        .map(|m| m.title.clone())
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| r.path.clone())
}

/// The document's body: the notice for report `r`.
fn body(r: &ReportOutcome, rules: &[RuleInfo]) -> String {
    let mut b = Body::default();
    let title = title(r);
    let addressee = r
        .meta
        .as_ref()
        .map_or("报送单位".to_string(), |m| m.department.clone());
    b.para(Look::Title, &format!("关于《{title}》的审核意见及整改通知"));
    b.blank();
    b.para(Look::Left, &format!("{addressee}："));
    // What the import could not decide is the reviewer's to check against
    // the original, never the department's to correct.
    let sent: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| f.rule != crate::diagnostic::IMPORT_UNCERTAIN)
        .collect();
    let open: Vec<&Finding> = sent
        .iter()
        .copied()
        .filter(|f| f.waived.is_none())
        .collect();
    let waived: Vec<&Finding> = sent
        .iter()
        .copied()
        .filter(|f| f.waived.is_some())
        .collect();
    let file = r.path.rsplit(['/', '\\']).next().unwrap_or(&r.path);
    if !r.errors.is_empty() {
        b.para(
            Look::Body,
            &format!(
                "你单位报送的《{title}》（文件：{file}）无法审核，原因如下，请按要求重新报送。"
            ),
        );
        for (i, e) in r.errors.iter().enumerate() {
            b.para(
                Look::Heading,
                &format!("{}、{}", numeral(i + 1), ending(&e.message)),
            );
            if let Some(h) = &e.help {
                b.para(Look::Body, &format!("整改要求：{}", ending(h)));
            }
        }
    } else if open.is_empty() {
        b.para(
            Look::Body,
            &format!("你单位报送的《{title}》（文件：{file}）已经审核，未发现需要整改的问题。"),
        );
    } else {
        let mut c = crate::diagnostic::Counts::default();
        for f in &open {
            c.count(f.severity);
        }
        let mut kinds = Vec::new();
        for (n, what) in [(c.error, "错误"), (c.warning, "警告"), (c.advice, "建议")] {
            if n > 0 {
                kinds.push(format!("{what} {n} 个"));
            }
        }
        b.para(
            Look::Body,
            &format!(
                "你单位报送的《{title}》（文件：{file}）已经审核，发现以下 {} 个问题（{}）。请逐项核实整改，并于＿＿＿＿年＿＿月＿＿日前将整改后的报告重新报送。",
                open.len(),
                kinds.join("、")
            ),
        );
        for (i, f) in open.iter().enumerate() {
            finding(&mut b, i + 1, f, rules);
        }
    }
    if !waived.is_empty() {
        b.blank();
        b.para(Look::Left, "以下问题经审核同意豁免，不需整改：");
        for (i, f) in waived.iter().enumerate() {
            let w = f.waived.as_ref().expect("waived");
            let mut line = format!(
                "{}. {}（豁免理由：{}",
                i + 1,
                f.message,
                w.reason.trim_end_matches('。')
            );
            if let Some(by) = &w.approved_by {
                line.push_str(&format!("；批准：{by}"));
            }
            if let Some(e) = &w.expires {
                line.push_str(&format!("；有效至 {e}"));
            }
            line.push('）');
            b.para(Look::Body, &line);
        }
    }
    b.blank();
    b.para(Look::Body, "特此通知。");
    b.blank();
    b.para(Look::Right, "＿＿＿＿＿＿＿＿（审核单位）");
    b.para(Look::Right, "＿＿＿＿年＿＿月＿＿日");
    b.0
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/><Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

/// 仿宋 三号 (16 pt) body on a fixed 28 pt line, 黑体 headings, a 二号
/// (22 pt) title; Latin text in Times New Roman.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋" w:cs="Times New Roman"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:line="560" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:line="720" w:lineRule="exact"/></w:pPr><w:rPr><w:rFonts w:eastAsia="方正小标宋简体"/><w:b/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Body"><w:name w:val="正文缩进"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Finding"><w:name w:val="问题标题"/><w:basedOn w:val="Body"/><w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style></w:styles>"#;

/// Writes the notice of report `r` (a .docx) to `w`.
pub fn write(r: &ReportOutcome, rules: &[RuleInfo], w: &mut dyn Write) -> io::Result<()> {
    let title = title(r);
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>"#,
        body(r, rules)
    );
    let core = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title><dc:creator>{}</dc:creator></cp:coreProperties>"#,
        xml(&format!("关于《{title}》的审核意见及整改通知")),
        super::mark::GENERATOR
    );
    let app = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>jixiao</Application></Properties>"#;
    let custom = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="{}"><vt:lpwstr>{}</vt:lpwstr></property></Properties>"#,
        super::mark::PROPERTY,
        super::mark::GENERATOR
    );
    let mut zip = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
    // Fixed times (zip's default, 1980-01-01): the same report gives the
    // same bytes.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, part) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/document.xml", document.as_str()),
        ("word/styles.xml", STYLES),
        ("docProps/core.xml", core.as_str()),
        ("docProps/app.xml", app),
        ("docProps/custom.xml", custom.as_str()),
    ] {
        zip.start_file(name, options).map_err(io::Error::other)?;
        zip.write_all(part.as_bytes())?;
    }
    let bytes = zip.finish().map_err(io::Error::other)?.into_inner();
    w.write_all(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_count_as_notices_do() {
        let got: Vec<String> = [1, 9, 10, 11, 20, 23, 99]
            .iter()
            .map(|&n| numeral(n))
            .collect();
        assert_eq!(got, ["一", "九", "十", "十一", "二十", "二十三", "九十九"]);
    }

    #[test]
    fn a_taken_name_is_numbered() {
        let mut taken = std::collections::BTreeSet::new();
        let names: Vec<String> = (0..3)
            .map(|_| {
                first_free("2022年度-示例局-整改通知.docx", |n| {
                    taken.insert(n.to_string())
                })
            })
            .collect();
        assert_eq!(
            names,
            [
                "2022年度-示例局-整改通知.docx",
                "2022年度-示例局-整改通知（2）.docx",
                "2022年度-示例局-整改通知（3）.docx"
            ]
        );
    }

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(xml("a<b>&\"\u{1}c\nd"), "a&lt;b&gt;&amp;&quot;c d");
    }
}
