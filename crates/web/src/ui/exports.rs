//! Exports (导出): the list of one's own requests and those awaiting one's decision, the
//! request form, a request's page with its approval chain (the approver's masked sample,
//! the decision forms, the requester's download), the store's export rules, and the
//! auditor's leak tracing. Every page calls the same use cases as the JSON API.

mod actions;
mod detail;
mod list;
mod new;
mod rules;
mod trace;

use super::i18n::Lang;
use crate::WebState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use dealervault_app::exports::ExportView;

/// A leaked file as a form upload: the reader's own limit, and room for the form's
/// other parts and boundaries.
const TRACE_BODY_LIMIT: usize = crate::api::TRACE_LIMIT_BYTES + 1024 * 1024;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/exports", get(list::show).post(new::create))
        .route("/exports/new", get(new::show))
        .route("/exports/rules", get(rules::show).post(rules::save))
        .route("/exports/{id}", get(detail::show))
        .route("/exports/{id}/approve", post(actions::approve))
        .route("/exports/{id}/reject", post(actions::reject))
        .route("/exports/{id}/download", get(actions::download))
        .route(
            "/audit/trace",
            get(trace::show)
                .post(trace::upload)
                .layer(DefaultBodyLimit::max(TRACE_BODY_LIMIT)),
        )
}

/// A request's status in words.
pub fn status_label(lang: Lang, code: &str) -> String {
    lang.code_label("export.status", code)
}

/// The badge class of a status: waiting, usable, refused or spent.
pub fn status_badge(code: &str) -> &'static str {
    match code {
        "pending" => "badge-warning",
        "approved" | "ready" => "badge-success",
        "rejected" => "badge-danger",
        _ => "badge-muted",
    }
}

/// The file format in words.
pub fn format_label(lang: Lang, code: &str) -> String {
    lang.code_label("export.format", code)
}

/// Field names as their labels, in the request's order.
pub fn field_labels(lang: Lang, fields: &[String]) -> Vec<&'static str> {
    fields.iter().map(|f| lang.field_label(f)).collect()
}

/// A coded customer value (source, gender) in words; anything else as it is.
pub fn cell_text(lang: Lang, field: &str, value: &str) -> String {
    match field {
        "source" | "gender" => lang.code_label(field, value),
        _ => value.to_string(),
    }
}

/// Whether the request may still be decided (its chain waits for someone).
pub fn is_pending(view: &ExportView) -> bool {
    view.status == "pending"
}
