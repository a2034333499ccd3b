//! Setting up two-step sign-in, for the signed-in person: a new 160-bit key (sealed at
//! rest, shown once as text and as a QR code), confirmed with a code from the app, which
//! puts it in force and hands out ten recovery codes, shown once. Recovery codes can be
//! made anew with a current code. An administrator resets the lot for someone who lost
//! their phone: the account must set it up again at its next sign-in.
//!
//! These take any live session's actor, even one that may do nothing else: the web
//! layer decides who reaches them. Every step is audited by name, never by value.

use super::recovery::{self, RECOVERY_CODES};
use super::totp::{self, Verdict, KEY_BYTES};
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event, refuse};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::UserId;
use dealervault_policy::Action;
use dealervault_store::MfaRow;
use dealervault_vault::Zeroizing;
use rand::RngCore;
use secrecy::SecretString;

/// Where the signed-in person stands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct MfaStatus {
    /// Sign-in asks for a code.
    pub enabled: bool,
    /// Set up, waiting for the confirming code.
    pub pending: bool,
    /// The person's role requires it.
    pub required_by_role: bool,
    /// Not set up although asked: from this moment (unix ms) the person may only set
    /// it up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enrol_by: Option<i64>,
    /// Unused recovery codes.
    pub recovery_codes_left: i64,
}

/// A key to set up, shown once. Not `Debug`-printable: it is the key.
pub struct MfaSetup {
    /// The key in base32, for typing into an app.
    pub secret: SecretString,
    /// `otpauth://totp/DealerVault:<username>?secret=…`, for the QR code.
    pub otpauth_uri: SecretString,
}

impl std::fmt::Debug for MfaSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MfaSetup(..)")
    }
}

/// An account's two-step sign-in as its administrator sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct AccountMfa {
    pub enabled: bool,
    /// Reset, to be set up again at the next sign-in.
    pub must_enrol: bool,
    pub recovery_codes_left: i64,
}

/// An event about the actor's own account.
fn user_event(
    app: &App,
    actor: &Actor,
    action: &str,
    outcome: Outcome,
) -> dealervault_audit::AuditEvent {
    let mut ev = event(app, actor, action, Entity::User, outcome);
    ev.record_ids = vec![actor.user_id.to_string()];
    ev
}

fn wrong_code() -> AppError {
    AppError::invalid("code", Rule::Incorrect)
}

impl App {
    pub async fn mfa_status(&self, actor: &Actor) -> Result<MfaStatus, AppError> {
        let mut tx = self.store().read().await?;
        let mfa = tx.user_mfa(&actor.user_id).await?;
        let required_by_role = tx
            .role_by_code(&actor.role_code)
            .await?
            .is_some_and(|r| r.requires_mfa);
        let left = tx.recovery_codes_left(&actor.user_id).await?;
        Ok(MfaStatus {
            enabled: mfa.as_ref().is_some_and(MfaRow::in_force),
            pending: mfa
                .as_ref()
                .is_some_and(|m| m.secret.is_some() && m.confirmed_at.is_none()),
            required_by_role,
            enrol_by: actor.mfa_enrol_by,
            recovery_codes_left: left,
        })
    }

    /// A new key for the person, not in force until confirmed (a key set up before and
    /// not confirmed is replaced). Refused while one is in force (`mfa_already_enabled`):
    /// a lost phone is the administrator's reset.
    pub async fn begin_mfa_setup(&self, actor: &Actor) -> Result<MfaSetup, AppError> {
        let mut key = Zeroizing::new(vec![0u8; KEY_BYTES]);
        rand::rngs::OsRng.fill_bytes(&mut key);
        let sealed = self.vault().seal_totp_key(&actor.user_id, &key)?;
        let mut tx = self.store().write().await?;
        if tx
            .user_mfa(&actor.user_id)
            .await?
            .is_some_and(|m| m.in_force())
        {
            return Err(AppError::Conflict("mfa_already_enabled"));
        }
        tx.begin_mfa(&actor.user_id, &sealed, self.clock().now_ms())
            .await?;
        let seq = append(
            &mut tx,
            user_event(self, actor, "auth.mfa_setup", Outcome::Allowed),
        )
        .await?;
        commit(self, tx, seq).await?;
        Ok(MfaSetup {
            secret: SecretString::from(totp::base32(&key)),
            otpauth_uri: SecretString::from(totp::otpauth_uri(&key, &actor.username)),
        })
    }

