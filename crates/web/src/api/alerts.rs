//! Alerts for the people who read them (auditor, general manager, sales manager), each
//! within the scope of their role; acknowledging and commenting are recorded.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::WebState;
use axum::extract::State;
use axum::Json;
use dealervault_app::alerts::{AlertDetail, AlertView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct AlertList {
    pub items: Vec<AlertView>,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlertListQuery {
    /// `open` for open alerts only; absent or `all` for every alert.
    pub status: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgeRequest {
    /// Optional note on how the alert was handled (at most 2000 characters).
    #[serde(default)]
    pub comment: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentRequest {
    /// At most 2000 characters.
    pub comment: String,
}

/// Alerts about people in the caller's scope, newest first (at most 200).
#[utoipa::path(
    get,
    path = "/api/v1/alerts",
    tag = "alerts",
    params(AlertListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Alerts", body = AlertList),
        (status = 400, description = "bad_request (unknown status)", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiQuery(q): ApiQuery<AlertListQuery>,
) -> Result<Json<AlertList>, ApiError> {
    let open_only = match q.status.as_deref() {
        None | Some("") | Some("all") => false,
        Some("open") => true,
        Some(_) => return Err(ApiError::bad_parameter("status", "unknown_value")),
    };
    Ok(Json(AlertList {
        items: state.app.list_alerts(&actor, open_only).await?,
    }))
}

/// One alert with its comments. Out of scope answers like missing (404).
#[utoipa::path(
    get,
    path = "/api/v1/alerts/{id}",
    tag = "alerts",
    params(("id" = String, Path, description = "Alert id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The alert", body = AlertDetail),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
    )
)]
pub async fn detail(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<Json<AlertDetail>, ApiError> {
    Ok(Json(state.app.alert_detail(&actor, &id).await?))
}

/// Marks an alert as handled, with an optional comment.
#[utoipa::path(
    post,
    path = "/api/v1/alerts/{id}/acknowledge",
    tag = "alerts",
    params(("id" = String, Path, description = "Alert id")),
    request_body = AcknowledgeRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The alert", body = AlertDetail),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 409, description = "already_acknowledged, own_alert", body = ErrorBody),
        (status = 422, description = "invalid_input (comment)", body = ErrorBody),
    )
)]
pub async fn acknowledge(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<AcknowledgeRequest>,
) -> Result<Json<AlertDetail>, ApiError> {
    Ok(Json(
        state
            .app
            .acknowledge_alert(&actor, &id, body.comment.as_deref())
            .await?,
    ))
}

/// Adds a comment to an alert.
#[utoipa::path(
    post,
    path = "/api/v1/alerts/{id}/comments",
    tag = "alerts",
    params(("id" = String, Path, description = "Alert id")),
    request_body = CommentRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The alert", body = AlertDetail),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 409, description = "own_alert", body = ErrorBody),
        (status = 422, description = "invalid_input (comment)", body = ErrorBody),
    )
)]
pub async fn comment(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<CommentRequest>,
) -> Result<Json<AlertDetail>, ApiError> {
    Ok(Json(
        state.app.comment_alert(&actor, &id, &body.comment).await?,
    ))
}
