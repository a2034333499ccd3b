use super::read::load;
use super::{RoleDetail, RoleSaved};
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event, refuse};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::account::{role_name, RoleCode};
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::RoleId;
use dealervault_policy::change::{differences, Difference};
use dealervault_policy::{Action, PolicyProblem, RolePolicy};
use dealervault_store::RoleRow;

/// A role to create: it starts with no rights at all (default deny).
#[derive(Debug, Clone)]
pub struct NewRole {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

fn refusal(problem: PolicyProblem) -> AppError {
    match problem {
        PolicyProblem::DutiesMeet(..) => AppError::Conflict("separation_of_duties"),
        PolicyProblem::ActionNotApplicable { .. } | PolicyProblem::UnknownField { .. } => {
            AppError::invalid("policy", Rule::UnknownValue)
        }
    }
}

impl App {
    /// Replaces a role's rights, as made in the permission editor. `version` is the one
    /// the editor started from: if someone saved meanwhile, nothing is written
    /// (`role_changed`). Refused: a role that breaks separation of duties or names an
    /// action or field that does not exist, and a change that takes from the editor's
    /// own role the right to edit roles (nobody could undo it). Applies on the next
    /// request of every holder, since each request re-reads its role. The audit event
    /// names each changed item, never a customer.
    pub async fn save_role(
        &self,
        actor: &Actor,
        code: &str,
        version: i64,
        policy: &RolePolicy,
    ) -> Result<RoleSaved, AppError> {
        self.save_role_with(actor, code, version, policy, None)
            .await
    }

    /// [`App::save_role`], also marking the role as requiring two-step sign-in of its
    /// holders or lifting the mark (`None`: as it is). Marking starts the grace period
    /// of its holders anew; lifting it frees their sessions at once. Either is a
    /// difference like any other (`mfa`), and lifting it opens.
    pub async fn save_role_with(
        &self,
        actor: &Actor,
        code: &str,
        version: i64,
        policy: &RolePolicy,
        requires_mfa: Option<bool>,
    ) -> Result<RoleSaved, AppError> {
        self.permit(actor, Entity::Role, Action::Edit, "role.edit")
            .await?;
        let policy = policy.normalised();
        let refused = match policy.problem() {
            Some(problem) => Some(refusal(problem)),
            None if code == actor.role_code && !policy.may(Entity::Role, Action::Edit) => {
                Some(AppError::Conflict("cannot_lock_out_self"))
            }
            None => None,
        };
        if let Some(error) = refused {
            // An attempt to break separation of duties is worth a trace of its own.
            let ev = event(self, actor, "role.edit", Entity::Role, Outcome::Denied);
            return Err(refuse(self, ev, error).await);
        }
        let mut tx = self.store().write().await?;
        let before = load(&mut tx, code).await?;
        if before.version != version {
            return Err(AppError::Conflict("role_changed"));
        }
        let mut changed = differences(&before.policy, &policy);
        let mfa = requires_mfa.filter(|to| *to != before.requires_mfa);
        if let Some(to) = mfa {
            changed.push(Difference::Mfa {
                from: before.requires_mfa,
                to,
            });
        }
        if changed.is_empty() {
            return Ok(RoleSaved {
                role: before,
                differences: changed,
            });
        }
        let row = tx.role_by_code(code).await?.ok_or(AppError::NotFound)?;
        // Strictly increasing, so that two saves within a millisecond differ in version.
        let now = self.clock().now_ms().max(before.version + 1);
        tx.update_role_policy(&row.id, &policy.to_json(), now)
            .await?;
        if let Some(to) = mfa {
            tx.set_role_mfa(&row.id, to.then_some(self.clock().now_ms()), now)
                .await?;
            if !to {
                tx.clear_role_mfa_deadlines(&row.id).await?;
            }
        }
        let mut ev = event(self, actor, "role.edit", Entity::Role, Outcome::Allowed);
        ev.record_ids = vec![row.id.to_string()];
        ev.fields = changed.iter().map(|d| d.item()).collect();
        let seq = append(&mut tx, ev).await?;
        let role = load(&mut tx, code).await?;
        commit(self, tx, seq).await?;
        Ok(RoleSaved {
            role,
            differences: changed,
        })
    }

    /// Creates a role with no rights; the permission editor gives it some.
    pub async fn create_role(&self, actor: &Actor, new: &NewRole) -> Result<RoleDetail, AppError> {
        self.permit(actor, Entity::Role, Action::Create, "role.create")
            .await?;
        let (code, name_zh, name_en) = match (
            RoleCode::parse(&new.code),
            role_name("name_zh", &new.name_zh),
            role_name("name_en", &new.name_en),
        ) {
            (Ok(code), Ok(zh), Ok(en)) => (code, zh, en),
            (code, zh, en) => {
                let problems = [code.err(), zh.err(), en.err()];
                return Err(AppError::Invalid(problems.into_iter().flatten().collect()));
            }
        };
        let mut tx = self.store().write().await?;
        if tx.role_by_code(code.as_str()).await?.is_some() {
            return Err(AppError::Conflict("role_exists"));
        }
        let id = RoleId::generate();
        tx.insert_role(&RoleRow {
            id: id.clone(),
            code: code.as_str().to_string(),
            name_zh,
            name_en,
            builtin: false,
            policy: RolePolicy::default().to_json(),
            updated_at: self.clock().now_ms(),
            requires_mfa: false,
            mfa_marked_at: None,
        })
        .await?;
        let mut ev = event(self, actor, "role.create", Entity::Role, Outcome::Allowed);
        ev.record_ids = vec![id.to_string()];
        let seq = append(&mut tx, ev).await?;
        let role = load(&mut tx, code.as_str()).await?;
        commit(self, tx, seq).await?;
        Ok(role)
    }
}
