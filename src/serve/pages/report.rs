//! 报告: one submission — its document's readable rendering with every
//! labelled value marked (each mark a link to its finding), and beside it
//! the findings, each with the decision in force and the three decisions a
//! reviewer makes: 确认（需整改）, 豁免 (reason and approver), 误报 (a note).
//! A later round says what it brought: new, persisting and fixed findings.

use maud::{Markup, html};

use super::{Here, action, frame};
use crate::diagnostic::{Baseline, FileError, Label, RuleInfo};
use crate::render::excerpt;
use crate::render::{kind_words, status_zh};
use crate::serve::bench::{View, verdict_zh};

/// The whole document, every label marked and linked to its finding.
fn document(view: &View) -> Markup {
    let r = &view.outcome;
    let mut labels: Vec<Label> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (i, f) in r.findings.iter().enumerate() {
        for l in &f.labels {
            labels.push(l.clone());
            owner.push(i);
        }
    }
    let margins = crate::render::has_margins(r);
    let lines = excerpt::whole(&r.source, &labels, margins);
    let class = if margins { "src" } else { "src code" };
    html! {
        div class=(class) {
            @for line in &lines {
                div.l {
                    span.ln { (line.margin.clone().unwrap_or_else(|| line.number.to_string())) }
                    span.tx {
                        @for seg in &line.segments {
                            @match seg.label {
                                Some(k) => {
                                    a href=(format!("#f-{}", view.ids.get(owner[k]).map_or("", |s| s.as_str()))) {
                                        mark title=(labels[k].message) { (seg.text) }
                                    }
                                }
                                None => (seg.text),
                            }
                        }
                    }
                }
            }
        }
    }
}

fn error(e: &FileError) -> Markup {
    html! {
        div class="finding sev-error" {
            p { span class="badge b-error" { "无法检查" } " " span.rule { (e.code) } }
            p { (e.message) }
            @if let Some(h) = &e.help { p.help { "提示：" (h) } }
        }
    }
}

/// The decision forms of finding `id`: each decision with what it asks
/// for (a 豁免 its reason and approver, a 误报 its note).
fn decide(sid: i64, id: &str, csrf: &str) -> Markup {
    let to = action(&format!("/s/{sid}/decide"), csrf);
    // (decision, button, reason's placeholder, by's placeholder, required)
    let forms = [
        (
            "confirmed",
            "确认（需整改）",
            "说明（可不填）",
            "审核人",
            (false, false),
        ),
        (
            "waived",
            "豁免",
            "豁免理由（必填）",
            "批准人（必填）",
            (true, true),
        ),
        (
            "false-positive",
            "误报",
            "为什么是误报（必填）",
            "审核人",
            (true, false),
        ),
    ];
    html! {
        details {
            summary { "作出决定" }
            @for (decision, button, reason, by, (reason_required, by_required)) in forms {
                form method="post" action=(to) {
                    input type="hidden" name="finding" value=(id);
                    input type="hidden" name="decision" value=(decision);
                    input type="text" name="reason" placeholder=(reason) required[reason_required];
                    " "
                    input type="text" name="by" placeholder=(by) required[by_required];
                    " "
                    button.btn type="submit" { (button) }
                }
            }
        }
    }
}

pub fn page(view: &View, rules: &[RuleInfo], csrf: &str, ledger: &str) -> String {
    let s = &view.submission;
    let r = &view.outcome;
    let title = if s.title.is_empty() {
        s.name.clone()
    } else {
        s.title.clone()
    };
    let compared = s.round > 1;
    let new = r
        .findings
        .iter()
        .filter(|f| f.baseline == Some(Baseline::New))
        .count();
    let persisting = r
        .findings
        .iter()
        .filter(|f| f.baseline == Some(Baseline::Persisting))
        .count();
    let body = html! {
        h1 { (title) }
        p {
            "单位：" (s.identity.as_ref().map_or("—", |i| i.department.as_str()))
            " · 年度：" (s.identity.as_ref().map_or("—".into(), |i| i.year.to_string()))
            " · 类型：" (kind_words(s.identity.as_ref().map_or("", |i| i.kind.as_str())))
            @if let Some(p) = s.identity.as_ref().map(|i| i.project.as_str()).filter(|p| !p.is_empty()) { " · 项目：" (p) }
            " · 第 " (s.round) " 轮"
            " · 状态：" strong { (status_zh(r.status())) }
        }
        p.basis { "文件：" code { (s.name) } @if let Some(p) = &s.part { " · 工作表 " (p) } " · " (s.uploaded_at) " 由 " (s.uploader) " 上传" }
        @if compared {
            p.notice {
                "与第 " (s.round - 1) " 轮比较：新增 " (new) " 条，未整改 " (persisting) " 条，已整改 " (r.fixed.len()) " 条。"
                @if let Some(p) = s.previous { " " a href=(format!("/s/{p}")) { "查看上一轮" } }
            }
        }
        @if s.superseded { p.notice { "这一轮之后已有新一轮报送，见批次总览。" } }
        div.cols {
            div.doc { (document(view)) }
            div {
                @for e in &r.errors { (error(e)) }
                @if r.findings.is_empty() && r.errors.is_empty() { p { "未发现问题。" } }
                @for (i, f) in r.findings.iter().enumerate() {
                    @let id = &view.ids[i];
                    @let info = rules.iter().find(|x| x.id == f.rule);
                    div class=(format!("finding sev-{}", f.severity.as_str())) id=(format!("f-{id}")) {
                        p {
                            span class=(format!("badge b-{}", f.severity.as_str())) { (f.severity.zh()) }
                            @if let Some(b) = f.baseline {
                                span class=(format!("badge b-{}", b.as_str())) { (b.zh()) }
                            }
                            a.rule href=(format!("/rules/{}", f.rule)) { (f.rule) }
                            @if let Some(i) = info { " " strong { (i.title) } }
                        }
                        p { (f.message) }
                        p.place { span.k { "位置：" } (crate::render::places_text(f)) }
                        @if let Some(h) = &f.help { p.help { "提示：" (h) } }
                        @if let Some(w) = &f.waived { p { span class="badge b-waived" { "报告内豁免" } (w.reason) } }
                        @if let Some(d) = view.decision(i) {
                            div.decided {
                                strong { (verdict_zh(&d.decision)) }
                                @if !d.reason.is_empty() { "：" (d.reason) }
                                " （" (d.by) "，" (d.at)
                                @if d.carried_from.is_some() { "，沿用上一轮的决定" }
                                "）"
                            }
                        }
                        (decide(s.id, id, csrf))
                        p.basis { "编号 " code { (id) } }
                    }
                }
                @if compared && !r.fixed.is_empty() {
                    h3 { "已整改（上一轮有、这一轮没有）" }
                    ul { @for f in &r.fixed { li { span.rule { (f.rule) } " " (f.message) } } }
                }
            }
        }
    };
    frame(&title, Here::None, csrf, ledger, true, body)
}
