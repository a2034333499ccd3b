//! The vehicle stock through the gate: list, detail, create, edit and the stock-age
//! report. Amounts are integer fen (分) under the catalog's field names: `list_price`
//! 32800000 is ¥328,000.00. Out-of-scope and missing vehicles both answer the one 404.

use super::error::{ApiError, ErrorBody};
use super::extract::{number, text, ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::WebState;
use axum::extract::State;
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::Json;
use dealervault_app::vehicles::{
    Amount, StockAge, VehicleInput, VehicleListQuery, VehiclePage, VehicleView,
};
use dealervault_domain::changes::given;
use serde::Deserialize;
use utoipa::ToSchema;

/// Query of the stock list. Every parameter is optional; blank is the same as absent.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `in_transit`, `in_stock`, `reserved`, `sold` or `delivered`.
    status: Option<String>,
    /// Text the model contains, any case; at most 50 characters.
    model: Option<String>,
    /// A whole VIN (17 characters, check digit verified), or its last 4 to 16.
    vin: Option<String>,
    /// 1-based page number.
    #[param(value_type = Option<u32>, minimum = 1)]
    page: Option<String>,
    /// Items per page, 1 to 100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
    /// `arrived_asc` (longest in stock first; the default), `arrived_desc` or
    /// `updated_desc`.
    sort: Option<String>,
}

impl ListParams {
    fn into_query(self) -> Result<VehicleListQuery, ApiError> {
        Ok(VehicleListQuery {
            page: number("page", self.page.as_deref())?,
            per_page: number("per_page", self.per_page.as_deref())?,
            status: text(self.status),
            model: text(self.model),
            vin: text(self.vin),
            sort: text(self.sort),
        })
    }
}

/// The fields a client may send to create or change a vehicle. Absent means "not given
/// / unchanged"; unknown fields are refused.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = VehicleInput)]
pub struct VehicleBody {
    /// 17 characters with a correct ISO 3779 check digit; only when creating.
    vin: Option<String>,
    /// Creating: `in_transit` or `in_stock` (default). Editing: a move the current
    /// status allows (`in_transit` → `in_stock`/`reserved`, `in_stock` → `reserved`,
    /// `reserved` → `in_stock`/`sold`, `sold` → `delivered`); 422 otherwise.
    status: Option<String>,
    /// Required when creating; at most 60 characters.
    model: Option<String>,
    /// At most 60 characters; empty clears it.
    trim: Option<String>,
    colour: Option<String>,
    /// Where the vehicle stands (yard, row).
    location: Option<String>,
    /// Fen, a whole number from 0 to 10,000,000,000; required when creating.
    list_price: Option<i64>,
    /// Fen; `null` clears it.
    #[serde(default, deserialize_with = "given")]
    #[schema(value_type = Option<i64>)]
    cost_price: Option<Option<i64>>,
    /// At most 1,000 characters; `null` clears it.
    #[serde(default, deserialize_with = "given")]
    #[schema(value_type = Option<String>)]
    supplier_terms: Option<Option<String>>,
}

impl From<VehicleBody> for VehicleInput {
    fn from(b: VehicleBody) -> Self {
        VehicleInput {
            vin: b.vin,
            status: b.status,
            model: b.model,
            trim: b.trim,
            colour: b.colour,
            location: b.location,
            list_price: b.list_price.map(Amount::Fen),
            cost_price: b.cost_price.map(|c| c.map(Amount::Fen)),
            supplier_terms: b.supplier_terms,
        }
    }
}

/// Vehicles of the caller's store, with the fields the role sees; audited.
#[utoipa::path(
    get,
    path = "/api/v1/vehicles",
    tag = "vehicles",
    params(ListParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of vehicles", body = VehiclePage),
        (status = 400, description = "bad_request (e.g. page=abc)", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden (no stock access, or a model search without seeing the model)", body = ErrorBody),
        (status = 422, description = "invalid_input (unknown status, malformed VIN search)", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<VehiclePage>, ApiError> {
    let query = params.into_query()?;
    Ok(Json(state.app.list_vehicles(&actor, query).await?))
}

/// One vehicle; another store's answers exactly like a missing one.
#[utoipa::path(
    get,
    path = "/api/v1/vehicles/{id}",
    tag = "vehicles",
    params(("id" = String, Path, description = "Vehicle id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The vehicle", body = VehicleView),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 404, description = "not_found (missing or out of scope)", body = ErrorBody),
    )
)]
pub async fn detail(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<Json<VehicleView>, ApiError> {
    Ok(Json(state.app.vehicle(&actor, &id).await?))
}

/// A new vehicle in the caller's store; arriving in stock dates it today.
#[utoipa::path(
    post,
    path = "/api/v1/vehicles",
    tag = "vehicles",
    request_body = VehicleBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = VehicleView),
        (status = 400, description = "bad_request (malformed JSON)", body = ErrorBody),
        (status = 403, description = "forbidden, field_not_editable", body = ErrorBody),
        (status = 409, description = "vehicle_exists (the VIN is in the group's stock)", body = ErrorBody),
        (status = 422, description = "invalid_input (VIN check digit, amounts, lengths, status)", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<VehicleBody>,
) -> Result<
    (
        StatusCode,
        [(axum::http::HeaderName, String); 1],
        Json<VehicleView>,
    ),
    ApiError,
> {
    let view = state.app.create_vehicle(&actor, &body.into()).await?;
    let location = format!("/api/v1/vehicles/{}", view.id);
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(view)))
}

/// Changes the given fields (each editable for the role) and moves the status.
#[utoipa::path(
    patch,
    path = "/api/v1/vehicles/{id}",
    tag = "vehicles",
    params(("id" = String, Path, description = "Vehicle id")),
    request_body = VehicleBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed vehicle", body = VehicleView),
        (status = 400, description = "bad_request (malformed JSON)", body = ErrorBody),
        (status = 403, description = "forbidden, field_not_editable (also for `vin`)", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 409, description = "vehicle_changed (someone saved it meanwhile)", body = ErrorBody),
        (status = 422, description = "invalid_input (a status move the current status does not allow: rule not_allowed_now)", body = ErrorBody),
    )
)]
pub async fn edit(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<VehicleBody>,
) -> Result<Json<VehicleView>, ApiError> {
    Ok(Json(
        state.app.edit_vehicle(&actor, &id, &body.into()).await?,
    ))
}

/// Vehicles on the lot (in stock or reserved) by days since arrival, in all and per
/// model: counts only.
#[utoipa::path(
    get,
    path = "/api/v1/reports/stock-age",
    tag = "vehicles",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The stock-age report", body = StockAge),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden", body = ErrorBody),
    )
)]
pub async fn stock_age(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<StockAge>, ApiError> {
    Ok(Json(state.app.stock_age(&actor).await?))
}
