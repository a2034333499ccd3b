//! Small instance-wide settings as text (the caller chooses the encoding).

use crate::error::StoreError;
use crate::tx::{on_tx, Tx};

impl Tx {
    pub async fn setting(&mut self, key: &str) -> Result<Option<String>, StoreError> {
        const SQL: &str = "SELECT value FROM settings WHERE name = $1";
        Ok(on_tx!(self, c => sqlx::query_scalar(SQL).bind(key).fetch_optional(&mut **c).await)?)
    }

    pub async fn put_setting(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO settings (name, value) VALUES ($1, $2) \
                           ON CONFLICT (name) DO UPDATE SET value = excluded.value";
        on_tx!(self, c => sqlx::query(SQL).bind(key).bind(value).execute(&mut **c).await.map(drop))?;
        Ok(())
    }

    pub async fn delete_setting(&mut self, key: &str) -> Result<(), StoreError> {
        const SQL: &str = "DELETE FROM settings WHERE name = $1";
        on_tx!(self, c => sqlx::query(SQL).bind(key).execute(&mut **c).await.map(drop))?;
        Ok(())
    }
}
