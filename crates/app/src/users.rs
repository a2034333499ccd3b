//! Managing accounts: what the system administrator does. None of it touches customers.

use crate::actor::Actor;
use crate::audit_trail::{append, commit, event};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::UserId;
use dealervault_policy::Action;
use dealervault_store::{Tx, UserRow};
use serde::Serialize;

/// An account as the administration screens and API show it: no password material.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UserSummary {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub store_code: Option<String>,
    pub status: String,
}

async fn summary(tx: &mut Tx, user: &UserRow) -> Result<UserSummary, AppError> {
    let role = tx
        .role_by_id(&user.role_id)
        .await?
        .map(|r| r.code)
        .unwrap_or_default();
    let store_code = match &user.store_id {
        Some(id) => tx.store_code(id).await?,
        None => None,
    };
    Ok(UserSummary {
        id: user.id.to_string(),
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role,
        store_code,
        status: user.status.clone(),
    })
}

/// The changes an administrator can make to an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountChange {
    Disable,
    Enable,
    Role(String),
}

impl App {
    pub async fn list_users(&self, actor: &Actor) -> Result<Vec<UserSummary>, AppError> {
        self.permit(actor, Entity::User, Action::View, "user.list")
            .await?;
        let mut tx = self.store().read().await?;
        let mut out = Vec::new();
        for user in tx.users().await? {
            out.push(summary(&mut tx, &user).await?);
        }
        Ok(out)
    }

    /// Disables, enables or re-roles an account. Disabling ends every session of the
    /// account at once; a role change applies on the account's next request, because
    /// each request re-reads the role.
    pub async fn change_account(
        &self,
        actor: &Actor,
        user_id: &str,
        change: AccountChange,
    ) -> Result<UserSummary, AppError> {
        self.permit(actor, Entity::User, Action::Edit, "user.edit")
            .await?;
        let id = UserId::parse(user_id).ok_or(AppError::NotFound)?;
        let now = self.clock().now_ms();
        let mut tx = self.store().write().await?;
        let user = tx.user_by_id(&id).await?.ok_or(AppError::NotFound)?;
        let field = match &change {
            AccountChange::Disable => {
                if user.id == actor.user_id {
                    return Err(AppError::Conflict("cannot_disable_self"));
                }
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
        };
        let mut ev = event(self, actor, "user.edit", Entity::User, Outcome::Allowed);
        ev.record_ids = vec![id.to_string()];
        ev.fields = vec![field.to_string()];
        let seq = append(&mut tx, ev).await?;
        let user = tx.user_by_id(&id).await?.ok_or(AppError::NotFound)?;
        let out = summary(&mut tx, &user).await?;
        commit(self, tx, seq).await?;
        Ok(out)
    }
}
