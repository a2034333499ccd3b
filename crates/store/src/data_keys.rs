//! Wrapped data keys, for KEK rotation and crypto-erasure. Customers and leads each keep
//! theirs in a table of their own (`customer_keys`, `lead_keys`) of the same shape — the
//! record's id, its store, the KEK version, the wrapped key — so one set of queries serves
//! both, told which table by [`DataKeyTable`]. Ids go in and out as stored text: the wrap
//! of a key is bound to its record's id, which is all a rotation needs of it.

use crate::error::StoreError;
use crate::tx::{on_tx, Tx};

/// A table of wrapped data keys, one row per record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataKeyTable {
    /// `customer_keys`, by `customer_id`.
    Customers,
    /// `lead_keys`, by `lead_id`.
    Leads,
}

impl DataKeyTable {
    /// Every table a rotation must go through before a KEK version can be destroyed.
    pub const ALL: [DataKeyTable; 2] = [DataKeyTable::Customers, DataKeyTable::Leads];

    /// The table and its id column. Fixed names, never input: safe to put into SQL text.
    const fn names(self) -> (&'static str, &'static str) {
        match self {
            DataKeyTable::Customers => ("customer_keys", "customer_id"),
            DataKeyTable::Leads => ("lead_keys", "lead_id"),
        }
    }
}

impl Tx {
    /// Up to `limit` data keys of `table` still wrapped under KEK `kek_version`, as (record
    /// id, wrapped key) by id. A rotation rewraps them (`set_data_key` with the new
    /// version), which takes them out of this set, and asks again until it comes back
    /// empty.
    pub async fn data_keys_under(
        &mut self,
        table: DataKeyTable,
        kek_version: u32,
        limit: u32,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let (name, id) = table.names();
        let sql = format!(
            "SELECT {id}, wrapped FROM {name} WHERE kek_version = $1 ORDER BY {id} LIMIT $2"
        );
        Ok(on_tx!(self, c => sqlx::query_as(&sql)
            .bind(i64::from(kek_version))
            .bind(i64::from(limit))
            .fetch_all(&mut **c)
            .await)?)
    }

    /// Replaces a record's wrapped data key (the same key, rewrapped under KEK
    /// `kek_version`). Never creates one: `false` when the record has no key, because it
    /// was erased (it stays erased) or does not exist.
    pub async fn set_data_key(
        &mut self,
        table: DataKeyTable,
        id: &str,
        kek_version: u32,
        wrapped: &[u8],
    ) -> Result<bool, StoreError> {
        let (name, id_column) = table.names();
        let sql =
            format!("UPDATE {name} SET kek_version = $2, wrapped = $3 WHERE {id_column} = $1");
        let n = on_tx!(self, c => sqlx::query(&sql)
            .bind(id)
            .bind(i64::from(kek_version))
            .bind(wrapped)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n > 0)
    }

    /// Crypto-erases a record: deletes its wrapped data key. Its row stays, and every
    /// envelope in it can no longer be opened; reads return it with `data_key: None`.
    /// `false` when there was no key (already erased, or no such record).
    ///
    /// Blind indexes stay too, and still match the person's number for anyone with the
    /// master key: overwrite them (`set_blind_indexes`, `set_lead_mobile_index`) as part of
    /// an erasure.
    pub async fn delete_data_key(
        &mut self,
        table: DataKeyTable,
        id: &str,
    ) -> Result<bool, StoreError> {
        let (name, id_column) = table.names();
        let sql = format!("DELETE FROM {name} WHERE {id_column} = $1");
        let n = on_tx!(self, c => sqlx::query(&sql)
            .bind(id)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n > 0)
    }

    /// How many data keys of `table` each KEK version wraps, by version ascending;
    /// versions that wrap none are absent.
    pub async fn data_key_counts(
        &mut self,
        table: DataKeyTable,
    ) -> Result<Vec<(u32, u64)>, StoreError> {
        let (name, _) = table.names();
        let sql = format!(
            "SELECT kek_version, COUNT(*) FROM {name} GROUP BY kek_version ORDER BY kek_version"
        );
        let rows: Vec<(i64, i64)> =
            on_tx!(self, c => sqlx::query_as(&sql).fetch_all(&mut **c).await)?;
        rows.into_iter()
            .map(|(version, n)| {
                let version = u32::try_from(version)
                    .map_err(|_| StoreError::Other(format!("{name}: kek_version out of range")))?;
                Ok((version, u64::try_from(n).unwrap_or(0)))
            })
            .collect()
    }
}
