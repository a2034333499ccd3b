//! Reports: counts over the caller's scope, no personal data. (The stock-age report
//! lives with the vehicles.)

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiActor, ApiQuery};
use crate::WebState;
use axum::extract::State;
use axum::Json;
use dealervault_app::reports::{Funnel, FunnelQuery};

/// The funnel conversion report: of the leads created from `from` to `to` (China time)
/// in the caller's scope, how many reached each stage, in all, per source and per
/// salesperson (the pool as `owner_id: null`). A lead lost on the way counts at the
/// furthest stage it reached. Shares are per mille, rounded. Counts and staff names
/// only: no lead and no customer is named.
#[utoipa::path(
    get,
    path = "/api/v1/reports/funnel",
    tag = "reports",
    params(FunnelQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The funnel report", body = Funnel),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden: the role may not view leads", body = ErrorBody),
        (status = 422, description = "a bad date (naming `from` or `to`), `from` after `to`, or more than 366 days", body = ErrorBody),
    )
)]
pub async fn funnel(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiQuery(query): ApiQuery<FunnelQuery>,
) -> Result<Json<Funnel>, ApiError> {
    Ok(Json(state.app.funnel(&actor, &query).await?))
}
