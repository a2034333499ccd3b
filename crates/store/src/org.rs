//! Stores, departments and teams: the organisation that row scopes are drawn on.

use crate::error::StoreError;
use crate::rows::{DepartmentRow, StoreRow, TeamRow};
use crate::tx::{on_tx, on_tx_atomic, Tx};
use dealervault_domain::ids::StoreId;

impl Tx {
    pub async fn insert_store(&mut self, row: &StoreRow) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO stores (id, code, name_zh, name_en, timezone) \
                           VALUES ($1, $2, $3, $4, $5)";
        on_tx_atomic!(self, c => sqlx::query(SQL)
            .bind(row.id.as_str())
            .bind(&row.code)
            .bind(&row.name_zh)
            .bind(&row.name_en)
            .bind(&row.timezone)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    pub async fn stores(&mut self) -> Result<Vec<StoreRow>, StoreError> {
        const SQL: &str = "SELECT * FROM stores ORDER BY code";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).fetch_all(&mut **c).await)?)
    }

    /// A store's code by id: what every authenticated request shows of its store.
    pub async fn store_code(&mut self, id: &StoreId) -> Result<Option<String>, StoreError> {
        const SQL: &str = "SELECT code FROM stores WHERE id = $1";
        Ok(
            on_tx!(self, c => sqlx::query_scalar(SQL).bind(id.as_str()).fetch_optional(&mut **c).await)?,
        )
    }

    pub async fn store_by_code(&mut self, code: &str) -> Result<Option<StoreRow>, StoreError> {
        const SQL: &str = "SELECT * FROM stores WHERE code = $1";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).bind(code).fetch_optional(&mut **c).await)?)
    }

    pub async fn insert_department(&mut self, row: &DepartmentRow) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO departments (id, store_id, code, name_zh, name_en) \
                           VALUES ($1, $2, $3, $4, $5)";
        on_tx_atomic!(self, c => sqlx::query(SQL)
            .bind(row.id.as_str())
            .bind(row.store_id.as_str())
            .bind(&row.code)
            .bind(&row.name_zh)
            .bind(&row.name_en)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    pub async fn departments(&mut self) -> Result<Vec<DepartmentRow>, StoreError> {
        const SQL: &str = "SELECT * FROM departments ORDER BY store_id, code";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).fetch_all(&mut **c).await)?)
    }

    pub async fn insert_team(&mut self, row: &TeamRow) -> Result<(), StoreError> {
        const SQL: &str =
            "INSERT INTO teams (id, department_id, store_id, name) VALUES ($1, $2, $3, $4)";
        on_tx_atomic!(self, c => sqlx::query(SQL)
            .bind(row.id.as_str())
            .bind(row.department_id.as_str())
            .bind(row.store_id.as_str())
            .bind(&row.name)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    pub async fn teams(&mut self) -> Result<Vec<TeamRow>, StoreError> {
        const SQL: &str = "SELECT * FROM teams ORDER BY store_id, department_id, name";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).fetch_all(&mut **c).await)?)
    }
}
