//! What the workbench's handlers share: the server's state, the limits,
//! running work off the async runtime a few at a time, the workbench's
//! errors as answers (JSON for the API, a page for a browser), and the
//! upload read within its limits.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use super::auth::{Auth, Who};
use super::bench::{Error, Upload, Workbench};
use super::pages;

/// At most this many files in one upload.
pub const MAX_FILES: usize = 200;
/// At most this many bytes in one upload request.
pub const MAX_REQUEST_BYTES: usize = 256 * 1024 * 1024;
/// A request is answered within this time, or with 503.
pub const REQUEST_TIME: Duration = Duration::from_secs(300);
/// Checks (uploads, rule and parameter changes, previews) running at once
/// (the others wait).
pub(super) const AT_ONCE: usize = 2;
/// Pages, decisions and exports answered at once: apart from the checks,
/// so that slow uploads never keep a reviewer from the pages.
pub(super) const READS_AT_ONCE: usize = 8;
/// Bytes of uploaded files held in memory at once, over all requests: a
/// request past them waits (its client is slowed by TCP) until earlier
/// uploads are checked, so concurrent uploads cannot exhaust memory.
pub const UPLOADS_IN_FLIGHT: usize = MAX_REQUEST_BYTES;

/// The server's state.
pub struct App {
    pub bench: Workbench,
    pub auth: Auth,
    /// How the ledger is shown in the pages' header.
    pub ledger_name: String,
    work: tokio::sync::Semaphore,
    checks: tokio::sync::Semaphore,
    uploads: Arc<tokio::sync::Semaphore>,
}

impl App {
    pub fn new(bench: Workbench, auth: Auth, ledger_name: String) -> App {
        App {
            bench,
            auth,
            ledger_name,
            work: tokio::sync::Semaphore::new(READS_AT_ONCE),
            checks: tokio::sync::Semaphore::new(AT_ONCE),
            uploads: Arc::new(tokio::sync::Semaphore::new(UPLOADS_IN_FLIGHT >> 10)),
        }
    }
}

pub(super) type Shared = Arc<App>;

pub(super) fn api(path: &str) -> bool {
    path.starts_with("/api/")
}

pub(super) fn csrf(who: &Who) -> &str {
    match who {
        Who::Browser { csrf, .. } => csrf,
        _ => "",
    }
}

pub(super) fn problem_json(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({ "error": message }))).into_response()
}

pub(super) fn status_of(e: &Error) -> (StatusCode, &str) {
    match e {
        Error::NotFound(m) => (StatusCode::NOT_FOUND, m),
        Error::Invalid(m) => (StatusCode::UNPROCESSABLE_ENTITY, m),
        Error::Forbidden(m) => (StatusCode::FORBIDDEN, m),
        Error::Internal(m) => (StatusCode::INTERNAL_SERVER_ERROR, m),
    }
}

pub(super) fn api_error(e: Error) -> Response {
    let (status, m) = status_of(&e);
    problem_json(status, m)
}

pub(super) fn page_error(app: &App, who: &Who, e: Error, back: &str) -> Response {
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

/// Runs `f` off the async runtime, as one of the few reads at a time.
pub(super) async fn work<T: Send + 'static>(
    app: &Shared,
    f: impl FnOnce(&Workbench) -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    run_in(app, &app.work, f).await
}

/// Runs `f`, which checks submissions, off the async runtime, as one of
/// the few checks at a time.
pub(super) async fn checking<T: Send + 'static>(
    app: &Shared,
    f: impl FnOnce(&Workbench) -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    run_in(app, &app.checks, f).await
}

async fn run_in<T: Send + 'static>(
    app: &Shared,
    slots: &tokio::sync::Semaphore,
    f: impl FnOnce(&Workbench) -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    let _slot = slots
        .acquire()
        .await
        .map_err(|_| Error::Internal("审核台正在关闭".into()))?;
    let app = app.clone();
    tokio::task::spawn_blocking(move || f(&app.bench))
        .await
        .map_err(|e| Error::Internal(format!("处理出错：{e}")))?
}

/// The share of [`UPLOADS_IN_FLIGHT`] an upload holds until it is
/// checked.
pub(super) struct Held {
    _permit: tokio::sync::OwnedSemaphorePermit,
}

/// Waits until `length` bytes (a request's declared length; without one,
/// the most a request may send) may be held, and holds them: all at once,
/// so that requests waiting for room never each hold part of it.
async fn room_for(app: &Shared, length: Option<u64>) -> Result<Held, (StatusCode, String)> {
    let bytes = length.map_or(MAX_REQUEST_BYTES, |l| (l as usize).min(MAX_REQUEST_BYTES));
    let kib = bytes.div_ceil(1024) as u32;
    app.uploads
        .clone()
        .acquire_many_owned(kib)
        .await
        .map(|p| Held { _permit: p })
        .map_err(|_| {
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "审核台正在关闭".to_string(),
            )
        })
}

/// A request's declared length, if it has one.
pub(super) fn declared_length(headers: &axum::http::HeaderMap) -> Option<u64> {
    headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

/// The files of an upload (`file` parts) and who sent them (`by`), within
/// the limits: a file over the import limit, more than [`MAX_FILES`]
/// files, or a request over [`MAX_REQUEST_BYTES`] is 413.
pub(super) async fn received(
    app: &Shared,
    length: Option<u64>,
    mut form: Multipart,
) -> Result<(Vec<Upload>, String, Held), (StatusCode, String)> {
    let held = room_for(app, length).await?;
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
                // The chunks, joined once the file is whole: no doubling
                // growth of one buffer.
                let mut chunks: Vec<axum::body::Bytes> = Vec::new();
                let mut size = 0usize;
                loop {
                    match field.chunk().await {
                        Ok(Some(_)) if refused.is_some() => {}
                        Ok(Some(c)) => {
                            if size + c.len() > limit {
                                refused = Some(format!(
                                    "文件“{name}”超过 {} MB，审核台不接收",
                                    limit / 1024 / 1024
                                ));
                                chunks.clear();
                                continue;
                            }
                            size += c.len();
                            chunks.push(c);
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
                    let mut bytes = Vec::with_capacity(size);
                    for c in chunks {
                        bytes.extend_from_slice(&c);
                    }
                    files.push(Upload {
                        name,
                        bytes: bytes.into(),
                    });
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
    Ok((files, by, held))
}
