//! Server-side sessions, keyed by the hash of their bearer token.

use crate::error::StoreError;
use crate::rows::{from_row, RoleRow, SessionRow, UserRow};
use crate::tx::{on_tx, on_tx_atomic, Tx};
use dealervault_domain::ids::{RoleId, UserId};

/// A session with the account that holds it, the account's role and its store's code:
/// what every authenticated request needs, read in one query.
#[derive(Debug, Clone)]
pub struct SessionHolder {
    pub session: SessionRow,
    pub user: UserRow,
    /// `None` when the role row is missing: the account then has no grants.
    pub role: Option<RoleRow>,
    pub store_code: Option<String>,
}

// The user's columns keep their names (so `UserRow`'s decoding applies); the session's
// and the role's that would collide are prefixed.
const HOLDER_SQL: &str = "SELECT s.token_hash, s.user_id, s.kind, s.csrf_token, \
     s.created_at AS s_created_at, s.last_seen_at, s.expires_at, s.idle_timeout_ms, \
     s.mfa_enrol_by, \
     u.id, u.username, u.display_name, u.password_hash, u.role_id, u.store_id, \
     u.department_id, u.team_id, u.status, u.failed_logins, u.locked_until, \
     u.must_change_password, u.created_at, u.updated_at, \
     r.id AS r_id, r.code AS r_code, r.name_zh AS r_name_zh, r.name_en AS r_name_en, \
     r.builtin AS r_builtin, r.policy AS r_policy, r.updated_at AS r_updated_at, \
     r.requires_mfa AS r_requires_mfa, r.mfa_marked_at AS r_mfa_marked_at, \
     st.code AS store_code \
     FROM sessions s JOIN users u ON u.id = s.user_id \
     LEFT JOIN roles r ON r.id = u.role_id LEFT JOIN stores st ON st.id = u.store_id \
     WHERE s.token_hash = $1";

from_row!(SessionHolder, |row| SessionHolder {
    session: SessionRow {
        token_hash: row.try_get("token_hash")?,
        user_id: UserId::from_stored(row.try_get("user_id")?),
        kind: row.try_get("kind")?,
        csrf_token: row.try_get("csrf_token")?,
        created_at: row.try_get("s_created_at")?,
        last_seen_at: row.try_get("last_seen_at")?,
        expires_at: row.try_get("expires_at")?,
        idle_timeout_ms: row.try_get("idle_timeout_ms")?,
        mfa_enrol_by: row.try_get("mfa_enrol_by")?,
    },
    user: sqlx::FromRow::from_row(row)?,
    role: match row.try_get::<Option<String>, _>("r_id")? {
        Some(id) => Some(RoleRow {
            id: RoleId::from_stored(id),
            code: row.try_get("r_code")?,
            name_zh: row.try_get("r_name_zh")?,
            name_en: row.try_get("r_name_en")?,
            builtin: row.try_get("r_builtin")?,
            policy: row.try_get("r_policy")?,
            updated_at: row.try_get("r_updated_at")?,
            requires_mfa: row.try_get("r_requires_mfa")?,
            mfa_marked_at: row.try_get("r_mfa_marked_at")?,
        }),
        None => None,
    },
    store_code: row.try_get("store_code")?,
});

impl Tx {
    pub async fn insert_session(&mut self, row: &SessionRow) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO sessions (token_hash, user_id, kind, csrf_token, \
                           created_at, last_seen_at, expires_at, idle_timeout_ms, \
                           mfa_enrol_by) \
                           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
        on_tx_atomic!(self, c => sqlx::query(SQL)
            .bind(&row.token_hash)
            .bind(row.user_id.as_str())
            .bind(&row.kind)
            .bind(row.csrf_token.as_deref())
            .bind(row.created_at)
            .bind(row.last_seen_at)
            .bind(row.expires_at)
            .bind(row.idle_timeout_ms)
            .bind(row.mfa_enrol_by)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    pub async fn session(&mut self, token_hash: &str) -> Result<Option<SessionRow>, StoreError> {
        // Columns named, not `*` (see the roles' queries).
        const SQL: &str = "SELECT token_hash, user_id, kind, csrf_token, created_at, \
                           last_seen_at, expires_at, idle_timeout_ms, mfa_enrol_by \
                           FROM sessions WHERE token_hash = $1";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).bind(token_hash).fetch_optional(&mut **c).await)?)
    }

    /// The session of `token_hash` with its holder (see [`SessionHolder`]).
    pub async fn session_holder(
        &mut self,
        token_hash: &str,
    ) -> Result<Option<SessionHolder>, StoreError> {
        Ok(on_tx!(self, c => {
            sqlx::query_as(HOLDER_SQL).bind(token_hash).fetch_optional(&mut **c).await
        })?)
    }

    /// Records activity for the idle timeout. A session deleted meanwhile (logout in
    /// another tab) is not an error.
    pub async fn touch_session(&mut self, token_hash: &str, now: i64) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1";
        on_tx!(self, c => sqlx::query(SQL)
            .bind(token_hash)
            .bind(now)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    pub async fn delete_session(&mut self, token_hash: &str) -> Result<(), StoreError> {
        const SQL: &str = "DELETE FROM sessions WHERE token_hash = $1";
        on_tx!(self, c => sqlx::query(SQL).bind(token_hash).execute(&mut **c).await.map(drop))?;
        Ok(())
    }

    /// Ends every session of a user (password change, lock, offboarding); returns how many.
    pub async fn delete_user_sessions(&mut self, user: &UserId) -> Result<u64, StoreError> {
        const SQL: &str = "DELETE FROM sessions WHERE user_id = $1";
        Ok(on_tx!(self, c => sqlx::query(SQL)
            .bind(user.as_str())
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?)
    }

    /// Lifts the two-step enrolment deadline from every session of `user` (they enrolled,
    /// or their role no longer requires it).
    pub async fn clear_mfa_deadline(&mut self, user: &UserId) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE sessions SET mfa_enrol_by = NULL WHERE user_id = $1";
        on_tx!(self, c => sqlx::query(SQL).bind(user.as_str()).execute(&mut **c).await.map(drop))?;
        Ok(())
    }

    /// Ends every session of `user` but the one whose hash is `keep` (after a password
    /// change, the person stays signed in where they changed it, and nowhere else).
    pub async fn delete_other_sessions(
        &mut self,
        user: &UserId,
        keep: &str,
    ) -> Result<u64, StoreError> {
        const SQL: &str = "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2";
        Ok(on_tx!(self, c => sqlx::query(SQL)
            .bind(user.as_str())
            .bind(keep)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?)
    }
}