    /// Puts the key set up in force with a code from the app, and returns the ten
    /// recovery codes — the only time they are shown. The session's enrolment deadline
    /// is lifted at once.
    pub async fn confirm_mfa(&self, actor: &Actor, code: &str) -> Result<Vec<String>, AppError> {
        let mfa = {
            let mut tx = self.store().read().await?;
            tx.user_mfa(&actor.user_id).await?
        };
        let Some((mfa, sealed)) = mfa
            .filter(|m| m.confirmed_at.is_none())
            .and_then(|m| m.secret.clone().map(|s| (m, s)))
        else {
            return Err(AppError::Conflict("mfa_not_pending"));
        };
        let key = self.vault().open_totp_key(&actor.user_id, &sealed)?;
        let Verdict::Accepted { step } =
            totp::verify(&key, code, self.clock().now_ms(), mfa.last_step)
        else {
            let ev = user_event(self, actor, "auth.mfa_enrol", Outcome::Failed);
            return Err(refuse(self, ev, wrong_code()).await);
        };
        let codes = recovery::generate();
        let now = self.clock().now_ms();
        let mut tx = self.store().write().await?;
        if !tx.confirm_mfa(&actor.user_id, step, now).await? {
            return Err(AppError::Conflict("mfa_not_pending"));
        }
        self.store_recovery_codes(&mut tx, &actor.user_id, &codes, now)
            .await?;
        tx.clear_mfa_deadline(&actor.user_id).await?;
        let seq = append(
            &mut tx,
            user_event(self, actor, "auth.mfa_enrol", Outcome::Allowed),
        )
        .await?;
        commit(self, tx, seq).await?;
        Ok(codes)
    }

    /// New recovery codes in place of the old (all of them, used or not), for a current
    /// code from the app; returned once.
    pub async fn regenerate_recovery_codes(
        &self,
        actor: &Actor,
        code: &str,
    ) -> Result<Vec<String>, AppError> {
        let mfa = {
            let mut tx = self.store().read().await?;
            tx.user_mfa(&actor.user_id).await?
        };
        let Some(mfa) = mfa.filter(MfaRow::in_force) else {
            return Err(AppError::Conflict("mfa_not_enabled"));
        };
        let sealed = mfa.secret.as_deref().ok_or(AppError::Integrity)?;
        let key = self.vault().open_totp_key(&actor.user_id, sealed)?;
        let verdict = totp::verify(&key, code, self.clock().now_ms(), mfa.last_step);
        let now = self.clock().now_ms();
        let mut tx = self.store().write().await?;
        let spent = match verdict {
            Verdict::Accepted { step } => tx.use_totp_step(&actor.user_id, step).await?,
            Verdict::Reused | Verdict::Invalid => false,
        };
        if !spent {
            tx.rollback().await?;
            let ev = user_event(self, actor, "auth.mfa_recovery_regenerate", Outcome::Failed);
            return Err(refuse(self, ev, wrong_code()).await);
        }
        let codes = recovery::generate();
        self.store_recovery_codes(&mut tx, &actor.user_id, &codes, now)
            .await?;
        let ev = user_event(
            self,
            actor,
            "auth.mfa_recovery_regenerate",
            Outcome::Allowed,
        );
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await?;
        Ok(codes)
    }

    async fn store_recovery_codes(
        &self,
        tx: &mut dealervault_store::Tx,
        user: &UserId,
        codes: &[String],
        now: i64,
    ) -> Result<(), AppError> {
        debug_assert_eq!(codes.len(), RECOVERY_CODES);
        let hashes: Vec<String> = codes
            .iter()
            .filter_map(|c| recovery::normalise(c))
            .map(|c| recovery::hash(user, &c))
            .collect();
        tx.replace_recovery_codes(user, &hashes, now).await?;
        Ok(())
    }

    /// An account's two-step sign-in, for its administrator (user × view).
    pub async fn account_mfa(&self, actor: &Actor, user_id: &str) -> Result<AccountMfa, AppError> {
        self.permit(actor, Entity::User, Action::View, "user.list")
            .await?;
        let id = UserId::parse(user_id).ok_or(AppError::NotFound)?;
        let mut tx = self.store().read().await?;
        tx.user_by_id(&id).await?.ok_or(AppError::NotFound)?;
        let mfa = tx.user_mfa(&id).await?;
        Ok(AccountMfa {
            enabled: mfa.as_ref().is_some_and(MfaRow::in_force),
            must_enrol: mfa.as_ref().is_some_and(|m| m.must_enrol),
            recovery_codes_left: tx.recovery_codes_left(&id).await?,
        })
    }

    /// A lost phone: removes the account's key and recovery codes and ends its sessions
    /// (and pending sign-ins); it must set two-step sign-in up again at its next sign-in,
    /// with no new grace period. Needs user × edit; nobody resets their own
    /// (`cannot_change_self`), and an account without it has nothing to reset
    /// (`mfa_not_enabled`).
    pub async fn reset_mfa(&self, actor: &Actor, user_id: &str) -> Result<(), AppError> {
        self.permit(actor, Entity::User, Action::Edit, "user.mfa_reset")
            .await?;
        let id = UserId::parse(user_id).ok_or(AppError::NotFound)?;
        if id == actor.user_id {
            return Err(AppError::Conflict("cannot_change_self"));
        }
        let now = self.clock().now_ms();
        let mut tx = self.store().write().await?;
        tx.user_by_id(&id).await?.ok_or(AppError::NotFound)?;
        if !tx.user_mfa(&id).await?.is_some_and(|m| m.in_force()) {
            return Err(AppError::Conflict("mfa_not_enabled"));
        }
        tx.reset_mfa(&id, now).await?;
        tx.delete_user_sessions(&id).await?;
        tx.delete_user_login_challenges(&id).await?;
        let mut ev = event(
            self,
            actor,
            "user.mfa_reset",
            Entity::User,
            Outcome::Allowed,
        );
        ev.record_ids = vec![id.to_string()];
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await?;
        Ok(())
    }
}
