//! Honeytoken customers: which ordinary customer rows are decoys. Only the alert engine
//! and the administrator's list read this table; no customer path does.

use crate::error::StoreError;
use crate::rows::from_row;
use crate::tx::{on_tx, Tx};
use dealervault_domain::ids::{CustomerId, StoreId, UserId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoneytokenRow {
    pub customer_id: CustomerId,
    pub store_id: StoreId,
    pub planted_by: UserId,
    pub planted_at: i64,
    pub retired_at: Option<i64>,
}

from_row!(HoneytokenRow, |row| HoneytokenRow {
    customer_id: CustomerId::from_stored(row.try_get("customer_id")?),
    store_id: StoreId::from_stored(row.try_get("store_id")?),
    planted_by: UserId::from_stored(row.try_get("planted_by")?),
    planted_at: row.try_get("planted_at")?,
    retired_at: row.try_get("retired_at")?,
});

/// A honeytoken as the administrator's list shows it: ids, codes and times only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoneytokenListing {
    pub customer_id: String,
    pub store_code: String,
    pub owner_username: String,
    pub planted_by_username: String,
    pub planted_at: i64,
    pub retired_at: Option<i64>,
}

from_row!(HoneytokenListing, |row| HoneytokenListing {
    customer_id: row.try_get("customer_id")?,
    store_code: row.try_get("store_code")?,
    owner_username: row.try_get("owner_username")?,
    planted_by_username: row.try_get("planted_by_username")?,
    planted_at: row.try_get("planted_at")?,
    retired_at: row.try_get("retired_at")?,
});

impl Tx {
    pub async fn insert_honeytoken(&mut self, row: &HoneytokenRow) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO honeytokens (customer_id, store_id, planted_by, \
                           planted_at, retired_at) VALUES ($1, $2, $3, $4, $5)";
        on_tx!(self, c => sqlx::query(SQL)
            .bind(row.customer_id.as_str())
            .bind(row.store_id.as_str())
            .bind(row.planted_by.as_str())
            .bind(row.planted_at)
            .bind(row.retired_at)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    /// Every honeytoken, newest first, with its store code and the usernames of its
    /// owner and planter (no customer field).
    pub async fn honeytokens(&mut self) -> Result<Vec<HoneytokenListing>, StoreError> {
        const SQL: &str = "SELECT h.customer_id, s.code AS store_code, o.username AS \
                           owner_username, p.username AS planted_by_username, h.planted_at, \
                           h.retired_at FROM honeytokens h \
                           JOIN stores s ON s.id = h.store_id \
                           JOIN customers c ON c.id = h.customer_id \
                           JOIN users o ON o.id = c.owner_id \
                           JOIN users p ON p.id = h.planted_by \
                           ORDER BY h.planted_at DESC, h.customer_id DESC";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).fetch_all(&mut **c).await)?)
    }

    /// Stops a honeytoken from alerting; false when there is no live one by that id.
    pub async fn retire_honeytoken(
        &mut self,
        customer_id: &CustomerId,
        at: i64,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE honeytokens SET retired_at = $2 \
                           WHERE customer_id = $1 AND retired_at IS NULL";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(customer_id.as_str())
            .bind(at)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Ids of the honeytokens that still alert.
    pub async fn live_honeytoken_ids(&mut self) -> Result<Vec<String>, StoreError> {
        const SQL: &str = "SELECT customer_id FROM honeytokens WHERE retired_at IS NULL";
        Ok(on_tx!(self, c => sqlx::query_scalar(SQL).fetch_all(&mut **c).await)?)
    }
}
