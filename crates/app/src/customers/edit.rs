use super::owner_name;
use super::view::CustomerView;
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::customer::CustomerInput;
use dealervault_domain::ids::CustomerId;
use dealervault_policy::{Action, FieldLevel};
use dealervault_store::StoreError;

impl App {
    /// Changes the given fields of a customer; each must be editable for the actor.
    pub async fn edit_customer(
        &self,
        actor: &Actor,
        id: &str,
        input: &CustomerInput,
    ) -> Result<CustomerView, AppError> {
        let filter = self
            .row_filter(actor, Entity::Customer, Action::Edit, "customer.edit")
            .await?;
        let Some(customer_id) = CustomerId::parse(id) else {
            return Err(self.customer_not_found(actor, "customer.edit", id).await);
        };
        let mut tx = self.store().write().await?;
        let plan = FieldPlan::of(actor, Entity::Customer, &self.settings(&mut tx).await?);
        // Only what the role sees is opened: the result is rendered from it, and the
        // changed fields are sealed anew without touching the others.
        let visible = plan.visible();
        let found = self
            .load_customer(&mut tx, &filter, &customer_id, &visible)
            .await?;
        let Some((mut sealed, mut record)) = found else {
            drop(tx);
            return Err(self.customer_not_found(actor, "customer.edit", id).await);
        };
        let changes = input
            .for_update(self.clock().local_now().date())
            .map_err(AppError::Invalid)?;
        if let Some(field) = changes
            .fields()
            .find(|f| plan.level(f) < FieldLevel::Editable)
        {
            let mut ev = event(
                self,
                actor,
                "customer.edit",
                Entity::Customer,
                Outcome::Denied,
            );
            ev.record_ids = vec![customer_id.to_string()];
            ev.fields = vec![field.to_string()];
            return Err(self
                .abandon(tx, ev, AppError::FieldNotEditable(field))
                .await);
        }
        if let Some(Some(mobile)) = changes.get("mobile") {
            if let Some((other, owner_display_name)) = self
                .mobile_taken(&mut tx, mobile, Some(&customer_id))
                .await?
            {
                let mut ev = event(
                    self,
                    actor,
                    "customer.edit",
                    Entity::Customer,
                    Outcome::Failed,
                );
                ev.record_ids = vec![customer_id.to_string(), other.to_string()];
                ev.reason = Some("duplicate mobile".into());
                let error = AppError::DuplicateCustomer { owner_display_name };
                return Err(self.abandon(tx, ev, error).await);
            }
        }
        record.apply(&changes, self.clock().now_ms());
        self.vault()
            .reseal(&record, &mut sealed, changes.fields())?;
        match tx.update_customer(&sealed).await {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => return Err(AppError::Conflict("customer_exists")),
            Err(e) => return Err(e.into()),
        }
        let owner_name = owner_name(&mut tx, &record.owner_id).await?;
        let mut ev = event(
            self,
            actor,
            "customer.edit",
            Entity::Customer,
            Outcome::Allowed,
        );
        ev.record_ids = vec![record.id.to_string()];
        ev.fields = changes.fields().map(str::to_string).collect();
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await?;
        Ok(plan.render(&record, owner_name))
    }
}
