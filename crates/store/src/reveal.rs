//! Per-user daily counters for revealing masked fields, which the gate caps.

use crate::error::StoreError;
use crate::tx::{on_tx, Tx};
use dealervault_domain::ids::UserId;

impl Tx {
    /// Reveals so far on `day` (`YYYY-MM-DD` in the store's zone, as the caller decides).
    pub async fn reveal_count(&mut self, user: &UserId, day: &str) -> Result<i64, StoreError> {
        const SQL: &str = "SELECT reveals FROM reveal_counts WHERE user_id = $1 AND day = $2";
        let count: Option<i64> = on_tx!(self, c => sqlx::query_scalar(SQL)
            .bind(user.as_str())
            .bind(day)
            .fetch_optional(&mut **c)
            .await)?;
        Ok(count.unwrap_or(0))
    }

    pub async fn add_reveal(&mut self, user: &UserId, day: &str) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO reveal_counts (user_id, day, reveals) VALUES ($1, $2, 1) \
                           ON CONFLICT (user_id, day) \
                           DO UPDATE SET reveals = reveal_counts.reveals + 1";
        on_tx!(self, c => sqlx::query(SQL)
            .bind(user.as_str())
            .bind(day)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }
}
