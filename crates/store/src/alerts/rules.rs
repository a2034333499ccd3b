//! The rules' settings, the stores' hours and networks, the engine's cursor and the
//! notice periods the rules read.

use super::{AlertRuleRow, StoreAlertSettingsRow};
use crate::error::StoreError;
use crate::rows::to_json;
use crate::tx::{on_tx, Tx};
use dealervault_domain::ids::UserId;

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
