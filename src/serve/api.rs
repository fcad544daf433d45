//! The JSON API under `/api` (README lists it): uploads, the list, a
//! submission's report with each finding's id and decision, decisions,
//! exports and the rules.

use axum::body::Body;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::app::{Shared, api_error, checking, declared_length, problem_json, received, work};
use super::pages::overview;
use super::{export, rules};

pub(super) async fn upload_api(
    State(app): State<Shared>,
    headers: axum::http::HeaderMap,
    form: Multipart,
) -> Response {
    let (files, by, held) = match received(&app, declared_length(&headers), form).await {
        Ok(x) => x,
        Err((status, m)) => return problem_json(status, &m),
    };
    match checking(&app, move |b| {
        let given = b.upload(files, &by);
        drop(held);
        given
    })
    .await
    {
        Ok(given) => (
            StatusCode::CREATED,
            axum::Json(json!({ "submissions": given })),
        )
            .into_response(),
        Err(e) => api_error(e),
    }
}

pub(super) async fn list_api(State(app): State<Shared>) -> Response {
    match work(&app, super::bench::list_json).await {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => api_error(e),
    }
}

pub(super) async fn submission_api(State(app): State<Shared>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return problem_json(StatusCode::NOT_FOUND, "报送编号应为数字");
    };
    match work(&app, move |b| b.report_json(id)).await {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => api_error(e),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct DecisionBody {
    decision: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    by: String,
}

pub(super) async fn decision_api(
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

pub(super) async fn rules_api(State(app): State<Shared>) -> Response {
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

pub(super) async fn export_file(
    State(app): State<Shared>,
    Path(kind): Path<String>,
    Query(q): Query<overview::Query>,
) -> Response {
    match work(&app, move |b| export::export(b, &kind, &q)).await {
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
