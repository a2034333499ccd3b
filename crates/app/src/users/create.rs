use super::{summary, units, UserSummary};
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event};
use crate::auth::generate_one_time_password;
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::account::{DisplayName, Username};
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::UserId;
use dealervault_domain::FieldError;
use dealervault_policy::Action;
use dealervault_store::UserRow;
use secrecy::SecretString;

/// An account to create, as typed.
#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    /// A role code.
    pub role: String,
    /// An `OrgUnit` key.
    pub unit: String,
}

/// The new account and its one-time password, which is shown once and never stored in
/// clear.
#[derive(Debug)]
pub struct CreatedAccount {
    pub user: UserSummary,
    pub one_time_password: SecretString,
}

impl App {
    /// Creates an account on a one-time password: its first sign-in must choose a new
    /// one. Every refused input is named at once.
    pub async fn create_user(
        &self,
        actor: &Actor,
        new: &NewAccount,
    ) -> Result<CreatedAccount, AppError> {
        self.permit(actor, Entity::User, Action::Create, "user.create")
            .await?;
        let (username, display_name) = (
            Username::parse(&new.username),
            DisplayName::parse(&new.display_name),
        );
        let mut problems: Vec<FieldError> = [username.clone().err(), display_name.clone().err()]
            .into_iter()
            .flatten()
            .collect();
        let mut tx = self.store().read().await?;
        let role = tx.role_by_code(new.role.trim()).await?;
        if role.is_none() {
            problems.push(FieldError::new("role", Rule::UnknownValue));
        }
        let place = match units::resolve(&mut tx, new.unit.trim()).await {
            Ok(place) => Some(place),
            Err(AppError::Invalid(mut e)) => {
                problems.append(&mut e);
                None
            }
            Err(e) => return Err(e),
        };
        drop(tx);
        let (Ok(username), Ok(display_name), Some(role), Some(place), true) =
            (username, display_name, role, place, problems.is_empty())
        else {
            return Err(AppError::Invalid(problems));
        };
        let password = generate_one_time_password();
        let hash = self.hasher().hash(password.clone()).await?;
        let now = self.clock().now_ms();
        let mut tx = self.store().write().await?;
        if tx.user_by_username(username.as_str()).await?.is_some() {
            return Err(AppError::Conflict("username_taken"));
        }
        let row = UserRow {
            id: UserId::generate(),
            username: username.as_str().to_string(),
            display_name: display_name.as_str().to_string(),
            password_hash: hash,
            role_id: role.id,
            store_id: place.store_id,
            department_id: place.department_id,
            team_id: place.team_id,
            status: "active".into(),
            failed_logins: 0,
            locked_until: None,
            must_change_password: true,
            created_at: now,
            updated_at: now,
        };
        tx.insert_user(&row).await?;
        let mut ev = event(self, actor, "user.create", Entity::User, Outcome::Allowed);
        ev.record_ids = vec![row.id.to_string()];
        let seq = append(&mut tx, ev).await?;
        let user = summary(&mut tx, &row).await?;
        commit(self, tx, seq).await?;
        Ok(CreatedAccount {
            user,
            one_time_password: password,
        })
    }
}
