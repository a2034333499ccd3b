//! Deals (报价/订单): a quote on a lead, turned into an order with a contract number, a
//! deposit and payments, a vehicle allocated from stock, and a delivery that hands the
//! customer to customer care (the 1-, 7- and 30-day calls). Each step moves the lead
//! along the funnel and the vehicle through stock, in the same transaction as the deal,
//! so the three never disagree. Deals hold business terms, not personal data: the same
//! gate (row filter, field plan, audit) applies, without sealing.

mod cancel;
mod create;
mod deliver;
mod input;
mod list;
mod order;
mod payment;
mod stock;
mod view;

pub use input::{AllocationInput, OrderInput, PaymentInput, QuoteInput, Whole};
pub use list::DealListQuery;
pub use view::{DealValue, DealView, PaymentView};

use crate::actor::Actor;
use crate::audit_trail::{append, commit, event};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_audit::{AuditEvent, Outcome};
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::{DealId, LeadId};
use dealervault_domain::sales::{LeadStatus, Milestone};
use dealervault_policy::{Action, FieldLevel};
use dealervault_store::{DealRow, StoreError, Tx, ALLOCATION_CONSTRAINT, CONTRACT_CONSTRAINT};

impl App {
    /// Records an attempt on a deal that is missing or out of scope; `NotFound`.
    async fn deal_not_found(&self, actor: &Actor, verb: &str, id: &str) -> AppError {
        let id = DealId::parse(id).map(|id| id.to_string());
        self.not_found(actor, verb, Entity::Deal, id).await
    }

    /// The deal in the actor's edit scope, in a write transaction, with the plan and
    /// the (denied, until it succeeds) event of `verb`.
    async fn deal_for_edit(
        &self,
        actor: &Actor,
        id: &str,
        verb: &str,
    ) -> Result<(Tx, DealRow, FieldPlan, AuditEvent), AppError> {
        let filter = self
            .row_filter(actor, Entity::Deal, Action::Edit, verb)
            .await?;
        let Some(deal_id) = DealId::parse(id) else {
            return Err(self.deal_not_found(actor, verb, id).await);
        };
        let mut tx = self.store().write().await?;
        let Some(row) = tx.deal(&filter, &deal_id).await? else {
            drop(tx);
            return Err(self.deal_not_found(actor, verb, id).await);
        };
        let plan = FieldPlan::of(actor, Entity::Deal, &self.settings(&mut tx).await?);
        let mut ev = event(self, actor, verb, Entity::Deal, Outcome::Denied);
        ev.record_ids = vec![row.id.to_string(), row.lead_id.to_string()];
        Ok((tx, row, plan, ev))
    }

    /// The event, the commit, and the deal as the actor now sees it (read back, so
    /// payments and the allocated VIN are current).
    async fn finish_deal(
        &self,
        mut tx: Tx,
        id: &DealId,
        plan: &FieldPlan,
        mut ev: AuditEvent,
        actor: &Actor,
    ) -> Result<DealView, AppError> {
        ev.outcome = Outcome::Allowed;
        let seq = append(&mut tx, ev).await?;
        let row = tx.deal_unscoped(id).await?.ok_or(AppError::Integrity)?;
        let payments = tx.payments(id).await?;
        commit(self, tx, seq).await?;
        Ok(plan.render_deal(&row, &payments, actor.may(Entity::Deal, Action::Edit)))
    }
}

/// Moves the deal's lead by `step` and counts it as work on the lead. A lead won back
/// from `lost` loses its reason.
async fn advance_lead(
    tx: &mut Tx,
    lead: &LeadId,
    now: i64,
    step: impl FnOnce(LeadStatus) -> LeadStatus,
) -> Result<(), AppError> {
    let mut lead = tx.lead_unscoped(lead).await?.ok_or(AppError::Integrity)?;
    let status = LeadStatus::parse("status", &lead.status).map_err(|_| AppError::Integrity)?;
    let moved = step(status);
    if moved != LeadStatus::Lost {
        lead.lost_reason = None;
    }
    lead.status = moved.code().to_string();
    lead.worked_at = now;
    lead.updated_at = now;
    tx.update_lead(&lead).await?;
    Ok(())
}

fn reached(milestone: Milestone) -> impl FnOnce(LeadStatus) -> LeadStatus {
    move |status| status.after(milestone)
}

/// Refuses a field the actor may not write.
fn writable<'a>(
    plan: &FieldPlan,
    fields: impl IntoIterator<Item = &'a str>,
) -> Result<(), AppError> {
    for field in fields {
        if plan.level(field) < FieldLevel::Editable {
            let name =
                dealervault_domain::catalog::field(Entity::Deal, field).map_or("deal", |f| f.name);
            return Err(AppError::FieldNotEditable(name));
        }
    }
    Ok(())
}

/// A store's contract number used twice, or a vehicle allocated twice: a conflict
/// naming the field. Anything else passes through.
fn conflict(e: StoreError) -> AppError {
    if e.is_conflict_on(CONTRACT_CONSTRAINT) {
        AppError::Conflict("contract_exists")
    } else if e.is_conflict_on(ALLOCATION_CONSTRAINT) {
        AppError::Conflict("vehicle_taken")
    } else {
        AppError::Storage(e)
    }
}
