use crate::actor::{subject_of, Actor, RequestContext};
use crate::audit_trail::{append, commit};
use crate::error::AppError;
use crate::App;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use dealervault_audit::{AuditEvent, Outcome};
use dealervault_policy::RolePolicy;
use dealervault_store::{SessionHolder, UserRow};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Bearer tokens for the API, cookies for the browser; web sessions also carry a CSRF
/// token that forms echo back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Api,
    Web,
}

impl SessionKind {
    pub(super) fn code(self) -> &'static str {
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

impl App {
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
