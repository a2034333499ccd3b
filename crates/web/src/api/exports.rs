//! Exports through the gate: requests, the approval chain's decisions, the download of
//! an approved file (streamed, chunk by chunk, as it is opened), the store's export
//! rules, and the auditor's leak tracing.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiActor, ApiJson, ApiPath};
use crate::WebState;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use dealervault_app::exports::{
    DecisionInput, ExportDownload, ExportInput, ExportList, ExportRules, ExportView, TraceReport,
};
use dealervault_app::App;

/// Asks for an export; the store's chain decides who approves it.
#[utoipa::path(post, path = "/api/v1/exports", tag = "exports",
    request_body = ExportInput, security(("bearer" = [])),
    responses(
        (status = 201, description = "Requested: pending, or approved at once when the store exports that size directly", body = ExportView),
        (status = 403, description = "forbidden (no export right), notice_period", body = ErrorBody),
        (status = 422, description = "invalid_input (entity, fields the role may not export, format, purpose, filter)", body = ErrorBody),
    ))]
pub async fn request(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<ExportInput>,
) -> Result<(StatusCode, Json<ExportView>), ApiError> {
    let view = state.app.request_export(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(get, path = "/api/v1/exports", tag = "exports", security(("bearer" = [])),
    responses(
        (status = 200, description = "One's own requests, those awaiting one's decision, and others of the store one approves for", body = ExportList),
    ))]
pub async fn list(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<ExportList>, ApiError> {
    Ok(Json(state.app.list_exports(&actor).await?))
}

#[utoipa::path(get, path = "/api/v1/exports/{id}", tag = "exports",
    params(("id" = String, Path, description = "Export id")), security(("bearer" = [])),
    responses(
        (status = 200, description = "The request; the approver it waits for also gets a masked sample", body = ExportView),
        (status = 404, description = "not_found (missing, or neither one's own nor on one's chain)", body = ErrorBody),
    ))]
pub async fn detail(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<Json<ExportView>, ApiError> {
    Ok(Json(state.app.export(&actor, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/exports/{id}/approve", tag = "exports",
    params(("id" = String, Path, description = "Export id")),
    request_body = DecisionInput, security(("bearer" = [])),
    responses(
        (status = 200, description = "Approved (the last step opens the download window)", body = ExportView),
        (status = 403, description = "own_request, not_the_approver", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 409, description = "already_approved, export_expired, export_decided", body = ErrorBody),
    ))]
pub async fn approve(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<Json<ExportView>, ApiError> {
    Ok(Json(state.app.approve_export(&actor, &id, &input).await?))
}

#[utoipa::path(post, path = "/api/v1/exports/{id}/reject", tag = "exports",
    params(("id" = String, Path, description = "Export id")),
    request_body = DecisionInput, security(("bearer" = [])),
    responses(
        (status = 200, description = "Rejected", body = ExportView),
        (status = 403, description = "own_request, not_the_approver", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 409, description = "export_expired, export_decided", body = ErrorBody),
    ))]
pub async fn reject(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<Json<ExportView>, ApiError> {
    Ok(Json(state.app.reject_export(&actor, &id, &input).await?))
}

/// The file, for its requester, once approved; each download counted and audited.
#[utoipa::path(get, path = "/api/v1/exports/{id}/download", tag = "exports",
    params(("id" = String, Path, description = "Export id")), security(("bearer" = [])),
    responses(
        (status = 200, description = "The CSV (UTF-8 with BOM) or XLSX file, watermarked", content_type = "application/octet-stream"),
        (status = 403, description = "forbidden (not the requester)", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 409, description = "export_not_approved, export_expired, downloads_used", body = ErrorBody),
    ))]
pub async fn download(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    let file = state.app.download_export(&actor, &id).await?;
    Ok(stream_file(state.app.clone(), file))
}

/// The file as a response body that reads, opens and sends one chunk at a time.
pub(crate) fn stream_file(app: App, file: ExportDownload) -> Response {
    let disposition = format!(
        "attachment; filename=\"{}\"",
        file.filename.replace(['"', '\\'], "")
    );
    let headers = [
        (header::CONTENT_TYPE, file.media_type.to_string()),
        (header::CONTENT_DISPOSITION, disposition),
        (header::CONTENT_LENGTH, file.length.to_string()),
    ];
    let chunks = futures_util::stream::unfold(Some((app, file)), |state| async move {
        let (app, mut file) = state?;
        match file.next_chunk(&app).await {
            Ok(Some(bytes)) => Some((Ok(Bytes::from(bytes)), Some((app, file)))),
            Ok(None) => None,
            Err(e) => {
                tracing::error!(error = %e, "an export file could not be read back");
                Some((Err(std::io::Error::other("export file unreadable")), None))
            }
        }
    });
    (headers, Body::from_stream(chunks)).into_response()
}

#[utoipa::path(get, path = "/api/v1/export-rules", tag = "exports", security(("bearer" = [])),
    responses(
        (status = 200, description = "The store's approval chain and download limits", body = ExportRules),
        (status = 403, description = "forbidden (only who may export store-wide)", body = ErrorBody),
    ))]
pub async fn rules(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<ExportRules>, ApiError> {
    Ok(Json(state.app.export_rules(&actor).await?))
}

#[utoipa::path(put, path = "/api/v1/export-rules", tag = "exports",
    request_body = ExportRules, security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved; waiting requests keep the steps they were given", body = ExportRules),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 422, description = "invalid_input (ranges, unknown role)", body = ErrorBody),
    ))]
pub async fn save_rules(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiJson(rules): ApiJson<ExportRules>,
) -> Result<Json<ExportRules>, ApiError> {
    Ok(Json(state.app.save_export_rules(&actor, &rules).await?))
}

/// Names the export(s) a leaked file most likely came from; the file is the request body.
#[utoipa::path(post, path = "/api/v1/exports/trace", tag = "exports",
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The leaked CSV or XLSX file, at most 64 MiB"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Candidates, best first (none: no export matched)", body = TraceReport),
        (status = 403, description = "forbidden (auditors only)", body = ErrorBody),
        (status = 413, description = "payload_too_large", body = ErrorBody),
        (status = 422, description = "invalid_input (file: empty_file, unsupported_file, corrupt_file, file_too_large)", body = ErrorBody),
    ))]
pub async fn trace(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    body: Bytes,
) -> Result<Json<TraceReport>, ApiError> {
    Ok(Json(state.app.trace_leak(&actor, &body).await?))
}
