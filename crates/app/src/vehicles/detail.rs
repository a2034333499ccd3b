use super::may_move;
use super::view::VehicleView;
use crate::actor::Actor;
use crate::audit_trail::{self, event};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::VehicleId;
use dealervault_policy::Action;

impl App {
    /// One vehicle. Out of scope (another store) and missing answer the same `NotFound`.
    pub async fn vehicle(&self, actor: &Actor, id: &str) -> Result<VehicleView, AppError> {
        let filter = self
            .row_filter(actor, Entity::Vehicle, Action::View, "vehicle.view")
            .await?;
        let Some(vehicle_id) = VehicleId::parse(id) else {
            return Err(self.vehicle_not_found(actor, "vehicle.view", id).await);
        };
        let mut tx = self.store().read().await?;
        let plan = FieldPlan::of(actor, Entity::Vehicle, &self.settings(&mut tx).await?);
        let Some(row) = tx.vehicle(&filter, &vehicle_id).await? else {
            drop(tx);
            return Err(self.vehicle_not_found(actor, "vehicle.view", id).await);
        };
        drop(tx);
        let view = plan.render_vehicle(&row, self.today(), may_move(actor));
        let mut ev = event(
            self,
            actor,
            "vehicle.view",
            Entity::Vehicle,
            Outcome::Allowed,
        );
        ev.record_ids = vec![view.id.clone()];
        ev.fields = plan.visible();
        // Nothing leaves before its trace is durable.
        audit_trail::record(self, ev).await?;
        Ok(view)
    }
}
