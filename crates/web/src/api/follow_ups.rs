//! Follow-ups through the gate: planned, logged and completed, on leads in scope.

use super::error::{ApiError, ErrorBody};
use super::extract::{text, ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::WebState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dealervault_app::follow_ups::{
    FollowUpInput, FollowUpListQuery, FollowUpOutcome, FollowUpView,
};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `today` (default: open and due by the end of today), `overdue`, `open`, `done`.
    when: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/follow-ups", tag = "follow-ups", params(ListParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Follow-ups in the caller's scope, soonest due first", body = Vec<FollowUpView>),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 422, description = "invalid_input", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<Vec<FollowUpView>>, ApiError> {
    let query = FollowUpListQuery {
        when: text(params.when),
    };
    Ok(Json(state.app.list_follow_ups(&actor, query).await?))
}

/// Plans a follow-up on a lead, or logs one that just happened (`done: true`).
#[utoipa::path(post, path = "/api/v1/leads/{id}/follow-ups", tag = "follow-ups",
    params(("id" = String, Path, description = "Lead id")),
    request_body = FollowUpInput, security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = FollowUpView),
        (status = 403, description = "forbidden, field_not_editable", body = ErrorBody),
        (status = 404, description = "not_found (lead missing, out of scope or in the pool)", body = ErrorBody),
        (status = 422, description = "invalid_input (e.g. due_at not YYYY-MM-DDTHH:MM; a closed lead)", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(lead): ApiPath,
    ApiJson(input): ApiJson<FollowUpInput>,
) -> Result<(StatusCode, Json<FollowUpView>), ApiError> {
    let view = state.app.create_follow_up(&actor, &lead, &input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(post, path = "/api/v1/follow-ups/{id}/complete", tag = "follow-ups",
    params(("id" = String, Path, description = "Follow-up id")),
    request_body = FollowUpOutcome, security(("bearer" = [])),
    responses(
        (status = 200, description = "Done", body = FollowUpView),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 422, description = "invalid_input (already done or cancelled)", body = ErrorBody),
    ))]
pub async fn complete(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(outcome): ApiJson<FollowUpOutcome>,
) -> Result<Json<FollowUpView>, ApiError> {
    Ok(Json(
        state.app.complete_follow_up(&actor, &id, &outcome).await?,
    ))
}
