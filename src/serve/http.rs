//! The workbench over HTTP: its routes, each to a handler of the pages
//! (`site`) or of the JSON API (`api`), behind the guard every request
//! passes (`guard`). Uploads have a body limit of their own.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{get, post};

use super::app::{MAX_REQUEST_BYTES, Shared};
use super::{api, guard, site};

/// The routes.
pub fn router(app: Shared) -> Router {
    let uploads = Router::new()
        .route("/upload", post(site::upload_page))
        .route("/api/submissions", post(api::upload_api).get(api::list_api))
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES));
    Router::new()
        .route("/", get(site::overview_page))
        .route("/s/{id}", get(site::report_page))
        .route("/s/{id}/decide", post(site::decide_page))
        .route("/rules", get(site::rules_page))
        .route("/rules/{id}", get(site::rule_page))
        .route("/rules/{id}/param", post(site::param_page))
        .route("/rules/{id}/preview", post(site::preview_page))
        .route("/rules/{id}/save", post(site::save_page))
        .route("/rules/{id}/revert", post(site::revert_page))
        .route("/export", get(site::export_page))
        .route("/export/{kind}", get(api::export_file))
        .route("/login", get(site::login_page).post(site::login))
        .route("/static/app.css", get(site::css))
        .route("/static/app.js", get(site::js))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/api/submissions/{id}", get(api::submission_api))
        .route("/api/findings/{id}/decision", post(api::decision_api))
        .route("/api/export/{kind}", get(api::export_file))
        .route("/api/rules", get(api::rules_api))
        .merge(uploads)
        .fallback(site::not_found)
        .layer(middleware::from_fn_with_state(app.clone(), guard::guard))
        .with_state(app)
}
