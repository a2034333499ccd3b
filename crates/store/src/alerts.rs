//! Anomaly alerts: their rules, the engine's cursor over the audit log, the counts the
//! rules are decided on, the alerts themselves with their comments, and the outbox of
//! deliveries. Alerts hold ids and counts, never personal data.

mod deliveries;
mod evidence;
mod inbox;
mod rules;

pub use evidence::EventCount;

use crate::rows::{from_row, json_list};
use dealervault_domain::ids::{StoreId, UserId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRuleRow {
    pub kind: String,
    pub enabled: bool,
    pub threshold: i64,
    pub window_secs: i64,
    /// `info`, `warning` or `critical`.
    pub severity: String,
    /// `none`, `require_relogin` or `freeze`.
    pub action: String,
    pub updated_at: i64,
}

from_row!(AlertRuleRow, |row| AlertRuleRow {
    kind: row.try_get("kind")?,
    enabled: row.try_get("enabled")?,
    threshold: row.try_get("threshold")?,
    window_secs: row.try_get("window_secs")?,
    severity: row.try_get("severity")?,
    action: row.try_get("action")?,
    updated_at: row.try_get("updated_at")?,
});

/// A store's business hours (minutes of the day in its zone) and allowed networks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreAlertSettingsRow {
    pub store_id: StoreId,
    pub open_minute: i64,
    pub close_minute: i64,
    /// CIDRs, e.g. `10.1.0.0/16`; empty means the network is not checked.
    pub networks: Vec<String>,
}

from_row!(StoreAlertSettingsRow, |row| StoreAlertSettingsRow {
    store_id: StoreId::from_stored(row.try_get("store_id")?),
    open_minute: row.try_get("open_minute")?,
    close_minute: row.try_get("close_minute")?,
    networks: json_list(row.try_get("networks")?)?,
});

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRow {
    pub id: String,
    pub kind: String,
    pub severity: String,
    pub subject_user_id: UserId,
    pub subject_username: String,
    pub store_id: Option<StoreId>,
    pub department_id: Option<String>,
    pub event_count: i64,
    pub threshold: i64,
    pub window_secs: i64,
    /// Opaque ids of the records involved (customers, or nothing).
    pub record_ids: Vec<String>,
    pub last_seq: i64,
    pub action_taken: String,
    pub created_at: i64,
    /// `open` or `acknowledged`.
    pub status: String,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<i64>,
}

from_row!(AlertRow, |row| AlertRow {
    id: row.try_get("id")?,
    kind: row.try_get("kind")?,
    severity: row.try_get("severity")?,
    subject_user_id: UserId::from_stored(row.try_get("subject_user_id")?),
    subject_username: row.try_get("subject_username")?,
    store_id: row
        .try_get::<Option<String>, _>("store_id")?
        .map(StoreId::from_stored),
    department_id: row.try_get("department_id")?,
    event_count: row.try_get("event_count")?,
    threshold: row.try_get("threshold")?,
    window_secs: row.try_get("window_secs")?,
    record_ids: json_list(row.try_get("record_ids")?)?,
    last_seq: row.try_get("last_seq")?,
    action_taken: row.try_get("action_taken")?,
    created_at: row.try_get("created_at")?,
    status: row.try_get("status")?,
    acknowledged_by: row.try_get("acknowledged_by")?,
    acknowledged_at: row.try_get("acknowledged_at")?,
});

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertCommentRow {
    pub id: String,
    pub alert_id: String,
    pub author_id: UserId,
    pub author_username: String,
    pub body: String,
    pub created_at: i64,
}

from_row!(AlertCommentRow, |row| AlertCommentRow {
    id: row.try_get("id")?,
    alert_id: row.try_get("alert_id")?,
    author_id: UserId::from_stored(row.try_get("author_id")?),
    author_username: row.try_get("author_username")?,
    body: row.try_get("body")?,
    created_at: row.try_get("created_at")?,
});

/// One delivery of one alert on one channel, in the outbox until it succeeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRow {
    pub id: String,
    pub alert_id: String,
    pub channel: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub delivered_at: Option<i64>,
    pub created_at: i64,
}

from_row!(DeliveryRow, |row| DeliveryRow {
    id: row.try_get("id")?,
    alert_id: row.try_get("alert_id")?,
    channel: row.try_get("channel")?,
    attempts: row.try_get("attempts")?,
    next_attempt_at: row.try_get("next_attempt_at")?,
    last_error: row.try_get("last_error")?,
    delivered_at: row.try_get("delivered_at")?,
    created_at: row.try_get("created_at")?,
});
