//! The audit log's storage. The caller computes the hash chain; the store persists events,
//! serialises appenders on the head row, and answers "who touched what".

use crate::error::StoreError;
use crate::rows::from_row;
use crate::sql::{bind_params, Param, Sql};
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
    /// `"allowed"` or `"denied"`.
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

fn json_list(text: String) -> Result<Vec<String>, sqlx::Error> {
    serde_json::from_str(&text).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

fn to_json(list: &[String]) -> Result<String, StoreError> {
    serde_json::to_string(list).map_err(|e| StoreError::Other(format!("audit list: {e}")))
}

/// Filters for reading the log, newest first. Time bounds are half-open: `since <= at < until`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub actor_id: Option<String>,
    /// Events that list this record among their `record_ids`.
    pub record_id: Option<String>,
    pub action: Option<String>,
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub limit: u32,
    /// Continue below this sequence number (the last one of the previous page).
    pub before_seq: Option<i64>,
}

/// Record ids per side-table insert: two parameters each.
const RECORD_CHUNK: usize = 500;

const INSERT_EVENT: &str = "INSERT INTO audit_log (seq, at, actor_id, actor_username, action, \
                            entity, record_ids, fields, reason, outcome, client_addr, prev_hash, hash) \
                            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

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

    pub async fn insert_audit(&mut self, row: &AuditRow) -> Result<(), StoreError> {
        let record_ids = to_json(&row.record_ids)?;
        let fields = to_json(&row.fields)?;
        on_tx!(self, c => sqlx::query(INSERT_EVENT)
            .bind(row.seq)
            .bind(row.at)
            .bind(row.actor_id.as_deref())
            .bind(row.actor_username.as_deref())
            .bind(&row.action)
            .bind(&row.entity)
            .bind(&record_ids)
            .bind(&fields)
            .bind(row.reason.as_deref())
            .bind(&row.outcome)
            .bind(row.client_addr.as_deref())
            .bind(&row.prev_hash)
            .bind(&row.hash)
            .execute(&mut **c)
            .await
            .map(drop))?;

        let distinct: Vec<&String> = row
            .record_ids
            .iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        for chunk in distinct.chunks(RECORD_CHUNK) {
            let mut sql = Sql::new("INSERT INTO audit_records (record_id, seq) VALUES ");
            for (i, id) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push(",");
                }
                sql.bind_list([Param::Text((*id).clone()), Param::Int(row.seq)]);
            }
            on_tx!(self, c => {
                bind_params!(sqlx::query(&sql.text), &sql.params).execute(&mut **c).await.map(drop)
            })?;
        }
        Ok(())
    }

    /// Matching events, newest first.
    pub async fn audit_events(&mut self, query: &AuditQuery) -> Result<Vec<AuditRow>, StoreError> {
        let mut sql = Sql::new("SELECT * FROM audit_log a WHERE 1 = 1");
        if let Some(record_id) = &query.record_id {
            sql.push(" AND a.seq IN (SELECT r.seq FROM audit_records r WHERE r.record_id = ")
                .bind_text(record_id)
                .push(")");
        }
        if let Some(actor_id) = &query.actor_id {
            sql.push(" AND a.actor_id = ").bind_text(actor_id);
        }
        if let Some(action) = &query.action {
            sql.push(" AND a.action = ").bind_text(action);
        }
        if let Some(since) = query.since {
            sql.push(" AND a.at >= ").bind(Param::Int(since));
        }
        if let Some(until) = query.until {
            sql.push(" AND a.at < ").bind(Param::Int(until));
        }
        if let Some(before) = query.before_seq {
            sql.push(" AND a.seq < ").bind(Param::Int(before));
        }
        sql.push(" ORDER BY a.seq DESC LIMIT ")
            .bind(Param::Int(i64::from(query.limit)));
        Ok(on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?)
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
