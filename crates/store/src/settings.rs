//! Small instance-wide settings as text (the caller chooses the encoding).

use crate::error::StoreError;
use crate::sql::{bind_params, Param, Sql};
use crate::tx::{on_tx, Tx};
use std::collections::HashMap;

impl Tx {
    pub async fn setting(&mut self, key: &str) -> Result<Option<String>, StoreError> {
        const SQL: &str = "SELECT value FROM settings WHERE name = $1";
        Ok(on_tx!(self, c => sqlx::query_scalar(SQL).bind(key).fetch_optional(&mut **c).await)?)
    }

    /// The settings among `names` that are set, by name, in one query (a request that
    /// needs several pays for one round trip).
    pub async fn settings(
        &mut self,
        names: &[&str],
    ) -> Result<HashMap<String, String>, StoreError> {
        let mut sql = Sql::new("SELECT name, value FROM settings WHERE name IN ");
        sql.bind_list(names.iter().map(|n| Param::Text((*n).to_string())));
        let rows: Vec<(String, String)> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?;
        Ok(rows.into_iter().collect())
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
