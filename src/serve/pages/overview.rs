//! 批次总览: where submissions come in (a drop zone for files and folders,
//! and an upload form that works without the script), and the table of
//! every submission — 单位, 报告, 年度, 类型, 轮次, 状态, counts, what is
//! still undecided — sorted and filtered on the server, with the findings
//! counted per rule.

use std::collections::BTreeMap;

use maud::{Markup, html};
use serde::Deserialize;

use super::{Here, action, frame};
use crate::diagnostic::Status;
use crate::ledger::{Run, Submission};
use crate::render::kind_words;

/// The table's sort and filters, from the query string.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct Query {
    pub q: Option<String>,
    pub status: Option<String>,
    pub kind: Option<String>,
    /// `all` to show earlier rounds too.
    pub show: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
}

impl Query {
    /// Whether a submission passes the filters.
    pub fn keeps(&self, s: &Submission, run: Option<&Run>) -> bool {
        if s.superseded && self.show.as_deref() != Some("all") {
            return false;
        }
        if let Some(q) = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let hay = format!(
                "{} {} {}",
                s.identity.as_ref().map_or("", |i| i.department.as_str()),
                s.title,
                s.name
            );
            if !hay.contains(q) {
                return false;
            }
        }
        if let Some(st) = self.status.as_deref().filter(|s| !s.is_empty())
            && run.map(|r| r.status.as_str()) != Some(st)
        {
            return false;
        }
        if let Some(k) = self.kind.as_deref().filter(|s| !s.is_empty())
            && s.identity.as_ref().map(|i| i.kind.as_str()) != Some(k)
        {
            return false;
        }
        true
    }

    /// The query string of these filters (for links that keep them).
    pub fn filters(&self) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("q", &self.q),
            ("status", &self.status),
            ("kind", &self.kind),
            ("show", &self.show),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                parts.push(format!("{k}={}", encode(v)));
            }
        }
        parts.join("&")
    }
}

/// Percent-encodes a query value.
pub fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A status as the ledger spells it (`pass`), in Chinese.
pub fn status_zh(status: &str) -> &'static str {
    Status::parse(status).map_or("—", crate::render::status_zh)
}

/// One row of the table.
pub struct Row {
    pub submission: Submission,
    pub run: Option<Run>,
    /// Findings without a decision.
    pub open: usize,
}

/// Findings of the latest rounds per rule: all, undecided, false positives.
pub type RuleCounts = BTreeMap<String, (usize, usize, usize)>;

