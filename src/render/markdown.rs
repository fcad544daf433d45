//! The Markdown output: per report a heading, a table of findings and the
//! source excerpt of each finding in a code block — pasteable into meeting
//! minutes (会议纪要).

use std::io::{self, Write};

use super::excerpt;
use super::{kind_zh, report_heading, rule, status_zh};
use crate::diagnostic::{Baseline, Finding, Outcome, ReportOutcome, RuleInfo};

/// Text from a report or a rule as Markdown shows it literally, in a
/// table cell, heading, list item or paragraph: one line, HTML
/// metacharacters as entities (no tag of a report's text is ever live in a
/// viewer that allows HTML) and the punctuation that makes Markdown
/// escaped.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            // Links and images need a `[`; lists, quotes and headings a
            // mark at the start of a line (`>` is an entity already).
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Text as an inline code span: fenced by more backticks than it holds in
/// a row, so that it cannot close the span early (nothing inside a code
/// span is Markdown or HTML).
fn code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(run + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

fn location(f: &Finding) -> String {
    f.labels
        .first()
        .map_or_else(String::new, |l| cell(&super::place(l)))
}

fn excerpt(w: &mut dyn Write, r: &ReportOutcome, f: &Finding) -> io::Result<()> {
    let snippets = excerpt::snippets(&r.source, &f.labels, super::has_margins(r));
    // The gutter: a line's number, or its place in a submitted document,
    // padded to the widest (CJK characters are two columns).
    let gutter = |l: &excerpt::Line| l.margin.clone().unwrap_or_else(|| l.number.to_string());
    let digits = snippets
        .iter()
        .flat_map(|s| &s.lines)
        .map(|l| excerpt::width(&gutter(l)))
        .max()
        .unwrap_or(1);
    let pad = |text: &str| format!("{}{text}", " ".repeat(digits - excerpt::width(text)));
    // A fence longer than any backtick run in the source.
    let fence = "`".repeat(
        3.max(
            r.source
                .split(|c| c != '`')
                .map(str::len)
                .max()
                .unwrap_or(0)
                + 1,
        ),
    );
    writeln!(w, "{fence}text")?;
    for (i, s) in snippets.iter().enumerate() {
        if i > 0 {
            writeln!(w, "{:>digits$} ⋮", "")?;
        }
        for line in &s.lines {
            let text: String = line.segments.iter().map(|g| g.text.as_str()).collect();
            writeln!(w, "{} │ {text}", pad(&gutter(line)))?;
            for (_, message, col, len) in &line.notes {
                writeln!(
                    w,
                    "{:>digits$} │ {}{} {message}",
                    "",
                    " ".repeat(*col),
                    "^".repeat(*len)
                )?;
            }
        }
    }
    writeln!(w, "{fence}")
}

fn finding(
    w: &mut dyn Write,
    rules: &[RuleInfo],
    r: &ReportOutcome,
    n: usize,
    f: &Finding,
) -> io::Result<()> {
    let title = cell(
        rule(rules, &f.rule)
            .map(|i| i.title.as_str())
            .unwrap_or_default(),
    );
    let state = f
        .baseline
        .map(|b| format!(" · {}", b.zh()))
        .unwrap_or_default();
    writeln!(
        w,
        "#### {n}. {} · {} {title}{state}\n",
        f.severity.zh(),
        code(&f.rule)
    )?;
    writeln!(w, "{}\n", cell(&f.message))?;
    writeln!(w, "位置：{}\n", cell(&super::places_text(f)))?;
    if let Some(h) = &f.help {
        writeln!(w, "提示：{}\n", cell(h))?;
    }
    if let Some(wv) = &f.waived {
        writeln!(w, "已豁免{}：{}\n", cell(&wv.approver()), cell(&wv.reason))?;
    }
    excerpt(w, r, f)?;
    writeln!(w)
}

fn table(w: &mut dyn Write, findings: &[&Finding], compared: bool) -> io::Result<()> {
    if compared {
        writeln!(
            w,
            "| # | 级别 | 规则 | 问题 | 位置 | 整改 |\n|---|---|---|---|---|---|"
        )?;
    } else {
        writeln!(
            w,
            "| # | 级别 | 规则 | 问题 | 位置 |\n|---|---|---|---|---|"
        )?;
    }
    for (i, f) in findings.iter().enumerate() {
        write!(
            w,
            "| {} | {} | {} | {} | {} |",
            i + 1,
            f.severity.zh(),
            code(&f.rule),
            cell(&f.message),
            location(f)
        )?;
        if compared {
            write!(w, " {} |", f.baseline.map_or("", Baseline::zh))?;
        }
        writeln!(w)?;
    }
    writeln!(w)
}

/// One report's section: heading, table of findings, their details.
fn section(
    w: &mut dyn Write,
    rules: &[RuleInfo],
    compared: bool,
    n: usize,
    r: &ReportOutcome,
) -> io::Result<()> {
    let c = r.counts();
    writeln!(w, "\n## {n}. {}\n", cell(&report_heading(r)))?;
    writeln!(
        w,
        "文件：{} · 类型：{} · 状态：**{}** · 错误 {}，警告 {}，建议 {}\n",
        code(&r.path),
        kind_zh(r),
        status_zh(r.status()),
        c.error,
        c.warning,
        c.advice
    )?;
    for e in &r.errors {
        let at = e
            .position()
            .map(|(l, c)| format!("（{}:{l}:{c}）", cell(&e.file)))
            .unwrap_or_default();
        writeln!(w, "- 无法检查{at}：{}", cell(&e.message))?;
    }
    let open: Vec<&Finding> = r.findings.iter().filter(|f| f.waived.is_none()).collect();
    let waived: Vec<&Finding> = r.findings.iter().filter(|f| f.waived.is_some()).collect();
    if !open.is_empty() {
        table(w, &open, compared)?;
        writeln!(w, "### 问题明细\n")?;
        for (k, f) in open.iter().enumerate() {
            finding(w, rules, r, k + 1, f)?;
        }
    } else if r.errors.is_empty() {
        writeln!(w, "未发现问题。\n")?;
    }
    if compared && !r.fixed.is_empty() {
        writeln!(w, "### 已整改（上次有、本次没有）\n")?;
        for f in &r.fixed {
            writeln!(
                w,
                "- {} {}（{}）",
                code(&f.rule),
                cell(&f.message),
                cell(&f.path)
            )?;
        }
        writeln!(w)?;
    }
    if !waived.is_empty() {
        writeln!(w, "### 已豁免\n")?;
        for (k, f) in waived.iter().enumerate() {
            finding(w, rules, r, k + 1, f)?;
        }
    }
    Ok(())
}

/// The Markdown minutes: the summary line comes first, so the sections
/// are spooled as reports come and written after it at the end.
#[derive(Default)]
pub struct Emitter {
    rules: Vec<RuleInfo>,
    compared: bool,
    reports: usize,
    sections: super::spool::Spool,
}

impl super::Emitter for Emitter {
    fn begin(&mut self, _: &mut dyn Write, run: &super::Begin<'_>) -> io::Result<()> {
        self.rules = run.rules.to_vec();
        self.compared = run.compared;
        Ok(())
    }

    fn report(&mut self, _: &mut dyn Write, r: &ReportOutcome, _: Vec<u8>) -> io::Result<()> {
        self.reports += 1;
        let w = &mut crate::diagnostic::safe::Sanitized(&mut self.sections);
        section(w, &self.rules, self.compared, self.reports, r)
    }

    fn end(&mut self, out: &mut dyn Write, end: &super::End<'_>) -> io::Result<()> {
        let w = &mut crate::diagnostic::safe::Sanitized(out);
        writeln!(w, "{}\n", super::mark::MARKDOWN)?;
        writeln!(w, "# 绩效自评报告审核意见\n")?;
        writeln!(w, "{}\n", end.summary.sentence())?;
        for e in end.errors.iter().chain(end.warnings) {
            writeln!(
                w,
                "- **{}**（{}）：{}",
                cell(&e.code),
                cell(&e.file),
                cell(&e.message)
            )?;
        }
        self.sections.drain_into(out)
    }
}

/// Writes the whole outcome as one Markdown document.
pub fn render(outcome: &Outcome, w: &mut dyn Write) -> io::Result<()> {
    super::write_outcome(&mut Emitter::default(), outcome, w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_text_is_never_live_markdown_or_html() {
        let hostile = "<script>alert(1)</script> <img src=x onerror=alert(1)> **粗** [链接](http://x) `代码` | 管道\n# 标题";
        let shown = cell(hostile);
        for live in ["<script", "<img", "**", "\n#", " | "] {
            assert!(!shown.contains(live), "{live} in {shown}");
        }
        // Every bracket escaped: no link can open or close.
        for (i, c) in shown.char_indices() {
            if c == '[' || c == ']' {
                assert_eq!(&shown[i - 1..i], "\\", "{shown}");
            }
        }
        assert!(shown.contains("&lt;script&gt;"));
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
    }
}
