//! Ending a booking: the drive happened (with the waiver signed, and feedback), was
//! cancelled, or the person did not come.

use super::view::TestDriveView;
use super::ENTITY;
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event, refuse};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::follow_ups::{status_after, text};
use crate::App;
use dealervault_audit::{AuditEvent, Outcome};
use dealervault_domain::access::RowFilter;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::TestDriveId;
use dealervault_domain::sales::{Milestone, TestDriveState};
use dealervault_policy::{Action, FieldLevel};
use dealervault_store::{SealedTestDrive, Tx};

/// What completing a drive records. The waiver must be signed: without it the drive
/// cannot have happened.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestDriveOutcome {
    #[serde(default)]
    pub feedback: Option<String>,
    #[serde(default)]
    pub waiver_signed: bool,
}

/// Cancelling a booking, or marking that the person did not come (`no_show`, only
/// once the slot has started).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestDriveCancel {
    #[serde(default)]
    pub no_show: bool,
}

impl App {
    /// Marks a booked drive done with the signed waiver and the feedback; the lead moves
    /// on to `test_drive` (if it was not further along) and counts as worked.
    pub async fn complete_test_drive(
        &self,
        actor: &Actor,
        id: &str,
        outcome: &TestDriveOutcome,
    ) -> Result<TestDriveView, AppError> {
        const VERB: &str = "test_drive.complete";
        let filter = self
            .row_filter(actor, Entity::TestDrive, Action::Edit, VERB)
            .await?;
        let feedback =
            text("feedback", &outcome.feedback).map_err(|e| AppError::Invalid(vec![e]))?;
        if !outcome.waiver_signed {
            return Err(AppError::invalid("waiver_signed", Rule::Required));
        }
        let done = TestDriveState::Done;
        let (mut tx, mut drive, mut ev) = self.booked_drive(actor, &filter, VERB, id, done).await?;
        let plan = FieldPlan::of(actor, Entity::TestDrive, &self.settings(&mut tx).await?);
        if feedback.is_some() && plan.level("feedback") < FieldLevel::Editable {
            drop(tx);
            return Err(refuse(self, ev, AppError::FieldNotEditable("feedback")).await);
        }
        let Some(mut lead) = tx.lead_unscoped(&drive.lead_id).await? else {
            drop(tx);
            return Err(refuse(self, ev, AppError::NotFound).await);
        };
        let now = self.clock().now_ms();
        drive.state = done.code().to_string();
        drive.waiver_signed = true;
        drive.done_at = Some(now);
        drive.updated_at = now;
        if let Some(feedback) = feedback.as_deref() {
            let key = self
                .vault()
                .record_key(lead.id.as_str(), lead.data_key.as_deref())?;
            drive.feedback = Some(key.seal(ENTITY, drive.id.as_str(), "feedback", feedback)?);
            ev.fields = vec!["feedback".to_string()];
        }
        tx.update_test_drive(&drive).await?;
        lead.status = status_after(&lead, Milestone::TestDriven);
        lead.worked_at = now;
        lead.updated_at = now;
        tx.update_lead(&lead).await?;
        ev.record_ids.push(lead.id.to_string());
        ev.outcome = Outcome::Allowed;
        self.conclude_test_drive(tx, ev, actor, &drive).await
    }

    /// Cancels a booking, or records that the person did not come.
    pub async fn cancel_test_drive(
        &self,
        actor: &Actor,
        id: &str,
        cancel: &TestDriveCancel,
    ) -> Result<TestDriveView, AppError> {
        let (verb, to) = if cancel.no_show {
            ("test_drive.no_show", TestDriveState::NoShow)
        } else {
            ("test_drive.cancel", TestDriveState::Cancelled)
        };
        let filter = self
            .row_filter(actor, Entity::TestDrive, Action::Edit, verb)
            .await?;
        let (mut tx, mut drive, mut ev) = self.booked_drive(actor, &filter, verb, id, to).await?;
        let now = self.clock().now_ms();
        if cancel.no_show && now < drive.starts_at {
            drop(tx);
            let e = AppError::invalid("no_show", Rule::NotAllowedNow);
            return Err(refuse(self, ev, e).await);
        }
        drive.state = to.code().to_string();
        drive.updated_at = now;
        tx.update_test_drive(&drive).await?;
        ev.outcome = Outcome::Allowed;
        self.conclude_test_drive(tx, ev, actor, &drive).await
    }

    /// The drive `id` within `filter`, in a write transaction, with its (still refused)
    /// audit event, if its state may move `to`; otherwise a 422 naming `state`.
    async fn booked_drive(
        &self,
        actor: &Actor,
        filter: &RowFilter,
        verb: &str,
        id: &str,
        to: TestDriveState,
    ) -> Result<(Tx, SealedTestDrive, AuditEvent), AppError> {
        let Some(drive_id) = TestDriveId::parse(id) else {
            return Err(self.test_drive_not_found(actor, verb, id).await);
        };
        let mut tx = self.store().write().await?;
        let found = tx.test_drive(filter, &drive_id).await?;
        let Some(drive) = found.filter(|d| d.data_key.is_some()) else {
            drop(tx);
            return Err(self.test_drive_not_found(actor, verb, id).await);
        };
        let mut ev = event(self, actor, verb, Entity::TestDrive, Outcome::Denied);
        ev.record_ids = vec![drive.id.to_string()];
        if let Err(e) = TestDriveState::parse("state", &drive.state).and_then(|s| s.move_to(to)) {
            drop(tx);
            ev.outcome = Outcome::Failed;
            return Err(refuse(self, ev, AppError::Invalid(vec![e])).await);
        }
        Ok((tx, drive, ev))
    }

    /// Appends the allowed event, renders the drive as the actor sees it, commits.
    pub(super) async fn conclude_test_drive(
        &self,
        mut tx: Tx,
        ev: AuditEvent,
        actor: &Actor,
        drive: &SealedTestDrive,
    ) -> Result<TestDriveView, AppError> {
        let seq = append(&mut tx, ev).await?;
        let view = self
            .render_test_drives(&mut tx, actor, std::slice::from_ref(drive))
            .await?
            .pop()
            .ok_or(AppError::Integrity)?;
        commit(self, tx, seq).await?;
        Ok(view)
    }
}
