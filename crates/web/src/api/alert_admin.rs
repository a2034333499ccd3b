//! What the system administrator configures for alerts: rules, the webhook, e-mail, store hours
//! and networks, honeytoken customers. The administrator reads no alert and no customer.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiActor, ApiJson, ApiPath};
use crate::WebState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dealervault_app::alerts::{
    AlertRuleUpdate, AlertRuleView, EmailUpdate, EmailView, HoneytokenView, StoreAlertSettingsView,
    WebhookView,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct AlertRules {
    pub items: Vec<AlertRuleView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertRulesUpdate {
    /// Changes, applied together or not at all.
    pub items: Vec<AlertRuleUpdate>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookUpdate {
    /// `http://` or `https://` URL; empty turns the webhook off.
    pub url: String,
    /// The HMAC secret (at least 16 characters); required the first time, never shown back.
    #[serde(default)]
    pub secret: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StoreSettingsList {
    pub items: Vec<StoreAlertSettingsView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StoreSettingsUpdate {
    /// `HH:MM` in the store's zone.
    pub open: String,
    pub close: String,
    /// CIDRs staff work from; empty means not checked.
    #[serde(default)]
    pub networks: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HoneytokenList {
    pub items: Vec<HoneytokenView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlantRequest {
    /// Store code, e.g. `SH01`.
    pub store: String,
    /// Username of the owner, a person of that store.
    pub owner: String,
}

/// Every rule with its settings.
#[utoipa::path(
    get,
    path = "/api/v1/alert-rules",
    tag = "alert administration",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Rules", body = AlertRules),
        (status = 403, description = "forbidden", body = ErrorBody),
    )
)]
pub async fn rules(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<AlertRules>, ApiError> {
    Ok(Json(AlertRules {
        items: state.app.alert_rules(&actor).await?,
    }))
}

/// Changes rules (enabled, threshold, window, severity, action).
#[utoipa::path(
    put,
    path = "/api/v1/alert-rules",
    tag = "alert administration",
    request_body = AlertRulesUpdate,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every rule after the change", body = AlertRules),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 422, description = "invalid_input naming the field", body = ErrorBody),
    )
)]
pub async fn update_rules(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<AlertRulesUpdate>,
) -> Result<Json<AlertRules>, ApiError> {
    Ok(Json(AlertRules {
        items: state.app.update_alert_rules(&actor, &body.items).await?,
    }))
}

/// The webhook: URL and whether a secret is set (never the secret).
#[utoipa::path(
    get,
    path = "/api/v1/alert-webhook",
    tag = "alert administration",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The webhook", body = WebhookView),
        (status = 403, description = "forbidden", body = ErrorBody),
    )
)]
pub async fn webhook(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<WebhookView>, ApiError> {
    Ok(Json(state.app.alert_webhook(&actor).await?))
}

/// Sets or clears the webhook. Deliveries are signed: `X-DealerVault-Timestamp` and
/// `X-DealerVault-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`.
#[utoipa::path(
    put,
    path = "/api/v1/alert-webhook",
    tag = "alert administration",
    request_body = WebhookUpdate,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The webhook", body = WebhookView),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 422, description = "invalid_input (url, secret)", body = ErrorBody),
    )
)]
pub async fn set_webhook(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<WebhookUpdate>,
) -> Result<Json<WebhookView>, ApiError> {
    Ok(Json(
        state
            .app
            .set_alert_webhook(&actor, &body.url, body.secret.as_deref())
            .await?,
    ))
}

/// The e-mail channel: SMTP server, sender, recipients, minimum severity and language,
/// and whether a password is set (never the password).
#[utoipa::path(
    get,
    path = "/api/v1/alert-email",
    tag = "alert administration",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The e-mail channel", body = EmailView),
        (status = 403, description = "forbidden", body = ErrorBody),
    )
)]
pub async fn email(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<EmailView>, ApiError> {
    Ok(Json(state.app.alert_email(&actor).await?))
}

/// Sets or clears (blank `host`) the e-mail channel. Security `none` is accepted only
/// for a loopback or private-network host; a blank password keeps the one set. Mails
/// name the rule, person, store, time and counts, never a customer.
#[utoipa::path(
    put,
    path = "/api/v1/alert-email",
    tag = "alert administration",
    request_body = EmailUpdate,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The e-mail channel", body = EmailView),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 422, description = "invalid_input (host, port, security, username, password, from, recipients, min_severity, lang)", body = ErrorBody),
    )
)]
pub async fn set_email(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<EmailUpdate>,
) -> Result<Json<EmailView>, ApiError> {
    Ok(Json(state.app.set_alert_email(&actor, &body).await?))
}

/// Business hours and networks of every store.
#[utoipa::path(
    get,
    path = "/api/v1/alert-stores",
    tag = "alert administration",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Stores", body = StoreSettingsList),
        (status = 403, description = "forbidden", body = ErrorBody),
    )
)]
pub async fn stores(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<StoreSettingsList>, ApiError> {
    Ok(Json(StoreSettingsList {
        items: state.app.store_alert_settings(&actor).await?,
    }))
}

/// Sets a store's business hours and networks.
#[utoipa::path(
    put,
    path = "/api/v1/alert-stores/{code}",
    tag = "alert administration",
    params(("code" = String, Path, description = "Store code")),
    request_body = StoreSettingsUpdate,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Stores", body = StoreSettingsList),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 422, description = "invalid_input (store, open, close, networks)", body = ErrorBody),
    )
)]
pub async fn set_store(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(code): ApiPath,
    ApiJson(body): ApiJson<StoreSettingsUpdate>,
) -> Result<Json<StoreSettingsList>, ApiError> {
    Ok(Json(StoreSettingsList {
        items: state
            .app
            .set_store_alert_settings(&actor, &code, &body.open, &body.close, &body.networks)
            .await?,
    }))
}

/// Planted honeytoken customers: ids, store, owner and times only.
#[utoipa::path(
    get,
    path = "/api/v1/honeytokens",
    tag = "alert administration",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Honeytokens", body = HoneytokenList),
        (status = 403, description = "forbidden", body = ErrorBody),
    )
)]
pub async fn honeytokens(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<HoneytokenList>, ApiError> {
    Ok(Json(HoneytokenList {
        items: state.app.list_honeytokens(&actor).await?,
    }))
}

/// Plants an invented customer in a store; opening it raises a critical alert.
#[utoipa::path(
    post,
    path = "/api/v1/honeytokens",
    tag = "alert administration",
    request_body = PlantRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The honeytoken", body = HoneytokenView),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 422, description = "invalid_input (store, owner)", body = ErrorBody),
    )
)]
pub async fn plant(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<PlantRequest>,
) -> Result<(StatusCode, Json<HoneytokenView>), ApiError> {
    let view = state
        .app
        .plant_honeytoken(&actor, &body.store, &body.owner)
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Stops a honeytoken from alerting; the invented customer stays.
#[utoipa::path(
    post,
    path = "/api/v1/honeytokens/{id}/retire",
    tag = "alert administration",
    params(("id" = String, Path, description = "Customer id of the honeytoken")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Retired"),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
    )
)]
pub async fn retire(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<StatusCode, ApiError> {
    state.app.retire_honeytoken(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
