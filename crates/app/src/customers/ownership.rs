//! A customer's ownership ledger: who owned it, from when to when, and why (created,
//! assigned, handed over…), for whoever may see the customer. A customer whose owner
//! never changed has one spell, from its creation.

use crate::actor::Actor;
use crate::audit_trail::{event, record};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::{CustomerId, UserId};
use dealervault_policy::Action;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OwnershipSpell {
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    /// `created`, `assigned`, `claimed`, `handed_over`, …
    pub reason: String,
    /// Who made the change; none for the system.
    pub changed_by_name: Option<String>,
    /// Unix milliseconds; `until` is absent for the current spell.
    pub from: i64,
    pub until: Option<i64>,
}

impl App {
    pub async fn customer_ownership(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<Vec<OwnershipSpell>, AppError> {
        let verb = "customer.ownership";
        let filter = self
            .row_filter(actor, Entity::Customer, Action::View, verb)
            .await?;
        let mut tx = self.store().read().await?;
        let found = match CustomerId::parse(id) {
            Some(cid) => tx.customer(&filter, &cid).await?,
            None => None,
        };
        let Some(customer) = found else {
            drop(tx);
            let id = CustomerId::parse(id).map(|c| c.to_string());
            return Err(self.not_found(actor, verb, Entity::Customer, id).await);
        };
        let rows = tx
            .ownership_history("customer", customer.id.as_str())
            .await?;
        let mut people: Vec<UserId> = vec![customer.owner_id.clone()];
        people.extend(rows.iter().filter_map(|r| r.owner_id.clone()));
        people.extend(rows.iter().filter_map(|r| r.changed_by.clone()));
        let names = tx.user_display_names(&people).await?;
        drop(tx);
        let name = |u: &UserId| names.get(u).cloned();
        let spells = if rows.is_empty() {
            vec![OwnershipSpell {
                owner_id: Some(customer.owner_id.to_string()),
                owner_name: name(&customer.owner_id),
                reason: "created".into(),
                changed_by_name: None,
                from: customer.created_at,
                until: None,
            }]
        } else {
            rows.iter()
                .map(|r| OwnershipSpell {
                    owner_id: r.owner_id.as_ref().map(ToString::to_string),
                    owner_name: r.owner_id.as_ref().and_then(name),
                    reason: r.reason.clone(),
                    changed_by_name: r.changed_by.as_ref().and_then(name),
                    from: r.started_at,
                    until: r.ended_at,
                })
                .collect()
        };
        let mut ev = event(self, actor, verb, Entity::Customer, Outcome::Allowed);
        ev.record_ids = vec![customer.id.to_string()];
        record(self, ev).await?;
        Ok(spells)
    }
}
