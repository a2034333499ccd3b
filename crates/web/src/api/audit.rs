//! The audit log, for the auditor.

use super::error::{ApiError, ErrorBody};
use super::extract::{number, text, ApiActor, ApiPath, ApiQuery};
use crate::WebState;
use axum::extract::State;
use axum::Json;
use dealervault_app::audit_trail::{ActivitySummary, AuditFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

const DEFAULT_LIMIT: u32 = 100;
const MAX_LIMIT: u32 = 1000;
/// Days an activity timeline covers unless asked otherwise.
pub const DEFAULT_DAYS: u32 = 30;

/// Filters; all optional, blank is the same as absent.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Username of the actor.
    actor: Option<String>,
    /// Events that touched this customer.
    customer_id: Option<String>,
    /// e.g. `customer.reveal`, `auth.login`.
    action: Option<String>,
    /// `allowed`, `denied` or `failed`.
    outcome: Option<String>,
    /// Unix milliseconds, inclusive.
    #[param(value_type = Option<i64>)]
    since: Option<String>,
    /// Unix milliseconds.
    #[param(value_type = Option<i64>)]
    until: Option<String>,
    /// Older than this sequence number (paging: pass the previous `next_before_seq`).
    #[param(value_type = Option<i64>)]
    before_seq: Option<String>,
    /// 1 to 1000 (default 100).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    limit: Option<String>,
}

/// One event of the hash chain. Fields are names, never values.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditItem {
    pub seq: i64,
    /// Unix milliseconds, UTC.
    pub at: i64,
    /// The actor's username (`system` for installation steps; `null` for a login attempt
    /// on an unknown account).
    pub actor: Option<String>,
    pub actor_id: Option<String>,
    pub action: String,
    pub entity: String,
    pub record_ids: Vec<String>,
    pub fields: Vec<String>,
    /// `allowed`, `denied` or `failed`.
    pub outcome: String,
    pub reason: Option<String>,
    pub client_addr: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    /// Newest first.
    pub items: Vec<AuditItem>,
    /// Pass as `before_seq` for the next (older) page; `null` on the last page.
    pub next_before_seq: Option<i64>,
}

/// The audit log, newest first. Reading it is itself recorded.
#[utoipa::path(
    get,
    path = "/api/v1/audit",
    tag = "audit",
    params(AuditParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Events", body = AuditPage),
        (status = 400, description = "bad_request (e.g. since=abc)", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden (only the auditor reads the log)", body = ErrorBody),
        (status = 422, description = "validation_failed (an unknown outcome)", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> Result<Json<AuditPage>, ApiError> {
    let limit = number::<u32>("limit", params.limit.as_deref())?
        .unwrap_or(DEFAULT_LIMIT)
        .clamp(1, MAX_LIMIT);
    let filter = AuditFilter {
        since: number("since", params.since.as_deref())?,
        until: number("until", params.until.as_deref())?,
        before_seq: number("before_seq", params.before_seq.as_deref())?,
        limit: Some(limit),
        actor: text(params.actor),
        customer_id: text(params.customer_id),
        action: text(params.action),
        outcome: text(params.outcome),
    };
    let rows = state.app.audit_events(&actor, filter).await?;
    let full = rows.len() == limit as usize;
    let items: Vec<AuditItem> = rows
        .into_iter()
        .map(|r| AuditItem {
            seq: r.seq,
            at: r.at,
            actor: r.actor_username,
            actor_id: r.actor_id,
            action: r.action,
            entity: r.entity,
            record_ids: r.record_ids,
            fields: r.fields,
            outcome: r.outcome,
            reason: r.reason,
            client_addr: r.client_addr,
            prev_hash: r.prev_hash,
            hash: r.hash,
        })
        .collect();
    let next_before_seq = if full {
        items.last().map(|i| i.seq)
    } else {
        None
    };
    Ok(Json(AuditPage {
        items,
        next_before_seq,
    }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimelineParams {
    /// Local days covered, counting today: 1 to 366 (default 30).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 366)]
    days: Option<String>,
}

/// One employee's activity per day (Asia/Shanghai): lists, views, reveals, changes,
/// exports, sign-ins and refusals. Reading it is recorded.
#[utoipa::path(
    get,
    path = "/api/v1/audit/people/{username}",
    tag = "audit",
    params(("username" = String, Path, description = "The employee's username"), TimelineParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The activity", body = ActivitySummary),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden (only the auditor reads the log)", body = ErrorBody),
        (status = 404, description = "not_found (no such username)", body = ErrorBody),
        (status = 422, description = "validation_failed (days out of range)", body = ErrorBody),
    )
)]
pub async fn timeline(
    State(state): State<WebState>,
    ApiActor(actor): ApiActor,
    ApiPath(username): ApiPath,
    ApiQuery(params): ApiQuery<TimelineParams>,
) -> Result<Json<ActivitySummary>, ApiError> {
    let days = number::<u32>("days", params.days.as_deref())?.unwrap_or(DEFAULT_DAYS);
    let timeline = state.app.activity_timeline(&actor, &username, days).await?;
    Ok(Json(timeline.summary))
}
