//! Customers through the gate: every handler is one call into a use case, which scopes,
//! masks and audits. Out-of-scope and missing records both answer the one 404 body.

use super::error::{ApiError, ErrorBody};
use super::extract::{number, text, ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::WebState;
use axum::extract::State;
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::Json;
use dealervault_app::customers::{
    AccessHistory, CustomerListQuery, CustomerPage, CustomerView, OwnershipSpell, Revealed,
};
use dealervault_domain::customer::CustomerInput;
use serde::Deserialize;
use utoipa::ToSchema;

/// Query of the customer list. Every parameter is optional; blank is the same as absent.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Matches name and notes (notes only for roles that see them); at most 50 characters.
    q: Option<String>,
    /// Exact mobile number (blind index).
    mobile: Option<String>,
    /// Exact 18-digit resident ID number (blind index).
    id_number: Option<String>,
    /// Only this owner's customers (a user id; within the caller's scope).
    owner: Option<String>,
    /// Only customers from this source code (`walk_in`, `autohome`, …); for roles that
    /// see the source in clear (403 otherwise).
    source: Option<String>,
    /// 1-based page number.
    #[param(value_type = Option<u32>, minimum = 1)]
    page: Option<String>,
    /// Items per page, 1 to 100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
    /// `updated_desc` (default), `created_desc` or `created_asc`.
    sort: Option<String>,
}

impl ListParams {
    fn into_query(self) -> Result<CustomerListQuery, ApiError> {
        Ok(CustomerListQuery {
            page: number("page", self.page.as_deref())?,
            per_page: number("per_page", self.per_page.as_deref())?,
            q: text(self.q),
            mobile: text(self.mobile),
            id_number: text(self.id_number),
            owner: text(self.owner),
            source: text(self.source),
            sort: text(self.sort),
        })
    }
}

/// The fields a client may send to create or change a customer. Absent means "not
/// given / unchanged", `null` means "clear"; unknown fields are refused.
#[derive(ToSchema)]
#[schema(as = CustomerInput)]
#[allow(dead_code)] // describes `dealervault_domain::customer::CustomerInput` for OpenAPI
struct CustomerInputSchema {
    name: Option<String>,
    /// Mainland China mobile number; `+86`, spaces and dashes are accepted.
    mobile: Option<String>,
    /// 18-digit resident ID number with a valid check character.
    id_number: Option<String>,
    email: Option<String>,
    address: Option<String>,
    wechat: Option<String>,
    /// `YYYY-MM-DD`.
    birth_date: Option<String>,
    /// `male`, `female` or `unknown`.
    gender: Option<String>,
    /// `walk_in`, `phone`, `website`, `autohome`, `dongchedi`, `referral`, `auto_show`,
    /// `campaign` or `other`.
    source: Option<String>,
    notes: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevealRequest {
    /// The field to show in clear, e.g. `mobile`.
    #[serde(default)]
    pub field: String,
    /// Why the clear value is needed; recorded in the audit log. Required, at most 200
    /// characters.
    #[serde(default)]
    pub reason: String,
}

/// Customers in the caller's scope, masked per role; the list itself is audited.
#[utoipa::path(
    get,
    path = "/api/v1/customers",
    tag = "customers",
    params(ListParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of customers", body = CustomerPage),
        (status = 400, description = "bad_request (e.g. page=abc)", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden (role has no customer access, or searched a hidden field)", body = ErrorBody),
        (status = 422, description = "invalid_input (e.g. malformed mobile search)", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<CustomerPage>, ApiError> {
    let query = params.into_query()?;
    Ok(Json(state.app.list_customers(&actor, query).await?))
}

/// One customer; out of scope answers exactly like missing.
#[utoipa::path(
    get,
    path = "/api/v1/customers/{id}",
    tag = "customers",
    params(("id" = String, Path, description = "Customer id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The customer", body = CustomerView),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 404, description = "not_found (missing or out of scope)", body = ErrorBody),
    )
)]
pub async fn detail(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<Json<CustomerView>, ApiError> {
    Ok(Json(state.app.customer(&actor, &id).await?))
}

/// Who accessed this customer ("谁看过这个客户"): views, reveals, edits, exports and syncs
/// from the audit log, newest first, for roles granted `history` (the store manager).
#[utoipa::path(
    get,
    path = "/api/v1/customers/{id}/access-history",
    tag = "customers",
    params(("id" = String, Path, description = "Customer id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The access history", body = AccessHistory),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden (the role may not read access histories)", body = ErrorBody),
        (status = 404, description = "not_found (missing or out of scope)", body = ErrorBody),
    )
)]
pub async fn access_history(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<Json<AccessHistory>, ApiError> {
    Ok(Json(state.app.customer_access_history(&actor, &id).await?))
}

/// A new customer owned by the caller, in the caller's store.
#[utoipa::path(
    post,
    path = "/api/v1/customers",
    tag = "customers",
    request_body = CustomerInputSchema,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = CustomerView),
        (status = 400, description = "bad_request (malformed JSON)", body = ErrorBody),
        (status = 403, description = "forbidden, field_not_editable", body = ErrorBody),
        (status = 409, description = "customer_exists (names the owner only)", body = ErrorBody),
        (status = 413, description = "payload_too_large", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 422, description = "invalid_input", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<CustomerInput>,
) -> Result<
    (
        StatusCode,
        [(axum::http::HeaderName, String); 1],
        Json<CustomerView>,
    ),
    ApiError,
