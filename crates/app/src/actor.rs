use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::UserId;
use dealervault_policy::{Action, FieldLevel, RolePolicy, Subject};

/// What the web layer knows about a request before anyone is authenticated.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    pub client_addr: Option<String>,
}

/// Who an account is to the policy: its id and its seat in the organisation, as stored.
pub(crate) fn subject_of(user: &dealervault_store::UserRow) -> Subject {
    Subject {
        user_id: user.id.clone(),
        position: dealervault_domain::access::Position {
            store_id: user.store_id.clone(),
            department_id: user.department_id.clone(),
            team_id: user.team_id.clone(),
        },
    }
}

/// An authenticated person with the permissions of their role as they are right now.
///
/// Only [`crate::auth`] builds one (from a live session, re-reading the account and its
/// role on every request), so holding an `Actor` is proof of authentication and every use
/// case that touches personal data demands one.
#[derive(Debug, Clone)]
pub struct Actor {
    pub(crate) user_id: UserId,
    pub(crate) username: String,
    pub(crate) display_name: String,
    pub(crate) role_code: String,
    pub(crate) role_name_zh: String,
    pub(crate) role_name_en: String,
    pub(crate) store_code: Option<String>,
    pub(crate) policy: RolePolicy,
    pub(crate) subject: Subject,
    pub(crate) ctx: RequestContext,
    pub(crate) token_hash: String,
    pub(crate) csrf_token: Option<String>,
    pub(crate) must_change_password: bool,
    pub(crate) mfa_enrol_by: Option<i64>,
    pub(crate) mfa_enrolment_required: bool,
}

impl Actor {
    pub fn user_id(&self) -> &UserId {
        &self.user_id
    }

    pub fn username(&self) -> &str {
        &self.username
    }

    pub fn display_name(&self) -> &str {
        &self.display_name
    }

    pub fn role_code(&self) -> &str {
        &self.role_code
    }

    pub fn role_name(&self, chinese: bool) -> &str {
        if chinese {
            &self.role_name_zh
        } else {
            &self.role_name_en
        }
    }

    pub fn store_code(&self) -> Option<&str> {
        self.store_code.as_deref()
    }

    /// Whether the role may do `action` on `entity` at all: for navigation and for
    /// showing or hiding buttons. Every use case still decides for itself.
    pub fn may(&self, entity: Entity, action: Action) -> bool {
        self.policy.may(entity, action)
    }

    /// A store's manager: someone of a store who may hand the whole store's customers
    /// over. Letting staff go, the staff pages and escalated access reviews are theirs.
    pub fn manages_store(&self) -> bool {
        self.subject.position.store_id.is_some()
            && self.may_store_wide(Entity::Customer, Action::Assign)
    }

    /// Whether the role may `action` on `entity` across its whole store (or wider): for
    /// what belongs to the store rather than to rows, like its lead rules.
    pub fn may_store_wide(&self, entity: Entity, action: Action) -> bool {
        self.may(entity, action)
            && self
                .policy
                .widest(entity, action, dealervault_policy::Effect::Allow)
                .is_some_and(|s| s >= dealervault_domain::access::ScopeLevel::Store)
    }

    /// How much of a field the role sees: for choosing columns, search boxes and form
    /// inputs. Rendering still goes through the use cases' field plan.
    pub fn field_level(&self, entity: Entity, field: &str) -> FieldLevel {
        self.policy.field_level(entity, field)
    }

    /// The token that forms must echo back (web sessions only).
    pub fn csrf_token(&self) -> Option<&str> {
        self.csrf_token.as_deref()
    }

    /// A one-time or reset password is in use: until it is changed, the session may do
    /// nothing but change it (or sign out).
    pub fn must_change_password(&self) -> bool {
        self.must_change_password
    }

    /// Two-step sign-in is asked of the account and not set up: the moment (unix ms)
    /// from which the session may only set it up. For the reminder on every page.
    pub fn mfa_enrol_by(&self) -> Option<i64> {
        self.mfa_enrol_by
    }

    /// The grace period is over (or an administrator reset the authenticator): until
    /// two-step sign-in is set up, the session may do nothing else (or sign out).
    pub fn mfa_enrolment_required(&self) -> bool {
        self.mfa_enrolment_required
    }

    pub fn client_addr(&self) -> Option<&str> {
        self.ctx.client_addr.as_deref()
    }
}
