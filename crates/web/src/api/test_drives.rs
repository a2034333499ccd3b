//! Test drives through the gate: booked on leads in scope, completed with the signed
//! waiver, cancelled or marked missed; the store's day by vehicle.

use super::error::{ApiError, ErrorBody};
use super::extract::{text, ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::WebState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dealervault_app::test_drives::{
    TestDriveBooking, TestDriveCancel, TestDriveDayQuery, TestDriveDetail, TestDriveOutcome,
    TestDriveView,
};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DayParams {
    /// `YYYY-MM-DD` in the store's time; today when absent.
    day: Option<String>,
    /// Only this vehicle's drives.
    vehicle_id: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/test-drives", tag = "test-drives", params(DayParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The day's test drives in the caller's scope, by start time", body = Vec<TestDriveView>),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 422, description = "invalid_input (day not YYYY-MM-DD, unknown vehicle_id)", body = ErrorBody),
    ))]
pub async fn day(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<DayParams>,
) -> Result<Json<Vec<TestDriveView>>, ApiError> {
    let query = TestDriveDayQuery {
        day: text(params.day),
        vehicle_id: text(params.vehicle_id),
    };
    Ok(Json(state.app.test_drive_day(&actor, &query).await?))
}

#[utoipa::path(get, path = "/api/v1/leads/{id}/test-drives", tag = "test-drives",
    params(("id" = String, Path, description = "Lead id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The lead's test drives the caller may see", body = Vec<TestDriveView>),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
    ))]
pub async fn of_lead(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(lead): ApiPath,
) -> Result<Json<Vec<TestDriveView>>, ApiError> {
    Ok(Json(state.app.lead_test_drives(&actor, &lead).await?))
}

/// Books a vehicle of the lead's store that is in stock, for a slot of 30, 60 or 90
/// minutes. The licence number is sealed and shown masked like an ID number.
#[utoipa::path(post, path = "/api/v1/leads/{id}/test-drives", tag = "test-drives",
    params(("id" = String, Path, description = "Lead id")),
    request_body = TestDriveBooking, security(("bearer" = [])),
    responses(
        (status = 201, description = "Booked", body = TestDriveView),
        (status = 403, description = "forbidden, field_not_editable", body = ErrorBody),
        (status = 404, description = "not_found (lead missing, out of scope or in the pool)", body = ErrorBody),
        (status = 409, description = "test_drive_slot_taken (the vehicle is booked at starts_at)", body = ErrorBody),
        (status = 422, description = "invalid_input (starts_at, duration_minutes, licence_number, vehicle_id not in stock, a closed lead)", body = ErrorBody),
    ))]
pub async fn book(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(lead): ApiPath,
    ApiJson(input): ApiJson<TestDriveBooking>,
) -> Result<(StatusCode, Json<TestDriveView>), ApiError> {
    let view = state.app.book_test_drive(&actor, &lead, &input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(get, path = "/api/v1/test-drives/{id}", tag = "test-drives",
    params(("id" = String, Path, description = "Test drive id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The drive, and whether the caller may complete or cancel it", body = TestDriveDetail),
        (status = 404, description = "not_found", body = ErrorBody),
    ))]
pub async fn detail(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
) -> Result<Json<TestDriveDetail>, ApiError> {
    Ok(Json(state.app.test_drive(&actor, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/test-drives/{id}/complete", tag = "test-drives",
    params(("id" = String, Path, description = "Test drive id")),
    request_body = TestDriveOutcome, security(("bearer" = [])),
    responses(
        (status = 200, description = "Done; the lead moves on to test_drive", body = TestDriveView),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 422, description = "invalid_input (waiver_signed not true; no longer booked)", body = ErrorBody),
    ))]
pub async fn complete(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(outcome): ApiJson<TestDriveOutcome>,
) -> Result<Json<TestDriveView>, ApiError> {
    Ok(Json(
        state.app.complete_test_drive(&actor, &id, &outcome).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/test-drives/{id}/cancel", tag = "test-drives",
    params(("id" = String, Path, description = "Test drive id")),
    request_body = TestDriveCancel, security(("bearer" = [])),
    responses(
        (status = 200, description = "Cancelled, or marked no_show", body = TestDriveView),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 422, description = "invalid_input (no longer booked; no_show before the slot starts)", body = ErrorBody),
    ))]
pub async fn cancel(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath,
    ApiJson(cancel): ApiJson<TestDriveCancel>,
) -> Result<Json<TestDriveView>, ApiError> {
    Ok(Json(
        state.app.cancel_test_drive(&actor, &id, &cancel).await?,
    ))
}
