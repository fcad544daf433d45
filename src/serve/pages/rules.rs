//! 规则: every rule of the pack in force with how often it misfired, and a
//! rule's own page — its documentation, its parameters as a form, and its
//! script in an editor whose 保存前预览 shows what the edit would do.

use maud::{Markup, html};

use super::{Here, action, frame};
use crate::serve::rules::{Preview, RuleView};

fn value_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The list of rules, with the false positives recorded against each.
pub fn list(
    rules: &[RuleView],
    false_positives: &[(String, i64)],
    csrf: &str,
    ledger: &str,
) -> String {
    let fp = |id: &str| {
        false_positives
            .iter()
            .find(|(r, _)| r == id)
            .map_or(0, |(_, n)| *n)
    };
    frame(
        "规则",
        Here::Rules,
        csrf,
        ledger,
        false,
        html! {
            h1 { "规则" }
            @for r in rules.iter().filter(|r| r.broken.is_some()) {
                p.bad { "规则 " a href=(format!("/rules/{}", r.id)) { (r.id) } " 在台账中的修改无法使用，暂按原规则检查；打开它可恢复为原规则。" }
            }
            p { "当前生效的规则包。点击规则查看说明、修改参数或编辑规则脚本；“误报”是审核人员标为误报的发现数，便于维护规则的人发现哪些规则常出错。" }
            table #rule-list {
                thead { tr { th { "规则" } th { "级别" } th { "适用" } th { "标题" } th { "误报" } th { "来源" } } }
                tbody {
                    @for r in rules {
                        tr {
                            td { a href=(format!("/rules/{}", r.id)) { (r.id) } }
                            td { (r.severity.zh()) }
                            td { (r.applies) }
                            td.w { (r.title) }
                            td { (fp(&r.id)) }
                            td.w { code { (r.file) } }
                        }
                    }
                }
            }
        },
    )
}

fn preview_markup(p: &Preview) -> Markup {
    html! {
        section #preview {
            h2 { "保存前预览" }
            @if p.sound() {
                p.ok { "规则可以编译，夹具全部通过，检查各报告时没有出错。" }
            } @else {
                p.bad { "这样修改不能保存：" }
                ul.bad { @for e in &p.errors { li { (e) } } }
            }
            h3 { "夹具" }
            ul {
                @for (file, fires, failure) in &p.fixtures {
                    li {
                        @match failure {
                            None => span.ok { "通过 " },
                            Some(_) => span.bad { "未通过 " },
                        }
                        code { (file) } (if *fires { "（应报告）" } else { "（不应报告）" })
                        @if let Some(f) = failure { pre { (f) } }
                    }
                }
            }
            h3 { "对当前各报告的影响" }
            div.diff {
                @if p.appear.is_empty() && p.disappear.is_empty() { p { "各报告的发现不变。" } }
                @if !p.appear.is_empty() {
                    p { "将新增 " (p.appear.len()) " 条发现：" }
                    ul { @for (sid, title, m) in &p.appear { li.appear { "＋ " a href=(format!("/s/{sid}")) { (title) } "：" (m) } } }
                }
                @if !p.disappear.is_empty() {
                    p { "将消失 " (p.disappear.len()) " 条发现：" }
                    ul { @for (sid, title, m) in &p.disappear { li.disappear { "－ " a href=(format!("/s/{sid}")) { (title) } "：" (m) } } }
                }
            }
        }
    }
}

/// One rule's page; `edited` is a script being previewed, `message` what
/// the last change did.
#[allow(clippy::too_many_arguments)]
pub fn page(
    r: &RuleView,
    read_only: bool,
    edited: Option<(&str, &Preview)>,
    message: Option<&str>,
    csrf: &str,
    ledger: &str,
) -> String {
    let script = edited.map_or(r.script.as_str(), |(s, _)| s);
    frame(
        &r.id,
        Here::Rules,
        csrf,
        ledger,
        false,
        html! {
            h1 { (r.id) " — " (r.title) }
            p { "级别：" (r.severity.zh()) " · 适用：" (r.applies) " · 来源：" code { (r.file) } }
            @if let Some(m) = message { p.notice { (m) } }
            @if let Some(why) = &r.broken {
                div.bad {
                    p { "台账中对这条规则的修改在本版本中无法使用，审核台暂按原规则检查：" (why) }
                    @if !read_only {
                        form method="post" action=(action(&format!("/rules/{}/revert", r.id), csrf)) {
                            input type="text" name="by" placeholder="修改人" size="8";
                            " "
                            button.btn.primary type="submit" { "恢复为原规则（放弃台账中的修改）" }
                        }
                    }
                }
            }
            h2 { "检查内容" } p { (r.checks) }
            h2 { "为什么" } p { (r.why) }
            h2 { "依据" } p { (r.basis) }
            h2 { "示例" } p { (r.example) }
            h2 { "参数" }
            @if r.params.is_empty() { p { "这条规则没有参数。" } }
            @for (param, current) in &r.params {
                form.filters method="post" action=(action(&format!("/rules/{}/param", r.id), csrf)) {
                    input type="hidden" name="name" value=(param.name);
                    label { code { (param.name) } " = " }
                    input type="text" name="value" value=(value_text(current)) size="30" disabled[read_only];
                    input type="text" name="by" placeholder="修改人" size="8" disabled[read_only];
                    @if !read_only { button.btn type="submit" { "保存参数" } }
                    span.basis { (param.doc) "（默认 " (value_text(&param.default)) "）" }
                }
            }
            h2 { "规则脚本" }
            @if read_only {
                p.notice { "本审核台不允许修改规则（启动时用了 --read-only-rules）。" }
                pre { (script) }
            } @else {
                form method="post" action=(action(&format!("/rules/{}/preview", r.id), csrf)) {
                    textarea.script name="script" spellcheck="false" { (script) }
                    p {
                        input type="text" name="by" placeholder="修改人" size="8";
                        " "
                        button.btn type="submit" formaction=(action(&format!("/rules/{}/preview", r.id), csrf)) { "保存前预览" }
                        " "
                        button.btn.primary type="submit" formaction=(action(&format!("/rules/{}/save", r.id), csrf)) { "保存" }
                    }
                }
            }
            @if let Some((_, p)) = edited { (preview_markup(p)) }
        },
    )
}
