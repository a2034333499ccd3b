//! Booking a demo vehicle for a slot, on an open lead the actor may work.

use super::view::TestDriveView;
use super::ENTITY;
use crate::actor::Actor;
use crate::audit_trail::{event, refuse};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::follow_ups::collect;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::{LeadId, TestDriveId, VehicleId};
use dealervault_domain::sales::{DrivingLicence, LeadStatus, Slot, TestDriveState, VehicleStatus};
use dealervault_domain::FieldError;
use dealervault_policy::{Action, FieldLevel};
use dealervault_store::SealedTestDrive;

/// A booking as a form or an API client sends it.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestDriveBooking {
    /// A vehicle of the lead's store that is in stock.
    pub vehicle_id: String,
    /// `YYYY-MM-DDTHH:MM` in the store's time.
    pub starts_at: String,
    /// 30 (the default), 60 or 90.
    #[serde(default)]
    pub duration_minutes: Option<u32>,
    /// The driver's licence number: the 18-character ID number.
    pub licence_number: String,
}

impl App {
    /// Books a test drive on the lead, for the lead's owner. Refused: a lead not in the
    /// actor's edit scope, in the pool or closed; a vehicle of another store or not in
    /// stock; a slot that overlaps another booking of the same vehicle (409).
    pub async fn book_test_drive(
        &self,
        actor: &Actor,
        lead_id: &str,
        input: &TestDriveBooking,
    ) -> Result<TestDriveView, AppError> {
        const VERB: &str = "test_drive.create";
        self.permit(actor, Entity::TestDrive, Action::Create, VERB)
            .await?;
        let lead_filter = self
            .row_filter(actor, Entity::Lead, Action::Edit, VERB)
            .await?;
        let vehicle_filter = self
            .row_filter(actor, Entity::Vehicle, Action::View, VERB)
            .await?;
        let mut errors = Vec::new();
        let vehicle_id = collect(
            VehicleId::parse(&input.vehicle_id)
                .ok_or_else(|| FieldError::new("vehicle_id", Rule::UnknownValue)),
            &mut errors,
        );
        let slot = Slot::parse(&input.starts_at, input.duration_minutes)
            .map_err(|e| errors.extend(e))
            .ok();
        let licence = collect(DrivingLicence::parse(&input.licence_number), &mut errors);
        let (Some(vehicle_id), Some(slot), Some(licence)) = (vehicle_id, slot, licence) else {
            return Err(AppError::Invalid(errors));
        };
        let Some(id) = LeadId::parse(lead_id) else {
            return Err(self
                .lead_missing(actor, Entity::TestDrive, VERB, lead_id)
                .await);
        };
        let mut tx = self.store().write().await?;
        let found = tx.lead(&lead_filter, &id, false).await?;
        let Some(mut lead) = found.filter(|l| l.owner_id.is_some() && l.data_key.is_some()) else {
            drop(tx);
            return Err(self
                .lead_missing(actor, Entity::TestDrive, VERB, lead_id)
                .await);
        };
        let plan = FieldPlan::of(actor, Entity::TestDrive, &self.settings(&mut tx).await?);
        let mut ev = event(self, actor, VERB, Entity::TestDrive, Outcome::Denied);
        ev.record_ids = vec![lead.id.to_string(), vehicle_id.to_string()];
        let open = LeadStatus::parse("status", &lead.status).is_ok_and(LeadStatus::is_open);
        let vehicle = tx
            .vehicle(&vehicle_filter, &vehicle_id)
            .await?
            .filter(|v| v.store_id == lead.store_id);
        // The first refusal that applies, or the car to book.
        let checked = match vehicle {
            _ if plan.level("licence_number") == FieldLevel::Hidden => {
                Err(AppError::FieldNotEditable("licence_number"))
            }
            _ if !open => Err(AppError::invalid("status", Rule::NotAllowedNow)),
            None => Err(AppError::invalid("vehicle_id", Rule::UnknownValue)),
            Some(v) if v.status != VehicleStatus::InStock.code() => {
                Err(AppError::invalid("vehicle_id", Rule::NotAllowedNow))
            }
            Some(v)
                if tx
                    .vehicle_is_held(&v.id, slot.starts_at, slot.ends_at)
                    .await? =>
            {
                Err(AppError::Conflict("test_drive_slot_taken"))
            }
            Some(v) => Ok(v),
        };
        let vehicle = match checked {
            Ok(vehicle) => vehicle,
            Err(e) => {
                drop(tx);
                if !matches!(e, AppError::FieldNotEditable(_)) {
                    ev.outcome = Outcome::Failed;
                }
                return Err(refuse(self, ev, e).await);
            }
        };
        let owner = lead.owner_id.clone().ok_or(AppError::NotFound)?;
        let now = self.clock().now_ms();
        let id = TestDriveId::generate();
        let key = self
            .vault()
            .record_key(lead.id.as_str(), lead.data_key.as_deref())?;
        let drive = SealedTestDrive {
            licence_number: key.seal(ENTITY, id.as_str(), "licence_number", licence.as_str())?,
            id,
            store_id: lead.store_id.clone(),
            store_code: lead.store_code.clone(),
            lead_id: lead.id.clone(),
            vehicle_id,
            vin: vehicle.vin,
            model: vehicle.model,
            owner_id: owner,
            state: TestDriveState::Booked.code().to_string(),
            starts_at: slot.starts_at,
            ends_at: slot.ends_at,
            waiver_signed: false,
            feedback: None,
            done_at: None,
            created_at: now,
            updated_at: now,
            data_key: lead.data_key.clone(),
        };
        tx.insert_test_drive(&drive).await?;
        // Booking a drive is work on the lead: it keeps it out of the pool's return.
        lead.worked_at = now;
        lead.updated_at = now;
        tx.update_lead(&lead).await?;
        ev.record_ids.insert(0, drive.id.to_string());
        ev.fields = vec!["licence_number".to_string()];
        ev.outcome = Outcome::Allowed;
        self.conclude_test_drive(tx, ev, actor, &drive).await
    }
}
