//! Who the token belongs to.

use super::error::{ApiError, ErrorBody};
use super::extract::ApiSession;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    pub username: String,
    pub display_name: String,
    /// Role code, e.g. `sales_consultant`.
    pub role: String,
    pub role_name_zh: String,
    pub role_name_en: String,
    /// The store the account belongs to; `null` for group-level accounts.
    pub store_code: Option<String>,
}

/// The logged-in account and its role.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller", body = Me),
        (status = 401, description = "unauthenticated, session_expired, account_disabled", body = ErrorBody),
    )
)]
pub async fn me(ApiSession(actor): ApiSession) -> Result<Json<Me>, ApiError> {
    Ok(Json(Me {
        id: actor.user_id().to_string(),
        username: actor.username().to_string(),
        display_name: actor.display_name().to_string(),
        role: actor.role_code().to_string(),
        role_name_zh: actor.role_name(true).to_string(),
        role_name_en: actor.role_name(false).to_string(),
        store_code: actor.store_code().map(str::to_string),
    }))
}
