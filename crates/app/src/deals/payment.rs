//! Payments on an order (收款): the customer's further payments and the lender's loan,
//! never more in all than the order's total.

use super::input::PaymentInput;
use super::view::DealView;
use super::writable;
use crate::actor::Actor;
use crate::error::AppError;
use crate::App;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::PaymentId;
use dealervault_domain::sales::DealState;
use dealervault_store::PaymentRow;

impl App {
    pub async fn record_payment(
        &self,
        actor: &Actor,
        id: &str,
        input: &PaymentInput,
    ) -> Result<DealView, AppError> {
        let payment = input
            .parse(self.clock().local_now().date())
            .map_err(AppError::Invalid)?;
        let (mut tx, deal, plan, mut ev) = self.deal_for_edit(actor, id, "deal.pay").await?;
        let allowed = writable(&plan, ["paid"]).and_then(|()| {
            if deal.state != DealState::Ordered.code() {
                Err(AppError::invalid("state", Rule::NotAllowedNow))
            } else if deal.paid + payment.amount.fen() > deal.total {
                // More than the balance is a typing mistake, not a payment.
                Err(AppError::invalid("amount", Rule::InvalidAmount))
            } else {
                Ok(())
            }
        });
        if let Err(e) = allowed {
            return Err(self.abandon(tx, ev, e).await);
        }
        let now = self.clock().now_ms();
        let row = PaymentRow {
            id: PaymentId::generate(),
            deal_id: deal.id.clone(),
            kind: payment.kind.code().to_string(),
            method: payment.method.code().to_string(),
            amount: payment.amount.fen(),
            received_on: payment.received_on.to_string(),
            recorded_by: actor.user_id.clone(),
            created_at: now,
        };
        tx.insert_payment(&row).await?;
        let mut touched = deal.clone();
        touched.updated_at = now;
        tx.update_deal(&touched).await?;
        ev.record_ids.push(row.id.to_string());
        ev.fields = vec!["paid".into()];
        self.finish_deal(tx, &deal.id, &plan, ev, actor).await
    }
}