pub fn page(rows: Vec<Row>, counts: &RuleCounts, q: &Query, csrf: &str, ledger: &str) -> String {
    let mut rows: Vec<Row> = rows
        .into_iter()
        .filter(|r| q.keeps(&r.submission, r.run.as_ref()))
        .collect();
    sort(&mut rows, q);
    let filters = q.filters();
    let header = |key: &str, text: &str| -> Markup {
        let dir = if q.sort.as_deref() == Some(key) && q.dir.as_deref() != Some("desc") {
            "desc"
        } else {
            "asc"
        };
        let mark = match (q.sort.as_deref() == Some(key), q.dir.as_deref()) {
            (true, Some("desc")) => " ▼",
            (true, _) => " ▲",
            _ => "",
        };
        let sep = if filters.is_empty() { "" } else { "&" };
        html! { th { a href=(format!("/?{filters}{sep}sort={key}&dir={dir}")) { (text) (mark) } } }
    };
    let body = html! {
        h1 { "批次总览" }
        form method="post" enctype="multipart/form-data" action=(action("/upload", csrf)) {
            div #drop {
                p { "把报送的 Word、Excel、PDF、文本或 TOML 文件（或整个文件夹）拖到这里，或选择文件后上传。" }
                p {
                    input type="file" name="file" multiple accept=".docx,.doc,.wps,.odt,.xlsx,.xls,.et,.ods,.pdf,.txt,.md,.toml";
                    " 审核人："
                    input #uploader type="text" name="by" placeholder="姓名" maxlength="40";
                    " "
                    button.btn.primary type="submit" { "上传并检查" }
                }
                p #drop-status {}
            }
        }
        form.filters method="get" action="/" {
            input type="search" name="q" placeholder="按单位或报告名筛选" value=(q.q.clone().unwrap_or_default());
            select name="status" {
                option value="" { "全部状态" }
                @for (v, t) in [("fail", "未通过"), ("pass", "通过"), ("error", "出错")] {
                    option value=(v) selected[q.status.as_deref() == Some(v)] { (t) }
                }
            }
            select name="kind" {
                option value="" { "全部类型" }
                @for (v, t) in [("department", "部门整体"), ("project", "项目")] {
                    option value=(v) selected[q.kind.as_deref() == Some(v)] { (t) }
                }
            }
            label { input type="checkbox" name="show" value="all" checked[q.show.as_deref() == Some("all")]; " 含以前各轮" }
            button.btn type="submit" { "筛选" }
            a.btn href=(if filters.is_empty() { "/export".to_string() } else { format!("/export?{filters}") }) { "导出所筛选的报告" }
        }
        @if rows.is_empty() {
            p { "还没有报送的报告。" }
        } @else {
            p.basis { "错误、警告、建议条数不含已豁免和标为误报的问题；状态也按此计算。" }
            table #submissions {
                thead { tr {
                    th { "#" }
                    (header("department", "单位"))
                    (header("title", "报告"))
                    (header("year", "年度"))
                    (header("kind", "类型"))
                    (header("round", "轮次"))
                    (header("status", "状态"))
                    (header("errors", "错误"))
                    (header("warnings", "警告"))
                    (header("advice", "建议"))
                    (header("open", "待处理"))
                    (header("uploaded", "上传时间"))
                } }
                tbody {
                    @for r in &rows {
                        @let s = &r.submission;
                        @let status = r.run.as_ref().map_or("", |x| x.status.as_str());
                        tr {
                            td { (s.id) }
                            td.w { (s.identity.as_ref().map_or("—", |i| i.department.as_str())) }
                            td.w { a href=(format!("/s/{}", s.id)) { (if s.title.is_empty() { s.name.as_str() } else { s.title.as_str() }) }
                                @if let Some(p) = &s.part { " · " (p) } }
                            td { (s.identity.as_ref().map_or("—".into(), |i| i.year.to_string())) }
                            td { (kind_words(s.identity.as_ref().map_or("", |i| i.kind.as_str()))) }
                            td { "第 " (s.round) " 轮" @if s.superseded { "（已有新一轮）" } }
                            td class=(Status::parse(status).unwrap_or(Status::Error).as_str()) { (status_zh(status)) }
                            td { (r.run.as_ref().map_or(0, |x| x.errors)) }
                            td { (r.run.as_ref().map_or(0, |x| x.warnings)) }
                            td { (r.run.as_ref().map_or(0, |x| x.advice)) }
                            td { (r.open) }
                            td { (s.uploaded_at) " " (s.uploader) }
                        }
                    }
                }
            }
        }
        @if !counts.is_empty() {
            h2 { "各规则的发现（各报告最新一轮）" }
            table #rules {
                thead { tr { th { "规则" } th { "发现" } th { "待处理" } th { "误报" } } }
                tbody {
                    @for (rule, (all, open, fp)) in counts {
                        tr {
                            td { a href=(format!("/rules/{rule}")) { (rule) } }
                            td { (all) } td { (open) } td { (fp) }
                        }
                    }
                }
            }
        }
    };
    frame("批次总览", Here::Overview, csrf, ledger, false, body)
}

fn sort(rows: &mut [Row], q: &Query) {
    let key = q.sort.as_deref().unwrap_or("");
    rows.sort_by(|a, b| {
        let (sa, sb) = (&a.submission, &b.submission);
        let dept = |s: &Submission| {
            s.identity
                .as_ref()
                .map(|i| i.department.clone())
                .unwrap_or_default()
        };
        let year = |s: &Submission| s.identity.as_ref().map_or(0, |i| i.year);
        let kind = |s: &Submission| {
            s.identity
                .as_ref()
                .map(|i| i.kind.clone())
                .unwrap_or_default()
        };
        let count = |r: &Row, f: fn(&Run) -> i64| r.run.as_ref().map_or(0, f);
        let order = match key {
            "department" => dept(sa).cmp(&dept(sb)),
            "title" => sa.title.cmp(&sb.title),
            "year" => year(sa).cmp(&year(sb)),
            "kind" => kind(sa).cmp(&kind(sb)),
            "round" => sa.round.cmp(&sb.round),
            "status" => a
                .run
                .as_ref()
                .map(|r| r.status.clone())
                .cmp(&b.run.as_ref().map(|r| r.status.clone())),
            "errors" => count(a, |r| r.errors).cmp(&count(b, |r| r.errors)),
            "warnings" => count(a, |r| r.warnings).cmp(&count(b, |r| r.warnings)),
            "advice" => count(a, |r| r.advice).cmp(&count(b, |r| r.advice)),
            "open" => a.open.cmp(&b.open),
            _ => sa.id.cmp(&sb.id),
        }
        .then(sa.id.cmp(&sb.id));
        if q.dir.as_deref() == Some("desc") {
            order.reverse()
        } else {
            order
        }
    });
}
