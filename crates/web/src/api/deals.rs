//! Deals through the gate: quotes on leads, orders, vehicle allocation, payments,
//! delivery and cancellation. Amounts are integer fen under the catalog's field names.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::WebState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dealervault_app::deals::{
    AllocationInput, DealListQuery, DealView, OrderInput, PaymentInput, QuoteInput,
};

#[utoipa::path(get, path = "/api/v1/deals", tag = "deals", params(DealListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Deals in the caller's scope, latest changed first", body = Vec<DealView>),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 422, description = "invalid_input (unknown state)", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiQuery(query): ApiQuery<DealListQuery>,
) -> Result<Json<Vec<DealView>>, ApiError> {
    Ok(Json(state.app.deals(&actor, &query).await?))
}

#[utoipa::path(get, path = "/api/v1/deals/{id}", tag = "deals",
    params(("id" = String, Path, description = "Deal id")), security(("bearer" = [])),
    responses(
        (status = 200, description = "The deal as the caller may see it", body = DealView),
        (status = 404, description = "not_found (missing or out of scope)", body = ErrorBody),
    ))]
pub async fn detail(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<Json<DealView>, ApiError> {
    Ok(Json(state.app.deal(&actor, &id).await?))
}

/// Quotes a lead (报价); the lead moves to `quoted`.
#[utoipa::path(post, path = "/api/v1/leads/{id}/quotes", tag = "deals",
    params(("id" = String, Path, description = "Lead id")),
    request_body = QuoteInput, security(("bearer" = [])),
    responses(
        (status = 201, description = "Quoted", body = DealView),
        (status = 403, description = "forbidden, field_not_editable", body = ErrorBody),
        (status = 404, description = "not_found (lead missing, out of scope or in the pool)", body = ErrorBody),
        (status = 422, description = "invalid_input (amounts, codes, a discount above the price, a closed lead)", body = ErrorBody),
    ))]
pub async fn quote(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(lead): ApiPath,
    ApiJson(input): ApiJson<QuoteInput>,
) -> Result<(StatusCode, Json<DealView>), ApiError> {
    let view = state.app.create_quote(&actor, &lead, &input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Signs a quote as an order (签约), with its deposit and perhaps its vehicle.
#[utoipa::path(post, path = "/api/v1/deals/{id}/order", tag = "deals",
    params(("id" = String, Path, description = "Deal id")),
    request_body = OrderInput, security(("bearer" = [])),
    responses(
        (status = 200, description = "Ordered", body = DealView),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 409, description = "contract_exists, vehicle_taken, vehicle_changed", body = ErrorBody),
        (status = 422, description = "invalid_input (not a quote; contract number, deposit, delivery date or vehicle refused)", body = ErrorBody),
    ))]
pub async fn order(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(input): ApiJson<OrderInput>,
) -> Result<Json<DealView>, ApiError> {
    Ok(Json(state.app.place_order(&actor, &id, &input).await?))
}

/// Allocates a vehicle of the store's stock to an order (it becomes `reserved`).
#[utoipa::path(post, path = "/api/v1/deals/{id}/allocate", tag = "deals",
    params(("id" = String, Path, description = "Deal id")),
    request_body = AllocationInput, security(("bearer" = [])),
    responses(
        (status = 200, description = "Allocated", body = DealView),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 409, description = "vehicle_taken, vehicle_changed", body = ErrorBody),
        (status = 422, description = "invalid_input (not an order; vehicle unknown or not free)", body = ErrorBody),
    ))]
pub async fn allocate(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(input): ApiJson<AllocationInput>,
) -> Result<Json<DealView>, ApiError> {
    Ok(Json(state.app.allocate_vehicle(&actor, &id, &input).await?))
}

/// Records a payment on an order.
#[utoipa::path(post, path = "/api/v1/deals/{id}/payments", tag = "deals",
    params(("id" = String, Path, description = "Deal id")),
    request_body = PaymentInput, security(("bearer" = [])),
    responses(
        (status = 200, description = "Recorded", body = DealView),
        (status = 403, description = "field_not_editable (paid)", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 422, description = "invalid_input (not an order; amount above the balance; date)", body = ErrorBody),
    ))]
pub async fn pay(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(input): ApiJson<PaymentInput>,
) -> Result<Json<DealView>, ApiError> {
    Ok(Json(state.app.record_payment(&actor, &id, &input).await?))
}

/// Delivers an order: vehicle delivered, lead `delivered`, customer-care calls planned
/// at 24 hours, 7 days and 30 days.
#[utoipa::path(post, path = "/api/v1/deals/{id}/deliver", tag = "deals",
    params(("id" = String, Path, description = "Deal id")), security(("bearer" = [])),
    responses(
        (status = 200, description = "Delivered", body = DealView),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 422, description = "invalid_input (not an order; no vehicle allocated; balance unpaid)", body = ErrorBody),
    ))]
pub async fn deliver(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<Json<DealView>, ApiError> {
    Ok(Json(state.app.deliver_order(&actor, &id).await?))
}

/// Calls a quote or an undelivered order off; its vehicle goes back to stock.
#[utoipa::path(post, path = "/api/v1/deals/{id}/cancel", tag = "deals",
    params(("id" = String, Path, description = "Deal id")), security(("bearer" = [])),
    responses(
        (status = 200, description = "Cancelled", body = DealView),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 422, description = "invalid_input (already delivered or cancelled)", body = ErrorBody),
    ))]
pub async fn cancel(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<Json<DealView>, ApiError> {
    Ok(Json(state.app.cancel_deal(&actor, &id).await?))
}
