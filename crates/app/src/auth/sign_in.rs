//! Signing in: the rate limits and the lock, the password, the account's status, and the
//! session that begins — spending the second step's proof in the same transaction.

use super::session::{login_event, random_token, token_hash};
use super::{LoginOutcome, SessionKind};
use crate::actor::RequestContext;
use crate::audit_trail::{append, commit, refuse};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_store::{MfaRow, RecoveryCodeUse, RoleRow, SessionRow, UserRow};
use secrecy::SecretString;

/// An account whose password was right, with what its sign-in still depends on.
pub(super) struct Verified {
    pub(super) user: UserRow,
    pub(super) role: Option<RoleRow>,
    pub(super) mfa: Option<MfaRow>,
    pub(super) settings: crate::settings::Settings,
}

/// What a second step proved, spent in the transaction that begins the session so that
/// no code is accepted twice, even by two sign-ins racing.
#[derive(Debug)]
pub(super) enum Proof {
    /// The 30-second step of an accepted authenticator code.
    TotpStep(i64),
    /// The hash of a recovery code.
    RecoveryCode(String),
}

impl App {
    /// Signs in with a username and password alone: for accounts without two-step
    /// sign-in (one with it answers [`AppError::MfaRequired`]). See
    /// [`App::login_with`].
    pub async fn login(
        &self,
        username: &str,
        password: &SecretString,
        kind: SessionKind,
        ctx: RequestContext,
    ) -> Result<LoginOutcome, AppError> {
        self.login_with(username, password, None, kind, ctx).await
    }

    /// Checks the rate limits, the lock, the password and the account's status; a wrong
    /// password counts toward the lock.
    pub(super) async fn check_password(
        &self,
        username: &str,
        password: &SecretString,
        ctx: &RequestContext,
    ) -> Result<Verified, AppError> {
        let username = username.trim();
        // What the sign-in may need, read at once (the role and the second step are
        // cheap to read for an account whose password then turns out wrong).
        let (user, settings, role, mfa) = {
            let mut tx = self.store().read().await?;
            let user = tx.user_by_username(username).await?;
            let settings = crate::settings::Settings::load(&mut tx).await?;
            let (role, mfa) = match &user {
                Some(u) => (tx.role_by_id(&u.role_id).await?, tx.user_mfa(&u.id).await?),
                None => (None, None),
            };
            (user, settings, role, mfa)
        };
        let user = self.admit(user, username, ctx).await?;
        let ok = self
            .hasher()
            .verify(password, user.as_ref().map(|u| u.password_hash.as_str()))
            .await;
        let user = match user {
            Some(user) if ok => user,
            other => {
                let refusal = AppError::BadCredentials;
                return Err(self.count_failure(other.as_ref(), ctx, refusal).await);
            }
        };
        self.refuse_inactive(&user, ctx).await?;
        Ok(Verified {
            user,
            role,
            mfa,
            settings,
        })
    }

    /// The rate limits and the lock, before anything is checked: a refusal is recorded.
    pub(super) async fn admit(
        &self,
        user: Option<UserRow>,
        username: &str,
        ctx: &RequestContext,
    ) -> Result<Option<UserRow>, AppError> {
        if !self.limits().allow(username, ctx.client_addr.as_deref()) {
            let ev = login_event(self, user.as_ref(), ctx, Outcome::Denied);
            return Err(refuse(self, ev, AppError::RateLimited).await);
        }
        let now = self.clock().now_ms();
        if let Some(until) = user
            .as_ref()
            .and_then(|u| u.locked_until)
            .filter(|t| *t > now)
        {
            let ev = login_event(self, user.as_ref(), ctx, Outcome::Denied);
            let retry_after_secs = (until - now + 999) / 1000;
            return Err(refuse(self, ev, AppError::AccountLocked { retry_after_secs }).await);
        }
        Ok(user)
    }

    /// A disabled or frozen account signs in no more, whatever it proves.
    pub(super) async fn refuse_inactive(
        &self,
        user: &UserRow,
        ctx: &RequestContext,
    ) -> Result<(), AppError> {
        if user.status == "active" {
            return Ok(());
        }
        let ev = login_event(self, Some(user), ctx, Outcome::Denied);
        let refusal = if user.status == "frozen" {
            AppError::AccountFrozen
        } else {
            AppError::AccountDisabled
        };
        Err(refuse(self, ev, refusal).await)
    }

