//! Each store's rules for leads: how new ones are handed out and how its public pool
//! works. A store without a row has the defaults of the table.

use crate::error::StoreError;
use crate::rows::from_row;
use crate::tx::{on_tx, Tx};
use dealervault_domain::ids::{StoreId, UserId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalesSettingsRow {
    /// `manual`, `round_robin` or `by_model`.
    pub assignment: String,
    /// JSON list of `{"model", "user_id"}`.
    pub model_lines: String,
    pub last_assignee_id: Option<UserId>,
    pub claims_per_day: i64,
    pub return_after_days: i64,
}

impl Default for SalesSettingsRow {
    /// The table's defaults: leads wait in the pool for a manager or a claim, ten claims
    /// a day, back to the pool after seven days without work.
    fn default() -> Self {
        Self {
            assignment: "manual".into(),
            model_lines: "[]".into(),
            last_assignee_id: None,
            claims_per_day: 10,
            return_after_days: 7,
        }
    }
}

from_row!(SalesSettingsRow, |row| SalesSettingsRow {
    assignment: row.try_get("assignment")?,
    model_lines: row.try_get("model_lines")?,
    last_assignee_id: row
        .try_get::<Option<String>, _>("last_assignee_id")?
        .map(UserId::from_stored),
    claims_per_day: row.try_get("claims_per_day")?,
    return_after_days: row.try_get("return_after_days")?,
});

impl Tx {
    pub async fn store_sales_settings(
        &mut self,
        store: &StoreId,
    ) -> Result<SalesSettingsRow, StoreError> {
        const SQL: &str = "SELECT assignment, model_lines, last_assignee_id, claims_per_day, \
                           return_after_days FROM store_sales_settings WHERE store_id = $1";
        let row: Option<SalesSettingsRow> = on_tx!(self, c => sqlx::query_as(SQL)
            .bind(store.as_str())
            .fetch_optional(&mut **c)
            .await)?;
        Ok(row.unwrap_or_default())
    }

    /// Saves the store's rules (the round-robin position included).
    pub async fn save_store_sales_settings(
        &mut self,
        store: &StoreId,
        row: &SalesSettingsRow,
        at: i64,
    ) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO store_sales_settings (store_id, assignment, model_lines, \
                           last_assignee_id, claims_per_day, return_after_days, updated_at) \
                           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (store_id) DO UPDATE \
                           SET assignment = excluded.assignment, model_lines = excluded.model_lines, \
                           last_assignee_id = excluded.last_assignee_id, \
                           claims_per_day = excluded.claims_per_day, \
                           return_after_days = excluded.return_after_days, \
                           updated_at = excluded.updated_at";
        on_tx!(self, c => sqlx::query(SQL)
            .bind(store.as_str())
            .bind(row.assignment.as_str())
            .bind(row.model_lines.as_str())
            .bind(row.last_assignee_id.as_ref().map(UserId::as_str))
            .bind(row.claims_per_day)
            .bind(row.return_after_days)
            .bind(at)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }
}
