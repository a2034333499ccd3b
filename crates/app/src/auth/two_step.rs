//! Signing in with a second step: a code from the authenticator app or a recovery code,
//! given with the password (the API) or on a page of its own after it (the browser,
//! through a short-lived pending sign-in kept on the server — never the password).
//!
//! A wrong, spent or expired code counts as a failed login toward the account's lock,
//! like a wrong password. A role may require two-step sign-in: a holder without it signs
//! in normally during the grace period, and after it gets a session that may only set it
//! up (see [`enrol_by`]).

use super::recovery;
use super::session::{login_event, random_token, token_hash};
use super::sign_in::{Proof, Verified};
use super::totp::{self, Verdict};
use super::{LoginOutcome, SessionKind};
use crate::actor::RequestContext;
use crate::audit_trail::{append, commit};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_store::{LoginChallengeRow, MfaRow, RoleRow, UserRow};
use secrecy::SecretString;

/// How long the browser's pending sign-in lasts.
pub const PENDING_LOGIN_MS: i64 = 5 * 60_000;
/// Wrong codes a pending sign-in takes before it ends (each also counts toward the lock).
pub const PENDING_LOGIN_ATTEMPTS: i64 = 5;

/// The second step, as given.
#[derive(Clone)]
pub enum SecondStep {
    /// The six digits the authenticator app shows.
    Totp(String),
    /// One of the account's recovery codes.
    RecoveryCode(String),
}

// A code is a credential: it never reaches a log.
impl std::fmt::Debug for SecondStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SecondStep::Totp(_) => "SecondStep::Totp(..)",
            SecondStep::RecoveryCode(_) => "SecondStep::RecoveryCode(..)",
        })
    }
}

/// The browser's sign-in after the password was right: the token goes into a cookie
/// (only its hash is stored), the CSRF token into the code form.
#[derive(Debug)]
pub struct PendingLogin {
    pub token: String,
    pub csrf_token: String,
    pub expires_at: i64,
}

/// What the browser's password step led to.
#[derive(Debug)]
pub enum PasswordStep {
    SignedIn(LoginOutcome),
    /// The account signs in with a second step: ask for it.
    CodeNeeded(PendingLogin),
}

/// From when a session of `user` may only set up two-step sign-in: `None` when it is in
/// place or not asked of the account. An administrator's reset asks it at once (no new
/// grace period); a role that requires it allows the grace period from the later of the
/// account's creation and the role's marking.
pub(crate) fn enrol_by(
    user: &UserRow,
    role: Option<&RoleRow>,
    mfa: Option<&MfaRow>,
    grace_ms: i64,
) -> Option<i64> {
    match mfa {
        Some(m) if m.in_force() => return None,
        Some(m) if m.must_enrol => return Some(m.updated_at),
        _ => {}
    }
    let role = role.filter(|r| r.requires_mfa)?;
    let from = user.created_at.max(role.mfa_marked_at.unwrap_or(i64::MIN));
    Some(from.saturating_add(grace_ms))
}

impl App {
    /// Signs in with a password and, for an account with two-step sign-in, its second
    /// step. Without one such an account is answered [`AppError::MfaRequired`] and no
    /// session begins (recorded as `auth.mfa_challenge`, not as a failure: the password
    /// was right).
    pub async fn login_with(
        &self,
        username: &str,
        password: &SecretString,
        second: Option<&SecondStep>,
        kind: SessionKind,
        ctx: RequestContext,
    ) -> Result<LoginOutcome, AppError> {
        let verified = self.check_password(username, password, &ctx).await?;
        let proof = match verified.mfa.as_ref().filter(|m| m.in_force()) {
            None => None,
            Some(mfa) => match second {
                Some(step) => Some(self.judge(&verified.user, mfa, step, &ctx).await?),
                None => {
                    self.record_challenge(&verified.user, &ctx, None).await?;
                    return Err(AppError::MfaRequired);
                }
            },
        };
        self.begin_session(verified, kind, ctx, proof, None).await
    }

    /// The browser's first step: the password. An account with two-step sign-in gets a
    /// pending sign-in to finish with [`App::finish_web_login`].
    pub async fn begin_web_login(
        &self,
        username: &str,
        password: &SecretString,
        ctx: RequestContext,
    ) -> Result<PasswordStep, AppError> {
        let verified = self.check_password(username, password, &ctx).await?;
        if !verified.mfa.as_ref().is_some_and(MfaRow::in_force) {
            let outcome = self
                .begin_session(verified, SessionKind::Web, ctx, None, None)
                .await?;
            return Ok(PasswordStep::SignedIn(outcome));
        }
        let now = self.clock().now_ms();
        let pending = PendingLogin {
            token: random_token(),
            csrf_token: random_token(),
            expires_at: now + PENDING_LOGIN_MS,
        };
        let row = LoginChallengeRow {
            token_hash: token_hash(&pending.token),
            user_id: verified.user.id.clone(),
            csrf_token: pending.csrf_token.clone(),
            created_at: now,
            expires_at: pending.expires_at,
            attempts: 0,
        };
        self.record_challenge(&verified.user, &ctx, Some(&row))
            .await?;
        Ok(PasswordStep::CodeNeeded(pending))
    }

