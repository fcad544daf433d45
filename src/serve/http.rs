//! The workbench over HTTP: the routes of the pages and of the JSON API,
//! the guard every request passes (host, token, CSRF, time limit, security
//! headers), and the upload's limits. Handlers do the work off the async
//! runtime (`spawn_blocking`), a few at a time, so that a large upload or
//! a slow rule never stalls the server.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Extension, Multipart, Path, Query, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use super::auth::{Auth, Who, session_cookie};
use super::bench::{Error, Upload, Workbench};
use super::pages::{self, overview};
use super::{export, rules};

/// At most this many files in one upload.
pub const MAX_FILES: usize = 200;
/// At most this many bytes in one upload request.
pub const MAX_REQUEST_BYTES: usize = 256 * 1024 * 1024;
/// A request is answered within this time, or with 503.
pub const REQUEST_TIME: Duration = Duration::from_secs(300);
/// Checks, uploads and exports running at once (the others wait).
const AT_ONCE: usize = 2;

/// The server's state.
pub struct App {
    pub bench: Workbench,
    pub auth: Auth,
    /// How the ledger is shown in the pages' header.
    pub ledger_name: String,
    work: tokio::sync::Semaphore,
}

impl App {
    pub fn new(bench: Workbench, auth: Auth, ledger_name: String) -> App {
        App {
            bench,
            auth,
            ledger_name,
            work: tokio::sync::Semaphore::new(AT_ONCE),
        }
    }
}

type Shared = Arc<App>;

/// The routes.
pub fn router(app: Shared) -> Router {
    let uploads = Router::new()
        .route("/upload", post(upload_page))
        .route("/api/submissions", post(upload_api).get(list_api))
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES));
    Router::new()
        .route("/", get(overview_page))
        .route("/s/{id}", get(report_page))
        .route("/s/{id}/decide", post(decide_page))
        .route("/rules", get(rules_page))
        .route("/rules/{id}", get(rule_page))
        .route("/rules/{id}/param", post(param_page))
        .route("/rules/{id}/preview", post(preview_page))
        .route("/rules/{id}/save", post(save_page))
        .route("/export", get(export_page))
        .route("/export/{kind}", get(export_file))
        .route("/login", get(login_page).post(login))
        .route("/static/app.css", get(css))
        .route("/static/app.js", get(js))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/api/submissions/{id}", get(submission_api))
        .route("/api/findings/{id}/decision", post(decision_api))
        .route("/api/export/{kind}", get(export_file))
        .route("/api/rules", get(rules_api))
        .merge(uploads)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

/// The CSRF token a request carries: a header (the page's script), or the
/// `csrf` query parameter (a form).
fn csrf_of(req: &Request) -> Option<String> {
    if let Some(h) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return Some(h.to_string());
    }
    req.uri().query().and_then(|q| {
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "csrf")
            .map(|(_, v)| v.to_string())
    })
}

