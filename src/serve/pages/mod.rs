//! The workbench's pages, server-rendered with maud (every piece of report
//! text escaped): the frame every page shares, and one file per page —
//! 批次总览, 报告, 规则, 导出, 登录.

pub mod overview;
pub mod report;
pub mod rules;

use maud::{DOCTYPE, Markup, html};

/// Which page the navigation marks as the current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Here {
    Overview,
    Rules,
    Export,
    None,
}

/// A page in the workbench's frame; `csrf` goes into a meta tag for the
/// script and is what forms send back.
pub fn frame(
    title: &str,
    here: Here,
    csrf: &str,
    ledger: &str,
    wide: bool,
    body: Markup,
) -> String {
    let link = |href: &str, text: &str, this: Here| {
        html! { a href=(href) class=(if here == this { "here" } else { "" }) { (text) } }
    };
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(crate::render::mark::GENERATOR);
                meta name="csrf" content=(csrf);
                title { (title) " — jixiao 审核台" }
                link rel="stylesheet" href="/static/app.css";
            }
            body class=(if wide { "wide" } else { "" }) {
                nav.top {
                    strong { "jixiao 审核台" }
                    (link("/", "批次总览", Here::Overview))
                    (link("/rules", "规则", Here::Rules))
                    (link("/export", "导出", Here::Export))
                    span.ledger { "台账：" (ledger) }
                }
                (body)
                script src="/static/app.js" {}
            }
        }
    }
    .into_string()
}

/// The stylesheet: the meeting pack's, and the workbench's own.
pub fn css() -> String {
    format!(
        "{}\n{}",
        crate::render::html::CSS,
        include_str!("../assets/app.css")
    )
}

/// The script (drag-and-drop upload).
pub const SCRIPT: &str = include_str!("../assets/app.js");

/// A form's action with the CSRF token.
pub fn action(path: &str, csrf: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}csrf={csrf}")
}

/// The login page (only when a token is set).
pub fn login(failed: bool) -> String {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                title { "登录 — jixiao 审核台" }
                link rel="stylesheet" href="/static/app.css";
            }
            body {
                h1 { "jixiao 审核台" }
                p { "请输入启动审核台时设定的口令（--token）。" }
                @if failed { p.bad { "口令不对，请重试。" } }
                form method="post" action="/login" {
                    input type="password" name="token" autofocus required;
                    " "
                    button.btn.primary type="submit" { "登录" }
                }
            }
        }
    }
    .into_string()
}

/// A page saying what went wrong, with a way back.
pub fn problem(title: &str, message: &str, back: &str, csrf: &str, ledger: &str) -> String {
    frame(
        title,
        Here::None,
        csrf,
        ledger,
        false,
        html! {
            h1 { (title) }
            p.notice { (message) }
            p { a.btn href=(back) { "返回" } }
        },
    )
}

/// The export page: what can be taken away, for all or some reports.
pub fn export(csrf: &str, ledger: &str, query: &str) -> String {
    let q = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    frame(
        "导出",
        Here::Export,
        csrf,
        ledger,
        false,
        html! {
            h1 { "导出" }
            p { "导出各报告最新一轮的审核结果（已豁免的问题单独列出，误报不列）。可先在批次总览中筛选，再从这里导出所筛选的报告。" }
            @if !query.is_empty() { p { "当前筛选：" code { (query) } } }
            ul {
                li { a href=(format!("/export/html{q}")) { "评审会材料（HTML，可打印）" } }
                li { a href=(format!("/export/xlsx{q}")) { "审核意见表（Excel）" } }
                li { a href=(format!("/export/md{q}")) { "会议纪要（Markdown）" } }
                li { a href=(format!("/export/notices{q}")) { "各部门整改通知（Word，打包为 zip）" } }
                li { a href=(format!("/export/json{q}")) { "全部结果（JSON，供其他程序读取）" } }
            }
        },
    )
}
