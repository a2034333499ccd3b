//! Delivery (交车): the car handed over, the deal and the lead done, and customer care
//! given its three calls (客服回访) at 24 hours, 7 days and 30 days.

use super::view::DealView;
use super::{advance_lead, reached, stock};
use crate::actor::Actor;
use crate::error::AppError;
use crate::App;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::FollowUpId;
use dealervault_domain::sales::{DealState, FollowUpKind, FollowUpPurpose, Milestone};
use dealervault_store::{DealRow, SealedFollowUp, Tx};

const HOUR_MS: i64 = 60 * 60 * 1000;

impl App {
    /// Delivers an order whose vehicle is allocated and whose total is paid.
    pub async fn deliver_order(&self, actor: &Actor, id: &str) -> Result<DealView, AppError> {
        let (mut tx, mut deal, plan, mut ev) =
            self.deal_for_edit(actor, id, "deal.deliver").await?;
        let ready = DealState::parse("state", &deal.state)
            .and_then(|s| s.move_to(DealState::Delivered))
            .map_err(|e| AppError::Invalid(vec![e]))
            .and_then(|_| match &deal.vehicle_id {
                None => Err(AppError::invalid("vehicle_id", Rule::Required)),
                Some(_) if deal.paid < deal.total => {
                    Err(AppError::invalid("paid", Rule::NotAllowedNow))
                }
                Some(vehicle) => Ok(vehicle.clone()),
            });
        let vehicle = match ready {
            Ok(vehicle) => vehicle,
            Err(e) => return Err(self.abandon(tx, ev, e).await),
        };
        let now = self.clock().now_ms();
        if let Err(e) = stock::hand_over(&mut tx, &deal.store_id, &vehicle, now).await {
            return Err(self.abandon(tx, ev, e).await);
        }
        deal.state = DealState::Delivered.code().to_string();
        deal.delivered_at = Some(now);
        deal.updated_at = now;
        tx.update_deal(&deal).await?;
        advance_lead(&mut tx, &deal.lead_id, now, reached(Milestone::Delivered)).await?;
        ev.record_ids.push(vehicle.to_string());
        ev.record_ids
            .extend(schedule_care_calls(&mut tx, &deal, now).await?);
        let next = tx.next_open_follow_up_due(&deal.lead_id).await?;
        if let Some(mut lead) = tx.lead_unscoped(&deal.lead_id).await? {
            lead.next_follow_up_at = next;
            tx.update_lead(&lead).await?;
        }
        self.finish_deal(tx, &deal.id, &plan, ev, actor).await
    }
}

/// The three customer-care calls after a delivery, owned by the deal's salesperson
/// (customer care works them store-wide). Their ids, for the audit event.
async fn schedule_care_calls(
    tx: &mut Tx,
    deal: &DealRow,
    delivered_at: i64,
) -> Result<Vec<String>, AppError> {
    let mut ids = Vec::new();
    for (purpose, hours) in FollowUpPurpose::AFTER_DELIVERY {
        let call = SealedFollowUp {
            id: FollowUpId::generate(),
            store_id: deal.store_id.clone(),
            store_code: deal.store_code.clone(),
            lead_id: deal.lead_id.clone(),
            owner_id: deal.owner_id.clone(),
            kind: FollowUpKind::Call.code().to_string(),
            purpose: purpose.code().to_string(),
            state: "open".into(),
            due_at: delivered_at + hours * HOUR_MS,
            done_at: None,
            notes: None,
            next_step: None,
            created_at: delivered_at,
            updated_at: delivered_at,
            data_key: None,
        };
        tx.insert_follow_up(&call).await?;
        ids.push(call.id.to_string());
    }
    Ok(ids)
}