fn api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// What every request passes first (see [`admit`]); every answer gets the
/// security headers, and an error to a request with a body closes the
/// connection (the body may not have been read).
async fn guard(State(app): State<Shared>, req: Request, next: Next) -> Response {
    let with_body = req.method() == Method::POST;
    let mut response = admit(app, req, next).await;
    let h = response.headers_mut();
    for (k, v) in [
        (
            "content-security-policy",
            "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        ("x-content-type-options", "nosniff"),
        // Same-origin, not no-referrer: with no-referrer a browser sends
        // `Origin: null` on the page's own form posts.
        ("referrer-policy", "same-origin"),
        ("x-frame-options", "DENY"),
        ("cache-control", "no-store"),
    ] {
        h.insert(k, HeaderValue::from_static(v));
    }
    if with_body && (response.status().is_client_error() || response.status().is_server_error()) {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// The host, the token and the CSRF rules, a session for a browser's
/// first page, and the time limit.
async fn admit(app: Shared, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    if !app.auth.host_ok(req.headers()) {
        return (
            StatusCode::FORBIDDEN,
            "请求的主机名不是本机（审核台只在本机使用）",
        )
            .into_response();
    }
    let mut who = app.auth.who(req.headers());
    let public = path == "/login" || path == "/favicon.ico" || path.starts_with("/static/");
    if !app.auth.admitted(&who) && !public {
        return if api(&path) {
            let mut r = problem_json(
                StatusCode::UNAUTHORIZED,
                "需要口令：请求头 Authorization: Bearer <口令>",
            );
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            r
        } else if method == Method::GET {
            // 401, with the login form to answer it.
            (StatusCode::UNAUTHORIZED, Html(pages::login(false))).into_response()
        } else {
            (StatusCode::UNAUTHORIZED, "请先登录").into_response()
        };
    }
    let csrf = csrf_of(&req);
    let changes_allowed = if path == "/login" {
        app.auth
            .may_change(&method, req.headers(), &Who::Bearer, None)
    } else {
        app.auth
            .may_change(&method, req.headers(), &who, csrf.as_deref())
    };
    if !changes_allowed {
        let m = "请求缺少有效的 CSRF 令牌，或来自其他网站；请从审核台页面操作";
        return if api(&path) {
            problem_json(StatusCode::FORBIDDEN, m)
        } else {
            (StatusCode::FORBIDDEN, m).into_response()
        };
    }
    // A browser's first page without a token: a session of its own, for
    // the CSRF token its forms send back.
    let mut new_session = None;
    if who == Who::Anonymous
        && !app.auth.required()
        && method == Method::GET
        && !api(&path)
        && !public
    {
        let (session, csrf) = app.auth.open_session();
        new_session = Some(session.clone());
        who = Who::Browser { session, csrf };
    }
    req.extensions_mut().insert(who);
    let mut response = match tokio::time::timeout(REQUEST_TIME, next.run(req)).await {
        Ok(r) => r,
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "请求处理超时").into_response(),
    };
    // The new session's cookie goes with the page it was made for (not with
    // a 404 or a picture the browser asked for meanwhile, which would
    // replace the cookie of the page's forms).
    let is_page = response.status().is_success()
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    let h = response.headers_mut();
    if let Some(id) = new_session.filter(|_| is_page)
        && let Ok(v) = HeaderValue::from_str(&session_cookie(&id))
    {
        h.append(header::SET_COOKIE, v);
    }
    for (k, v) in [
        (
            "content-security-policy",
            "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        ("x-content-type-options", "nosniff"),
        // Same-origin, not no-referrer: with no-referrer a browser sends
        // `Origin: null` on the page's own form posts.
        ("referrer-policy", "same-origin"),
        ("x-frame-options", "DENY"),
        ("cache-control", "no-store"),
    ] {
        h.insert(k, HeaderValue::from_static(v));
    }
    response
}

fn csrf(who: &Who) -> &str {
    match who {
        Who::Browser { csrf, .. } => csrf,
        _ => "",
    }
}

fn problem_json(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({ "error": message }))).into_response()
}

fn status_of(e: &Error) -> (StatusCode, &str) {
    match e {
        Error::NotFound(m) => (StatusCode::NOT_FOUND, m),
        Error::Invalid(m) => (StatusCode::UNPROCESSABLE_ENTITY, m),
        Error::Forbidden(m) => (StatusCode::FORBIDDEN, m),
        Error::Internal(m) => (StatusCode::INTERNAL_SERVER_ERROR, m),
    }
}

fn api_error(e: Error) -> Response {
    let (status, m) = status_of(&e);
    problem_json(status, m)
}

fn page_error(app: &App, who: &Who, e: Error, back: &str) -> Response {
    let (status, m) = status_of(&e);
    (
        status,
        Html(pages::problem(
            "无法完成",
            m,
            back,
            csrf(who),
            &app.ledger_name,
        )),
    )
        .into_response()
}

/// Runs `f` off the async runtime, as one of the few at a time.
async fn work<T: Send + 'static>(
    app: &Shared,
    f: impl FnOnce(&Workbench) -> T + Send + 'static,
) -> Result<T, Error> {
    let _slot = app
        .work
        .acquire()
        .await
        .map_err(|_| Error::Internal("审核台正在关闭".into()))?;
    let app = app.clone();
    tokio::task::spawn_blocking(move || f(&app.bench))
        .await
        .map_err(|e| Error::Internal(format!("处理出错：{e}")))
}

