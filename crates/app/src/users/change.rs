use super::{summary, units, UserSummary};
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event};
use crate::auth::generate_one_time_password;
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::UserId;
use dealervault_policy::Action;
use secrecy::SecretString;

/// The changes an administrator can make to an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountChange {
    Disable,
    Enable,
    Role(String),
    /// To another place: an `OrgUnit` key.
    Move(String),
}

impl App {
    /// Disables, enables, re-roles or moves an account — several changes at once go
    /// together or not at all, recorded as one event naming each field. Disabling ends
    /// every session of the account at once; a role change or a move applies on the
    /// account's next request, because each request re-reads the account. Nobody
    /// changes their own account here: an administrator who could give themselves
    /// another role could give themselves customer data.
    pub async fn change_account(
        &self,
        actor: &Actor,
        user_id: &str,
        changes: &[AccountChange],
    ) -> Result<UserSummary, AppError> {
        self.permit(actor, Entity::User, Action::Edit, "user.edit")
            .await?;
        let id = UserId::parse(user_id).ok_or(AppError::NotFound)?;
        if id == actor.user_id {
            let disabling = changes.contains(&AccountChange::Disable);
            return Err(AppError::Conflict(if disabling {
                "cannot_disable_self"
            } else {
                "cannot_change_self"
            }));
        }
        let now = self.clock().now_ms();
        let mut tx = self.store().write().await?;
        tx.user_by_id(&id).await?.ok_or(AppError::NotFound)?;
        let mut fields = Vec::new();
        for change in changes {
            let field = match change {
                AccountChange::Disable => {
                    tx.set_user_status(&id, "disabled", now).await?;
                    tx.delete_user_sessions(&id).await?;
                    "status"
                }
                AccountChange::Enable => {
                    tx.set_user_status(&id, "active", now).await?;
                    tx.clear_login_failures(&id).await?;
                    "status"
                }
                AccountChange::Role(code) => {
                    let role = tx
                        .role_by_code(code)
                        .await?
                        .ok_or(AppError::invalid("role", Rule::UnknownValue))?;
                    tx.set_user_role(&id, &role.id, now).await?;
                    "role"
                }
                AccountChange::Move(unit) => {
                    let place = units::resolve(&mut tx, unit).await?;
                    tx.set_user_position(
                        &id,
                        place.store_id.as_ref(),
                        place.department_id.as_ref(),
                        place.team_id.as_ref(),
                        now,
                    )
                    .await?;
                    "position"
                }
            };
            fields.push(field.to_string());
        }
        let mut ev = event(self, actor, "user.edit", Entity::User, Outcome::Allowed);
        ev.record_ids = vec![id.to_string()];
        ev.fields = fields;
        let seq = append(&mut tx, ev).await?;
        let user = tx.user_by_id(&id).await?.ok_or(AppError::NotFound)?;
        let out = summary(&mut tx, &user).await?;
        commit(self, tx, seq).await?;
        Ok(out)
    }

    /// Gives an account a new one-time password, shown once to the administrator: the
    /// account's sessions end, a lock after failed logins is lifted, and the next
    /// sign-in must choose a new password before anything else.
    pub async fn reset_password(
        &self,
        actor: &Actor,
        user_id: &str,
    ) -> Result<(UserSummary, SecretString), AppError> {
        self.permit(actor, Entity::User, Action::Edit, "user.edit")
            .await?;
        let id = UserId::parse(user_id).ok_or(AppError::NotFound)?;
        if id == actor.user_id {
            return Err(AppError::Conflict("cannot_change_self"));
        }
        let password = generate_one_time_password();
        let hash = self.hasher().hash(password.clone()).await?;
        let now = self.clock().now_ms();
        let mut tx = self.store().write().await?;
        tx.user_by_id(&id).await?.ok_or(AppError::NotFound)?;
        tx.set_password(&id, &hash, true, now).await?;
        tx.delete_user_sessions(&id).await?;
        tx.clear_login_failures(&id).await?;
        let mut ev = event(self, actor, "user.edit", Entity::User, Outcome::Allowed);
        ev.record_ids = vec![id.to_string()];
        ev.fields = vec!["password".to_string()];
        let seq = append(&mut tx, ev).await?;
        let user = tx.user_by_id(&id).await?.ok_or(AppError::NotFound)?;
        let out = summary(&mut tx, &user).await?;
        commit(self, tx, seq).await?;
        Ok((out, password))
    }
}
