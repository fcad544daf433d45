//! The HTML output: one self-contained, printable page for review meetings
//! (inline CSS, no scripts or external resources): a cover table of all
//! reports, then each report with its findings as cards showing the rule,
//! its basis and the source lines with the labelled values highlighted.
//! All report text goes through maud's escaping.
//!
//! A batch of more than [`SPLIT_OVER`] reports would make a page of tens
//! of megabytes that no browser opens quickly: written to a file, it is
//! split into the cover page (the summary and an index of every report)
//! and pages of [`PAGE`] reports each, in a folder beside it
//! (`审核意见.html` and `审核意见_files/p001.html`…), linked both ways.

use std::io::{self, Write};

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::excerpt;
use super::{kind_zh, report_heading, rule, status_zh};
use crate::diagnostic::{Finding, Outcome, ReportOutcome, RuleInfo, Status};

// Fonts: every platform's CJK fonts by name (Windows, macOS, Linux), so
// that Chinese never falls back to boxes; text wraps everywhere, in print
// too, so that nothing is cut off.
pub const CSS: &str = r#"
body{font-family:"Microsoft YaHei","PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","SimSun","Songti SC",sans-serif;margin:2em auto;max-width:60em;color:#1d1d1f;line-height:1.5;overflow-wrap:anywhere}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #333;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;width:100%;margin:1em 0}th,td{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top;white-space:nowrap}th{background:#f0f0f0}td.w{white-space:normal}
.pass{color:#1a7f37}.fail{color:#b42318}.error{color:#9a3412}
.card{border:1px solid #ccc;border-left:6px solid #888;border-radius:4px;padding:.6em 1em;margin:1em 0;break-inside:avoid}
.card.sev-error{border-left-color:#b42318}.card.sev-warning{border-left-color:#d97706}.card.sev-advice{border-left-color:#2563eb}.card.waived{opacity:.85;border-left-color:#6b7280}
.badge{display:inline-block;font-size:.8em;padding:0 .5em;border-radius:3px;color:#fff;margin-right:.4em}
.b-error{background:#b42318}.b-warning{background:#d97706}.b-advice{background:#2563eb}.b-new{background:#7c3aed}.b-persisting{background:#6b7280}.b-waived{background:#6b7280}
.rule{font-family:monospace;color:#444}.help{color:#333}.basis{color:#555;font-size:.9em}
.place{color:#333;font-size:.95em;margin:.2em 0}.place .k{color:#555}
div.src{background:#fafafa;border:1px solid #ddd;padding:.4em .6em;font-size:.9em;line-height:1.55;margin:.5em 0}
div.src.code{font-family:ui-monospace,"Cascadia Mono","Noto Sans Mono CJK SC","Sarasa Mono SC",monospace,"Microsoft YaHei","Noto Sans CJK SC",sans-serif}
div.src .l{display:grid;grid-template-columns:max-content minmax(0,1fr);column-gap:.8em}div.src .gap{color:#999}
div.src .ln{color:#888;user-select:none;white-space:nowrap}div.src .tx{white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word}
div.src mark{background:#fde68a;text-decoration:underline wavy #b42318}div.src .lbl{color:#b42318;font-size:.85em;margin-right:1.2em}
@media print{body{margin:0;max-width:none}section.report{break-before:page}a{color:inherit;text-decoration:none}.card{break-inside:avoid}}
"#;

/// The lines a finding is about: each in a row with its place (a
/// submitted document) or its line number (a TOML file) beside it,
/// wrapped, the labelled values marked, and what the labels say in a row
/// under the line (never inside it: a printed paragraph stays whole).
fn source(r: &ReportOutcome, f: &Finding) -> Markup {
    let margins = super::has_margins(r);
    let snippets = excerpt::snippets(&r.source, &f.labels, margins);
    let class = if margins { "src" } else { "src code" };
    html! {
        div class=(class) {
            @for (i, s) in snippets.iter().enumerate() {
                @if i > 0 { div.gap { "⋮" } }
                @for line in &s.lines {
                    div.l {
                        span.ln { (line.margin.clone().unwrap_or_else(|| line.number.to_string())) }
                        span.tx {
                            @for seg in &line.segments {
                                @if seg.label.is_some() { mark { (seg.text) } } @else { (seg.text) }
                            }
                        }
                    }
                    @if !line.notes.is_empty() {
                        div.l {
                            span.ln {}
                            span.tx.notes {
                                @for (_, message, _, _) in &line.notes { span.lbl { "▲ " (message) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn card(rules: &[RuleInfo], r: &ReportOutcome, f: &Finding) -> Markup {
    let info = rule(rules, &f.rule);
    let class = if f.waived.is_some() {
        format!("card waived sev-{}", f.severity.as_str())
    } else {
        format!("card sev-{}", f.severity.as_str())
    };
    html! {
        div class=(class) {
            div {
                span class=(format!("badge b-{}", f.severity.as_str())) { (f.severity.zh()) }
                @if let Some(b) = f.baseline {
                    span class=(format!("badge b-{}", b.as_str())) { (b.zh()) }
                }
                span.rule { (f.rule) }
                @if let Some(i) = info { " " strong { (i.title) } }
            }
            p { (f.message) }
            p.place { span.k { "位置：" } (super::places_text(f)) }
            @if let Some(h) = &f.help { p.help { "提示：" (h) } }
            @if let Some(w) = &f.waived {
                p { span class="badge b-waived" { "已豁免" } (w.reason)
                    (w.approver())
                    @if let Some(e) = &w.expires { "（有效至 " (e) "）" } }
            }
            (source(r, f))
            @if let Some(i) = info { p.basis { "依据：" (i.basis) } }
        }
    }
}

fn report(rules: &[RuleInfo], compared: bool, i: usize, r: &ReportOutcome) -> Markup {
    let c = r.counts();
    let open: Vec<&Finding> = r.findings.iter().filter(|f| f.waived.is_none()).collect();
    let waived: Vec<&Finding> = r.findings.iter().filter(|f| f.waived.is_some()).collect();
    html! {
        section.report id=(format!("r{}", i + 1)) {
            h2 { (i + 1) ". " (report_heading(r)) }
            p {
                "文件：" code { (r.path) } " · 类型：" (kind_zh(r)) " · 状态："
                strong class=(r.status().as_str()) { (status_zh(r.status())) }
                " · 错误 " (c.error) "，警告 " (c.warning) "，建议 " (c.advice)
            }
            @for e in &r.errors {
                div class="card sev-error" {
                    span class="badge b-error" { "无法检查" } span.rule { (e.code) }
                    p { (e.message) }
                    @if let Some((l, col)) = e.position() { p.basis { (e.file) ":" (l) ":" (col) } }
                    @if let Some(h) = &e.help { p.help { "提示：" (h) } }
                }
            }
            @if open.is_empty() && r.errors.is_empty() { p { "未发现问题。" } }
            @for f in &open { (card(rules, r, f)) }
            @if compared && !r.fixed.is_empty() {
                h3 { "已整改（上次有、本次没有）" }
                ul { @for f in &r.fixed { li { span.rule { (f.rule) } " " (f.message) "（" (f.path) "）" } } }
            }
            @if !waived.is_empty() {
                h3 { "已豁免" }
                @for f in &waived { (card(rules, r, f)) }
            }
        }
    }
}

/// What the cover table shows of a report.
struct CoverRow {
    department: String,
    title: String,
    year: String,
    kind: &'static str,
    status: Status,
    counts: crate::diagnostic::Counts,
}

impl CoverRow {
    fn of(r: &ReportOutcome) -> CoverRow {
        let m = r.meta.as_ref();
        CoverRow {
            department: m.map_or("—".into(), |m| m.department.clone()),
            title: m.map_or(r.path.clone(), |m| m.title.clone()),
            year: m.map_or("—".into(), |m| m.year.to_string()),
            kind: kind_zh(r),
            status: r.status(),
            counts: r.counts(),
        }
    }
}

/// Batches of more reports than this are split into pages (when written
/// to a file).
pub const SPLIT_OVER: usize = 300;
/// Reports per page of a split pack.
pub const PAGE: usize = 100;

/// The meeting pack: one page, its cover table of every report first; the
/// reports' sections are spooled as they come and the page assembled at
/// the end from the cover rows and the spool (or split; see the module
/// documentation).
#[derive(Default)]
pub struct Emitter {
    rules: Vec<RuleInfo>,
    compared: bool,
    cover: Vec<CoverRow>,
    sections: super::spool::Spool,
    /// Where each report's section starts in the spool.
    starts: Vec<u64>,
    beside: Option<Box<dyn super::Beside>>,
}

/// A page's `<head>`.
fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="generator" content=(super::mark::GENERATOR);
            title { (title) }
            style { (PreEscaped(CSS)) }
        }
    }
}

impl Emitter {
    /// The cover page, linking each report to `link(i)`, with `sections`
    /// where the spool goes (or nothing).
    fn cover(
        &self,
        end: &super::End<'_>,
        note: Option<String>,
        link: &dyn Fn(usize) -> String,
        sections: bool,
    ) -> String {
        html! {
            (DOCTYPE)
            html lang="zh-CN" {
                (head("绩效自评报告审核意见"))
                body {
                    h1 { "绩效自评报告审核意见" }
                    p { (end.summary.sentence()) }
                    @if let Some(n) = note { p { (n) } }
                    @for e in end.errors.iter().chain(end.warnings) {
                        p.basis { strong { (e.code) } " " (e.file) "：" (e.message) }
                    }
                    table {
                        thead { tr { th { "#" } th { "单位" } th { "报告" } th { "年度" } th { "类型" } th { "状态" } th { "错误" } th { "警告" } th { "建议" } } }
                        tbody {
                            @for (i, c) in self.cover.iter().enumerate() {
                                tr {
                                    td { (i + 1) }
                                    td.w { (c.department) }
                                    td.w { a href=(link(i)) { (c.title) } }
                                    td { (c.year) }
                                    td { (c.kind) }
                                    td class=(c.status.as_str()) { (status_zh(c.status)) }
                                    td { (c.counts.error) } td { (c.counts.warning) } td { (c.counts.advice) }
                                }
                            }
                        }
                    }
                    @if sections { (PreEscaped(SECTIONS)) }
                }
            }
        }
        .into_string()
    }

    /// The spooled sections of reports `from..to`.
    fn range(&self, from: usize, to: usize) -> std::ops::Range<u64> {
        let end = self.starts.get(to).copied().unwrap_or(self.sections.len());
        self.starts[from]..end
    }

    /// Writes the pages of a split pack, then its cover page.
    fn split(&mut self, w: &mut dyn Write, end: &super::End<'_>) -> io::Result<()> {
        let Some(mut beside) = self.beside.take() else {
            return Ok(());
        };
        let n = self.cover.len();
        let pages = n.div_ceil(PAGE);
        let folder = beside.folder().to_string();
        let main = beside.main_file().to_string();
        for k in 0..pages {
            let (from, to) = (k * PAGE, ((k + 1) * PAGE).min(n));
            let title = format!(
                "绩效自评报告审核意见（第 {} 页，报告 {}–{}）",
                k + 1,
                from + 1,
                to
            );
            let page = html! {
                (DOCTYPE)
                html lang="zh-CN" {
                    (head(&title))
                    body {
                        p { a href=(main) { "← 返回目录" } " · 第 " (k + 1) " 页，共 " (pages) " 页" }
                        h1 { (title) }
                        (PreEscaped(SECTIONS))
                    }
                }
            }
            .into_string();
            let (before, after) = page
                .split_once(SECTIONS)
                .ok_or_else(|| io::Error::other("HTML sections mark not found"))?;
            let range = self.range(from, to);
            let sections = &mut self.sections;
            beside.write(&format!("p{:03}.html", k + 1), &mut |f| {
                f.write_all(before.as_bytes())?;
                sections.copy_range(range.clone(), f)?;
                f.write_all(after.as_bytes())
            })?;
        }
        let note = format!(
            "共 {n} 份报告，分为 {pages} 页存放在文件夹“{folder}”中（每页 {PAGE} 份）；点击报告名称打开。"
        );
        let link = |i: usize| format!("{folder}/p{:03}.html#r{}", i / PAGE + 1, i + 1);
        w.write_all(self.cover(end, Some(note), &link, false).as_bytes())
    }
}

impl super::Emitter for Emitter {
    fn beside(&mut self, folder: Box<dyn super::Beside>) {
        self.beside = Some(folder);
    }

    fn begin(&mut self, _: &mut dyn Write, run: &super::Begin<'_>) -> io::Result<()> {
        self.rules = run.rules.to_vec();
        self.compared = run.compared;
        Ok(())
    }

    fn report(&mut self, _: &mut dyn Write, r: &ReportOutcome, _: Vec<u8>) -> io::Result<()> {
        let section = report(&self.rules, self.compared, self.cover.len(), r);
        self.cover.push(CoverRow::of(r));
        self.starts.push(self.sections.len());
        self.sections.write_all(section.into_string().as_bytes())
    }

    fn end(&mut self, w: &mut dyn Write, end: &super::End<'_>) -> io::Result<()> {
        if self.cover.len() > SPLIT_OVER && self.beside.is_some() {
            return self.split(w, end);
        }
        let page = self.cover(end, None, &|i| format!("#r{}", i + 1), true);
        let (before, after) = page
            .split_once(SECTIONS)
            .ok_or_else(|| io::Error::other("HTML sections mark not found"))?;
        w.write_all(before.as_bytes())?;
        self.sections.drain_into(w)?;
        w.write_all(after.as_bytes())
    }
}

/// Where the spooled sections go in the page (see [`Emitter::end`]).
const SECTIONS: &str = "\u{0}sections\u{0}";

/// Writes the whole outcome as one HTML page.
pub fn render(outcome: &Outcome, w: &mut dyn Write) -> io::Result<()> {
    super::write_outcome(&mut Emitter::default(), outcome, w)
}
