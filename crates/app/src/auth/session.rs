use crate::actor::{subject_of, Actor, RequestContext};
use crate::audit_trail::{append, commit, refuse};
use crate::error::AppError;
use crate::App;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use dealervault_audit::{AuditEvent, Outcome};
use dealervault_policy::RolePolicy;
use dealervault_store::{MfaRow, RecoveryCodeUse, RoleRow, SessionHolder, SessionRow, UserRow};
use rand::RngCore;
use secrecy::SecretString;
use sha2::{Digest, Sha256};

/// Bearer tokens for the API, cookies for the browser; web sessions also carry a CSRF
/// token that forms echo back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Api,
    Web,
}

impl SessionKind {
    fn code(self) -> &'static str {
        match self {
            SessionKind::Api => "api",
            SessionKind::Web => "web",
        }
    }
}

#[derive(Debug)]
pub struct LoginOutcome {
    /// Shown to the client once; only its hash is stored.
    pub token: String,
    pub expires_at: i64,
    pub must_change_password: bool,
    /// The language the person chose (`zh` or `en`), for the browser to remember.
    pub lang: String,
    /// Two-step sign-in is asked of the account but not set up: from this moment
    /// (unix ms) the account may only set it up. `None`: nothing is asked, or it is set up.
    pub mfa_enrol_by: Option<i64>,
    /// That moment has come: this session may only set up two-step sign-in.
    pub mfa_enrolment_required: bool,
    /// A recovery code signed this session in: how many unused ones are left.
    pub recovery_codes_left: Option<i64>,
}

/// A session row touched less often than this is not rewritten on every request.
const TOUCH_EVERY_MS: i64 = 60_000;

pub(super) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Tokens are stored hashed, so a copy of the sessions table logs nobody in.
pub(super) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub(super) fn login_event(
    app: &App,
    user: Option<&UserRow>,
    ctx: &RequestContext,
    outcome: Outcome,
) -> AuditEvent {
    AuditEvent {
        at: app.clock().now_ms(),
        // Only a real account's name is recorded: a mistyped password pasted into the
        // username box must not end up in the log.
        actor_id: user.map(|u| u.id.to_string()),
        actor_username: user.map(|u| u.username.clone()),
        action: "auth.login".into(),
        entity: "user".into(),
        record_ids: user.map(|u| vec![u.id.to_string()]).unwrap_or_default(),
        fields: vec![],
        reason: None,
        outcome,
        client_addr: ctx.client_addr.clone(),
    }
}

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
        let (user, settings) = {
            let mut tx = self.store().read().await?;
            (
                tx.user_by_username(username).await?,
                crate::settings::Settings::load(&mut tx).await?,
            )
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
        let (role, mfa) = {
            let mut tx = self.store().read().await?;
            (
                tx.role_by_id(&user.role_id).await?,
                tx.user_mfa(&user.id).await?,
            )
        };
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

    /// Turns a presented token into an [`Actor`], re-reading the account and its role so
    /// that a disabled account or a changed role applies on this very request.
    pub async fn authenticate(&self, token: &str, ctx: RequestContext) -> Result<Actor, AppError> {
        let hash = token_hash(token);
        let now = self.clock().now_ms();
        let mut tx = self.store().read().await?;
        let holder = tx.session_holder(&hash).await?;
        drop(tx);
        let Some(SessionHolder {
            session,
            user,
            role,
            store_code,
        }) = holder
        else {
            return Err(AppError::Unauthenticated);
        };
        let expired =
            now >= session.expires_at || now - session.last_seen_at >= session.idle_timeout_ms;
        if user.status != "active" || expired {
            let mut w = self.store().write().await?;
            w.delete_session(&hash).await?;
            w.commit().await?;
            return Err(if user.status != "active" {
                AppError::AccountDisabled
            } else {
                AppError::SessionExpired
            });
        }
        if now - session.last_seen_at >= TOUCH_EVERY_MS {
            let mut w = self.store().write().await?;
            w.touch_session(&hash, now).await?;
            w.commit().await?;
        }
        // A role whose stored policy cannot be read grants nothing (default deny).
        let (policy, role_code, name_zh, name_en) = match role {
            Some(r) => (
                RolePolicy::from_json(&r.policy).unwrap_or_default(),
                r.code,
                r.name_zh,
                r.name_en,
            ),
            None => (
                RolePolicy::default(),
                String::new(),
                String::new(),
                String::new(),
            ),
        };
        Ok(Actor {
            subject: subject_of(&user),
            user_id: user.id,
            username: user.username,
            display_name: user.display_name,
            role_code,
            role_name_zh: name_zh,
            role_name_en: name_en,
            store_code,
            policy,
            ctx,
            token_hash: hash,
            csrf_token: session.csrf_token,
            must_change_password: user.must_change_password,
            mfa_enrol_by: session.mfa_enrol_by,
            mfa_enrolment_required: session.mfa_enrol_by.is_some_and(|d| now >= d),
        })
    }

    pub async fn logout(&self, actor: &Actor) -> Result<(), AppError> {
        let mut tx = self.store().write().await?;
        tx.delete_session(&actor.token_hash).await?;
        let mut ev = crate::audit_trail::event(
            self,
            actor,
            "auth.logout",
            dealervault_domain::catalog::Entity::User,
            Outcome::Allowed,
        );
        ev.record_ids = vec![actor.user_id.to_string()];
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await?;
        Ok(())
    }
}

impl App {
    /// Remembers the language a person chose (`zh` or `en`) on their account. A
    /// preference, not a change to anyone's data: not audited.
    pub async fn set_language(&self, actor: &Actor, lang: &str) -> Result<(), AppError> {
        if !matches!(lang, "zh" | "en") {
            return Err(AppError::invalid(
                "lang",
                dealervault_domain::error::Rule::UnknownValue,
            ));
        }
        let mut tx = self.store().write().await?;
        tx.set_user_lang(&actor.user_id, lang).await?;
        tx.commit().await?;
        Ok(())
    }
}
