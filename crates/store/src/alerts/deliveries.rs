//! The outbox of deliveries: queued with the alert, claimed, retried.

use super::DeliveryRow;
use crate::error::StoreError;
use crate::sql::{bind_params, Param, Sql};
use crate::tx::{on_tx, Tx};

impl Tx {
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
}
