//! Planning a follow-up, logging one that happened, and completing a planned one.

use super::view::FollowUpView;
use super::ENTITY;
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event, refuse};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_audit::{AuditEvent, Outcome};
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::{FollowUpId, LeadId};
use dealervault_domain::sales::{FollowUpKind, FollowUpPurpose, LeadStatus, Milestone};
use dealervault_domain::values::{parse_local_minute, Notes};
use dealervault_domain::FieldError;
use dealervault_policy::{Action, FieldLevel};
use dealervault_store::{SealedFollowUp, SealedLead, Tx};

/// A follow-up as a form or an API client sends it.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpInput {
    /// `call`, `visit`, `wechat`, `message`.
    pub kind: String,
    /// When it is planned, `YYYY-MM-DDTHH:MM` in the store's time; not needed for one
    /// that already happened.
    #[serde(default)]
    pub due_at: Option<String>,
    /// It already happened (a call just made): logged as done now.
    #[serde(default)]
    pub done: bool,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub next_step: Option<String>,
}

/// What completing a follow-up records.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpOutcome {
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub next_step: Option<String>,
    /// Plan the next one (same channel), `YYYY-MM-DDTHH:MM`.
    #[serde(default)]
    pub next_due_at: Option<String>,
}

/// Optional free text, trimmed; blank as absent. Shared with test drives' feedback.
pub(crate) fn text(
    field: &'static str,
    value: &Option<String>,
) -> Result<Option<String>, FieldError> {
    match value.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(v) => Notes::parse(field, v).map(|n| Some(n.as_str().to_string())),
        None => Ok(None),
    }
}

