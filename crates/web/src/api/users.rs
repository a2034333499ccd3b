//! Account administration, for the system administrator. None of it touches customers.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiActor, ApiJson, ApiPath};
use crate::WebState;
use axum::extract::State;
use axum::Json;
use dealervault_app::users::{AccountChange, UserSummary};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    pub items: Vec<UserSummary>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    /// Role code, e.g. `sales_manager`. Applies on the account's next request.
    pub role: String,
}

/// Every account, without password material.
#[utoipa::path(
    get,
    path = "/api/v1/users",
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Accounts", body = UserList),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<UserList>, ApiError> {
    Ok(Json(UserList {
        items: state.app.list_users(&actor).await?,
    }))
}

/// Disables an account and ends all of its sessions at once.
#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/disable",
    tag = "users",
    params(("id" = String, Path, description = "User id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account", body = UserSummary),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 409, description = "cannot_disable_self", body = ErrorBody),
    )
)]
pub async fn disable(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<Json<UserSummary>, ApiError> {
    Ok(Json(
        state
            .app
            .change_account(&actor, &id, AccountChange::Disable)
            .await?,
    ))
}

/// Enables an account again and clears its failed-login counter.
#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/enable",
    tag = "users",
    params(("id" = String, Path, description = "User id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account", body = UserSummary),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
    )
)]
pub async fn enable(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<Json<UserSummary>, ApiError> {
    Ok(Json(
        state
            .app
            .change_account(&actor, &id, AccountChange::Enable)
            .await?,
    ))
}

/// Gives an account another role; it applies on the account's next request.
#[utoipa::path(
    patch,
    path = "/api/v1/users/{id}",
    tag = "users",
    params(("id" = String, Path, description = "User id")),
    request_body = UserPatch,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account", body = UserSummary),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 422, description = "invalid_input (unknown role)", body = ErrorBody),
    )
)]
pub async fn change_role(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<UserPatch>,
) -> Result<Json<UserSummary>, ApiError> {
    let role = body.role.trim().to_string();
    Ok(Json(
        state
            .app
            .change_account(&actor, &id, AccountChange::Role(role))
            .await?,
    ))
}
