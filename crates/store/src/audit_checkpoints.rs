//! Audit checkpoints, the chain's anchor after archiving, and the raw reads that
//! verification and archiving page through.

use crate::error::StoreError;
use crate::tx::{on_tx, Tx};

/// One signed checkpoint as stored. The signature is checked by the caller.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CheckpointRow {
    pub seq: i64,
    pub hash: String,
    pub at: i64,
    pub signature: String,
}

/// One event with its lists as the stored JSON text, for archiving.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChainRow {
    pub seq: i64,
    pub at: i64,
    pub actor_id: Option<String>,
    pub actor_username: Option<String>,
    pub action: String,
    pub entity: String,
    pub record_ids: String,
    pub fields: String,
    pub reason: Option<String>,
    pub outcome: String,
    pub client_addr: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

// The reason is free text and the client address personal data: keep them out of logs.
impl std::fmt::Debug for ChainRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChainRow")
            .field("seq", &self.seq)
            .field("action", &self.action)
            .finish_non_exhaustive()
    }
}

impl Tx {
    /// The head row (last seq and hash), without locking it.
    pub async fn audit_head(&mut self) -> Result<(i64, String), StoreError> {
        const SQL: &str = "SELECT seq, hash FROM audit_head WHERE id = 1";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).fetch_one(&mut **c).await)?)
    }

    /// The (seq, hash) the chain in the database starts after.
    pub async fn audit_anchor(&mut self) -> Result<(i64, String), StoreError> {
        const SQL: &str = "SELECT seq, hash FROM audit_anchor WHERE id = 1";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).fetch_one(&mut **c).await)?)
    }

    pub async fn set_audit_anchor(&mut self, seq: i64, hash: &str) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE audit_anchor SET seq = $1, hash = $2 WHERE id = 1";
        on_tx!(self, c => sqlx::query(SQL).bind(seq).bind(hash).execute(&mut **c).await.map(drop))?;
        Ok(())
    }

    /// Stores a checkpoint; a second one at the same seq is ignored. True if stored.
    pub async fn insert_audit_checkpoint(&mut self, c: &CheckpointRow) -> Result<bool, StoreError> {
        const SQL: &str = "INSERT INTO audit_checkpoints (seq, hash, at, signature) \
                           VALUES ($1, $2, $3, $4) ON CONFLICT (seq) DO NOTHING";
        Ok(on_tx!(self, c_ => sqlx::query(SQL)
            .bind(c.seq)
            .bind(&c.hash)
            .bind(c.at)
            .bind(&c.signature)
            .execute(&mut **c_)
            .await
            .map(|r| r.rows_affected() == 1))?)
    }

    pub async fn last_audit_checkpoint(&mut self) -> Result<Option<CheckpointRow>, StoreError> {
        const SQL: &str = "SELECT seq, hash, at, signature FROM audit_checkpoints \
                           ORDER BY seq DESC LIMIT 1";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).fetch_optional(&mut **c).await)?)
    }

    /// Every stored checkpoint, oldest first.
    pub async fn audit_checkpoints(&mut self) -> Result<Vec<CheckpointRow>, StoreError> {
        const SQL: &str = "SELECT seq, hash, at, signature FROM audit_checkpoints ORDER BY seq";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).fetch_all(&mut **c).await)?)
    }

    /// Events from `from_seq` upwards, oldest first, lists as stored text.
    pub async fn audit_chain_page(
        &mut self,
        from_seq: i64,
        limit: u32,
    ) -> Result<Vec<ChainRow>, StoreError> {
        const SQL: &str = "SELECT seq, at, actor_id, actor_username, action, entity, record_ids, \
                           fields, reason, outcome, client_addr, prev_hash, hash \
                           FROM audit_log WHERE seq >= $1 ORDER BY seq ASC LIMIT $2";
        Ok(on_tx!(self, c => sqlx::query_as(SQL)
            .bind(from_seq)
            .bind(i64::from(limit))
            .fetch_all(&mut **c)
            .await)?)
    }

    /// The first event stamped at or after `at_ms`, if any.
    pub async fn first_audit_seq_since(&mut self, at_ms: i64) -> Result<Option<i64>, StoreError> {
        const SQL: &str = "SELECT MIN(seq) FROM audit_log WHERE at >= $1";
        Ok(on_tx!(self, c => sqlx::query_scalar(SQL).bind(at_ms).fetch_one(&mut **c).await)?)
    }

    /// Deletes the events up to and including `seq` and their record index rows; returns
    /// how many events went.
    pub async fn delete_audit_through(&mut self, seq: i64) -> Result<u64, StoreError> {
        const RECORDS: &str = "DELETE FROM audit_records WHERE seq <= $1";
        const EVENTS: &str = "DELETE FROM audit_log WHERE seq <= $1";
        on_tx!(self, c => sqlx::query(RECORDS).bind(seq).execute(&mut **c).await.map(drop))?;
        Ok(on_tx!(self, c => sqlx::query(EVENTS)
            .bind(seq)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?)
    }
}
