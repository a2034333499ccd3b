//! Roles and their policy documents.

use crate::error::StoreError;
use crate::rows::RoleRow;
use crate::tx::{on_tx, on_tx_atomic, Tx};
use dealervault_domain::ids::RoleId;

/// The columns of a role, named rather than `*`: a reader connection opened before a
/// migration added a column would otherwise describe the statement with the old columns
/// while SQLite, having noticed the new schema, returns the new ones.
macro_rules! role_columns {
    () => {
        "id, code, name_zh, name_en, builtin, policy, updated_at, requires_mfa, mfa_marked_at"
    };
}

impl Tx {
    pub async fn insert_role(&mut self, row: &RoleRow) -> Result<(), StoreError> {
        const SQL: &str =
            "INSERT INTO roles (id, code, name_zh, name_en, builtin, policy, updated_at, \
                           requires_mfa, mfa_marked_at) \
                           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
        on_tx_atomic!(self, c => sqlx::query(SQL)
            .bind(row.id.as_str())
            .bind(&row.code)
            .bind(&row.name_zh)
            .bind(&row.name_en)
            .bind(row.builtin)
            .bind(&row.policy)
            .bind(row.updated_at)
            .bind(row.requires_mfa)
            .bind(row.mfa_marked_at)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    pub async fn roles(&mut self) -> Result<Vec<RoleRow>, StoreError> {
        const SQL: &str = concat!("SELECT ", role_columns!(), " FROM roles ORDER BY code");
        Ok(on_tx!(self, c => sqlx::query_as(SQL).fetch_all(&mut **c).await)?)
    }

    pub async fn role_by_code(&mut self, code: &str) -> Result<Option<RoleRow>, StoreError> {
        const SQL: &str = concat!("SELECT ", role_columns!(), " FROM roles WHERE code = $1");
        Ok(on_tx!(self, c => sqlx::query_as(SQL).bind(code).fetch_optional(&mut **c).await)?)
    }

    pub async fn role_by_id(&mut self, id: &RoleId) -> Result<Option<RoleRow>, StoreError> {
        const SQL: &str = concat!("SELECT ", role_columns!(), " FROM roles WHERE id = $1");
        Ok(on_tx!(self, c => sqlx::query_as(SQL).bind(id.as_str()).fetch_optional(&mut **c).await)?)
    }

    /// Replaces the role's policy JSON. Fails if the role does not exist.
    pub async fn update_role_policy(
        &mut self,
        id: &RoleId,
        policy_json: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE roles SET policy = $2, updated_at = $3 WHERE id = $1";
        let updated = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(policy_json)
            .bind(now)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(updated, "roles")
    }

    /// Marks a role as requiring two-step sign-in from `marked_at`, or lifts the mark
    /// (`None`); the version (`updated_at`) moves on like for a change of rights.
    pub async fn set_role_mfa(
        &mut self,
        id: &RoleId,
        marked_at: Option<i64>,
        now: i64,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE roles SET requires_mfa = $2, mfa_marked_at = $3, \
                           updated_at = $4 WHERE id = $1";
        let updated = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(marked_at.is_some())
            .bind(marked_at)
            .bind(now)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(updated, "roles")
    }

    /// Lifts the enrolment deadline from the sessions of the role's holders, but not of
    /// those an administrator reset (they must enrol whatever their role).
    pub async fn clear_role_mfa_deadlines(&mut self, id: &RoleId) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE sessions SET mfa_enrol_by = NULL WHERE user_id IN \
                           (SELECT u.id FROM users u LEFT JOIN user_mfa m ON m.user_id = u.id \
                           WHERE u.role_id = $1 AND (m.must_enrol IS NULL OR NOT m.must_enrol))";
        on_tx!(self, c => sqlx::query(SQL).bind(id.as_str()).execute(&mut **c).await.map(drop))?;
        Ok(())
    }

    /// How many accounts hold each role (roles nobody holds are absent).
    pub async fn role_member_counts(&mut self) -> Result<Vec<(RoleId, i64)>, StoreError> {
        const SQL: &str = "SELECT role_id, COUNT(*) FROM users GROUP BY role_id";
        let rows: Vec<(String, i64)> =
            on_tx!(self, c => sqlx::query_as(SQL).fetch_all(&mut **c).await)?;
        Ok(rows
            .into_iter()
            .map(|(id, n)| (RoleId::from_stored(id), n))
            .collect())
    }
}
