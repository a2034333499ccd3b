//! Two-step sign-in: each account's TOTP enrolment (the key sealed by the application,
//! never in clear), its recovery codes (hashes only) and the browser's pending sign-ins
//! between the password and the code.

use crate::error::StoreError;
use crate::rows::from_row;
use crate::tx::{on_tx, Tx};
use dealervault_domain::ids::UserId;
use std::fmt;

/// An account's enrolment.
#[derive(Clone, PartialEq, Eq)]
pub struct MfaRow {
    pub user_id: UserId,
    /// The sealed TOTP key; `None` after an administrator's reset.
    pub secret: Option<Vec<u8>>,
    /// `None`: set up, not confirmed with a code yet (not in force).
    pub confirmed_at: Option<i64>,
    /// The last 30-second step whose code was accepted.
    pub last_step: Option<i64>,
    /// Reset by an administrator: the account must enrol at its next sign-in.
    pub must_enrol: bool,
    pub updated_at: i64,
}

impl MfaRow {
    /// Whether sign-in asks this account for a code.
    pub fn in_force(&self) -> bool {
        self.secret.is_some() && self.confirmed_at.is_some()
    }
}

from_row!(MfaRow, |row| MfaRow {
    user_id: UserId::from_stored(row.try_get("user_id")?),
    secret: row.try_get("secret")?,
    confirmed_at: row.try_get("confirmed_at")?,
    last_step: row.try_get("last_step")?,
    must_enrol: row.try_get("must_enrol")?,
    updated_at: row.try_get("updated_at")?,
});

// The sealed key stays out of logs, sealed or not.
impl fmt::Debug for MfaRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MfaRow")
            .field("user_id", &self.user_id)
            .field("confirmed_at", &self.confirmed_at)
            .field("last_step", &self.last_step)
            .field("must_enrol", &self.must_enrol)
            .finish_non_exhaustive()
    }
}

/// What became of a recovery code presented at sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoveryCodeUse {
    /// It was unused, and is used now.
    Used,
    /// It was used before.
    AlreadyUsed,
    /// No such code for this account.
    Unknown,
}

/// A browser between its password and its code.
#[derive(Clone, PartialEq, Eq)]
pub struct LoginChallengeRow {
    /// SHA-256 of the token in the browser's cookie.
    pub token_hash: String,
    pub user_id: UserId,
    /// The token the code form echoes back.
    pub csrf_token: String,
    pub created_at: i64,
    pub expires_at: i64,
    /// Wrong codes so far.
    pub attempts: i64,
}

from_row!(LoginChallengeRow, |row| LoginChallengeRow {
    token_hash: row.try_get("token_hash")?,
    user_id: UserId::from_stored(row.try_get("user_id")?),
    csrf_token: row.try_get("csrf_token")?,
    created_at: row.try_get("created_at")?,
    expires_at: row.try_get("expires_at")?,
    attempts: row.try_get("attempts")?,
});

impl fmt::Debug for LoginChallengeRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginChallengeRow")
            .field("user_id", &self.user_id)
            .field("expires_at", &self.expires_at)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

impl Tx {
    pub async fn user_mfa(&mut self, user: &UserId) -> Result<Option<MfaRow>, StoreError> {
        const SQL: &str = "SELECT * FROM user_mfa WHERE user_id = $1";
        Ok(
            on_tx!(self, c => sqlx::query_as(SQL).bind(user.as_str()).fetch_optional(&mut **c).await)?,
        )
    }

