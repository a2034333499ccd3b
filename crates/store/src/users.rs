//! Staff accounts: identity, role, place in the organisation, and login state.

use crate::error::StoreError;
use crate::rows::UserRow;
use crate::sql::{bind_params, Param, Sql};
use crate::tx::{on_tx, on_tx_atomic, Tx};
use dealervault_domain::ids::{DepartmentId, RoleId, StoreId, TeamId, UserId};
use std::collections::HashMap;

/// Ids per `IN (...)` list: well under every backend's bind limit.
const IN_CHUNK: usize = 500;

impl Tx {
    pub async fn insert_user(&mut self, row: &UserRow) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO users (id, username, display_name, password_hash, role_id, \
                           store_id, department_id, team_id, status, failed_logins, locked_until, \
                           must_change_password, created_at, updated_at) \
                           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
        on_tx_atomic!(self, c => sqlx::query(SQL)
            .bind(row.id.as_str())
            .bind(&row.username)
            .bind(&row.display_name)
            .bind(&row.password_hash)
            .bind(row.role_id.as_str())
            .bind(row.store_id.as_ref().map(StoreId::as_str))
            .bind(row.department_id.as_ref().map(DepartmentId::as_str))
            .bind(row.team_id.as_ref().map(TeamId::as_str))
            .bind(&row.status)
            .bind(row.failed_logins)
            .bind(row.locked_until)
            .bind(row.must_change_password)
            .bind(row.created_at)
            .bind(row.updated_at)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    pub async fn user_by_username(
        &mut self,
        username: &str,
    ) -> Result<Option<UserRow>, StoreError> {
        const SQL: &str = "SELECT * FROM users WHERE username = $1";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).bind(username).fetch_optional(&mut **c).await)?)
    }

    pub async fn user_by_id(&mut self, id: &UserId) -> Result<Option<UserRow>, StoreError> {
        const SQL: &str = "SELECT * FROM users WHERE id = $1";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).bind(id.as_str()).fetch_optional(&mut **c).await)?)
    }

    pub async fn users(&mut self) -> Result<Vec<UserRow>, StoreError> {
        const SQL: &str = "SELECT * FROM users ORDER BY username";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).fetch_all(&mut **c).await)?)
    }

    /// Records a resignation: the last day and how the book is to be handed over.
    pub async fn set_resignation(
        &mut self,
        id: &UserId,
        last_day: &str,
        rule: &str,
        to: Option<&UserId>,
        at: i64,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE users SET leaving_on = $2, handover_rule = $3, \
                           handover_to = $4, updated_at = $5 WHERE id = $1";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(last_day)
            .bind(rule)
            .bind(to.map(UserId::as_str))
            .bind(at)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "users")
    }

    /// Active accounts whose last day is `day` or earlier: (id, last day, handover rule,
    /// handover colleague).
    pub async fn departures_due(
        &mut self,
        day: &str,
    ) -> Result<Vec<(UserId, String, Option<String>, Option<UserId>)>, StoreError> {
        const SQL: &str = "SELECT id, leaving_on, handover_rule, handover_to FROM users \
                           WHERE status = 'active' AND leaving_on IS NOT NULL \
                           AND leaving_on <= $1 ORDER BY id";
        let rows: Vec<(String, String, Option<String>, Option<String>)> =
            on_tx!(self, c => sqlx::query_as(SQL).bind(day).fetch_all(&mut **c).await)?;
        Ok(rows
            .into_iter()
            .map(|(id, day, rule, to)| {
                (
                    UserId::from_stored(id),
                    day,
                    rule,
                    to.map(UserId::from_stored),
                )
            })
            .collect())
    }

    /// Freezes an account: status `frozen`, with when and why. Its sessions are the
    /// caller's to end, in the same transaction.
    pub async fn freeze_user(
        &mut self,
        id: &UserId,
        reason: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE users SET status = 'frozen', frozen_at = $2, \
                           freeze_reason = $3, updated_at = $2 WHERE id = $1";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(at)
            .bind(reason)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "users")
    }

    pub async fn set_user_status(
        &mut self,
        id: &UserId,
        status: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE users SET status = $2, updated_at = $3 WHERE id = $1";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(status)
            .bind(now)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "users")
    }

    pub async fn set_user_role(
        &mut self,
        id: &UserId,
        role: &RoleId,
        now: i64,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE users SET role_id = $2, updated_at = $3 WHERE id = $1";
        let n = on_tx_atomic!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(role.as_str())
            .bind(now)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "users")
    }

    /// Moves a user; their customers' team and department scopes follow at once, because
    /// those scopes are resolved through the owner's current place.
    pub async fn set_user_position(
        &mut self,
        id: &UserId,
        store: Option<&StoreId>,
        department: Option<&DepartmentId>,
        team: Option<&TeamId>,
        now: i64,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE users SET store_id = $2, department_id = $3, team_id = $4, \
                           updated_at = $5 WHERE id = $1";
        let n = on_tx_atomic!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(store.map(StoreId::as_str))
            .bind(department.map(DepartmentId::as_str))
            .bind(team.map(TeamId::as_str))
            .bind(now)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "users")
    }

    pub async fn set_password(
        &mut self,
        id: &UserId,
        hash: &str,
        must_change: bool,
        now: i64,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE users SET password_hash = $2, must_change_password = $3, \
                           updated_at = $4 WHERE id = $1";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(hash)
            .bind(must_change)
            .bind(now)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "users")
    }

    /// Stores the counter and lock the caller computed; `updated_at` is left alone since
    /// a failed login is not an edit of the account.
    pub async fn record_login_failure(
        &mut self,
        id: &UserId,
        failed_logins: i64,
        locked_until: Option<i64>,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE users SET failed_logins = $2, locked_until = $3 WHERE id = $1";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(failed_logins)
            .bind(locked_until)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "users")
    }

    pub async fn clear_login_failures(&mut self, id: &UserId) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "users")
    }

    /// Display names of the given users; unknown ids are simply absent from the map.
    pub async fn user_display_names(
        &mut self,
        ids: &[UserId],
    ) -> Result<HashMap<UserId, String>, StoreError> {
        let mut names = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(IN_CHUNK) {
            let mut sql = Sql::new("SELECT id, display_name FROM users WHERE id IN ");
            sql.bind_list(chunk.iter().map(|id| Param::Text(id.as_str().to_string())));
            let rows: Vec<(String, String)> = on_tx!(self, c => {
                bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
            })?;
            names.extend(
                rows.into_iter()
                    .map(|(id, name)| (UserId::from_stored(id), name)),
            );
        }
        Ok(names)
    }

    /// The language a person chose (`zh` or `en`).
    pub async fn user_lang(&mut self, id: &UserId) -> Result<Option<String>, StoreError> {
        const SQL: &str = "SELECT lang FROM users WHERE id = $1";
        Ok(
            on_tx!(self, c => sqlx::query_scalar(SQL).bind(id.as_str()).fetch_optional(&mut **c).await)?,
        )
    }

    /// Remembers a person's language; the column's CHECK refuses anything but `zh`/`en`.
    pub async fn set_user_lang(&mut self, id: &UserId, lang: &str) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE users SET lang = $2 WHERE id = $1";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(lang)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "users")
    }
}
