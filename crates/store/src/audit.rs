//! The audit log's storage. The caller computes the hash chain; the store persists events,
//! serialises appenders on the head row, and answers "who touched what".

use crate::error::StoreError;
use crate::rows::{from_row, json_list, to_json};
use crate::sql::{bind_params, values_rows, Param, Sql};
use crate::tx::{on_tx, Tx};
use std::collections::BTreeSet;
use std::fmt;

/// One event, as appended. `record_ids` and `fields` are names and ids, never values.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub seq: i64,
    pub at: i64,
    pub actor_id: Option<String>,
    pub actor_username: Option<String>,
    pub action: String,
    pub entity: String,
    pub record_ids: Vec<String>,
    pub fields: Vec<String>,
    pub reason: Option<String>,
    /// `"allowed"`, `"denied"` or `"failed"`.
    pub outcome: String,
    pub client_addr: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

// The reason is free text and the client address is personal data: both stay out of logs.
impl fmt::Debug for AuditRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuditRow")
            .field("seq", &self.seq)
            .field("at", &self.at)
            .field("actor_id", &self.actor_id)
            .field("action", &self.action)
            .field("entity", &self.entity)
            .field("records", &self.record_ids.len())
            .field("outcome", &self.outcome)
            .finish_non_exhaustive()
    }
}

from_row!(AuditRow, |row| AuditRow {
    seq: row.try_get("seq")?,
    at: row.try_get("at")?,
    actor_id: row.try_get("actor_id")?,
    actor_username: row.try_get("actor_username")?,
    action: row.try_get("action")?,
    entity: row.try_get("entity")?,
    record_ids: json_list(row.try_get("record_ids")?)?,
    fields: json_list(row.try_get("fields")?)?,
    reason: row.try_get("reason")?,
    outcome: row.try_get("outcome")?,
    client_addr: row.try_get("client_addr")?,
    prev_hash: row.try_get("prev_hash")?,
    hash: row.try_get("hash")?,
});

/// Filters for reading the log, newest first. Time bounds are half-open: `since <= at < until`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub actor_id: Option<String>,
    /// Events that list this record among their `record_ids`.
    pub record_id: Option<String>,
    /// Any of these actions; empty for all.
    pub actions: Vec<String>,
    /// `allowed`, `denied` or `failed`.
    pub outcome: Option<String>,
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub limit: u32,
    /// Continue below this sequence number (the last one of the previous page).
    pub before_seq: Option<i64>,
}

/// Events per multi-row insert: 13 parameters each, well under both backends' limits.
const EVENT_CHUNK: usize = 1_000;
/// Record ids per side-table insert: two parameters each.
const RECORD_CHUNK: usize = 5_000;

const EVENT_COLUMNS: &str = "seq, at, actor_id, actor_username, action, entity, record_ids, \
                             fields, reason, outcome, client_addr, prev_hash, hash";
const EVENT_COLUMN_COUNT: usize = 13;

/// The `WHERE` conditions of `query` on `audit_log a`.
fn push_filters(sql: &mut Sql, query: &AuditQuery) {
    if let Some(record_id) = &query.record_id {
        sql.push(" AND a.seq IN (SELECT r.seq FROM audit_records r WHERE r.record_id = ")
            .bind_text(record_id)
            .push(")");
    }
    if let Some(actor_id) = &query.actor_id {
        sql.push(" AND a.actor_id = ").bind_text(actor_id);
    }
    if !query.actions.is_empty() {
        sql.push(" AND a.action IN ")
            .bind_list(query.actions.iter().map(|a| Param::Text(a.clone())));
    }
    if let Some(outcome) = &query.outcome {
        sql.push(" AND a.outcome = ").bind_text(outcome);
    }
    if let Some(since) = query.since {
        sql.push(" AND a.at >= ").bind(Param::Int(since));
    }
    if let Some(until) = query.until {
        sql.push(" AND a.at < ").bind(Param::Int(until));
    }
}

impl Tx {
    /// The last sequence number and hash, with the head row locked until this transaction
    /// ends: concurrent appenders queue here, so the chain never forks. (SQLite's writer is
    /// already exclusive; the same statement serves both.)
    pub async fn audit_head_for_update(&mut self) -> Result<(i64, String), StoreError> {
        const SQL: &str = "UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).fetch_one(&mut **c).await)?)
    }