/// The files of an upload (`file` parts) and who sent them (`by`), within
/// the limits: a file over the import limit, more than [`MAX_FILES`]
/// files, or a request over [`MAX_REQUEST_BYTES`] is 413.
async fn received(mut form: Multipart) -> Result<(Vec<Upload>, String), (StatusCode, String)> {
    let limit = crate::import::MAX_PACKAGE_BYTES as usize;
    let mut files = Vec::new();
    let mut by = String::new();
    // Past a limit, the rest of the request is read and dropped before
    // the 413 is sent: a client still sending would otherwise see the
    // connection reset instead of the answer.
    let mut refused: Option<String> = None;
    loop {
        let mut field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err((e.status(), format!("上传内容无法读取：{}", e.body_text()))),
        };
        match field.name() {
            Some("file") => {
                if files.len() >= MAX_FILES && refused.is_none() {
                    refused = Some(format!("一次最多上传 {MAX_FILES} 个文件"));
                }
                let name = field.file_name().unwrap_or("未命名").to_string();
                let mut bytes = Vec::new();
                loop {
                    match field.chunk().await {
                        Ok(Some(_)) if refused.is_some() => {}
                        Ok(Some(c)) => {
                            if bytes.len() + c.len() > limit {
                                refused = Some(format!(
                                    "文件“{name}”超过 {} MB，审核台不接收",
                                    limit / 1024 / 1024
                                ));
                                bytes = Vec::new();
                                continue;
                            }
                            bytes.extend_from_slice(&c);
                        }
                        Ok(None) => break,
                        Err(e) => {
                            return Err((
                                e.status(),
                                format!("上传内容无法读取：{}", e.body_text()),
                            ));
                        }
                    }
                }
                if refused.is_none() {
                    files.push(Upload { name, bytes });
                }
            }
            Some("by") => {
                by = field
                    .text()
                    .await
                    .unwrap_or_default()
                    .chars()
                    .take(40)
                    .collect()
            }
            _ => {}
        }
    }
    if let Some(m) = refused {
        return Err((StatusCode::PAYLOAD_TOO_LARGE, m));
    }
    if files.is_empty() {
        return Err((
            StatusCode::BAD_REQUEST,
            "没有收到文件（字段名应为 file）".into(),
        ));
    }
    Ok((files, by))
}

async fn upload_api(State(app): State<Shared>, form: Multipart) -> Response {
    let (files, by) = match received(form).await {
        Ok(x) => x,
        Err((status, m)) => return problem_json(status, &m),
    };
    match work(&app, move |b| b.upload(files, &by))
        .await
        .and_then(|r| r)
    {
        Ok(given) => (
            StatusCode::CREATED,
            axum::Json(json!({ "submissions": given })),
        )
            .into_response(),
        Err(e) => api_error(e),
    }
}

async fn upload_page(
    State(app): State<Shared>,
    Extension(who): Extension<Who>,
    form: Multipart,
) -> Response {
    let (files, by) = match received(form).await {
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
    match work(&app, move |b| b.upload(files, &by))
        .await
        .and_then(|r| r)
    {
        Ok(_) => Redirect::to("/").into_response(),
        Err(e) => page_error(&app, &who, e, "/"),
    }
}

async fn list_api(State(app): State<Shared>) -> Response {
    match work(&app, super::bench::list_json).await.and_then(|r| r) {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => api_error(e),
    }
}

async fn submission_api(State(app): State<Shared>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return problem_json(StatusCode::NOT_FOUND, "报送编号应为数字");
    };
    match work(&app, move |b| b.report_json(id)).await.and_then(|r| r) {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => api_error(e),
    }
}

#[derive(Debug, Deserialize)]
struct DecisionBody {
    decision: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    by: String,
}

