//! The store manager's staff: each account with the size of its book, and handing a
//! book over before someone leaves (or after an automatic freeze left it behind).

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiActor, ApiJson, ApiPath};
use crate::WebState;
use axum::extract::State;
use axum::Json;
use dealervault_app::users::{HandedOver, HandoverInput, StaffDetail, StaffMember};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffList {
    pub items: Vec<StaffMember>,
}

/// Every account of the store manager's store: resignation, freeze, and how many
/// customers, open leads and open follow-ups it holds.
#[utoipa::path(
    get,
    path = "/api/v1/staff",
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The store's staff", body = StaffList),
        (status = 403, description = "forbidden (not a store manager)", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<StaffList>, ApiError> {
    Ok(Json(StaffList {
        items: state.app.staff(&actor).await?,
    }))
}

/// One account with the colleagues who could take over its book.
#[utoipa::path(
    get,
    path = "/api/v1/staff/{id}",
    tag = "users",
    params(("id" = String, Path, description = "User id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account and its possible heirs", body = StaffDetail),
        (status = 403, description = "forbidden (manages nobody)", body = ErrorBody),
        (status = 404, description = "not_found (missing, or not the actor's staff)", body = ErrorBody),
    )
)]
pub async fn detail(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<Json<StaffDetail>, ApiError> {
    Ok(Json(state.app.staff_detail(&actor, &id).await?))
}

/// Hands the person's customers, open leads (with their follow-ups and booked test
/// drives) and open tasks over now: `to_user`, `round_robin_team`, or `one_by_one` with
/// `assignments` (`{"entity": "customer"|"lead", "id", "to_user_id"}`, checked all
/// before any moves). Each move goes into the ownership ledger.
#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/handover",
    tag = "users",
    params(("id" = String, Path, description = "User id")),
    request_body = HandoverInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "What moved", body = HandedOver),
        (status = 403, description = "forbidden (manages nobody)", body = ErrorBody),
        (status = 404, description = "not_found (missing, or not the actor's staff)", body = ErrorBody),
        (status = 409, description = "cannot_change_self, no_colleague_to_hand_over_to", body = ErrorBody),
        (status = 422, description = "invalid_input (handover.to_user_id, handover.assignments)", body = ErrorBody),
    )
)]
pub async fn hand_over(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(input): ApiJson<HandoverInput>,
) -> Result<Json<HandedOver>, ApiError> {
    Ok(Json(state.app.hand_over_now(&actor, &id, &input).await?))
}
