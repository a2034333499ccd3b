//! Server-side sessions, keyed by the hash of their bearer token.

use crate::error::StoreError;
use crate::rows::SessionRow;
use crate::tx::{on_tx, on_tx_atomic, Tx};
use dealervault_domain::ids::UserId;

impl Tx {
    pub async fn insert_session(&mut self, row: &SessionRow) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO sessions (token_hash, user_id, kind, csrf_token, \
                           created_at, last_seen_at, expires_at) \
                           VALUES ($1, $2, $3, $4, $5, $6, $7)";
        on_tx_atomic!(self, c => sqlx::query(SQL)
            .bind(&row.token_hash)
            .bind(row.user_id.as_str())
            .bind(&row.kind)
            .bind(row.csrf_token.as_deref())
            .bind(row.created_at)
            .bind(row.last_seen_at)
            .bind(row.expires_at)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    pub async fn session(&mut self, token_hash: &str) -> Result<Option<SessionRow>, StoreError> {
        const SQL: &str = "SELECT * FROM sessions WHERE token_hash = $1";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).bind(token_hash).fetch_optional(&mut **c).await)?)
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
