//! Follow-ups as kept: what was said and what comes next sealed under the data key of
//! the follow-up's lead, so erasing the lead's key erases them too.

use crate::customer_filter::push_scope_on;
use crate::error::StoreError;
use crate::rows::from_row;
use crate::sql::{bind_params, Param, Sql};
use crate::tx::{on_tx, Tx};
use dealervault_domain::access::RowFilter;
use dealervault_domain::ids::{FollowUpId, LeadId, StoreId, UserId};
use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct SealedFollowUp {
    pub id: FollowUpId,
    pub store_id: StoreId,
    /// Read from `stores`; ignored on write.
    pub store_code: String,
    pub lead_id: LeadId,
    pub owner_id: UserId,
    pub kind: String,
    pub purpose: String,
    /// `open`, `done` or `cancelled`.
    pub state: String,
    pub due_at: i64,
    pub done_at: Option<i64>,
    pub notes: Option<Vec<u8>>,
    pub next_step: Option<Vec<u8>>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The lead's wrapped data key; read only, `None` once the lead was erased.
    pub data_key: Option<Vec<u8>>,
}

impl SealedFollowUp {
    pub fn sealed(&self, field: &str) -> Option<&[u8]> {
        match field {
            "notes" => self.notes.as_deref(),
            "next_step" => self.next_step.as_deref(),
            _ => None,
        }
    }

    pub fn set_sealed(&mut self, field: &str, envelope: Option<Vec<u8>>) {
        match field {
            "notes" => self.notes = envelope,
            "next_step" => self.next_step = envelope,
            _ => {}
        }
    }
}

impl fmt::Debug for SealedFollowUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealedFollowUp")
            .field("id", &self.id)
            .field("lead_id", &self.lead_id)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// Which follow-ups a list shows, within the row filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowUpQuery {
    pub lead: Option<LeadId>,
    pub state: Option<String>,
    pub owner: Option<UserId>,
    /// Only those due before this time (overdue: now; due today: the end of today).
    pub due_before: Option<i64>,
}

const SELECT: &str = "SELECT f.id, f.store_id, \
                      (SELECT s.code FROM stores s WHERE s.id = f.store_id) AS store_code, \
                      f.lead_id, f.owner_id, f.kind, f.purpose, f.state, f.due_at, f.done_at, \
                      f.notes, f.next_step, f.created_at, f.updated_at, \
                      (SELECT k.wrapped FROM lead_keys k WHERE k.lead_id = f.lead_id) AS data_key \
                      FROM follow_ups f";

struct FollowUpRow(SealedFollowUp);

from_row!(FollowUpRow, |row| FollowUpRow(SealedFollowUp {
    id: FollowUpId::from_stored(row.try_get("id")?),
    store_id: StoreId::from_stored(row.try_get("store_id")?),
    store_code: row.try_get("store_code")?,
    lead_id: LeadId::from_stored(row.try_get("lead_id")?),
    owner_id: UserId::from_stored(row.try_get("owner_id")?),
    kind: row.try_get("kind")?,
    purpose: row.try_get("purpose")?,
    state: row.try_get("state")?,
    due_at: row.try_get("due_at")?,
    done_at: row.try_get("done_at")?,
    notes: row.try_get("notes")?,
    next_step: row.try_get("next_step")?,
    created_at: row.try_get("created_at")?,
    updated_at: row.try_get("updated_at")?,
    data_key: row.try_get("data_key")?,
}));

