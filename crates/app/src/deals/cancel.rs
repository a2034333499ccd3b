//! Calling a deal off: a quote the customer declined, or an order that fell through.
//! The allocated vehicle goes back to stock; the lead, if no other order of it stands,
//! goes back to negotiating. Payments already received stay on record (a refund is
//! finance's own bookkeeping).

use super::view::DealView;
use super::{advance_lead, stock};
use crate::actor::Actor;
use crate::error::AppError;
use crate::App;
use dealervault_domain::sales::{DealState, LeadStatus};

impl App {
    pub async fn cancel_deal(&self, actor: &Actor, id: &str) -> Result<DealView, AppError> {
        let (mut tx, mut deal, plan, mut ev) = self.deal_for_edit(actor, id, "deal.cancel").await?;
        let was = match DealState::parse("state", &deal.state)
            .and_then(|s| s.move_to(DealState::Cancelled).map(|_| s))
        {
            Ok(was) => was,
            Err(e) => return Err(self.abandon(tx, ev, AppError::Invalid(vec![e])).await),
        };
        let now = self.clock().now_ms();
        if let Some(vehicle) = deal.vehicle_id.take() {
            stock::release(&mut tx, &deal.store_id, &vehicle, now).await?;
            ev.record_ids.push(vehicle.to_string());
        }
        deal.state = DealState::Cancelled.code().to_string();
        deal.updated_at = now;
        tx.update_deal(&deal).await?;
        if was == DealState::Ordered && tx.live_orders_of_lead(&deal.lead_id).await? == 0 {
            advance_lead(
                &mut tx,
                &deal.lead_id,
                now,
                LeadStatus::after_order_cancelled,
            )
            .await?;
        }
        self.finish_deal(tx, &deal.id, &plan, ev, actor).await
    }
}
