use super::owner_name;
use super::view::CustomerView;
use crate::actor::Actor;
use crate::audit_trail::{self, event};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::CustomerId;
use dealervault_policy::Action;

impl App {
    /// One customer. Out of scope and missing answer the same `NotFound`.
    pub async fn customer(&self, actor: &Actor, id: &str) -> Result<CustomerView, AppError> {
        let filter = self
            .row_filter(actor, Entity::Customer, Action::View, "customer.view")
            .await?;
        let Some(customer_id) = CustomerId::parse(id) else {
            return Err(self.customer_not_found(actor, "customer.view", id).await);
        };
        let mut tx = self.store().read().await?;
        let plan = FieldPlan::of(actor, Entity::Customer, &self.settings(&mut tx).await?);
        let visible = plan.visible();
        let found = self
            .load_customer(&mut tx, &filter, &customer_id, &visible)
            .await?;
        let Some((_, record)) = found else {
            drop(tx);
            return Err(self.customer_not_found(actor, "customer.view", id).await);
        };
        let owner_name = owner_name(&mut tx, &record.owner_id).await?;
        let view = plan.render(&record, owner_name);
        let mut ev = event(
            self,
            actor,
            "customer.view",
            Entity::Customer,
            Outcome::Allowed,
        );
        ev.record_ids = vec![view.id.clone()];
        ev.fields = visible;
        // Nothing leaves before its trace is durable.
        drop(tx);
        audit_trail::record(self, ev).await?;
        Ok(view)
    }
}