    pub async fn set_audit_head(&mut self, seq: i64, hash: &str) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1";
        on_tx!(self, c => sqlx::query(SQL).bind(seq).bind(hash).execute(&mut **c).await.map(drop))?;
        Ok(())
    }

    /// Inserts events, already chained by the caller, with multi-row statements: a group
    /// commit of a thousand events costs a couple of statements, not a thousand.
    pub async fn insert_audit(&mut self, rows: &[AuditRow]) -> Result<(), StoreError> {
        for chunk in rows.chunks(EVENT_CHUNK) {
            let sql = format!(
                "INSERT INTO audit_log ({EVENT_COLUMNS}) VALUES {}",
                values_rows(self.backend(), chunk.len(), EVENT_COLUMN_COUNT)
            );
            let lists = chunk
                .iter()
                .map(|r| Ok((to_json(&r.record_ids)?, to_json(&r.fields)?)))
                .collect::<Result<Vec<_>, StoreError>>()?;
            on_tx!(self, c => {
                let mut query = sqlx::query(&sql);
                for (row, (record_ids, fields)) in chunk.iter().zip(&lists) {
                    query = query
                        .bind(row.seq)
                        .bind(row.at)
                        .bind(row.actor_id.as_deref())
                        .bind(row.actor_username.as_deref())
                        .bind(&row.action)
                        .bind(&row.entity)
                        .bind(record_ids)
                        .bind(fields)
                        .bind(row.reason.as_deref())
                        .bind(&row.outcome)
                        .bind(row.client_addr.as_deref())
                        .bind(&row.prev_hash)
                        .bind(&row.hash);
                }
                query.execute(&mut **c).await.map(drop)
            })?;
        }

        let links: Vec<(&str, i64)> = rows
            .iter()
            .flat_map(|r| {
                r.record_ids
                    .iter()
                    .map(String::as_str)
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .map(move |id| (id, r.seq))
            })
            .collect();
        for chunk in links.chunks(RECORD_CHUNK) {
            let sql = format!(
                "INSERT INTO audit_records (record_id, seq) VALUES {}",
                values_rows(self.backend(), chunk.len(), 2)
            );
            on_tx!(self, c => {
                let mut query = sqlx::query(&sql);
                for (id, seq) in chunk {
                    query = query.bind(*id).bind(*seq);
                }
                query.execute(&mut **c).await.map(drop)
            })?;
        }
        Ok(())
    }

    /// Matching events, newest first.
    pub async fn audit_events(&mut self, query: &AuditQuery) -> Result<Vec<AuditRow>, StoreError> {
        let mut sql = Sql::new("SELECT * FROM audit_log a WHERE 1 = 1");
        push_filters(&mut sql, query);
        if let Some(before) = query.before_seq {
            sql.push(" AND a.seq < ").bind(Param::Int(before));
        }
        sql.push(" ORDER BY a.seq DESC LIMIT ")
            .bind(Param::Int(i64::from(query.limit)));
        Ok(on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?)
    }

    /// How many events match, paging position and limit aside.
    pub async fn audit_count(&mut self, query: &AuditQuery) -> Result<u64, StoreError> {
        let mut sql = Sql::new("SELECT COUNT(*) FROM audit_log a WHERE 1 = 1");
        push_filters(&mut sql, query);
        let n: i64 = on_tx!(self, c => {
            bind_params!(sqlx::query_scalar(&sql.text), &sql.params).fetch_one(&mut **c).await
        })?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Events from `from_seq` upwards, oldest first, for verifying the chain.
    pub async fn audit_range(
        &mut self,
        from_seq: i64,
        limit: u32,
    ) -> Result<Vec<AuditRow>, StoreError> {
        const SQL: &str = "SELECT * FROM audit_log WHERE seq >= $1 ORDER BY seq ASC LIMIT $2";
        Ok(on_tx!(self, c => sqlx::query_as(SQL)
            .bind(from_seq)
            .bind(i64::from(limit))
            .fetch_all(&mut **c)
            .await)?)
    }
}

/// Events of one person on one local day, by action and outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityCount {
    /// Days since 1970-01-01 in the zone `utc_offset_ms` names.
    pub day: i64,
    pub action: String,
    pub outcome: String,
    pub events: i64,
}

from_row!(ActivityCount, |row| ActivityCount {
    day: row.try_get("day")?,
    action: row.try_get("action")?,
    outcome: row.try_get("outcome")?,
    events: row.try_get("events")?,
});

impl Tx {
    /// A person's events since `since`, counted per local day (days start at midnight
    /// `utc_offset_ms` ahead of UTC), action and outcome; oldest day first.
    pub async fn audit_activity(
        &mut self,
        actor_id: &str,
        since: i64,
        utc_offset_ms: i64,
    ) -> Result<Vec<ActivityCount>, StoreError> {
        // Times are positive, so integer division floors on both backends.
        const SQL: &str = "SELECT (at + $3) / 86400000 AS day, action, outcome, \
                           COUNT(*) AS events FROM audit_log \
                           WHERE actor_id = $1 AND at >= $2 \
                           GROUP BY (at + $3) / 86400000, action, outcome \
                           ORDER BY day, action, outcome";
        Ok(on_tx!(self, c => sqlx::query_as(SQL)
            .bind(actor_id)
            .bind(since)
            .bind(utc_offset_ms)
            .fetch_all(&mut **c)
            .await)?)
    }
}
