//! Leads and the public pool through the gate: every handler is one use case call.
//! Out-of-scope and missing leads both answer the one 404 body; a pool lead is seen
//! masked until claimed.

use super::customers::RevealRequest;
use super::error::{ApiError, ErrorBody};
use super::extract::{number, text, ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::WebState;
use axum::extract::State;
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::Json;
use dealervault_app::customers::Revealed;
use dealervault_app::leads::{
    Assignee, Converted, LeadDetail, LeadListQuery, LeadPage, LeadRules, LeadRulesUpdate, LeadView,
};
use dealervault_domain::sales::LeadInput;
use serde::Deserialize;
use utoipa::ToSchema;

/// Query of the lead lists. Every parameter is optional; blank is the same as absent.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// A status (`new`, `contacted`, `visited`, `test_drive`, `quoted`, `ordered`,
    /// `delivered`, `lost`) or `open` for every status still being worked.
    status: Option<String>,
    /// A source code (`walk_in`, `autohome`, …), for roles that see the source.
    source: Option<String>,
    /// Only this owner's leads (a user id).
    owner: Option<String>,
    /// Exact mobile number (blind index), for roles that see the mobile.
    mobile: Option<String>,
    /// Part of the name, any case, for roles that see names in clear (not in the pool).
    q: Option<String>,
    /// `overdue`: the next follow-up is past due.
    due: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1)]
    page: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

impl ListParams {
    fn into_query(self) -> Result<LeadListQuery, ApiError> {
        Ok(LeadListQuery {
            page: number("page", self.page.as_deref())?,
            per_page: number("per_page", self.per_page.as_deref())?,
            status: text(self.status),
            source: text(self.source),
            owner: text(self.owner),
            mobile: text(self.mobile),
            q: text(self.q),
            due: text(self.due),
        })
    }
}

/// Who a new lead goes to.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CreateParams {
    /// `me` (default), `pool`, `rule` (the store's assignment rule) or a colleague's
    /// user id (needs the `assign` right over them).
    assign: Option<String>,
}

/// A lead's fields. Absent means unchanged, `null` clears; unknown fields are refused.
#[derive(ToSchema)]
#[schema(as = LeadInput)]
#[allow(dead_code)] // describes `dealervault_domain::sales::LeadInput` for OpenAPI
struct LeadInputSchema {
    name: Option<String>,
    /// Mainland China mobile number.
    mobile: Option<String>,
    wechat: Option<String>,
    /// `walk_in` (default), `phone`, `website`, `autohome`, `dongchedi`, `referral`,
    /// `auto_show`, `campaign` or `other`.
    source: Option<String>,
    intended_model: Option<String>,
    /// Yuan, at most two decimals (`250000`, `250,000.00`).
    budget: Option<String>,
    notes: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// The new status; `ordered` and `delivered` come only from an order.
    pub status: String,
    /// With `lost`: `bought_elsewhere`, `price`, `not_interested`, `unreachable`,
    /// `financing` or `other`.
    #[serde(default)]
    pub lost_reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    pub user_id: String,
}

#[utoipa::path(get, path = "/api/v1/leads", tag = "leads", params(ListParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of leads in the caller's scope", body = LeadPage),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 422, description = "invalid_input", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<LeadPage>, ApiError> {
    Ok(Json(
        state.app.list_leads(&actor, params.into_query()?).await?,
    ))
}

/// The store's public pool (公海): leads without an owner, contact data masked.
#[utoipa::path(get, path = "/api/v1/leads/pool", tag = "leads", params(ListParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of the pool", body = LeadPage),
        (status = 403, description = "forbidden (no claim right)", body = ErrorBody),
    ))]
pub async fn pool(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<LeadPage>, ApiError> {
    Ok(Json(
        state.app.list_pool(&actor, params.into_query()?).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/leads", tag = "leads", params(CreateParams),
    request_body = LeadInputSchema, security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = LeadView),
        (status = 403, description = "forbidden, field_not_editable", body = ErrorBody),
        (status = 409, description = "lead_exists (an open lead with this mobile; names nobody)", body = ErrorBody),
        (status = 422, description = "invalid_input", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<CreateParams>,
    ApiJson(input): ApiJson<LeadInput>,
) -> Result<
    (
        StatusCode,
        [(axum::http::HeaderName, String); 1],
        Json<LeadView>,
    ),
    ApiError,
> {
    let assignee = Assignee::parse(params.assign.as_deref());
    let view = state.app.create_lead(&actor, &input, &assignee).await?;
    let location = format!("/api/v1/leads/{}", view.id);
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(view)))
}

/// A lead with its follow-ups and ownership ledger; a pool lead the caller may claim
/// is shown masked.
#[utoipa::path(get, path = "/api/v1/leads/{id}", tag = "leads",
    params(("id" = String, Path, description = "Lead id")), security(("bearer" = [])),
    responses(
        (status = 200, description = "The lead", body = LeadDetail),
        (status = 404, description = "not_found (missing or out of scope)", body = ErrorBody),
    ))]
