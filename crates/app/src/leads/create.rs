use super::assignment::Assignee;
use super::sealing::ENTITY;
use super::view::LeadView;
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event, refuse};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::{LeadId, StoreId};
use dealervault_domain::sales::{LeadInput, LeadStatus};
use dealervault_policy::{Action, FieldLevel};
use dealervault_store::{OwnerChange, SealedLead, Tx};

impl App {
    /// A new lead in the actor's store, for `assignee`. Refused as a duplicate when the
    /// store already has an open lead with the same mobile (whoever owns it: the answer
    /// names nobody).
    pub async fn create_lead(
        &self,
        actor: &Actor,
        input: &LeadInput,
        assignee: &Assignee,
    ) -> Result<LeadView, AppError> {
        self.row_filter(actor, Entity::Lead, Action::Create, "lead.create")
            .await?;
        let Some(store_id) = actor.subject.position.store_id.clone() else {
            let ev = event(self, actor, "lead.create", Entity::Lead, Outcome::Denied);
            return Err(refuse(self, ev, AppError::Forbidden).await);
        };
        let changes = input.for_create().map_err(AppError::Invalid)?;
        let mut tx = self.store().write().await?;
        let plan = FieldPlan::of(actor, Entity::Lead, &self.settings(&mut tx).await?);
        let mut ev = event(self, actor, "lead.create", Entity::Lead, Outcome::Denied);
        if let Some(field) = changes
            .fields()
            .find(|f| plan.level(f) == FieldLevel::Hidden)
        {
            ev.fields = vec![field.to_string()];
            drop(tx);
            return Err(refuse(self, ev, AppError::FieldNotEditable(field)).await);
        }
        let mobile = changes.get("mobile").flatten().unwrap_or_default();
        if let Some(existing) = self
            .open_lead_with_mobile(&mut tx, &store_id, mobile, None)
            .await?
        {
            ev.outcome = Outcome::Failed;
            ev.record_ids = vec![existing.to_string()];
            ev.reason = Some("duplicate mobile".into());
            drop(tx);
            return Err(refuse(self, ev, AppError::Conflict("lead_exists")).await);
        }
        let model = changes.get("intended_model").flatten();
        let (owner, reason) = match self
            .resolve_owner(&mut tx, actor, &store_id, assignee, model)
            .await
        {
            Ok(found) => found,
            Err(e) => {
                drop(tx);
                return Err(refuse(self, ev, e).await);
            }
        };
        let now = self.clock().now_ms();
        let id = LeadId::generate();
        let (key, wrapped, kek_version) = self.vault().new_record_key(id.as_str())?;
        let mut lead = SealedLead {
            id,
            store_id: store_id.clone(),
            store_code: actor.store_code.clone().unwrap_or_default(),
            owner_id: owner.clone(),
            status: LeadStatus::New.code().to_string(),
            reached: LeadStatus::New.code().to_string(),
            lost_reason: None,
            name: Vec::new(),
            mobile: Vec::new(),
            mobile_index: Vec::new(),
            wechat: None,
            notes: None,
            source: String::new(),
            intended_model: String::new(),
            budget: None,
            customer_id: None,
            next_follow_up_at: None,
            worked_at: now,
            created_at: now,
            updated_at: now,
            data_key: Some(wrapped),
        };
        self.seal_lead_changes(&key, &mut lead, &changes)?;
        tx.insert_lead(&lead, kek_version).await?;
        tx.record_owner_change(OwnerChange {
            entity: ENTITY,
            record_id: lead.id.as_str(),
            store_id: &store_id,
            owner_id: owner.as_ref(),
            reason,
            changed_by: Some(&actor.user_id),
            at: now,
        })
        .await?;
        ev.outcome = Outcome::Allowed;
        ev.record_ids = vec![lead.id.to_string()];
        ev.fields = changes.fields().map(str::to_string).collect();
        if let Some(owner) = &owner {
            ev.reason = (owner != &actor.user_id).then(|| format!("assigned to {owner}"));
        }
        let seq = append(&mut tx, ev).await?;
        let visible = plan.visible();
        let view = self
            .render_leads(&mut tx, &plan, std::slice::from_ref(&lead), &visible)
            .await?
            .pop()
            .ok_or(AppError::Integrity)?;
        commit(self, tx, seq).await?;
        Ok(view)
    }

    /// An open lead of `store` other than `this` with `mobile`, confirmed by decrypting
    /// the blind index's candidates. Unscoped: a duplicate is refused even when the actor
    /// cannot see it.
    pub(super) async fn open_lead_with_mobile(
        &self,
        tx: &mut Tx,
        store: &StoreId,
        mobile: &str,
        this: Option<&LeadId>,
    ) -> Result<Option<LeadId>, AppError> {
        let index = self.vault().mobile_index(mobile);
        for candidate in tx.open_leads_by_mobile_index(store, &index).await? {
            if Some(&candidate.id) == this {
                continue;
            }
            let opened = self.open_lead(&candidate, &["mobile".to_string()])?;
            if opened.is_some_and(|v| v.get("mobile") == Some(mobile)) {
                return Ok(Some(candidate.id));
            }
        }
        Ok(None)
    }
}