> {
    let view = state.app.create_customer(&actor, &input).await?;
    let location = format!("/api/v1/customers/{}", view.id);
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(view)))
}

/// Changes the given fields; each must be editable for the caller's role.
#[utoipa::path(
    patch,
    path = "/api/v1/customers/{id}",
    tag = "customers",
    params(("id" = String, Path, description = "Customer id")),
    request_body = CustomerInputSchema,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed customer", body = CustomerView),
        (status = 400, description = "bad_request (malformed JSON)", body = ErrorBody),
        (status = 403, description = "forbidden, field_not_editable", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 409, description = "customer_exists", body = ErrorBody),
        (status = 422, description = "invalid_input", body = ErrorBody),
    )
)]
pub async fn edit(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(input): ApiJson<CustomerInput>,
) -> Result<Json<CustomerView>, ApiError> {
    Ok(Json(state.app.edit_customer(&actor, &id, &input).await?))
}

/// Shows one masked field in clear, for a stated reason, within the daily quota.
#[utoipa::path(
    post,
    path = "/api/v1/customers/{id}/reveal",
    tag = "customers",
    params(("id" = String, Path, description = "Customer id")),
    request_body = RevealRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The clear value and what is left of today's quota", body = Revealed),
        (status = 403, description = "forbidden, field_not_revealable", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 422, description = "invalid_input (unknown field, missing reason)", body = ErrorBody),
        (status = 429, description = "reveal_quota_exceeded", body = ErrorBody),
    )
)]
pub async fn reveal(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<RevealRequest>,
) -> Result<Json<Revealed>, ApiError> {
    Ok(Json(
        state
            .app
            .reveal_customer_field(&actor, &id, &body.field, &body.reason)
            .await?,
    ))
}

/// Who owned the customer, from when to when, and why.
#[utoipa::path(
    get,
    path = "/api/v1/customers/{id}/ownership",
    tag = "customers",
    params(("id" = String, Path, description = "Customer id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The ownership ledger, oldest spell first", body = Vec<OwnershipSpell>),
        (status = 404, description = "not_found (missing or out of scope)", body = ErrorBody),
    )
)]
pub async fn ownership(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<Json<Vec<OwnershipSpell>>, ApiError> {
    Ok(Json(state.app.customer_ownership(&actor, &id).await?))
}
