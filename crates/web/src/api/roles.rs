//! Roles and their rights, for the system administrator: the same operations as the
//! permission editor's pages. A role's rights are a policy document: `grants`
//! (`{"entity", "action", "scope", "effect": "allow"|"deny"}`) and `fields`
//! (`{"entity", "field", "level": "hidden"|"masked"|"clear"|"editable", "export"}`).

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiActor, ApiJson, ApiPath};
use crate::WebState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dealervault_app::customers::CustomerView;
use dealervault_app::roles::{NewRole, RoleDetail, RolePreview};
use dealervault_policy::change::Difference;
use dealervault_policy::RolePolicy;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleBody {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub builtin: bool,
    /// Accounts holding the role.
    pub members: i64,
    /// Send it back with a change: a change made from an older version is refused.
    pub version: i64,
    #[schema(value_type = Object)]
    pub policy: RolePolicy,
    /// Holders must sign in with a second step (TOTP); beside the policy, not in it.
    pub requires_mfa: bool,
}

impl From<RoleDetail> for RoleBody {
    fn from(r: RoleDetail) -> Self {
        Self {
            code: r.code,
            name_zh: r.name_zh,
            name_en: r.name_en,
            builtin: r.builtin,
            members: r.members,
            version: r.version,
            policy: r.policy,
            requires_mfa: r.requires_mfa,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleList {
    pub items: Vec<RoleBody>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleCreate {
    /// `a-z 0-9 _`, starting with a letter, e.g. `used_car_sales`.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleUpdate {
    /// The `version` the change was made from.
    pub version: i64,
    #[schema(value_type = Object)]
    pub policy: RolePolicy,
    /// Require two-step sign-in of the holders, or stop requiring it; absent: as it
    /// is. Marking starts their grace period; lifting it is an opening (`mfa`).
    #[serde(default)]
    pub requires_mfa: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleChanged {
    pub role: RoleBody,
    /// Every difference from before; `opens` marks what lets the role do or see more.
    pub differences: Vec<DifferenceBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DifferenceBody {
    /// `grant:customer.view`, `deny:…`, `field:customer.mobile`, `export:…`, `mfa`.
    pub item: String,
    pub opens: bool,
    #[schema(value_type = Object)]
    pub detail: Difference,
}

impl From<Difference> for DifferenceBody {
    fn from(d: Difference) -> Self {
        Self {
            item: d.item(),
            opens: d.opens(),
            detail: d,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    #[schema(value_type = Object)]
    pub policy: RolePolicy,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewBody {
    /// The widest scope of customers the role sees; absent when it sees none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub scope: Option<dealervault_domain::access::ScopeLevel>,
    /// What it may do with customers.
    #[schema(value_type = Vec<String>)]
    pub actions: Vec<dealervault_policy::Action>,
    /// The invented sample customer as the role would see it.
    pub customer: CustomerView,
}

impl From<RolePreview> for PreviewBody {
    fn from(p: RolePreview) -> Self {
        Self {
            scope: p.scope,
            actions: p.actions,
            customer: p.customer,
        }
    }
}

/// Every role with its rights and number of holders.
#[utoipa::path(
    get,
    path = "/api/v1/roles",
    tag = "roles",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Roles", body = RoleList),
        (status = 403, description = "forbidden", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<RoleList>, ApiError> {
    let roles = state.app.role_details(&actor).await?;
    Ok(Json(RoleList {
        items: roles.into_iter().map(RoleBody::from).collect(),
    }))
}

/// Creates a role with no rights at all (default deny).
#[utoipa::path(
    post,
    path = "/api/v1/roles",
    tag = "roles",
    request_body = RoleCreate,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new role", body = RoleBody),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 409, description = "role_exists", body = ErrorBody),
        (status = 422, description = "invalid_input naming the field", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<RoleCreate>,
) -> Result<(StatusCode, Json<RoleBody>), ApiError> {
    let new = NewRole {
        code: body.code,
        name_zh: body.name_zh,
        name_en: body.name_en,
    };
    let role = state.app.create_role(&actor, &new).await?;
    Ok((StatusCode::CREATED, Json(role.into())))
}

/// One role with its rights.
#[utoipa::path(
    get,
    path = "/api/v1/roles/{code}",
    tag = "roles",
    params(("code" = String, Path, description = "Role code")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The role", body = RoleBody),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
    )
)]
pub async fn detail(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(code): ApiPath,
) -> Result<Json<RoleBody>, ApiError> {
    Ok(Json(state.app.role_detail(&actor, &code).await?.into()))
}

/// Replaces a role's rights. Applies on every holder's next request; audited with the
/// name of each changed item.
#[utoipa::path(
    put,
    path = "/api/v1/roles/{code}",
    tag = "roles",
    params(("code" = String, Path, description = "Role code")),
    request_body = RoleUpdate,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The role and what changed", body = RoleChanged),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 409, description = "role_changed, separation_of_duties or cannot_lock_out_self", body = ErrorBody),
        (status = 422, description = "invalid_input: an action or field that does not exist", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(code): ApiPath,
    ApiJson(body): ApiJson<RoleUpdate>,
) -> Result<Json<RoleChanged>, ApiError> {
    let saved = state
        .app
        .save_role_with(&actor, &code, body.version, &body.policy, body.requires_mfa)
        .await?;
    Ok(Json(RoleChanged {
        role: saved.role.into(),
        differences: saved.differences.into_iter().map(Into::into).collect(),
    }))
}

/// The invented sample customer as a policy would show it (nothing real is read).
#[utoipa::path(
    post,
    path = "/api/v1/roles/preview",
    tag = "roles",
    request_body = PreviewRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The sample as the role sees it", body = PreviewBody),
        (status = 403, description = "forbidden", body = ErrorBody),
    )
)]
pub async fn preview(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<PreviewRequest>,
) -> Result<Json<PreviewBody>, ApiError> {
    Ok(Json(
        state.app.preview_role(&actor, &body.policy).await?.into(),
    ))
}
