//! Anomaly alerts: their rules, the engine's cursor over the audit log, the counts the
//! rules are decided on, the alerts themselves with their comments, and the outbox of
//! deliveries. Alerts hold ids and counts, never personal data.

use crate::error::StoreError;
use crate::rows::from_row;
use crate::sql::{bind_params, Param, Sql};
use crate::tx::{on_tx, Tx};
use dealervault_domain::access::{RowBound, RowFilter};
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

pub(crate) fn json_list(text: String) -> Result<Vec<String>, sqlx::Error> {
    serde_json::from_str(&text).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

pub(crate) fn to_json(list: &[String]) -> Result<String, StoreError> {
    serde_json::to_string(list).map_err(|e| StoreError::Other(format!("json list: {e}")))
}

/// Which events a count looks at: one person's, of these actions and outcomes, in
/// `since <= at <= until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventCount<'a> {
    pub actor_id: &'a str,
    pub actions: &'a [&'a str],
    pub outcomes: &'a [&'a str],
    pub since: i64,
    pub until: i64,
}

impl EventCount<'_> {
    fn push_where(&self, sql: &mut Sql) {
        sql.push(" WHERE a.actor_id = ").bind_text(self.actor_id);
        sql.push(" AND a.at >= ").bind(Param::Int(self.since));
        sql.push(" AND a.at <= ").bind(Param::Int(self.until));
        if !self.actions.is_empty() {
            sql.push(" AND a.action IN ")
                .bind_list(self.actions.iter().map(|a| Param::Text((*a).to_string())));
        }
        if !self.outcomes.is_empty() {
            sql.push(" AND a.outcome IN ")
                .bind_list(self.outcomes.iter().map(|a| Param::Text((*a).to_string())));
        }
    }
}

/// Alerts a reader may see: the subject's store and department against the reader's
/// row filter, in SQL.
fn push_alert_scope(sql: &mut Sql, filter: &RowFilter) {
    fn bound(sql: &mut Sql, b: &RowBound) {
        match b {
            RowBound::Owner(u) => {
                sql.push("(al.subject_user_id = ")
                    .bind_text(u.as_str())
                    .push(")");
            }
            RowBound::Team(t) => {
                sql.push("(al.subject_user_id IN (SELECT u.id FROM users u WHERE u.team_id = ")
                    .bind_text(t.as_str())
                    .push("))");
            }
            RowBound::Department(d) => {
                sql.push("(al.department_id = ")
                    .bind_text(d.as_str())
                    .push(")");
            }
            RowBound::Store(s) => {
                sql.push("(al.store_id = ").bind_text(s.as_str()).push(")");
            }
            RowBound::Group => {
                sql.push("(1 = 1)");
            }
        }
    }
    sql.push(" AND ");
    bound(sql, filter.within());
    if let Some(except) = filter.except() {
        sql.push(" AND NOT ");
        bound(sql, except);
    }
}

const INSERT_ALERT: &str = "INSERT INTO alerts (id, kind, severity, subject_user_id, \
    subject_username, store_id, department_id, event_count, threshold, window_secs, record_ids, \
    last_seq, action_taken, created_at, status) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'open')";