    /// Begins the session of a verified account, spending `proof` (a code cannot be
    /// spent twice: a second use is counted as a failed login) and, for the browser's
    /// second step, its pending sign-in.
    pub(super) async fn begin_session(
        &self,
        verified: Verified,
        kind: SessionKind,
        ctx: RequestContext,
        proof: Option<Proof>,
        challenge: Option<&str>,
    ) -> Result<LoginOutcome, AppError> {
        let Verified {
            user,
            role,
            mfa,
            settings,
        } = verified;
        let now = self.clock().now_ms();
        let token = random_token();
        let mfa_enrol_by =
            super::two_step::enrol_by(&user, role.as_ref(), mfa.as_ref(), settings.mfa_grace_ms());
        let session = SessionRow {
            token_hash: token_hash(&token),
            user_id: user.id.clone(),
            kind: kind.code().into(),
            csrf_token: (kind == SessionKind::Web).then(random_token),
            created_at: now,
            last_seen_at: now,
            expires_at: now + settings.session_absolute_ms(),
            idle_timeout_ms: settings.session_idle_ms(),
            mfa_enrol_by,
        };
        let mut tx = self.store().write().await?;
        let mut recovery_codes_left = None;
        let spent = match &proof {
            None => Ok(()),
            Some(Proof::TotpStep(step)) => match tx.use_totp_step(&user.id, *step).await? {
                true => Ok(()),
                false => Err("totp_reused"),
            },
            Some(Proof::RecoveryCode(hash)) => {
                match tx.use_recovery_code(&user.id, hash, now).await? {
                    RecoveryCodeUse::Used => {
                        recovery_codes_left = Some(tx.recovery_codes_left(&user.id).await?);
                        Ok(())
                    }
                    RecoveryCodeUse::AlreadyUsed => Err("recovery_code_used"),
                    RecoveryCodeUse::Unknown => Err("recovery_code_invalid"),
                }
            }
        };
        if let Err(code) = spent {
            tx.rollback().await?;
            let refusal = AppError::SecondFactor(code);
            return Err(self.count_failure(Some(&user), &ctx, refusal).await);
        }
        if user.failed_logins > 0 {
            tx.clear_login_failures(&user.id).await?;
        }
        if let Some(challenge) = challenge {
            tx.delete_login_challenge(challenge).await?;
        }
        tx.insert_session(&session).await?;
        let lang = tx.user_lang(&user.id).await?.unwrap_or_else(|| "zh".into());
        let mut seq = append(
            &mut tx,
            login_event(self, Some(&user), &ctx, Outcome::Allowed),
        )
        .await?;
        if let Some(left) = recovery_codes_left {
            // A recovery code is a fallback worth a trace of its own (named, not shown).
            let mut ev = login_event(self, Some(&user), &ctx, Outcome::Allowed);
            ev.action = "auth.mfa_recovery_used".into();
            ev.reason = Some(format!("{left} left"));
            seq = append(&mut tx, ev).await?;
        }
        commit(self, tx, seq).await?;
        Ok(LoginOutcome {
            token,
            expires_at: session.expires_at,
            must_change_password: user.must_change_password,
            lang,
            mfa_enrol_by,
            mfa_enrolment_required: mfa_enrol_by.is_some_and(|d| now >= d),
            recovery_codes_left,
        })
    }

    /// Counts a failed login against the account, locking it at the threshold. The
    /// answer is `refusal`, or the lock when this failure set it.
    pub(super) async fn count_failure(
        &self,
        user: Option<&UserRow>,
        ctx: &RequestContext,
        refusal: AppError,
    ) -> AppError {
        let result = async {
            let mut tx = self.store().write().await?;
            let mut error = refusal;
            let mut ev = login_event(self, user, ctx, Outcome::Failed);
            if let AppError::SecondFactor(code) = &error {
                // Which step failed, by name: the password was right.
                ev.reason = Some((*code).to_string());
            }
            if let Some(user) = user {
                let failures = user.failed_logins + 1;
                let locked_until = (failures >= self.config().lockout_threshold)
                    .then(|| self.clock().now_ms() + self.config().lockout_ms);
                tx.record_login_failure(&user.id, failures, locked_until)
                    .await?;
                if locked_until.is_some() {
                    error = AppError::AccountLocked {
                        retry_after_secs: self.config().lockout_ms / 1000,
                    };
                }
            }
            let seq = append(&mut tx, ev).await?;
            commit(self, tx, seq).await?;
            Ok::<_, AppError>(error)
        };
        result.await.unwrap_or_else(|e| e)
    }
}
