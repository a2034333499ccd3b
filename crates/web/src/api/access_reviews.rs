//! Access reviews (权限复核) and the "who can see what" report: the administrator or the
//! auditor starts a quarter's campaign, each reviewer keeps or removes the accounts they
//! answer for, and both oversight roles read the report. No customer data in any of it.

use super::error::{ApiError, ErrorBody};
use super::extract::{text, ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::WebState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dealervault_app::reviews::{
    AccessReport, ReviewDecisionInput, ReviewDetail, ReviewItemView, ReviewList, ReviewView,
    StartReviewInput,
};
use serde::Deserialize;

/// Starts the current quarter's campaign: an item per active account, each with its
/// snapshot (role, place, rights) and its reviewer.
#[utoipa::path(post, path = "/api/v1/access-reviews", tag = "access reviews",
    request_body = StartReviewInput, security(("bearer" = [])),
    responses(
        (status = 201, description = "Started", body = ReviewView),
        (status = 403, description = "forbidden (the administrator and the auditor only)", body = ErrorBody),
        (status = 409, description = "review_exists (the quarter has its campaign)", body = ErrorBody),
        (status = 422, description = "invalid_input (quarter: not `YYYY-Qn` or not the current quarter; due_on: not a date after today within 90 days)", body = ErrorBody),
    ))]
pub async fn start(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<StartReviewInput>,
) -> Result<(StatusCode, Json<ReviewView>), ApiError> {
    let view = state.app.start_access_review(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// The campaigns: all of them with counts per store for the administrator and the
/// auditor; for anyone else those with items in their reach.
#[utoipa::path(get, path = "/api/v1/access-reviews", tag = "access reviews",
    security(("bearer" = [])),
    responses((status = 200, description = "Newest quarter first", body = ReviewList)))]
pub async fn list(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<ReviewList>, ApiError> {
    Ok(Json(state.app.list_access_reviews(&actor).await?))
}

/// A campaign and its items in the caller's reach: every item for the administrator
/// and the auditor, the store's for its manager, one's own to review otherwise.
#[utoipa::path(get, path = "/api/v1/access-reviews/{id}", tag = "access reviews",
    params(("id" = String, Path, description = "Campaign id")), security(("bearer" = [])),
    responses(
        (status = 200, description = "The campaign and its items", body = ReviewDetail),
        (status = 404, description = "not_found (missing, or nothing of it in reach)", body = ErrorBody),
    ))]
pub async fn detail(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<Json<ReviewDetail>, ApiError> {
    Ok(Json(state.app.access_review(&actor, &id).await?))
}

/// Keeps or removes an account's access. `remove` freezes the account at once (its
/// sessions and API tokens end) and hands its customers and open leads round-robin over
/// its team.
#[utoipa::path(post, path = "/api/v1/access-reviews/items/{id}/decision", tag = "access reviews",
    params(("id" = String, Path, description = "Item id")),
    request_body = ReviewDecisionInput, security(("bearer" = [])),
    responses(
        (status = 200, description = "Decided (with what a removal handed over)", body = ReviewItemView),
        (status = 403, description = "not_the_reviewer", body = ErrorBody),
        (status = 404, description = "not_found (missing or out of reach)", body = ErrorBody),
        (status = 409, description = "review_item_decided, no_colleague_to_hand_over_to", body = ErrorBody),
        (status = 422, description = "invalid_input (decision; comment: required to remove, no phone or ID number)", body = ErrorBody),
    ))]
pub async fn decide(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(input): ApiJson<ReviewDecisionInput>,
) -> Result<Json<ReviewItemView>, ApiError> {
    Ok(Json(
        state.app.decide_review_item(&actor, &id, &input).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// A store's code: the holders of that store only.
    store: Option<String>,
}

/// Who can see what: per role, each customer field's level and export right, the widest
/// rows per entity × action, and the active accounts holding it per store. Generated
/// from the roles' policies; no customer data.
#[utoipa::path(get, path = "/api/v1/access-report", tag = "access reviews",
    params(ReportQuery), security(("bearer" = [])),
    responses(
        (status = 200, description = "The report", body = AccessReport),
        (status = 403, description = "forbidden (the administrator and the auditor only)", body = ErrorBody),
        (status = 422, description = "invalid_input (store: no such store)", body = ErrorBody),
    ))]
pub async fn report(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiQuery(query): ApiQuery<ReportQuery>,
) -> Result<Json<AccessReport>, ApiError> {
    let store = text(query.store);
    Ok(Json(
        state
            .app
            .access_report(&actor, store.as_deref(), false)
            .await?,
    ))
}
