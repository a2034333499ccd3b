//! Two-step sign-in: setting it up for the caller (open to a session that may do nothing
//! else yet), recovery codes, and the administrator's reset for a lost phone.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiActor, ApiJson, ApiPath, ApiSession};
use crate::WebState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dealervault_app::auth::{AccountMfa, MfaStatus};
use dealervault_app::{Actor, AppError};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::fmt;
use utoipa::ToSchema;

/// The key to set up, shown once.
#[derive(Serialize, ToSchema)]
pub struct MfaSetupBody {
    /// The key in base32, for typing into an authenticator app.
    pub secret: String,
    /// `otpauth://totp/DealerVault:<username>?secret=…&issuer=DealerVault`, what the
    /// QR code of the page carries.
    pub otpauth_uri: String,
}

impl fmt::Debug for MfaSetupBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MfaSetupBody(..)")
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MfaCode {
    /// The six digits the authenticator app shows now.
    #[schema(value_type = String, format = Password)]
    pub code: SecretString,
}

impl fmt::Debug for MfaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MfaCode(..)")
    }
}

/// Recovery codes, shown this once: the server keeps only their hashes.
#[derive(Serialize, ToSchema)]
pub struct RecoveryCodes {
    /// Ten codes `xxxx-xxxx-xxxx`, each usable once instead of an app's code.
    pub recovery_codes: Vec<String>,
}

impl fmt::Debug for RecoveryCodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCodes(..)")
    }
}

/// Setting up is the one thing a session on a one-time password may not do first.
fn not_on_a_one_time_password(actor: &Actor) -> Result<(), ApiError> {
    if actor.must_change_password() {
        return Err(AppError::PasswordChangeRequired.into());
    }
    Ok(())
}

/// Where the caller stands with two-step sign-in.
#[utoipa::path(
    get,
    path = "/api/v1/auth/mfa",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's two-step sign-in", body = MfaStatus),
        (status = 401, description = "unauthenticated", body = ErrorBody),
    )
)]
pub async fn status(
    State(state): State<WebState>,
    ApiSession(actor): ApiSession,
) -> Result<Json<MfaStatus>, ApiError> {
    Ok(Json(state.app.mfa_status(&actor).await?))
}

/// A new key for the caller's authenticator app, shown once; nothing changes at sign-in
/// until it is confirmed. Open to a session that may only set up two-step sign-in.
#[utoipa::path(
    post,
    path = "/api/v1/auth/mfa/setup",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The key, as text and as an otpauth URI", body = MfaSetupBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "password_change_required", body = ErrorBody),
        (status = 409, description = "mfa_already_enabled", body = ErrorBody),
    )
)]
pub async fn setup(
    State(state): State<WebState>,
    ApiSession(actor): ApiSession,
) -> Result<Json<MfaSetupBody>, ApiError> {
    not_on_a_one_time_password(&actor)?;
    let setup = state.app.begin_mfa_setup(&actor).await?;
    Ok(Json(MfaSetupBody {
        secret: setup.secret.expose_secret().to_string(),
        otpauth_uri: setup.otpauth_uri.expose_secret().to_string(),
    }))
}

/// Confirms the key set up with a current code: two-step sign-in is on from now, and
/// the ten recovery codes are answered this once.
#[utoipa::path(
    post,
    path = "/api/v1/auth/mfa/confirm",
    tag = "auth",
    security(("bearer" = [])),
    request_body = MfaCode,
    responses(
        (status = 200, description = "On; the recovery codes", body = RecoveryCodes),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 409, description = "mfa_not_pending", body = ErrorBody),
        (status = 422, description = "invalid_input: code incorrect", body = ErrorBody),
    )
)]
pub async fn confirm(
    State(state): State<WebState>,
    ApiSession(actor): ApiSession,
    ApiJson(body): ApiJson<MfaCode>,
) -> Result<Json<RecoveryCodes>, ApiError> {
    not_on_a_one_time_password(&actor)?;
    let codes = state
        .app
        .confirm_mfa(&actor, body.code.expose_secret())
        .await?;
    Ok(Json(RecoveryCodes {
        recovery_codes: codes,
    }))
}

/// Ten new recovery codes in place of all the old ones, for a current code.
#[utoipa::path(
    post,
    path = "/api/v1/auth/mfa/recovery-codes",
    tag = "auth",
    security(("bearer" = [])),
    request_body = MfaCode,
    responses(
        (status = 200, description = "The new recovery codes", body = RecoveryCodes),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 409, description = "mfa_not_enabled", body = ErrorBody),
        (status = 422, description = "invalid_input: code incorrect", body = ErrorBody),
    )
)]
pub async fn regenerate(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<MfaCode>,
) -> Result<Json<RecoveryCodes>, ApiError> {
    let codes = state
        .app
        .regenerate_recovery_codes(&actor, body.code.expose_secret())
        .await?;
    Ok(Json(RecoveryCodes {
        recovery_codes: codes,
    }))
}

/// An account's two-step sign-in, for its administrator.
#[utoipa::path(
    get,
    path = "/api/v1/users/{id}/mfa",
    tag = "users",
    params(("id" = String, Path, description = "Account id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "On or not, reset or not, recovery codes left", body = AccountMfa),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
    )
)]
pub async fn account(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<Json<AccountMfa>, ApiError> {
    Ok(Json(state.app.account_mfa(&actor, &id).await?))
}

/// A lost phone: removes the account's key and recovery codes and ends its sessions;
/// it must set two-step sign-in up again at its next sign-in (no new grace period).
/// Nobody resets their own.
#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/mfa/reset",
    tag = "users",
    params(("id" = String, Path, description = "Account id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Reset"),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 409, description = "cannot_change_self, mfa_not_enabled", body = ErrorBody),
    )
)]
pub async fn reset(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<StatusCode, ApiError> {
    state.app.reset_mfa(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