async fn decision_api(
    State(app): State<Shared>,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let parsed: DecisionBody = match serde_json::from_slice(&body) {
        Ok(d) => d,
        Err(e) => {
            return problem_json(
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("请求体应为 JSON：{e}"),
            );
        }
    };
    match work(&app, move |b| {
        b.decide(&id, &parsed.decision, &parsed.reason, &parsed.by)
    })
    .await
    .and_then(|r| r)
    {
        Ok(d) => axum::Json(json!({
            "finding": d.finding,
            "submission": d.submission,
            "decision": d.decision,
            "reason": d.reason,
            "by": d.by,
            "at": d.at,
        }))
        .into_response(),
        Err(e) => api_error(e),
    }
}

async fn rules_api(State(app): State<Shared>) -> Response {
    let list = rules::rules(&app.bench);
    let v: Vec<_> = list
        .iter()
        .map(|r| {
            json!({
                "id": r.id, "title": r.title, "severity": r.severity.as_str(),
                "file": r.file,
                "params": r.params.iter().map(|(p, v)| json!({"name": p.name, "value": v.to_string(), "default": p.default.to_string()})).collect::<Vec<_>>(),
            })
        })
        .collect();
    axum::Json(json!({ "rules": v })).into_response()
}

async fn overview_page(
    State(app): State<Shared>,
    Extension(who): Extension<Who>,
    Query(q): Query<overview::Query>,
) -> Response {
    let listed = work(&app, |b| -> Result<_, Error> {
        let list = b.list()?;
        let counts = b.rule_counts()?;
        Ok((list, counts))
    })
    .await
    .and_then(|r| r);
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

async fn report_page(
    State(app): State<Shared>,
    Extension(who): Extension<Who>,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return page_error(&app, &who, Error::NotFound("报送编号应为数字".into()), "/");
    };
    match work(&app, move |b| b.view(id).map(|v| (v, b.review().rules())))
        .await
        .and_then(|r| r)
    {
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
struct DecideForm {
    finding: String,
    decision: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    by: String,
}

async fn decide_page(
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
    .and_then(|r| r)
    {
        Ok(_) => Redirect::to(&format!("{back}#f-{finding}")).into_response(),
        Err(e) => page_error(&app, &who, e, &back),
    }
}

async fn rules_page(State(app): State<Shared>, Extension(who): Extension<Who>) -> Response {
    let fp = work(&app, |b| b.ledger.read(|tx| tx.false_positives())).await;
    let fp = match fp {
        Ok(Ok(fp)) => fp,
        Ok(Err(e)) => return page_error(&app, &who, e.into(), "/"),
        Err(e) => return page_error(&app, &who, e, "/"),
    };
    let list = rules::rules(&app.bench);
    Html(pages::rules::list(&list, &fp, csrf(&who), &app.ledger_name)).into_response()
}

fn rule_view(app: &App, id: &str) -> Result<rules::RuleView, Error> {
    rules::rules(&app.bench)
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| Error::NotFound(format!("没有 id 为 {id} 的规则")))
}

async fn rule_page(
    State(app): State<Shared>,
    Extension(who): Extension<Who>,
    Path(id): Path<String>,
) -> Response {
    match rule_view(&app, &id) {
        Ok(r) => Html(pages::rules::page(
            &r,
            app.bench.options.read_only_rules,
            None,
            None,
            csrf(&who),
            &app.ledger_name,
        ))
        .into_response(),
        Err(e) => page_error(&app, &who, e, "/rules"),
    }
}

#[derive(Debug, Deserialize)]
struct ParamForm {
    name: String,
    value: String,
    #[serde(default)]
    by: String,
}

async fn param_page(
    State(app): State<Shared>,
    Extension(who): Extension<Who>,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<ParamForm>,
) -> Response {
    let rule = id.clone();
    let done = work(&app, move |b| {
        rules::set_param(b, &rule, &f.name, &f.value, &f.by)
    })
    .await
    .and_then(|r| r);
    let back = format!("/rules/{id}");
    match (done, rule_view(&app, &id)) {
        (Ok(n), Ok(r)) => {
            let m = format!("参数已保存，已按新参数重新检查 {n} 份报送。");
            Html(pages::rules::page(
                &r,
                app.bench.options.read_only_rules,
                None,
                Some(&m),
                csrf(&who),
                &app.ledger_name,
            ))
            .into_response()
        }
        (Err(e), _) | (_, Err(e)) => page_error(&app, &who, e, &back),
    }
}

#[derive(Debug, Deserialize)]
struct ScriptForm {
    script: String,
    #[serde(default)]
    by: String,
}

async fn preview_page(
    State(app): State<Shared>,
    Extension(who): Extension<Who>,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<ScriptForm>,
) -> Response {
    let rule = id.clone();
    let script = f.script.clone();
    let p = work(&app, move |b| rules::preview(b, &rule, &script))
        .await
        .and_then(|r| r);
    match (p, rule_view(&app, &id)) {
        (Ok(p), Ok(r)) => Html(pages::rules::page(
            &r,
            app.bench.options.read_only_rules,
            Some((&f.script, &p)),
            None,
            csrf(&who),
            &app.ledger_name,
        ))
        .into_response(),
        (Err(e), _) | (_, Err(e)) => page_error(&app, &who, e, &format!("/rules/{id}")),
    }
}

async fn save_page(
    State(app): State<Shared>,
    Extension(who): Extension<Who>,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<ScriptForm>,
) -> Response {
    let rule = id.clone();
    let script = f.script.clone();
    let saved = work(&app, move |b| rules::save(b, &rule, &script, &f.by))
        .await
        .and_then(|r| r);
    let read_only = app.bench.options.read_only_rules;
    match (saved, rule_view(&app, &id)) {
        (Ok(Ok(n)), Ok(r)) => {
            let m = format!("规则已保存，已用新规则重新检查 {n} 份报送。");
            Html(pages::rules::page(
                &r,
                read_only,
                None,
                Some(&m),
                csrf(&who),
                &app.ledger_name,
            ))
            .into_response()
        }
        (Ok(Err(p)), Ok(r)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(pages::rules::page(
                &r,
                read_only,
                Some((&f.script, &p)),
                Some("规则没有保存：见下面的预览。"),
                csrf(&who),
                &app.ledger_name,
            )),
        )
            .into_response(),
        (Err(e), _) | (_, Err(e)) => page_error(&app, &who, e, &format!("/rules/{id}")),
    }
}

async fn export_page(
    State(app): State<Shared>,
    Extension(who): Extension<Who>,
    Query(q): Query<overview::Query>,
) -> Response {
    Html(pages::export(csrf(&who), &app.ledger_name, &q.filters())).into_response()
}

async fn export_file(
    State(app): State<Shared>,
    Path(kind): Path<String>,
    Query(q): Query<overview::Query>,
) -> Response {
    match work(&app, move |b| export::export(b, &kind, &q))
        .await
        .and_then(|r| r)
    {
        Ok(file) => {
            let disposition = format!(
                "attachment; filename=\"jixiao.{}\"; filename*=UTF-8''{}",
                file.name.rsplit('.').next().unwrap_or("bin"),
                overview::encode(&file.name)
            );
            let mut r = Response::new(Body::from(file.bytes));
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(file.media));
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
        Err(e) => api_error(e),
    }
}

async fn login_page() -> Html<String> {
    Html(pages::login(false))
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    token: String,
}

async fn login(State(app): State<Shared>, axum::Form(f): axum::Form<LoginForm>) -> Response {
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

async fn css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        pages::css(),
    )
        .into_response()
}

async fn js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        pages::SCRIPT,
    )
        .into_response()
}

async fn not_found(req: Request) -> Response {
    if api(req.uri().path()) {
        problem_json(StatusCode::NOT_FOUND, "没有这个地址")
    } else {
        (StatusCode::NOT_FOUND, Html("<!DOCTYPE html><meta charset=\"utf-8\"><p>没有这个页面。<a href=\"/\">返回批次总览</a></p>".to_string())).into_response()
    }
}