impl Tx {
    pub async fn alert_rules(&mut self) -> Result<Vec<AlertRuleRow>, StoreError> {
        const SQL: &str = "SELECT * FROM alert_rules ORDER BY kind";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).fetch_all(&mut **c).await)?)
    }

    pub async fn update_alert_rule(&mut self, row: &AlertRuleRow) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE alert_rules SET enabled = $2, threshold = $3, window_secs = $4, \
                           severity = $5, action = $6, updated_at = $7 WHERE kind = $1";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(&row.kind)
            .bind(row.enabled)
            .bind(row.threshold)
            .bind(row.window_secs)
            .bind(&row.severity)
            .bind(&row.action)
            .bind(row.updated_at)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "alert_rules")
    }

    pub async fn store_alert_settings(&mut self) -> Result<Vec<StoreAlertSettingsRow>, StoreError> {
        const SQL: &str = "SELECT * FROM store_alert_settings";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).fetch_all(&mut **c).await)?)
    }

    pub async fn put_store_alert_settings(
        &mut self,
        row: &StoreAlertSettingsRow,
    ) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO store_alert_settings (store_id, open_minute, close_minute, \
                           networks) VALUES ($1, $2, $3, $4) ON CONFLICT (store_id) DO UPDATE SET \
                           open_minute = excluded.open_minute, close_minute = excluded.close_minute, \
                           networks = excluded.networks";
        let networks = to_json(&row.networks)?;
        on_tx!(self, c => sqlx::query(SQL)
            .bind(row.store_id.as_str())
            .bind(row.open_minute)
            .bind(row.close_minute)
            .bind(&networks)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    /// The last sequence number the alert engine has evaluated, and the chain's head.
    pub async fn alert_cursor(&mut self) -> Result<(i64, i64), StoreError> {
        const SQL: &str = "SELECT c.seq, h.seq FROM alert_cursor c, audit_head h \
                           WHERE c.id = 1 AND h.id = 1";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).fetch_one(&mut **c).await)?)
    }

    /// Moves the cursor from `from` to `to`; false when another server moved it first
    /// (the caller then rolls back whatever it raised).
    pub async fn advance_alert_cursor(&mut self, from: i64, to: i64) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE alert_cursor SET seq = $2 WHERE id = 1 AND seq = $1";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(from)
            .bind(to)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// How many events match.
    pub async fn count_events(&mut self, q: &EventCount<'_>) -> Result<i64, StoreError> {
        let mut sql = Sql::new("SELECT COUNT(*) FROM audit_log a");
        q.push_where(&mut sql);
        Ok(on_tx!(self, c => {
            bind_params!(sqlx::query_scalar(&sql.text), &sql.params).fetch_one(&mut **c).await
        })?)
    }

    /// How many distinct records the matching events name.
    pub async fn count_distinct_records(&mut self, q: &EventCount<'_>) -> Result<i64, StoreError> {
        let mut sql = Sql::new(
            "SELECT COUNT(DISTINCT r.record_id) FROM audit_log a \
             JOIN audit_records r ON r.seq = a.seq",
        );
        q.push_where(&mut sql);
        Ok(on_tx!(self, c => {
            bind_params!(sqlx::query_scalar(&sql.text), &sql.params).fetch_one(&mut **c).await
        })?)
    }

    /// How many of the matching events name a live honeytoken, and which ones.
    pub async fn honeytoken_events(
        &mut self,
        q: &EventCount<'_>,
    ) -> Result<(i64, Vec<String>), StoreError> {
        let mut sql = Sql::new(
            "SELECT a.seq, r.record_id FROM audit_log a \
             JOIN audit_records r ON r.seq = a.seq \
             JOIN honeytokens h ON h.customer_id = r.record_id AND h.retired_at IS NULL",
        );
        q.push_where(&mut sql);
        let rows: Vec<(i64, String)> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?;
        let mut seqs: Vec<i64> = rows.iter().map(|(s, _)| *s).collect();
        seqs.dedup();
        let mut ids: Vec<String> = rows.into_iter().map(|(_, id)| id).collect();
        ids.sort();
        ids.dedup();
        Ok((seqs.len() as i64, ids))
    }

    /// Time and client address of each matching event, for rules decided per event
    /// (business hours, networks).
    pub async fn event_times(
        &mut self,
        q: &EventCount<'_>,
    ) -> Result<Vec<(i64, Option<String>)>, StoreError> {
        let mut sql = Sql::new("SELECT a.at, a.client_addr FROM audit_log a");
        q.push_where(&mut sql);
        Ok(on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?)
    }

    /// Whether an alert of this kind about this person is still open, raised at or after
    /// `since`.
    pub async fn open_alert_since(
        &mut self,
        kind: &str,
        subject: &UserId,
        since: i64,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM alerts WHERE kind = $1 AND subject_user_id = $2 \
                           AND status = 'open' AND created_at >= $3";
        let n: i64 = on_tx!(self, c => sqlx::query_scalar(SQL)
            .bind(kind)
            .bind(subject.as_str())
            .bind(since)
            .fetch_one(&mut **c)
            .await)?;
        Ok(n > 0)
    }

    pub async fn insert_alert(&mut self, row: &AlertRow) -> Result<(), StoreError> {
        let record_ids = to_json(&row.record_ids)?;
        on_tx!(self, c => sqlx::query(INSERT_ALERT)
            .bind(&row.id)
            .bind(&row.kind)
            .bind(&row.severity)
            .bind(row.subject_user_id.as_str())
            .bind(&row.subject_username)
            .bind(row.store_id.as_ref().map(StoreId::as_str))
            .bind(row.department_id.as_deref())
            .bind(row.event_count)
            .bind(row.threshold)
            .bind(row.window_secs)
            .bind(&record_ids)
            .bind(row.last_seq)
            .bind(&row.action_taken)
            .bind(row.created_at)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    /// Alerts under `filter`, newest first, optionally only open ones.
    pub async fn alerts(
        &mut self,
        filter: &RowFilter,
        open_only: bool,
        limit: u32,
    ) -> Result<Vec<AlertRow>, StoreError> {
        let mut sql = Sql::new("SELECT al.* FROM alerts al WHERE 1 = 1");
        push_alert_scope(&mut sql, filter);
        if open_only {
            sql.push(" AND al.status = 'open'");
        }
        sql.push(" ORDER BY al.created_at DESC, al.id DESC LIMIT ")
            .bind(Param::Int(i64::from(limit)));
        Ok(on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?)
    }

    /// One alert, if it exists and lies under `filter` (otherwise `None`, alike).
    pub async fn alert(
        &mut self,
        id: &str,
        filter: &RowFilter,
    ) -> Result<Option<AlertRow>, StoreError> {
        let mut sql = Sql::new("SELECT al.* FROM alerts al WHERE al.id = ");
        sql.bind_text(id);
        push_alert_scope(&mut sql, filter);
        Ok(on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_optional(&mut **c).await
        })?)
    }

    /// Any alert by id, for delivery (no reader behind it).
    pub async fn alert_for_delivery(&mut self, id: &str) -> Result<Option<AlertRow>, StoreError> {
        const SQL: &str = "SELECT * FROM alerts WHERE id = $1";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).bind(id).fetch_optional(&mut **c).await)?)
    }

    pub async fn acknowledge_alert(
        &mut self,
        id: &str,
        by: &UserId,
        at: i64,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE alerts SET status = 'acknowledged', acknowledged_by = $2, \
                           acknowledged_at = $3 WHERE id = $1";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id)
            .bind(by.as_str())
            .bind(at)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "alerts")
    }

    pub async fn insert_alert_comment(&mut self, row: &AlertCommentRow) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO alert_comments (id, alert_id, author_id, author_username, \
                           body, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
        on_tx!(self, c => sqlx::query(SQL)
            .bind(&row.id)
            .bind(&row.alert_id)
            .bind(row.author_id.as_str())
            .bind(&row.author_username)
            .bind(&row.body)
            .bind(row.created_at)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    pub async fn alert_comments(
        &mut self,
        alert_id: &str,
    ) -> Result<Vec<AlertCommentRow>, StoreError> {
        const SQL: &str =
            "SELECT * FROM alert_comments WHERE alert_id = $1 ORDER BY created_at, id";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).bind(alert_id).fetch_all(&mut **c).await)?)
    }

    pub async fn insert_delivery(&mut self, row: &DeliveryRow) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO alert_deliveries (id, alert_id, channel, attempts, \
                           next_attempt_at, last_error, delivered_at, created_at) \
                           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        on_tx!(self, c => sqlx::query(SQL)
            .bind(&row.id)
            .bind(&row.alert_id)
            .bind(&row.channel)
            .bind(row.attempts)
            .bind(row.next_attempt_at)
            .bind(row.last_error.as_deref())
            .bind(row.delivered_at)
            .bind(row.created_at)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    /// Undelivered deliveries on `channels` due at `now`, oldest first. Rows of a
    /// channel that is not configured stay queued without taking a place in the batch.
    pub async fn due_deliveries(
        &mut self,
        now: i64,
        channels: &[&str],
        limit: u32,
    ) -> Result<Vec<DeliveryRow>, StoreError> {
        if channels.is_empty() {
            return Ok(vec![]);
        }
        let mut sql = Sql::new(
            "SELECT * FROM alert_deliveries WHERE delivered_at IS NULL AND next_attempt_at <= ",
        );
        sql.bind(Param::Int(now));
        sql.push(" AND channel IN ")
            .bind_list(channels.iter().map(|c| Param::Text((*c).to_string())));
        sql.push(" ORDER BY next_attempt_at, id LIMIT ")
            .bind(Param::Int(i64::from(limit)));
        Ok(on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?)
    }

    /// Every delivery of an alert (for tests and the detail page).
    pub async fn deliveries_of(&mut self, alert_id: &str) -> Result<Vec<DeliveryRow>, StoreError> {
        const SQL: &str = "SELECT * FROM alert_deliveries WHERE alert_id = $1 ORDER BY id";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).bind(alert_id).fetch_all(&mut **c).await)?)
    }

    /// Takes a delivery for one attempt by pushing its next attempt to `lease_until`;
    /// false when another server took it first.
    pub async fn claim_delivery(
        &mut self,
        id: &str,
        seen_next: i64,
        lease_until: i64,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE alert_deliveries SET next_attempt_at = $3 \
                           WHERE id = $1 AND next_attempt_at = $2 AND delivered_at IS NULL";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id)
            .bind(seen_next)
            .bind(lease_until)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Records an attempt: delivered (`delivered_at`) or failed (`error`, retried at
    /// `next_attempt_at`).
    pub async fn record_delivery_attempt(
        &mut self,
        id: &str,
        attempts: i64,
        next_attempt_at: i64,
        error: Option<&str>,
        delivered_at: Option<i64>,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE alert_deliveries SET attempts = $2, next_attempt_at = $3, \
                           last_error = $4, delivered_at = $5 WHERE id = $1";
        on_tx!(self, c => sqlx::query(SQL)
            .bind(id)
            .bind(attempts)
            .bind(next_attempt_at)
            .bind(error)
            .bind(delivered_at)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    /// A person's last working day (`YYYY-MM-DD`), when one is set.
    pub async fn user_leaving_on(&mut self, id: &UserId) -> Result<Option<String>, StoreError> {
        const SQL: &str = "SELECT leaving_on FROM users WHERE id = $1";
        let v: Option<Option<String>> = on_tx!(self, c => sqlx::query_scalar(SQL)
            .bind(id.as_str())
            .fetch_optional(&mut **c)
            .await)?;
        Ok(v.flatten())
    }

    pub async fn set_user_leaving_on(
        &mut self,
        id: &UserId,
        day: Option<&str>,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE users SET leaving_on = $2 WHERE id = $1";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(day)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "users")
    }
}
