//! The ownership ledger: who owned a record, from when to when, and why. Each change of
//! owner closes the current spell and opens the next in the same transaction as the
//! change, so the ledger and the record never disagree.

use crate::error::StoreError;
use crate::rows::from_row;
use crate::tx::{on_tx, Tx};
use dealervault_domain::ids::{StoreId, UserId};

/// One spell of ownership. `owner_id` `None` is a spell in the public pool; `ended_at`
/// `None` the current one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnershipRow {
    pub owner_id: Option<UserId>,
    pub reason: String,
    pub changed_by: Option<UserId>,
    pub started_at: i64,
    pub ended_at: Option<i64>,
}

from_row!(OwnershipRow, |row| OwnershipRow {
    owner_id: row
        .try_get::<Option<String>, _>("owner_id")?
        .map(UserId::from_stored),
    reason: row.try_get("reason")?,
    changed_by: row
        .try_get::<Option<String>, _>("changed_by")?
        .map(UserId::from_stored),
    started_at: row.try_get("started_at")?,
    ended_at: row.try_get("ended_at")?,
});

/// A change of owner to record: of which record, to whom, why, by whom, when.
#[derive(Debug, Clone, Copy)]
pub struct OwnerChange<'a> {
    pub entity: &'static str,
    pub record_id: &'a str,
    pub store_id: &'a StoreId,
    pub owner_id: Option<&'a UserId>,
    pub reason: &'static str,
    /// `None`: the system (the pool's automatic return).
    pub changed_by: Option<&'a UserId>,
    pub at: i64,
}

impl Tx {
    /// Ends the record's current spell at `change.at` and starts the next.
    pub async fn record_owner_change(&mut self, change: OwnerChange<'_>) -> Result<(), StoreError> {
        const CLOSE: &str = "UPDATE ownership SET ended_at = $3 \
                             WHERE entity = $1 AND record_id = $2 AND ended_at IS NULL";
        const OPEN: &str = "INSERT INTO ownership (id, entity, record_id, store_id, owner_id, \
                            reason, changed_by, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        let id = uuid::Uuid::now_v7().to_string();
        on_tx!(self, c => async {
            sqlx::query(CLOSE)
                .bind(change.entity)
                .bind(change.record_id)
                .bind(change.at)
                .execute(&mut **c)
                .await?;
            sqlx::query(OPEN)
                .bind(id.as_str())
                .bind(change.entity)
                .bind(change.record_id)
                .bind(change.store_id.as_str())
                .bind(change.owner_id.map(UserId::as_str))
                .bind(change.reason)
                .bind(change.changed_by.map(UserId::as_str))
                .bind(change.at)
                .execute(&mut **c)
                .await
                .map(drop)
        }
        .await)?;
        Ok(())
    }

    /// A record's spells, oldest first.
    pub async fn ownership_history(
        &mut self,
        entity: &str,
        record_id: &str,
    ) -> Result<Vec<OwnershipRow>, StoreError> {
        const SQL: &str = "SELECT owner_id, reason, changed_by, started_at, ended_at \
                           FROM ownership WHERE entity = $1 AND record_id = $2 \
                           ORDER BY started_at, id";
        Ok(on_tx!(self, c => sqlx::query_as(SQL)
            .bind(entity)
            .bind(record_id)
            .fetch_all(&mut **c)
            .await)?)
    }

    /// How many records `user` claimed from a pool since `since`: the daily claim cap.
    pub async fn claims_since(&mut self, user: &UserId, since: i64) -> Result<i64, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM ownership \
                           WHERE changed_by = $1 AND reason = 'claimed' AND started_at >= $2";
        Ok(on_tx!(self, c => sqlx::query_scalar(SQL)
            .bind(user.as_str())
            .bind(since)
            .fetch_one(&mut **c)
            .await)?)
    }
}