pub async fn detail(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<Json<LeadDetail>, ApiError> {
    Ok(Json(state.app.lead_detail(&actor, &id).await?))
}

#[utoipa::path(patch, path = "/api/v1/leads/{id}", tag = "leads",
    params(("id" = String, Path, description = "Lead id")),
    request_body = LeadInputSchema, security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed lead", body = LeadView),
        (status = 403, description = "field_not_editable", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 409, description = "lead_exists", body = ErrorBody),
        (status = 422, description = "invalid_input", body = ErrorBody),
    ))]
pub async fn edit(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(input): ApiJson<LeadInput>,
) -> Result<Json<LeadView>, ApiError> {
    Ok(Json(state.app.edit_lead(&actor, &id, &input).await?))
}

/// Moves the lead along the funnel by hand.
#[utoipa::path(post, path = "/api/v1/leads/{id}/status", tag = "leads",
    params(("id" = String, Path, description = "Lead id")),
    request_body = StatusChange, security(("bearer" = [])),
    responses(
        (status = 200, description = "The lead", body = LeadView),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 422, description = "invalid_input (a move the status does not allow; a lost lead without reason)", body = ErrorBody),
    ))]
pub async fn status(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<StatusChange>,
) -> Result<Json<LeadView>, ApiError> {
    let view = state
        .app
        .move_lead(&actor, &id, &body.status, body.lost_reason.as_deref())
        .await?;
    Ok(Json(view))
}

#[utoipa::path(post, path = "/api/v1/leads/{id}/reveal", tag = "leads",
    params(("id" = String, Path, description = "Lead id")),
    request_body = RevealRequest, security(("bearer" = [])),
    responses(
        (status = 200, description = "The clear value and what is left of today's quota", body = Revealed),
        (status = 403, description = "forbidden, field_not_revealable", body = ErrorBody),
        (status = 404, description = "not_found (pool leads are not revealed: claim first)", body = ErrorBody),
        (status = 429, description = "reveal_quota_exceeded", body = ErrorBody),
    ))]
pub async fn reveal(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<RevealRequest>,
) -> Result<Json<Revealed>, ApiError> {
    let revealed = state
        .app
        .reveal_lead_field(&actor, &id, &body.field, &body.reason)
        .await?;
    Ok(Json(revealed))
}

/// Takes a lead from the pool, within the store's daily claim limit.
#[utoipa::path(post, path = "/api/v1/leads/{id}/claim", tag = "leads",
    params(("id" = String, Path, description = "Lead id")), security(("bearer" = [])),
    responses(
        (status = 204, description = "Claimed"),
        (status = 404, description = "not_found (not in a pool the caller sees)", body = ErrorBody),
        (status = 429, description = "claim_limit_reached", body = ErrorBody),
    ))]
pub async fn claim(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<StatusCode, ApiError> {
    state.app.claim_lead(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/leads/{id}/assign", tag = "leads",
    params(("id" = String, Path, description = "Lead id")),
    request_body = AssignRequest, security(("bearer" = [])),
    responses(
        (status = 204, description = "Assigned"),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 422, description = "invalid_input (not a colleague the caller may assign to)", body = ErrorBody),
    ))]
pub async fn assign(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<AssignRequest>,
) -> Result<StatusCode, ApiError> {
    state.app.assign_lead(&actor, &id, &body.user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Puts one of the caller's leads back in the pool.
#[utoipa::path(post, path = "/api/v1/leads/{id}/release", tag = "leads",
    params(("id" = String, Path, description = "Lead id")), security(("bearer" = [])),
    responses(
        (status = 204, description = "Back in the pool"),
        (status = 404, description = "not_found", body = ErrorBody),
    ))]
pub async fn release(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<StatusCode, ApiError> {
    state.app.release_lead(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Turns the lead into a customer, or links the customer it already is.
#[utoipa::path(post, path = "/api/v1/leads/{id}/convert", tag = "leads",
    params(("id" = String, Path, description = "Lead id")), security(("bearer" = [])),
    responses(
        (status = 200, description = "The customer", body = Converted),
        (status = 403, description = "forbidden (no right to create customers)", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 409, description = "customer_exists_elsewhere (names nobody)", body = ErrorBody),
    ))]
pub async fn convert(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<Json<Converted>, ApiError> {
    Ok(Json(state.app.convert_lead(&actor, &id).await?))
}

/// The caller's store's lead rules (assignment, claims a day, automatic return).
#[utoipa::path(get, path = "/api/v1/lead-rules", tag = "leads", security(("bearer" = [])),
    responses(
        (status = 200, description = "The rules", body = LeadRules),
        (status = 403, description = "forbidden (needs store-wide assign)", body = ErrorBody),
    ))]
pub async fn rules(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<LeadRules>, ApiError> {
    Ok(Json(state.app.lead_rules(&actor).await?))
}

#[utoipa::path(put, path = "/api/v1/lead-rules", tag = "leads", request_body = LeadRulesUpdate,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The saved rules", body = LeadRules),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 422, description = "invalid_input", body = ErrorBody),
    ))]
pub async fn save_rules(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<LeadRulesUpdate>,
) -> Result<Json<LeadRules>, ApiError> {
    state.app.save_lead_rules(&actor, &body).await?;
    Ok(Json(state.app.lead_rules(&actor).await?))
}
