//! A quote (报价) on a lead: the first step of a deal.

use super::input::QuoteInput;
use super::view::DealView;
use super::{advance_lead, reached, writable};
use crate::actor::Actor;
use crate::audit_trail::{event, refuse};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::{DealId, LeadId};
use dealervault_domain::sales::{DealState, LeadStatus, Milestone};
use dealervault_policy::Action;
use dealervault_store::DealRow;

const VERB: &str = "deal.quote";

impl App {
    /// Quotes a lead the actor works on (owned, open, in their edit scope). The lead
    /// moves on to `quoted`.
    pub async fn create_quote(
        &self,
        actor: &Actor,
        lead_id: &str,
        input: &QuoteInput,
    ) -> Result<DealView, AppError> {
        self.permit(actor, Entity::Deal, Action::Create, VERB)
            .await?;
        let lead_filter = self
            .row_filter(actor, Entity::Lead, Action::Edit, VERB)
            .await?;
        let recorded_id = LeadId::parse(lead_id).map(|id| id.to_string());
        let Some(id) = LeadId::parse(lead_id) else {
            return Err(self.not_found(actor, VERB, Entity::Deal, None).await);
        };
        let mut tx = self.store().write().await?;
        let found = tx.lead(&lead_filter, &id, false).await?;
        let Some(lead) = found.filter(|l| l.owner_id.is_some()) else {
            drop(tx);
            return Err(self.not_found(actor, VERB, Entity::Deal, recorded_id).await);
        };
        let terms = match input.parse(&lead.intended_model) {
            Ok(terms) => terms,
            Err(errors) => {
                drop(tx);
                return Err(AppError::Invalid(errors));
            }
        };
        let plan = FieldPlan::of(actor, Entity::Deal, &self.settings(&mut tx).await?);
        let mut ev = event(self, actor, VERB, Entity::Deal, Outcome::Denied);
        ev.record_ids = vec![lead.id.to_string()];
        let open = LeadStatus::parse("status", &lead.status).is_ok_and(LeadStatus::is_open);
        let allowed = writable(
            &plan,
            ["model", "price"].into_iter().chain(terms.given.clone()),
        )
        .and_then(|()| {
            open.then_some(())
                .ok_or_else(|| AppError::invalid("status", Rule::NotAllowedNow))
        });
        if let Err(e) = allowed {
            drop(tx);
            return Err(refuse(self, ev, e).await);
        }
        let owner = lead.owner_id.clone().ok_or(AppError::NotFound)?;
        let now = self.clock().now_ms();
        let deal = DealRow {
            id: DealId::generate(),
            store_id: lead.store_id.clone(),
            store_code: lead.store_code.clone(),
            lead_id: lead.id.clone(),
            owner_id: owner,
            state: DealState::Quoted.code().to_string(),
            model: terms.model,
            price: terms.amounts.price.fen(),
            discount: terms.amounts.discount.fen(),
            accessories: terms.accessories,
            accessories_price: terms.amounts.accessories_price.fen(),
            insurance_plan: terms.insurance_plan.code().to_string(),
            insurance_premium: terms.amounts.insurance_premium.fen(),
            financing: terms.financing.code().to_string(),
            loan_amount: terms.loan.map(|(amount, _)| amount.fen()),
            loan_term_months: terms.loan.map(|(_, months)| months),
            trade_in: terms.trade_in,
            trade_in_value: terms.amounts.trade_in_value.fen(),
            total: terms.total.fen(),
            contract_number: None,
            deposit: None,
            delivery_date: None,
            vehicle_id: None,
            vin: None,
            paid: 0,
            ordered_at: None,
            delivered_at: None,
            created_at: now,
            updated_at: now,
        };
        tx.insert_deal(&deal).await?;
        advance_lead(&mut tx, &lead.id, now, reached(Milestone::Quoted)).await?;
        ev.record_ids.insert(0, deal.id.to_string());
        ev.fields = terms.given.iter().map(|f| f.to_string()).collect();
        self.finish_deal(tx, &deal.id, &plan, ev, actor).await
    }
}
