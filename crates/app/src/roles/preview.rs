use super::sample;
use crate::actor::Actor;
use crate::customers::CustomerView;
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_domain::access::ScopeLevel;
use dealervault_domain::catalog::Entity;
use dealervault_policy::{Action, Effect, RolePolicy};

/// How a role would meet customers: which ones, what it may do, and the invented sample
/// customer rendered through its field levels and the site's mask rules.
#[derive(Debug, Clone)]
pub struct RolePreview {
    /// The widest scope of customers it sees (`None`: none at all).
    pub scope: Option<ScopeLevel>,
    pub actions: Vec<Action>,
    pub customer: CustomerView,
}

impl App {
    /// Renders the sample customer as `policy` would show it — the editor's unsaved
    /// rights, or a saved role's. Needs the right to view roles; nothing real is read.
    pub async fn preview_role(
        &self,
        actor: &Actor,
        policy: &RolePolicy,
    ) -> Result<RolePreview, AppError> {
        self.permit(actor, Entity::Role, Action::View, "role.view")
            .await?;
        let mut tx = self.store().read().await?;
        let settings = self.settings(&mut tx).await?;
        drop(tx);
        let policy = policy.normalised();
        let sees = policy.may(Entity::Customer, Action::View);
        Ok(RolePreview {
            scope: sees
                .then(|| policy.widest(Entity::Customer, Action::View, Effect::Allow))
                .flatten(),
            actions: Action::ALL
                .into_iter()
                .filter(|a| policy.may(Entity::Customer, *a))
                .collect(),
            customer: FieldPlan::for_policy(&policy, Entity::Customer, &settings)
                .render(&sample::customer(), sample::OWNER_NAME.into()),
        })
    }
}
