//! Signing a quote as an order (签约): contract number, deposit, planned delivery date
//! and, now or later, the vehicle allocated from stock.

use super::input::{AllocationInput, OrderInput};
use super::view::DealView;
use super::{advance_lead, conflict, reached, stock, writable};
use crate::actor::Actor;
use crate::error::AppError;
use crate::App;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::PaymentId;
use dealervault_domain::sales::{DealState, Milestone, PaymentKind};
use dealervault_store::PaymentRow;

impl App {
    /// Turns a quote into an order. The deposit, if any, is recorded as the order's
    /// first payment; a vehicle given is reserved for it. The lead moves to `ordered`
    /// (an order wins back a lost lead).
    pub async fn place_order(
        &self,
        actor: &Actor,
        id: &str,
        input: &OrderInput,
    ) -> Result<DealView, AppError> {
        let terms = input
            .parse(self.clock().local_now().date())
            .map_err(AppError::Invalid)?;
        let (mut tx, mut deal, plan, mut ev) = self.deal_for_edit(actor, id, "deal.order").await?;
        let mut fields = vec!["contract_number"];
        if terms.deposit.is_some() {
            fields.push("deposit");
        }
        if terms.delivery_date.is_some() {
            fields.push("delivery_date");
        }
        let state = DealState::parse("state", &deal.state).map_err(|_| AppError::Integrity)?;
        let allowed = state
            .move_to(DealState::Ordered)
            .map_err(|e| AppError::Invalid(vec![e]))
            .and_then(|_| writable(&plan, fields.iter().copied()))
            .and_then(|()| match terms.deposit {
                Some((amount, _)) if amount.fen() > deal.total => {
                    Err(AppError::invalid("deposit", Rule::InvalidAmount))
                }
                _ => Ok(()),
            });
        if let Err(e) = allowed {
            return Err(self.abandon(tx, ev, e).await);
        }
        let now = self.clock().now_ms();
        if let Some(vehicle) = input.vehicle_id.as_deref().filter(|v| !v.trim().is_empty()) {
            match stock::reserve(&mut tx, &deal.store_id, vehicle, now).await {
                Ok(vehicle_id) => deal.vehicle_id = Some(vehicle_id),
                Err(e) => return Err(self.abandon(tx, ev, e).await),
            }
            fields.push("vehicle_id");
        }
        deal.state = DealState::Ordered.code().to_string();
        deal.contract_number = Some(terms.contract_number.as_str().to_string());
        deal.deposit = terms.deposit.map(|(amount, _)| amount.fen());
        deal.delivery_date = terms.delivery_date.map(|d| d.to_string());
        deal.ordered_at = Some(now);
        deal.updated_at = now;
        if let Err(e) = tx.update_deal(&deal).await.map_err(conflict) {
            return Err(self.abandon(tx, ev, e).await);
        }
        if let Some((amount, method)) = terms.deposit {
            let payment = PaymentRow {
                id: PaymentId::generate(),
                deal_id: deal.id.clone(),
                kind: PaymentKind::Deposit.code().to_string(),
                method: method.code().to_string(),
                amount: amount.fen(),
                received_on: self.clock().local_now().date().to_string(),
                recorded_by: actor.user_id.clone(),
                created_at: now,
            };
            tx.insert_payment(&payment).await?;
            ev.record_ids.push(payment.id.to_string());
        }
        advance_lead(&mut tx, &deal.lead_id, now, reached(Milestone::Ordered)).await?;
        ev.fields = fields.into_iter().map(str::to_string).collect();
        self.finish_deal(tx, &deal.id, &plan, ev, actor).await
    }

    /// Allocates a vehicle of the store's stock to an order, giving back the one it
    /// held before, if any.
    pub async fn allocate_vehicle(
        &self,
        actor: &Actor,
        id: &str,
        input: &AllocationInput,
    ) -> Result<DealView, AppError> {
        let (mut tx, mut deal, plan, mut ev) =
            self.deal_for_edit(actor, id, "deal.allocate").await?;
        if deal.state != DealState::Ordered.code() {
            let e = AppError::invalid("state", Rule::NotAllowedNow);
            return Err(self.abandon(tx, ev, e).await);
        }
        let now = self.clock().now_ms();
        let previous = deal.vehicle_id.take();
        if previous
            .as_ref()
            .is_some_and(|v| v.as_str() == input.vehicle_id.trim())
        {
            let e = AppError::invalid("vehicle_id", Rule::NotAllowedNow);
            return Err(self.abandon(tx, ev, e).await);
        }
        if let Some(previous) = &previous {
            if let Err(e) = stock::release(&mut tx, &deal.store_id, previous, now).await {
                return Err(self.abandon(tx, ev, e).await);
            }
        }
        match stock::reserve(&mut tx, &deal.store_id, &input.vehicle_id, now).await {
            Ok(vehicle_id) => deal.vehicle_id = Some(vehicle_id),
            Err(e) => return Err(self.abandon(tx, ev, e).await),
        }
        deal.updated_at = now;
        if let Err(e) = tx.update_deal(&deal).await.map_err(conflict) {
            return Err(self.abandon(tx, ev, e).await);
        }
        ev.fields = vec!["vehicle_id".into()];
        ev.record_ids.extend(
            deal.vehicle_id
                .iter()
                .chain(&previous)
                .map(ToString::to_string),
        );
        self.finish_deal(tx, &deal.id, &plan, ev, actor).await
    }
}