    /// Starts an enrolment (again) with a new sealed key, not in force until confirmed.
    /// A reset's `must_enrol` stays until the confirmation.
    pub async fn begin_mfa(
        &mut self,
        user: &UserId,
        sealed: &[u8],
        now: i64,
    ) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO user_mfa (user_id, secret, confirmed_at, last_step, \
                           must_enrol, updated_at) VALUES ($1, $2, NULL, NULL, FALSE, $3) \
                           ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, \
                           confirmed_at = NULL, last_step = NULL, updated_at = excluded.updated_at";
        on_tx!(self, c => sqlx::query(SQL)
            .bind(user.as_str())
            .bind(sealed)
            .bind(now)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    /// Puts a set-up key in force, `step` being that of the code that confirmed it (so
    /// that code cannot sign anyone in). `false` when there was nothing to confirm.
    pub async fn confirm_mfa(
        &mut self,
        user: &UserId,
        step: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE user_mfa SET confirmed_at = $3, last_step = $2, \
                           must_enrol = FALSE, updated_at = $3 \
                           WHERE user_id = $1 AND secret IS NOT NULL AND confirmed_at IS NULL";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(user.as_str())
            .bind(step)
            .bind(now)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Records `step` as the last one used, if it is later than the last one: `false`
    /// when it is not (its code was accepted before). One statement, so two sign-ins
    /// racing with the same code cannot both win.
    pub async fn use_totp_step(&mut self, user: &UserId, step: i64) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE user_mfa SET last_step = $2 WHERE user_id = $1 \
                           AND confirmed_at IS NOT NULL AND (last_step IS NULL OR last_step < $2)";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(user.as_str())
            .bind(step)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// An administrator's reset: the key and the recovery codes are gone, and the
    /// account must enrol at its next sign-in.
    pub async fn reset_mfa(&mut self, user: &UserId, now: i64) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO user_mfa (user_id, secret, confirmed_at, last_step, \
                           must_enrol, updated_at) VALUES ($1, NULL, NULL, NULL, TRUE, $2) \
                           ON CONFLICT (user_id) DO UPDATE SET secret = NULL, \
                           confirmed_at = NULL, last_step = NULL, must_enrol = TRUE, \
                           updated_at = excluded.updated_at";
        on_tx!(self, c => sqlx::query(SQL)
            .bind(user.as_str())
            .bind(now)
            .execute(&mut **c)
            .await
            .map(drop))?;
        self.replace_recovery_codes(user, &[], now).await
    }

    /// Replaces every recovery code of `user` with `hashes`.
    pub async fn replace_recovery_codes(
        &mut self,
        user: &UserId,
        hashes: &[String],
        now: i64,
    ) -> Result<(), StoreError> {
        const DELETE: &str = "DELETE FROM mfa_recovery_codes WHERE user_id = $1";
        const INSERT: &str = "INSERT INTO mfa_recovery_codes (user_id, code_hash, created_at) \
                              VALUES ($1, $2, $3)";
        on_tx!(self, c => sqlx::query(DELETE).bind(user.as_str()).execute(&mut **c).await.map(drop))?;
        for hash in hashes {
            on_tx!(self, c => sqlx::query(INSERT)
                .bind(user.as_str())
                .bind(hash)
                .bind(now)
                .execute(&mut **c)
                .await
                .map(drop))?;
        }
        Ok(())
    }

    /// Uses the recovery code whose hash is `hash`, if it is the account's and unused.
    pub async fn use_recovery_code(
        &mut self,
        user: &UserId,
        hash: &str,
        now: i64,
    ) -> Result<RecoveryCodeUse, StoreError> {
        const USE: &str = "UPDATE mfa_recovery_codes SET used_at = $3 \
                           WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL";
        const KNOWN: &str =
            "SELECT COUNT(*) FROM mfa_recovery_codes WHERE user_id = $1 AND code_hash = $2";
        let used = on_tx!(self, c => sqlx::query(USE)
            .bind(user.as_str())
            .bind(hash)
            .bind(now)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        if used == 1 {
            return Ok(RecoveryCodeUse::Used);
        }
        let known: i64 = on_tx!(self, c => sqlx::query_scalar(KNOWN)
            .bind(user.as_str())
            .bind(hash)
            .fetch_one(&mut **c)
            .await)?;
        Ok(if known > 0 {
            RecoveryCodeUse::AlreadyUsed
        } else {
            RecoveryCodeUse::Unknown
        })
    }

    /// The recovery codes of `user` not used yet.
    pub async fn recovery_codes_left(&mut self, user: &UserId) -> Result<i64, StoreError> {
        const SQL: &str =
            "SELECT COUNT(*) FROM mfa_recovery_codes WHERE user_id = $1 AND used_at IS NULL";
        Ok(
            on_tx!(self, c => sqlx::query_scalar(SQL).bind(user.as_str()).fetch_one(&mut **c).await)?,
        )
    }

    /// Stores a pending sign-in, clearing out the expired ones on the way.
    pub async fn insert_login_challenge(
        &mut self,
        row: &LoginChallengeRow,
    ) -> Result<(), StoreError> {
        const EXPIRED: &str = "DELETE FROM login_challenges WHERE expires_at <= $1";
        const SQL: &str = "INSERT INTO login_challenges (token_hash, user_id, csrf_token, \
                           created_at, expires_at, attempts) VALUES ($1, $2, $3, $4, $5, $6)";
        on_tx!(self, c => sqlx::query(EXPIRED).bind(row.created_at).execute(&mut **c).await.map(drop))?;
        on_tx!(self, c => sqlx::query(SQL)
            .bind(&row.token_hash)
            .bind(row.user_id.as_str())
            .bind(&row.csrf_token)
            .bind(row.created_at)
            .bind(row.expires_at)
            .bind(row.attempts)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    pub async fn login_challenge(
        &mut self,
        token_hash: &str,
    ) -> Result<Option<LoginChallengeRow>, StoreError> {
        const SQL: &str = "SELECT * FROM login_challenges WHERE token_hash = $1";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).bind(token_hash).fetch_optional(&mut **c).await)?)
    }

    /// Counts one wrong code against a pending sign-in; returns the count.
    pub async fn count_challenge_attempt(&mut self, token_hash: &str) -> Result<i64, StoreError> {
        const SQL: &str = "UPDATE login_challenges SET attempts = attempts + 1 \
                           WHERE token_hash = $1 RETURNING attempts";
        let n: Option<i64> = on_tx!(self, c => sqlx::query_scalar(SQL)
            .bind(token_hash)
            .fetch_optional(&mut **c)
            .await)?;
        Ok(n.unwrap_or(i64::MAX))
    }

    pub async fn delete_login_challenge(&mut self, token_hash: &str) -> Result<(), StoreError> {
        const SQL: &str = "DELETE FROM login_challenges WHERE token_hash = $1";
        on_tx!(self, c => sqlx::query(SQL).bind(token_hash).execute(&mut **c).await.map(drop))?;
        Ok(())
    }

    /// Ends every pending sign-in of `user` (a reset, a freeze).
    pub async fn delete_user_login_challenges(&mut self, user: &UserId) -> Result<(), StoreError> {
        const SQL: &str = "DELETE FROM login_challenges WHERE user_id = $1";
        on_tx!(self, c => sqlx::query(SQL).bind(user.as_str()).execute(&mut **c).await.map(drop))?;
        Ok(())
    }
}
