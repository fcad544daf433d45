//! The pages' handlers: each reads or changes the workbench off the
//! async runtime and answers with a page (`super::pages`) or a redirect.

use axum::extract::{Extension, Multipart, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::app::{
    App, Shared, api, checking, csrf, declared_length, page_error, problem_json, received, work,
};
use super::auth::{Who, session_cookie};
use super::bench::Error;
use super::pages::{self, overview};
use super::rules;

pub(super) async fn upload_page(
    State(app): State<Shared>,
    Extension(who): Extension<Who>,
    headers: axum::http::HeaderMap,
    form: Multipart,
) -> Response {
    let (files, by, held) = match received(&app, declared_length(&headers), form).await {
        Ok(x) => x,
        Err((status, m)) => {
            return (
                status,
                Html(pages::problem(
                    "无法上传",
                    &m,
                    "/",
                    csrf(&who),
                    &app.ledger_name,
                )),
            )
                .into_response();
        }
    };
    match checking(&app, move |b| {
        let given = b.upload(files, &by);
        drop(held);
        given
    })
    .await
    {
        Ok(_) => Redirect::to("/").into_response(),
        Err(e) => page_error(&app, &who, e, "/"),
    }
}

pub(super) async fn overview_page(
    State(app): State<Shared>,
    Extension(who): Extension<Who>,
    Query(q): Query<overview::Query>,
) -> Response {
    let listed = work(&app, |b| -> Result<_, Error> {
        let list = b.list()?;
        let counts = b.rule_counts()?;
        Ok((list, counts))
    })
    .await;
    match listed {
        Ok((list, counts)) => {
            let rows = list
                .into_iter()
                .map(|(submission, run, open)| overview::Row {
                    submission,
                    run,
                    open,
                })
                .collect();
            Html(overview::page(
                rows,
                &counts,
                &q,
                csrf(&who),
                &app.ledger_name,
            ))
            .into_response()
        }
        Err(e) => page_error(&app, &who, e, "/"),
    }
}

pub(super) async fn report_page(
    State(app): State<Shared>,
    Extension(who): Extension<Who>,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return page_error(&app, &who, Error::NotFound("报送编号应为数字".into()), "/");
    };
    match work(&app, move |b| b.view(id).map(|v| (v, b.review().rules()))).await {
        Ok((view, rules)) => Html(pages::report::page(
            &view,
            &rules,
            csrf(&who),
            &app.ledger_name,
        ))
        .into_response(),
        Err(e) => page_error(&app, &who, e, "/"),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct DecideForm {
    finding: String,
    decision: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    by: String,
}

pub(super) async fn decide_page(
    State(app): State<Shared>,
    Extension(who): Extension<Who>,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<DecideForm>,
) -> Response {
    let back = format!("/s/{id}");
    let finding = f.finding.clone();
    match work(&app, move |b| {
        b.decide(&f.finding, &f.decision, &f.reason, &f.by)
    })
    .await
    {
        Ok(_) => Redirect::to(&format!("{back}#f-{finding}")).into_response(),
        Err(e) => page_error(&app, &who, e, &back),
    }
}

pub(super) async fn rules_page(
    State(app): State<Shared>,
    Extension(who): Extension<Who>,
) -> Response {
    let fp = match work(&app, |b| Ok(b.ledger.read(|tx| tx.false_positives())?)).await {
        Ok(fp) => fp,
        Err(e) => return page_error(&app, &who, e, "/"),
    };
    let list = rules::rules(&app.bench);
    Html(pages::rules::list(&list, &fp, csrf(&who), &app.ledger_name)).into_response()
}

pub(super) fn rule_view(app: &App, id: &str) -> Result<rules::RuleView, Error> {
    rules::rules(&app.bench)
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| Error::NotFound(format!("没有 id 为 {id} 的规则")))
}

/// A rule's page, with a preview of an edited script or a message.
fn rule_answer(
    app: &App,
    who: &Who,
    r: &rules::RuleView,
    preview: Option<(&str, &rules::Preview)>,
    message: Option<&str>,
) -> Html<String> {
    Html(pages::rules::page(
        r,
        app.bench.options.read_only_rules,
        preview,
        message,
        csrf(who),
        &app.ledger_name,
    ))
}

pub(super) async fn rule_page(
    State(app): State<Shared>,
    Extension(who): Extension<Who>,
    Path(id): Path<String>,
) -> Response {
    match rule_view(&app, &id) {
        Ok(r) => rule_answer(&app, &who, &r, None, None).into_response(),
        Err(e) => page_error(&app, &who, e, "/rules"),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct ParamForm {
    name: String,
    value: String,
    #[serde(default)]
    by: String,
}

pub(super) async fn param_page(
    State(app): State<Shared>,
    Extension(who): Extension<Who>,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<ParamForm>,
) -> Response {
    let rule = id.clone();
    let done = checking(&app, move |b| {
        rules::set_param(b, &rule, &f.name, &f.value, &f.by)
    })
    .await;
    changed(&app, &who, &id, done, "参数已保存，已按新参数重新检查")
}

/// The rule's page after a change that checked `done` submissions again
/// (`said` and their number), or why the change was not made.
fn changed(app: &App, who: &Who, id: &str, done: Result<usize, Error>, said: &str) -> Response {
    match (done, rule_view(app, id)) {
        (Ok(n), Ok(r)) => {
            let m = format!("{said} {n} 份报送。");
            rule_answer(app, who, &r, None, Some(&m)).into_response()
        }
        (Err(e), _) | (_, Err(e)) => page_error(app, who, e, &format!("/rules/{id}")),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct ByForm {
    #[serde(default)]
    by: String,
}

pub(super) async fn revert_page(
    State(app): State<Shared>,
    Extension(who): Extension<Who>,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<ByForm>,
) -> Response {
    let rule = id.clone();
    let done = checking(&app, move |b| rules::revert(b, &rule, &f.by)).await;
    changed(&app, &who, &id, done, "已恢复为原规则，已重新检查")
}

#[derive(Debug, Deserialize)]
pub(super) struct ScriptForm {
    script: String,
    #[serde(default)]
    by: String,
}

pub(super) async fn preview_page(
    State(app): State<Shared>,
    Extension(who): Extension<Who>,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<ScriptForm>,
) -> Response {
    let rule = id.clone();
    let script = f.script.clone();
    let p = checking(&app, move |b| rules::preview(b, &rule, &script)).await;
    match (p, rule_view(&app, &id)) {
        (Ok(p), Ok(r)) => rule_answer(&app, &who, &r, Some((&f.script, &p)), None).into_response(),
        (Err(e), _) | (_, Err(e)) => page_error(&app, &who, e, &format!("/rules/{id}")),
    }
}

pub(super) async fn save_page(
    State(app): State<Shared>,
    Extension(who): Extension<Who>,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<ScriptForm>,
) -> Response {
    let rule = id.clone();
    let script = f.script.clone();
    let saved = checking(&app, move |b| rules::save(b, &rule, &script, &f.by)).await;
    match (saved, rule_view(&app, &id)) {
        (Ok(Ok(n)), Ok(r)) => {
            let m = format!("规则已保存，已用新规则重新检查 {n} 份报送。");
            rule_answer(&app, &who, &r, None, Some(&m)).into_response()
        }
        (Ok(Err(p)), Ok(r)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            rule_answer(
                &app,
                &who,
                &r,
                Some((&f.script, &p)),
                Some("规则没有保存：见下面的预览。"),
            ),
        )
            .into_response(),
        (Err(e), _) | (_, Err(e)) => page_error(&app, &who, e, &format!("/rules/{id}")),
    }
}

pub(super) async fn export_page(
    State(app): State<Shared>,
    Extension(who): Extension<Who>,
    Query(q): Query<overview::Query>,
) -> Response {
    Html(pages::export(csrf(&who), &app.ledger_name, &q.filters())).into_response()
}

pub(super) async fn login_page() -> Html<String> {
    Html(pages::login(false))
}

#[derive(Debug, Deserialize)]
pub(super) struct LoginForm {
    token: String,
}

pub(super) async fn login(
    State(app): State<Shared>,
    axum::Form(f): axum::Form<LoginForm>,
) -> Response {
    if !app.auth.token_is(&f.token) {
        return (StatusCode::UNAUTHORIZED, Html(pages::login(true))).into_response();
    }
    let (session, _) = app.auth.open_session();
    let mut r = Redirect::to("/").into_response();
    if let Ok(v) = HeaderValue::from_str(&session_cookie(&session)) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

pub(super) async fn css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        pages::css(),
    )
        .into_response()
}

pub(super) async fn js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        pages::SCRIPT,
    )
        .into_response()
}

pub(super) async fn not_found(req: Request) -> Response {
    if api(req.uri().path()) {
        problem_json(StatusCode::NOT_FOUND, "没有这个地址")
    } else {
        (StatusCode::NOT_FOUND, Html("<!DOCTYPE html><meta charset=\"utf-8\"><p>没有这个页面。<a href=\"/\">返回批次总览</a></p>".to_string())).into_response()
    }
}
