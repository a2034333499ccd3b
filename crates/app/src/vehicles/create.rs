use super::input::{VehicleChanges, VehicleInput};
use super::may_move;
use super::view::VehicleView;
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event, refuse};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::VehicleId;
use dealervault_domain::sales::VehicleStatus;
use dealervault_policy::{Action, FieldLevel};
use dealervault_store::{StoreError, VehicleRow};

impl App {
    /// A new vehicle in the actor's store, in transit or in stock (arrived today). Each
    /// field given must be editable for the actor; a VIN already in the group's stock is
    /// `Conflict("vehicle_exists")`.
    pub async fn create_vehicle(
        &self,
        actor: &Actor,
        input: &VehicleInput,
    ) -> Result<VehicleView, AppError> {
        self.row_filter(actor, Entity::Vehicle, Action::Create, "vehicle.create")
            .await?;
        let denied = |fields: Vec<String>| {
            let mut ev = event(
                self,
                actor,
                "vehicle.create",
                Entity::Vehicle,
                Outcome::Denied,
            );
            ev.fields = fields;
            ev
        };
        let Some(store_id) = actor.subject.position.store_id.clone() else {
            return Err(refuse(self, denied(vec![]), AppError::Forbidden).await);
        };
        let changes = VehicleChanges::for_create(input).map_err(AppError::Invalid)?;
        let mut tx = self.store().write().await?;
        let plan = FieldPlan::of(actor, Entity::Vehicle, &self.settings(&mut tx).await?);
        if let Some(field) = changes
            .governed()
            .into_iter()
            .find(|f| plan.level(f) < FieldLevel::Editable)
        {
            let ev = denied(vec![field.to_string()]);
            return Err(self
                .abandon(tx, ev, AppError::FieldNotEditable(field))
                .await);
        }
        let now = self.clock().now_ms();
        let today = self.today();
        let status = changes.status.unwrap_or(VehicleStatus::InStock);
        let mut row = VehicleRow {
            id: VehicleId::generate(),
            store_id,
            store_code: actor.store_code.clone().unwrap_or_default(),
            vin: changes
                .vin
                .as_ref()
                .map(|v| v.as_str().to_string())
                .unwrap_or_default(),
            status: status.code().to_string(),
            model: String::new(),
            trim: String::new(),
            colour: String::new(),
            location: String::new(),
            list_price: 0,
            cost_price: None,
            supplier_terms: None,
            arrived_on: (status == VehicleStatus::InStock).then(|| today.to_string()),
            created_at: now,
            updated_at: now,
        };
        changes.apply(&mut row);
        match tx.insert_vehicle(&row).await {
            Ok(()) => {}
            // VINs are unique across the group: the other vehicle may be in another
            // store, so the refusal names no record.
            Err(StoreError::Conflict(_)) => {
                let mut ev = event(
                    self,
                    actor,
                    "vehicle.create",
                    Entity::Vehicle,
                    Outcome::Failed,
                );
                ev.fields = vec!["vin".to_string()];
                ev.reason = Some("duplicate vin".into());
                return Err(self
                    .abandon(tx, ev, AppError::Conflict("vehicle_exists"))
                    .await);
            }
            Err(e) => return Err(e.into()),
        }
        let mut ev = event(
            self,
            actor,
            "vehicle.create",
            Entity::Vehicle,
            Outcome::Allowed,
        );
        ev.record_ids = vec![row.id.to_string()];
        ev.fields = input.given().into_iter().map(str::to_string).collect();
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await?;
        Ok(plan.render_vehicle(&row, today, may_move(actor)))
    }
}
