//! What every request passes first: the host, the token and the CSRF
//! rules (`super::auth`), a session for a browser's first page, the time
//! limit, and the security headers of every answer.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use super::app::{REQUEST_TIME, Shared, api, problem_json};
use super::auth::{Who, session_cookie};
use super::pages;

/// The CSRF token a request carries: a header (the page's script), or the
/// `csrf` query parameter (a form).
pub(super) fn csrf_of(req: &Request) -> Option<String> {
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

/// What every request passes first (see [`admit`]); every answer gets the
/// security headers, and an error to a request with a body closes the
/// connection (the body may not have been read).
pub(super) async fn guard(State(app): State<Shared>, req: Request, next: Next) -> Response {
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
pub(super) async fn admit(app: Shared, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    if !app.auth.host_ok(req.headers()) {
        return (
            StatusCode::FORBIDDEN,
            "请求的主机名不是审核台的（只接受本机地址、localhost 和 --host 指定的名称）",
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
    if let Some(id) = new_session.filter(|_| is_page)
        && let Ok(v) = HeaderValue::from_str(&session_cookie(&id))
    {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}
