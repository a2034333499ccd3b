//! Account administration, for the system administrator. None of it touches customers.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiActor, ApiJson, ApiPath};
use crate::WebState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dealervault_app::users::{
    AccountChange, FreezeInput, Frozen, NewAccount, NewUnit, OrgUnit, Resignation,
    ResignationInput, RiskReport, UserSummary,
};
use dealervault_app::AppError;
use dealervault_domain::error::Rule;
use secrecy::ExposeSecret;
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
    #[serde(default)]
    pub role: Option<String>,
    /// Where the account moves: a key of `GET /api/v1/org-units`.
    #[serde(default)]
    pub unit: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserCreate {
    /// 3–32 of `a-z 0-9 . _ -`, starting with a letter.
    pub username: String,
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// A key of `GET /api/v1/org-units`.
    pub unit: String,
}

/// An account with the one-time password it signs in with first: shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountWithPassword {
    pub user: UserSummary,
    pub one_time_password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrgUnitList {
    pub items: Vec<OrgUnit>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrgUnitCreated {
    /// The new place's key, for `unit` in the account routes.
    pub key: String,
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
            .change_account(&actor, &id, &[AccountChange::Disable])
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
            .change_account(&actor, &id, &[AccountChange::Enable])
            .await?,
    ))
}

/// Gives an account another role and/or moves it; both apply together on the
/// account's next request.
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
        (status = 409, description = "cannot_change_self", body = ErrorBody),
        (status = 422, description = "invalid_input (unknown role or unit, or neither given)", body = ErrorBody),
    )
)]
pub async fn change(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<UserPatch>,
) -> Result<Json<UserSummary>, ApiError> {
    let changes: Vec<AccountChange> = [
        body.role.map(|r| AccountChange::Role(r.trim().to_string())),
        body.unit.map(|u| AccountChange::Move(u.trim().to_string())),
    ]
    .into_iter()
    .flatten()
    .collect();
    if changes.is_empty() {
        return Err(AppError::invalid("role", Rule::Required).into());
    }
    Ok(Json(state.app.change_account(&actor, &id, &changes).await?))
}

/// Creates an account on a one-time password, returned this once; its first sign-in
/// must choose a new password.
#[utoipa::path(
    post,
    path = "/api/v1/users",
    tag = "users",
    request_body = UserCreate,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The account and its one-time password", body = AccountWithPassword),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 409, description = "username_taken", body = ErrorBody),
        (status = 422, description = "invalid_input naming each field", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<UserCreate>,
) -> Result<(StatusCode, Json<AccountWithPassword>), ApiError> {
    let new = NewAccount {
        username: body.username,
        display_name: body.display_name,
        role: body.role,
        unit: body.unit,
    };
    let created = state.app.create_user(&actor, &new).await?;
    Ok((
        StatusCode::CREATED,
        Json(AccountWithPassword {
            user: created.user,
            one_time_password: created.one_time_password.expose_secret().to_string(),
        }),
    ))
}

/// Replaces an account's password with a one-time password, returned this once; the
/// account's sessions end and its next sign-in must choose a new password.
#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/reset-password",
    tag = "users",
    params(("id" = String, Path, description = "User id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account and its one-time password", body = AccountWithPassword),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 409, description = "cannot_change_self", body = ErrorBody),
    )
)]
pub async fn reset_password(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<Json<AccountWithPassword>, ApiError> {
    let (user, password) = state.app.reset_password(&actor, &id).await?;
    Ok(Json(AccountWithPassword {
        user,
        one_time_password: password.expose_secret().to_string(),
    }))
}

/// The places an account can sit: the group, stores, departments, teams.
#[utoipa::path(
    get,
    path = "/api/v1/org-units",
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Places", body = OrgUnitList),
        (status = 403, description = "forbidden", body = ErrorBody),
    )
)]
pub async fn org_units(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<OrgUnitList>, ApiError> {
    Ok(Json(OrgUnitList {
        items: state.app.org_units(&actor).await?,
    }))
}

/// Adds a store, a department to a store, or a team to a department.
#[utoipa::path(
    post,
    path = "/api/v1/org-units",
    tag = "users",
    request_body = NewUnit,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new place", body = OrgUnitCreated),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 409, description = "unit_exists", body = ErrorBody),
        (status = 422, description = "invalid_input naming each field", body = ErrorBody),
    )
)]
pub async fn add_org_unit(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiJson(new): ApiJson<NewUnit>,
) -> Result<(StatusCode, Json<OrgUnitCreated>), ApiError> {
    let key = state.app.add_org_unit(&actor, &new).await?;
    Ok((StatusCode::CREATED, Json(OrgUnitCreated { key })))
}

/// Freezes an account at once (a dismissal): its sessions and tokens end, sign-in is
/// refused, its customers and open leads go to colleagues (`handover`, by default
/// round-robin over the team). The administrator for anyone; a store manager for their
/// store's staff.
#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/freeze",
    tag = "users",
    params(("id" = String, Path, description = "User id")),
    request_body = FreezeInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account, frozen, and what was handed over", body = Frozen),
        (status = 403, description = "forbidden (manages nobody)", body = ErrorBody),
        (status = 404, description = "not_found (missing, or not the actor's staff)", body = ErrorBody),
        (status = 409, description = "cannot_freeze_self, no_colleague_to_hand_over_to", body = ErrorBody),
        (status = 422, description = "invalid_input (reason, handover.to_user_id)", body = ErrorBody),
    )
)]
pub async fn freeze(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(input): ApiJson<FreezeInput>,
) -> Result<Json<Frozen>, ApiError> {
    Ok(Json(state.app.freeze_account(&actor, &id, &input).await?))
}

/// What the person viewed, revealed and exported in the last 30 and 90 days, against the
/// average of the same role in the same store; counts from the audit log.
#[utoipa::path(
    get,
    path = "/api/v1/users/{id}/risk-report",
    tag = "users",
    params(("id" = String, Path, description = "User id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report", body = RiskReport),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
    )
)]
pub async fn risk_report(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<Json<RiskReport>, ApiError> {
    Ok(Json(state.app.risk_report(&actor, &id).await?))
}

/// Records a resignation: the last day (the notice period runs until then: no exports,
/// fewer reveals, watched by the alert rule) and how the book is handed over when the
/// account freezes by itself at the store's closing time that day.
#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/resignation",
    tag = "users",
    params(("id" = String, Path, description = "User id")),
    request_body = ResignationInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Recorded", body = Resignation),
        (status = 403, description = "forbidden (manages nobody)", body = ErrorBody),
        (status = 404, description = "not_found (missing, or not the actor's staff)", body = ErrorBody),
        (status = 409, description = "cannot_change_self, no_colleague_to_hand_over_to", body = ErrorBody),
        (status = 422, description = "invalid_input (last_day, handover.to_user_id)", body = ErrorBody),
    )
)]
pub async fn resignation(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(input): ApiJson<ResignationInput>,
) -> Result<Json<Resignation>, ApiError> {
    Ok(Json(
        state.app.record_resignation(&actor, &id, &input).await?,
    ))
}
