//! A manager's team figures: how many customers each person in scope owns. Counts only,
//! from the per-owner counters — no customer row is read, so nothing personal is shown
//! and nothing is decrypted.

use crate::actor::Actor;
use crate::error::AppError;
use crate::App;
use dealervault_domain::access::ScopeLevel;
use dealervault_domain::catalog::Entity;
use dealervault_policy::{Action, Effect};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerFigure {
    /// The owner's user id (for a filter by owner).
    pub id: String,
    pub owner: String,
    pub customers: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamFigures {
    /// How far the actor sees: team, department, store or group.
    pub scope: ScopeLevel,
    pub total: i64,
    /// Largest first.
    pub owners: Vec<OwnerFigure>,
}

impl App {
    /// The figures of the customers in the actor's view scope, per owner; `None` for
    /// someone who sees only their own (their list says it all).
    pub async fn team_figures(&self, actor: &Actor) -> Result<Option<TeamFigures>, AppError> {
        let filter = self
            .row_filter(actor, Entity::Customer, Action::View, "customer.list")
            .await?;
        let scope = actor
            .policy
            .widest(Entity::Customer, Action::View, Effect::Allow)
            .filter(|s| *s > ScopeLevel::Own);
        let Some(scope) = scope else {
            return Ok(None);
        };
        let mut tx = self.store().read().await?;
        let counts = tx.customer_counts_by_owner(&filter).await?;
        let ids: Vec<_> = counts.iter().map(|(id, _)| id.clone()).collect();
        let names = tx.user_display_names(&ids).await?;
        let mut owners: Vec<OwnerFigure> = counts
            .into_iter()
            .map(|(id, n)| OwnerFigure {
                owner: names.get(&id).cloned().unwrap_or_default(),
                id: id.to_string(),
                customers: n,
            })
            .collect();
        owners.sort_by(|a, b| b.customers.cmp(&a.customers).then(a.owner.cmp(&b.owner)));
        Ok(Some(TeamFigures {
            scope,
            total: owners.iter().map(|o| o.customers).sum(),
            owners,
        }))
    }
}
