use super::input::{VehicleChanges, VehicleInput};
use super::may_move;
use super::view::VehicleView;
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_audit::{AuditEvent, Outcome};
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::VehicleId;
use dealervault_domain::sales::VehicleStatus;
use dealervault_policy::{Action, FieldLevel};

impl App {
    /// Changes the given fields of a vehicle, each editable for the actor, and moves its
    /// status if one is given (only along `VehicleStatus::moves`; arriving in stock sets
    /// the arrival date to today). Read and write happen in one transaction, and the
    /// write only lands if the row is unchanged since it was read.
    pub async fn edit_vehicle(
        &self,
        actor: &Actor,
        id: &str,
        input: &VehicleInput,
    ) -> Result<VehicleView, AppError> {
        let filter = self
            .row_filter(actor, Entity::Vehicle, Action::Edit, "vehicle.edit")
            .await?;
        let Some(vehicle_id) = VehicleId::parse(id) else {
            return Err(self.vehicle_not_found(actor, "vehicle.edit", id).await);
        };
        let mut tx = self.store().write().await?;
        let plan = FieldPlan::of(actor, Entity::Vehicle, &self.settings(&mut tx).await?);
        let Some(mut row) = tx.vehicle(&filter, &vehicle_id).await? else {
            drop(tx);
            return Err(self.vehicle_not_found(actor, "vehicle.edit", id).await);
        };
        let refusal = |outcome: Outcome, field: &str| -> AuditEvent {
            let mut ev = event(self, actor, "vehicle.edit", Entity::Vehicle, outcome);
            ev.record_ids = vec![vehicle_id.to_string()];
            ev.fields = vec![field.to_string()];
            ev
        };
        // A vehicle keeps its VIN: it is what the vehicle is.
        if input.vin.is_some() {
            let ev = refusal(Outcome::Denied, "vin");
            return Err(self
                .abandon(tx, ev, AppError::FieldNotEditable("vin"))
                .await);
        }
        let changes = VehicleChanges::parse(input).map_err(AppError::Invalid)?;
        if let Some(field) = changes
            .governed()
            .into_iter()
            .find(|f| plan.level(f) < FieldLevel::Editable)
        {
            let ev = refusal(Outcome::Denied, field);
            return Err(self
                .abandon(tx, ev, AppError::FieldNotEditable(field))
                .await);
        }
        let today = self.today();
        if let Some(to) = changes.status {
            let from = VehicleStatus::parse("status", &row.status)
                .map_err(|e| AppError::Invalid(vec![e]))?;
            match from.move_to(to) {
                Ok(to) => {
                    row.status = to.code().to_string();
                    if to == VehicleStatus::InStock && row.arrived_on.is_none() {
                        row.arrived_on = Some(today.to_string());
                    }
                }
                Err(refused) => {
                    let mut ev = refusal(Outcome::Failed, "status");
                    ev.reason = Some("status move not allowed".into());
                    return Err(self.abandon(tx, ev, AppError::Invalid(vec![refused])).await);
                }
            }
        }
        let read_at = row.updated_at;
        changes.apply(&mut row);
        // The clock may not have moved since the last write; the stored time must, for
        // the next writer's comparison.
        row.updated_at = self.clock().now_ms().max(read_at + 1);
        if !tx.update_vehicle(&row, read_at).await? {
            return Err(AppError::Conflict("vehicle_changed"));
        }
        let mut ev = event(
            self,
            actor,
            "vehicle.edit",
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
