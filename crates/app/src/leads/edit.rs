use super::view::LeadView;
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event, refuse};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_audit::{AuditEvent, Outcome};
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::LeadId;
use dealervault_domain::sales::{LeadInput, LeadStatus, LostReason};
use dealervault_policy::{Action, FieldLevel};
use dealervault_store::{SealedLead, Tx};

impl App {
    /// Changes the fields the actor may edit. Working on a lead keeps it out of the
    /// pool's automatic return.
    pub async fn edit_lead(
        &self,
        actor: &Actor,
        id: &str,
        input: &LeadInput,
    ) -> Result<LeadView, AppError> {
        let changes = input.for_update().map_err(AppError::Invalid)?;
        let (mut tx, mut lead, plan, mut ev) = self.lead_for_edit(actor, id).await?;
        if let Some(field) = changes
            .fields()
            .find(|f| plan.level(f) < FieldLevel::Editable)
        {
            ev.fields = vec![field.to_string()];
            drop(tx);
            return Err(refuse(self, ev, AppError::FieldNotEditable(field)).await);
        }
        if let Some(mobile) = changes.get("mobile").flatten() {
            let taken = self
                .open_lead_with_mobile(&mut tx, &lead.store_id, mobile, Some(&lead.id))
                .await?;
            if taken.is_some() {
                ev.outcome = Outcome::Failed;
                ev.reason = Some("duplicate mobile".into());
                drop(tx);
                return Err(refuse(self, ev, AppError::Conflict("lead_exists")).await);
            }
        }
        let key = self
            .vault()
            .record_key(lead.id.as_str(), lead.data_key.as_deref())?;
        self.seal_lead_changes(&key, &mut lead, &changes)?;
        ev.fields = changes.fields().map(str::to_string).collect();
        self.save_lead(tx, lead, &plan, ev).await
    }

    /// Moves a lead along the funnel by hand (`lost` needs a reason); `ordered` and
    /// `delivered` come only from an order.
    pub async fn move_lead(
        &self,
        actor: &Actor,
        id: &str,
        to: &str,
        lost_reason: Option<&str>,
    ) -> Result<LeadView, AppError> {
        let to = LeadStatus::parse("status", to).map_err(|e| AppError::Invalid(vec![e]))?;
        let reason = match (to, lost_reason.map(str::trim).filter(|r| !r.is_empty())) {
            (LeadStatus::Lost, Some(r)) => {
                Some(LostReason::parse("lost_reason", r).map_err(|e| AppError::Invalid(vec![e]))?)
            }
            (LeadStatus::Lost, None) => {
                return Err(AppError::invalid("lost_reason", Rule::Required))
            }
            (_, Some(_)) => return Err(AppError::invalid("lost_reason", Rule::NotAllowedNow)),
            (_, None) => None,
        };
        let (tx, mut lead, plan, mut ev) = self.lead_for_edit(actor, id).await?;
        ev.fields = vec!["status".into()];
        let from =
            LeadStatus::parse("status", &lead.status).map_err(|e| AppError::Invalid(vec![e]))?;
        if let Err(e) = from.move_to(to) {
            ev.outcome = Outcome::Failed;
            ev.reason = Some(format!("{} -> {}", from.code(), to.code()));
            drop(tx);
            return Err(refuse(self, ev, AppError::Invalid(vec![e])).await);
        }
        lead.status = to.code().to_string();
        lead.lost_reason = reason.map(|r| r.code().to_string());
        if to == LeadStatus::Lost {
            ev.fields.push("lost_reason".into());
        }
        self.save_lead(tx, lead, &plan, ev).await
    }

    /// The lead in the actor's edit scope, opened in a write transaction, with the plan
    /// and the (denied, until it succeeds) event of an edit.
    async fn lead_for_edit(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<(Tx, SealedLead, FieldPlan, AuditEvent), AppError> {
        let filter = self
            .row_filter(actor, Entity::Lead, Action::Edit, "lead.edit")
            .await?;
        let Some(lead_id) = LeadId::parse(id) else {
            return Err(self.lead_not_found(actor, "lead.edit", id).await);
        };
        let mut tx = self.store().write().await?;
        let found = tx.lead(&filter, &lead_id, false).await?;
        let Some(lead) = found.filter(|l| l.data_key.is_some()) else {
            drop(tx);
            return Err(self.lead_not_found(actor, "lead.edit", id).await);
        };
        let plan = FieldPlan::of(actor, Entity::Lead, &self.settings(&mut tx).await?);
        let mut ev = event(self, actor, "lead.edit", Entity::Lead, Outcome::Denied);
        ev.record_ids = vec![lead.id.to_string()];
        Ok((tx, lead, plan, ev))
    }

    async fn save_lead(
        &self,
        mut tx: Tx,
        mut lead: SealedLead,
        plan: &FieldPlan,
        mut ev: AuditEvent,
    ) -> Result<LeadView, AppError> {
        let now = self.clock().now_ms();
        lead.worked_at = now;
        lead.updated_at = now;
        tx.update_lead(&lead).await?;
        ev.outcome = Outcome::Allowed;
        let seq = append(&mut tx, ev).await?;
        let visible = plan.visible();
        let view = self
            .render_leads(&mut tx, plan, std::slice::from_ref(&lead), &visible)
            .await?
            .pop()
            .ok_or(AppError::Integrity)?;
        commit(self, tx, seq).await?;
        Ok(view)
    }
}
