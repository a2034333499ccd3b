use crate::actor::Actor;
use crate::audit_trail::{append, commit, event, refuse};
use crate::customers::Revealed;
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::{field, Entity, FieldKind};
use dealervault_domain::error::Rule;
use dealervault_domain::ids::LeadId;
use dealervault_domain::values::Reason;
use dealervault_policy::{Action, FieldLevel};

impl App {
    /// Shows one masked field of a lead in clear, for a stated reason, within the same
    /// daily quota as customers' reveals. Pool leads are never revealed: claim first.
    pub async fn reveal_lead_field(
        &self,
        actor: &Actor,
        id: &str,
        field_name: &str,
        reason: &str,
    ) -> Result<Revealed, AppError> {
        let filter = self
            .row_filter(actor, Entity::Lead, Action::Reveal, "lead.reveal")
            .await?;
        let spec = field(Entity::Lead, field_name)
            .filter(|f| f.kind == FieldKind::Governed)
            .ok_or_else(|| AppError::invalid("field", Rule::UnknownValue))?;
        let reason = Reason::parse("reason", reason).map_err(|e| AppError::Invalid(vec![e]))?;
        let Some(lead_id) = LeadId::parse(id) else {
            return Err(self.lead_not_found(actor, "lead.reveal", id).await);
        };
        let mut tx = self.store().write().await?;
        let Some(lead) = tx.lead(&filter, &lead_id, false).await? else {
            drop(tx);
            return Err(self.lead_not_found(actor, "lead.reveal", id).await);
        };
        let settings = self.settings(&mut tx).await?;
        let plan = FieldPlan::of(actor, Entity::Lead, &settings);
        let mut ev = event(self, actor, "lead.reveal", Entity::Lead, Outcome::Denied);
        ev.record_ids = vec![lead.id.to_string()];
        ev.fields = vec![spec.name.to_string()];
        ev.reason = Some(reason.into_string());
        if plan.level(spec.name) == FieldLevel::Hidden {
            drop(tx);
            return Err(refuse(self, ev, AppError::FieldNotRevealable(spec.name)).await);
        }
        let remaining = match self.take_reveal(&mut tx, actor, &settings).await {
            Ok(remaining) => remaining,
            Err(e) => {
                drop(tx);
                return Err(refuse(self, ev, e).await);
            }
        };
        let Some(values) = self.open_lead(&lead, &[spec.name.to_string()])? else {
            drop(tx);
            return Err(self.lead_not_found(actor, "lead.reveal", id).await);
        };
        ev.outcome = Outcome::Allowed;
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await?;
        Ok(Revealed {
            value: values.get(spec.name).map(str::to_string),
            remaining_today: remaining,
        })
    }
}