/// Keeps a value, or its error for the one 422 that lists every bad field.
pub(crate) fn collect<T>(result: Result<T, FieldError>, errors: &mut Vec<FieldError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

/// Reaching someone moves the lead on: a visit means they came in, anything else that
/// they were contacted.
fn milestone(kind: &str) -> Milestone {
    if kind == FollowUpKind::Visit.code() {
        Milestone::Visited
    } else {
        Milestone::Contacted
    }
}

impl App {
    pub async fn create_follow_up(
        &self,
        actor: &Actor,
        lead_id: &str,
        input: &FollowUpInput,
    ) -> Result<FollowUpView, AppError> {
        self.permit(actor, Entity::FollowUp, Action::Create, "follow_up.create")
            .await?;
        let lead_filter = self
            .row_filter(actor, Entity::Lead, Action::Edit, "follow_up.create")
            .await?;
        let mut errors = Vec::new();
        let kind = collect(FollowUpKind::parse("kind", &input.kind), &mut errors);
        let now = self.clock().now_ms();
        let due = match (&input.due_at, input.done) {
            (_, true) => Some(now),
            (Some(d), false) => collect(parse_local_minute("due_at", d), &mut errors),
            (None, false) => collect(Err(FieldError::new("due_at", Rule::Required)), &mut errors),
        };
        let notes = collect(text("notes", &input.notes), &mut errors);
        let next_step = collect(text("next_step", &input.next_step), &mut errors);
        let (Some(kind), Some(due), Some(notes), Some(next_step)) = (kind, due, notes, next_step)
        else {
            return Err(AppError::Invalid(errors));
        };
        let Some(id) = LeadId::parse(lead_id) else {
            return Err(self
                .lead_missing(actor, Entity::FollowUp, "follow_up.create", lead_id)
                .await);
        };
        let mut tx = self.store().write().await?;
        let found = tx.lead(&lead_filter, &id, false).await?;
        let Some(mut lead) = found.filter(|l| l.owner_id.is_some() && l.data_key.is_some()) else {
            drop(tx);
            return Err(self
                .lead_missing(actor, Entity::FollowUp, "follow_up.create", lead_id)
                .await);
        };
        let plan = FieldPlan::of(actor, Entity::FollowUp, &self.settings(&mut tx).await?);
        let mut ev = event(
            self,
            actor,
            "follow_up.create",
            Entity::FollowUp,
            Outcome::Denied,
        );
        ev.record_ids = vec![lead.id.to_string()];
        let open = LeadStatus::parse("status", &lead.status).is_ok_and(LeadStatus::is_open);
        if let Err(e) = writable(&plan, &notes, &next_step).and_then(|()| {
            if open {
                Ok(())
            } else {
                Err(AppError::invalid("status", Rule::NotAllowedNow))
            }
        }) {
            drop(tx);
            return Err(refuse(self, ev, e).await);
        }
        let owner = lead.owner_id.clone().ok_or(AppError::NotFound)?;
        let mut follow_up = SealedFollowUp {
            id: FollowUpId::generate(),
            store_id: lead.store_id.clone(),
            store_code: lead.store_code.clone(),
            lead_id: lead.id.clone(),
            owner_id: owner,
            kind: kind.code().to_string(),
            purpose: FollowUpPurpose::Sales.code().to_string(),
            state: if input.done { "done" } else { "open" }.to_string(),
            due_at: due,
            done_at: input.done.then_some(now),
            notes: None,
            next_step: None,
            created_at: now,
            updated_at: now,
            data_key: lead.data_key.clone(),
        };
        self.seal_outcome(
            &mut follow_up,
            &lead,
            notes.as_deref(),
            next_step.as_deref(),
        )?;
        tx.insert_follow_up(&follow_up).await?;
        if input.done {
            lead.status = status_after(&lead, milestone(&follow_up.kind));
        }
        ev.record_ids.insert(0, follow_up.id.to_string());
        self.finish(tx, lead, &follow_up, ev, &plan, actor).await
    }

    /// Marks a planned follow-up done with what came of it, optionally planning the
    /// next one.
    pub async fn complete_follow_up(
        &self,
        actor: &Actor,
        id: &str,
        outcome: &FollowUpOutcome,
    ) -> Result<FollowUpView, AppError> {
        let filter = self
            .row_filter(actor, Entity::FollowUp, Action::Edit, "follow_up.complete")
            .await?;
        let mut errors = Vec::new();
        let notes = collect(text("notes", &outcome.notes), &mut errors);
        let next_step = collect(text("next_step", &outcome.next_step), &mut errors);
        let next_due = match &outcome.next_due_at {
            Some(d) if !d.trim().is_empty() => {
                collect(parse_local_minute("next_due_at", d), &mut errors).map(Some)
            }
            _ => Some(None),
        };
        let (Some(notes), Some(next_step), Some(next_due)) = (notes, next_step, next_due) else {
            return Err(AppError::Invalid(errors));
        };
        let Some(fid) = FollowUpId::parse(id) else {
            return Err(self
                .follow_up_not_found(actor, "follow_up.complete", id)
                .await);
        };
        let mut tx = self.store().write().await?;
        let found = tx.follow_up(&filter, &fid).await?;
        let Some(mut follow_up) = found.filter(|f| f.data_key.is_some()) else {
            drop(tx);
            return Err(self
                .follow_up_not_found(actor, "follow_up.complete", id)
                .await);
        };
        let Some(mut lead) = tx.lead_unscoped(&follow_up.lead_id).await? else {
            drop(tx);
            return Err(self
                .follow_up_not_found(actor, "follow_up.complete", id)
                .await);
        };
        let plan = FieldPlan::of(actor, Entity::FollowUp, &self.settings(&mut tx).await?);
        let mut ev = event(
            self,
            actor,
            "follow_up.complete",
            Entity::FollowUp,
            Outcome::Denied,
        );
        ev.record_ids = vec![follow_up.id.to_string(), lead.id.to_string()];
        let state = if follow_up.state == "open" {
            Ok(())
        } else {
            Err(AppError::invalid("state", Rule::NotAllowedNow))
        };
        if let Err(e) = state.and_then(|()| writable(&plan, &notes, &next_step)) {
            drop(tx);
            return Err(refuse(self, ev, e).await);
        }
        let now = self.clock().now_ms();
        follow_up.state = "done".into();
        follow_up.done_at = Some(now);
        follow_up.updated_at = now;
        self.seal_outcome(
            &mut follow_up,
            &lead,
            notes.as_deref(),
            next_step.as_deref(),
        )?;
        tx.update_follow_up(&follow_up).await?;
        lead.status = status_after(&lead, milestone(&follow_up.kind));
        if let Some(due) = next_due {
            let next = SealedFollowUp {
                id: FollowUpId::generate(),
                state: "open".into(),
                due_at: due,
                done_at: None,
                notes: None,
                next_step: None,
                created_at: now,
                updated_at: now,
                ..follow_up.clone()
            };
            tx.insert_follow_up(&next).await?;
            ev.record_ids.push(next.id.to_string());
        }
        self.finish(tx, lead, &follow_up, ev, &plan, actor).await
    }

    /// Seals what was said and what comes next under the lead's key.
    fn seal_outcome(
        &self,
        follow_up: &mut SealedFollowUp,
        lead: &SealedLead,
        notes: Option<&str>,
        next_step: Option<&str>,
    ) -> Result<(), AppError> {
        let key = self
            .vault()
            .record_key(lead.id.as_str(), lead.data_key.as_deref())?;
        let id = follow_up.id.to_string();
        if notes.is_some() {
            follow_up.set_sealed("notes", key.seal_optional(ENTITY, &id, "notes", notes)?);
        }
        if next_step.is_some() {
            let sealed = key.seal_optional(ENTITY, &id, "next_step", next_step)?;
            follow_up.set_sealed("next_step", sealed);
        }
        Ok(())
    }

    /// Work on the lead: its status, its next follow-up, the time it was last worked;
    /// then the event, the commit, and the follow-up as the actor sees it.
    async fn finish(
        &self,
        mut tx: Tx,
        mut lead: SealedLead,
        follow_up: &SealedFollowUp,
        mut ev: AuditEvent,
        plan: &FieldPlan,
        actor: &Actor,
    ) -> Result<FollowUpView, AppError> {
        let now = self.clock().now_ms();
        lead.next_follow_up_at = tx.next_open_follow_up_due(&lead.id).await?;
        lead.worked_at = now;
        lead.updated_at = now;
        tx.update_lead(&lead).await?;
        ev.outcome = Outcome::Allowed;
        ev.fields = plan
            .visible()
            .into_iter()
            .filter(|f| follow_up.sealed(f).is_some())
            .collect();
        let seq = append(&mut tx, ev).await?;
        let view = self
            .render_follow_ups(&mut tx, actor, std::slice::from_ref(follow_up))
            .await?
            .pop()
            .ok_or(AppError::Integrity)?;
        commit(self, tx, seq).await?;
        Ok(view)
    }

    /// A missing or out-of-scope lead for a follow-up or a test drive (`entity`):
    /// recorded with the lead's id.
    pub(crate) async fn lead_missing(
        &self,
        actor: &Actor,
        entity: Entity,
        verb: &str,
        id: &str,
    ) -> AppError {
        let mut ev = event(self, actor, verb, entity, Outcome::Denied);
        ev.record_ids = LeadId::parse(id)
            .map(|id| vec![id.to_string()])
            .unwrap_or_default();
        refuse(self, ev, AppError::NotFound).await
    }
}

/// Text may be given only for fields the actor may write.
fn writable(
    plan: &FieldPlan,
    notes: &Option<String>,
    next_step: &Option<String>,
) -> Result<(), AppError> {
    for (field, value) in [("notes", notes), ("next_step", next_step)] {
        if value.is_some() && plan.level(field) < FieldLevel::Editable {
            return Err(AppError::FieldNotEditable(field));
        }
    }
    Ok(())
}

/// The lead's status once `reached` happened (a follow-up, a test drive).
pub(crate) fn status_after(lead: &SealedLead, reached: Milestone) -> String {
    LeadStatus::parse("status", &lead.status)
        .map(|s| s.after(reached).code().to_string())
        .unwrap_or_else(|_| lead.status.clone())
}
