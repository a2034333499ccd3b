//! Logging in and out with bearer tokens.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiSession, ClientContext};
use crate::WebState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dealervault_app::auth::{SecondStep, SessionKind};
use dealervault_app::AppError;
use dealervault_domain::error::Rule;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::fmt;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
    /// For an account with two-step sign-in: the six digits its authenticator app
    /// shows. Each code works once.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Password)]
    pub totp_code: Option<SecretString>,
    /// Instead of `totp_code`: one of the account's recovery codes (`xxxx-xxxx-xxxx`),
    /// each usable once.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Password)]
    pub recovery_code: Option<SecretString>,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`. Shown once; the server keeps only a hash.
    pub token: String,
    /// Unix milliseconds (UTC) at which the session ends, used or not. An unused session
    /// ends earlier, after the idle timeout.
    pub expires_at: i64,
    /// The account still has a one-time password; change it before anything else.
    pub must_change_password: bool,
    /// Two-step sign-in is asked of the account (by its role, or after an
    /// administrator's reset) and not set up: until this moment (unix ms, UTC) it works
    /// as usual; from it, a session may only set it up. Absent when nothing is asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_enrol_by: Option<i64>,
    /// That moment has come: this session may only set up two-step sign-in
    /// (`POST /api/v1/auth/mfa/setup`); other calls answer 403 `mfa_enrolment_required`.
    pub mfa_enrolment_required: bool,
    /// A recovery code signed in: how many unused ones are left (make new ones when few
    /// are).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_codes_left: Option<i64>,
}

impl fmt::Debug for LoginResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginResponse")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Starts an API session. An account with two-step sign-in also sends `totp_code` (or
/// `recovery_code`); without one it is answered 401 `mfa_required` and no session begins.
/// A wrong, spent or expired code counts toward the account's lock like a wrong password.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = LoginResponse),
        (status = 401, description = "bad_credentials, account_disabled, mfa_required, totp_invalid, totp_reused, recovery_code_invalid, recovery_code_used", body = ErrorBody),
        (status = 422, description = "invalid_input", body = ErrorBody),
        (status = 429, description = "account_locked, rate_limited (see Retry-After)", body = ErrorBody),
    )
)]
pub async fn login(
    State(state): State<WebState>,
    ClientContext(ctx): ClientContext,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let second = match (body.totp_code, body.recovery_code) {
        (Some(_), Some(_)) => {
            return Err(AppError::invalid("recovery_code", Rule::NotAllowed).into());
        }
        (Some(code), None) => Some(SecondStep::Totp(code.expose_secret().to_string())),
        (None, Some(code)) => Some(SecondStep::RecoveryCode(code.expose_secret().to_string())),
        (None, None) => None,
    };
    let outcome = state
        .app
        .login_with(
            &body.username,
            &body.password,
            second.as_ref(),
            SessionKind::Api,
            ctx,
        )
        .await?;
    Ok(Json(LoginResponse {
        token: outcome.token,
        expires_at: outcome.expires_at,
        must_change_password: outcome.must_change_password,
        mfa_enrol_by: outcome.mfa_enrol_by,
        mfa_enrolment_required: outcome.mfa_enrolment_required,
        recovery_codes_left: outcome.recovery_codes_left,
    }))
}

/// Ends the session of the presented token.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, description = "unauthenticated", body = ErrorBody),
    )
)]
pub async fn logout(
    State(state): State<WebState>,
    ApiSession(actor): ApiSession,
) -> Result<StatusCode, ApiError> {
    state.app.logout(&actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    #[schema(value_type = String, format = Password)]
    pub current_password: SecretString,
    /// At least 10 characters, not the old password, not containing the username.
    #[schema(value_type = String, format = Password)]
    pub new_password: SecretString,
}

impl fmt::Debug for PasswordChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordChange(..)")
    }
}

/// Changes the caller's password; the caller's other sessions end. The only call (with
/// logout and `me`) open to an account still on its one-time password.
#[utoipa::path(
    post,
    path = "/api/v1/auth/password",
    tag = "auth",
    security(("bearer" = [])),
    request_body = PasswordChange,
    responses(
        (status = 204, description = "Password changed"),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 422, description = "invalid_input: current_password incorrect, new_password too short or not allowed", body = ErrorBody),
    )
)]
pub async fn change_password(
    State(state): State<WebState>,
    ApiSession(actor): ApiSession,
    ApiJson(body): ApiJson<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .change_password(&actor, &body.current_password, &body.new_password)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