    /// The CSRF token of a live pending sign-in, for its code form; `None` when the
    /// token names none, or one that has expired.
    pub async fn pending_login(&self, token: &str) -> Result<Option<String>, AppError> {
        let mut tx = self.store().read().await?;
        let row = tx.login_challenge(&token_hash(token)).await?;
        let now = self.clock().now_ms();
        Ok(row.filter(|r| r.expires_at > now).map(|r| r.csrf_token))
    }

    /// The browser's second step. A pending sign-in that is gone or expired answers
    /// `login_expired` (start again with the password); each wrong code counts toward the
    /// account's lock, and the pending sign-in ends after a few.
    pub async fn finish_web_login(
        &self,
        token: &str,
        second: &SecondStep,
        ctx: RequestContext,
    ) -> Result<LoginOutcome, AppError> {
        let hash = token_hash(token);
        let now = self.clock().now_ms();
        let (challenge, user, settings) = {
            let mut tx = self.store().read().await?;
            let Some(challenge) = tx.login_challenge(&hash).await? else {
                return Err(AppError::SecondFactor("login_expired"));
            };
            let user = tx.user_by_id(&challenge.user_id).await?;
            (
                challenge,
                user,
                crate::settings::Settings::load(&mut tx).await?,
            )
        };
        let Some(user) = user.filter(|_| challenge.expires_at > now) else {
            self.end_challenge(&hash).await?;
            return Err(AppError::SecondFactor("login_expired"));
        };
        let username = user.username.clone();
        let user = self
            .admit(Some(user), &username, &ctx)
            .await?
            .ok_or(AppError::SecondFactor("login_expired"))?;
        self.refuse_inactive(&user, &ctx).await?;
        let (role, mfa) = {
            let mut tx = self.store().read().await?;
            (
                tx.role_by_id(&user.role_id).await?,
                tx.user_mfa(&user.id).await?,
            )
        };
        // Reset by an administrator meanwhile: start again.
        let Some(in_force) = mfa.clone().filter(MfaRow::in_force) else {
            self.end_challenge(&hash).await?;
            return Err(AppError::SecondFactor("login_expired"));
        };
        let proof = match self.judge(&user, &in_force, second, &ctx).await {
            Ok(proof) => proof,
            Err(e) => {
                self.count_challenge_attempt(&hash, &e).await?;
                return Err(e);
            }
        };
        let verified = Verified {
            user,
            role,
            mfa,
            settings,
        };
        let outcome = self
            .begin_session(verified, SessionKind::Web, ctx, Some(proof), Some(&hash))
            .await;
        if let Err(e) = &outcome {
            self.count_challenge_attempt(&hash, e).await?;
        }
        outcome
    }

    /// Checks a second step against the account's key or recovery codes, without
    /// spending it yet (the session's transaction does). A code that is wrong, or
    /// spent according to what was read, is a failed login.
    async fn judge(
        &self,
        user: &UserRow,
        mfa: &MfaRow,
        second: &SecondStep,
        ctx: &RequestContext,
    ) -> Result<Proof, AppError> {
        let refused = match second {
            SecondStep::Totp(code) => {
                let sealed = mfa.secret.as_deref().ok_or(AppError::Integrity)?;
                let key = self.vault().open_totp_key(&user.id, sealed)?;
                match totp::verify(&key, code, self.clock().now_ms(), mfa.last_step) {
                    Verdict::Accepted { step } => return Ok(Proof::TotpStep(step)),
                    Verdict::Reused => "totp_reused",
                    Verdict::Invalid => "totp_invalid",
                }
            }
            SecondStep::RecoveryCode(code) => match recovery::normalise(code) {
                Some(code) => return Ok(Proof::RecoveryCode(recovery::hash(&user.id, &code))),
                None => "recovery_code_invalid",
            },
        };
        Err(self
            .count_failure(Some(user), ctx, AppError::SecondFactor(refused))
            .await)
    }

    /// Records that a right password was asked for its second step (not a failure),
    /// storing the browser's pending sign-in in the same transaction.
    async fn record_challenge(
        &self,
        user: &UserRow,
        ctx: &RequestContext,
        pending: Option<&LoginChallengeRow>,
    ) -> Result<(), AppError> {
        let mut tx = self.store().write().await?;
        if let Some(row) = pending {
            tx.insert_login_challenge(row).await?;
        }
        let mut ev = login_event(self, Some(user), ctx, Outcome::Allowed);
        ev.action = "auth.mfa_challenge".into();
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await
    }

    /// A wrong code on the browser's second step: after a few, or once the account is
    /// locked, the pending sign-in ends.
    async fn count_challenge_attempt(&self, hash: &str, error: &AppError) -> Result<(), AppError> {
        let mut tx = self.store().write().await?;
        let attempts = tx.count_challenge_attempt(hash).await?;
        if attempts >= PENDING_LOGIN_ATTEMPTS || matches!(error, AppError::AccountLocked { .. }) {
            tx.delete_login_challenge(hash).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn end_challenge(&self, hash: &str) -> Result<(), AppError> {
        let mut tx = self.store().write().await?;
        tx.delete_login_challenge(hash).await?;
        tx.commit().await?;
        Ok(())
    }
}
