use super::view::CustomerView;
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event, refuse};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::customer::{CustomerInput, CustomerRecord};
use dealervault_domain::ids::CustomerId;
use dealervault_policy::{Action, FieldLevel};
use dealervault_store::StoreError;

impl App {
    /// A new customer owned by the actor, in the actor's store.
    pub async fn create_customer(
        &self,
        actor: &Actor,
        input: &CustomerInput,
    ) -> Result<CustomerView, AppError> {
        self.row_filter(actor, Entity::Customer, Action::Create, "customer.create")
            .await?;
        let Some(store_id) = actor.subject.position.store_id.clone() else {
            let ev = event(
                self,
                actor,
                "customer.create",
                Entity::Customer,
                Outcome::Denied,
            );
            return Err(refuse(self, ev, AppError::Forbidden).await);
        };
        let changes = input
            .for_create(self.clock().local_now().date())
            .map_err(AppError::Invalid)?;
        let mut tx = self.store().write().await?;
        let plan = FieldPlan::of(actor, Entity::Customer, &self.settings(&mut tx).await?);
        // The actor may give any field it can see; it cannot fill in fields hidden from it.
        if let Some(field) = changes
            .fields()
            .find(|f| plan.level(f) == FieldLevel::Hidden)
        {
            let mut ev = event(
                self,
                actor,
                "customer.create",
                Entity::Customer,
                Outcome::Denied,
            );
            ev.fields = vec![field.to_string()];
            return Err(self
                .abandon(tx, ev, AppError::FieldNotEditable(field))
                .await);
        }
        let mobile = changes.get("mobile").flatten().unwrap_or_default();
        if let Some((existing, owner_display_name)) =
            self.mobile_taken(&mut tx, mobile, None).await?
        {
            let mut ev = event(
                self,
                actor,
                "customer.create",
                Entity::Customer,
                Outcome::Failed,
            );
            ev.record_ids = vec![existing.to_string()];
            ev.reason = Some("duplicate mobile".into());
            let error = AppError::DuplicateCustomer { owner_display_name };
            return Err(self.abandon(tx, ev, error).await);
        }
        let now = self.clock().now_ms();
        let store_code = actor.store_code.clone().unwrap_or_default();
        let mut record = CustomerRecord::blank(
            CustomerId::generate(),
            store_id,
            store_code,
            actor.user_id.clone(),
            now,
            now,
        );
        record.apply(&changes, now);
        let (sealed, kek_version) = self.vault().seal_new(&record)?;
        match tx.insert_customer(&sealed, kek_version).await {
            Ok(()) => {}
            // Another request took the same mobile between our check and our insert.
            Err(StoreError::Conflict(_)) => return Err(AppError::Conflict("customer_exists")),
            Err(e) => return Err(e.into()),
        }
        let mut ev = event(
            self,
            actor,
            "customer.create",
            Entity::Customer,
            Outcome::Allowed,
        );
        ev.record_ids = vec![record.id.to_string()];
        ev.fields = changes.fields().map(str::to_string).collect();
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await?;
        Ok(plan.render(&record, actor.display_name.clone()))
    }
}