impl Tx {
    pub async fn insert_follow_up(&mut self, f: &SealedFollowUp) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO follow_ups (id, store_id, lead_id, owner_id, kind, \
                           purpose, state, due_at, done_at, notes, next_step, created_at, \
                           updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
                           $12, $13)";
        on_tx!(self, c => sqlx::query(SQL)
            .bind(f.id.as_str())
            .bind(f.store_id.as_str())
            .bind(f.lead_id.as_str())
            .bind(f.owner_id.as_str())
            .bind(f.kind.as_str())
            .bind(f.purpose.as_str())
            .bind(f.state.as_str())
            .bind(f.due_at)
            .bind(f.done_at)
            .bind(f.notes.as_deref())
            .bind(f.next_step.as_deref())
            .bind(f.created_at)
            .bind(f.updated_at)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    /// Writes the state, times, owner, channel and both envelopes.
    pub async fn update_follow_up(&mut self, f: &SealedFollowUp) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE follow_ups SET owner_id = $2, kind = $3, state = $4, \
                           due_at = $5, done_at = $6, notes = $7, next_step = $8, \
                           updated_at = $9 WHERE id = $1";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(f.id.as_str())
            .bind(f.owner_id.as_str())
            .bind(f.kind.as_str())
            .bind(f.state.as_str())
            .bind(f.due_at)
            .bind(f.done_at)
            .bind(f.notes.as_deref())
            .bind(f.next_step.as_deref())
            .bind(f.updated_at)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "follow_ups")
    }

    /// The follow-up if it exists and lies within `filter`.
    pub async fn follow_up(
        &mut self,
        filter: &RowFilter,
        id: &FollowUpId,
    ) -> Result<Option<SealedFollowUp>, StoreError> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE f.id = ")
            .bind_text(id.as_str())
            .push(" AND ");
        push_scope_on(&mut sql, "f", filter);
        let row: Option<FollowUpRow> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_optional(&mut **c).await
        })?;
        Ok(row.map(|r| r.0))
    }

    /// Up to `limit` follow-ups within `filter` matching `query`, soonest due first.
    pub async fn follow_ups(
        &mut self,
        filter: &RowFilter,
        query: &FollowUpQuery,
        limit: u32,
    ) -> Result<Vec<SealedFollowUp>, StoreError> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE ");
        push_scope_on(&mut sql, "f", filter);
        if let Some(lead) = &query.lead {
            sql.push(" AND f.lead_id = ").bind_text(lead.as_str());
        }
        if let Some(state) = &query.state {
            sql.push(" AND f.state = ").bind_text(state);
        }
        if let Some(owner) = &query.owner {
            sql.push(" AND f.owner_id = ").bind_text(owner.as_str());
        }
        if let Some(before) = query.due_before {
            sql.push(" AND f.due_at < ").bind(Param::Int(before));
        }
        sql.push(" ORDER BY f.due_at, f.id LIMIT ")
            .bind(Param::Int(i64::from(limit)));
        let rows: Vec<FollowUpRow> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// When the lead's earliest open follow-up is due, if it has one.
    pub async fn next_open_follow_up_due(
        &mut self,
        lead: &LeadId,
    ) -> Result<Option<i64>, StoreError> {
        const SQL: &str =
            "SELECT MIN(due_at) FROM follow_ups WHERE lead_id = $1 AND state = 'open'";
        Ok(on_tx!(self, c => sqlx::query_scalar(SQL)
            .bind(lead.as_str())
            .fetch_one(&mut **c)
            .await)?)
    }

    /// Cancels the lead's open follow-ups (it went back to the pool); their ids.
    pub async fn cancel_open_follow_ups(
        &mut self,
        lead: &LeadId,
        at: i64,
    ) -> Result<Vec<FollowUpId>, StoreError> {
        self.open_follow_ups_to(
            lead,
            "UPDATE follow_ups SET state = 'cancelled', updated_at = $2 \
                                       WHERE lead_id = $1 AND state = 'open' RETURNING id",
            at,
            None,
        )
        .await
    }

    /// Hands the lead's open follow-ups to its new owner; their ids.
    pub async fn move_open_follow_ups(
        &mut self,
        lead: &LeadId,
        owner: &UserId,
        at: i64,
    ) -> Result<Vec<FollowUpId>, StoreError> {
        self.open_follow_ups_to(
            lead,
            "UPDATE follow_ups SET owner_id = $3, updated_at = $2 \
                                       WHERE lead_id = $1 AND state = 'open' RETURNING id",
            at,
            Some(owner),
        )
        .await
    }

    async fn open_follow_ups_to(
        &mut self,
        lead: &LeadId,
        sql: &str,
        at: i64,
        owner: Option<&UserId>,
    ) -> Result<Vec<FollowUpId>, StoreError> {
        let ids: Vec<String> = on_tx!(self, c => {
            let query = sqlx::query_scalar(sql).bind(lead.as_str()).bind(at);
            match owner {
                Some(owner) => query.bind(owner.as_str()).fetch_all(&mut **c).await,
                None => query.fetch_all(&mut **c).await,
            }
        })?;
        Ok(ids.into_iter().map(FollowUpId::from_stored).collect())
    }
}
