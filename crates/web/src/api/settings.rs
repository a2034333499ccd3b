//! The site settings, for the system administrator.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiActor, ApiJson};
use crate::WebState;
use axum::extract::State;
use axum::Json;
use dealervault_app::settings::{SettingsUpdate, SiteSettings};

/// Reveal quota, ID-number mask rule, session timeouts, password policy.
#[utoipa::path(
    get,
    path = "/api/v1/settings",
    tag = "settings",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The settings", body = SiteSettings),
        (status = 403, description = "forbidden", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<SiteSettings>, ApiError> {
    Ok(Json(state.app.site_settings(&actor).await?))
}

/// Changes the settings given, all or none. Timeouts apply from the next sign-in,
/// everything else from the next request. Audited by setting name.
#[utoipa::path(
    put,
    path = "/api/v1/settings",
    tag = "settings",
    request_body = SettingsUpdate,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The settings after the change", body = SiteSettings),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 422, description = "invalid_input naming each field", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<SettingsUpdate>,
) -> Result<Json<SiteSettings>, ApiError> {
    Ok(Json(state.app.update_settings(&actor, &body).await?))
}
