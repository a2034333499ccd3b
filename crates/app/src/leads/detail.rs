use super::view::LeadView;
use crate::actor::Actor;
use crate::audit_trail::{event, record};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::follow_ups::FollowUpView;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::{LeadId, UserId};
use dealervault_domain::sales::LeadStatus;
use dealervault_policy::Action;
use dealervault_store::{FollowUpQuery, SealedLead, Tx};

/// One spell in a lead's ownership ledger.
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct OwnershipEntry {
    /// `None`: in the public pool.
    pub owner_name: Option<String>,
    /// `created`, `assigned`, `claimed`, `returned`, `handed_over`, `released`.
    pub reason: String,
    /// `None`: the system (the pool's automatic return).
    pub changed_by: Option<String>,
    pub started_at: i64,
    pub ended_at: Option<i64>,
}

/// A lead's page: the lead, what the actor may do with it, its follow-ups and ledger.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct LeadDetail {
    pub lead: LeadView,
    /// Seen through the pool: not the actor's, masked until claimed.
    pub in_pool: bool,
    /// Statuses the actor may move the lead to by hand.
    pub moves: Vec<String>,
    pub may_edit: bool,
    pub may_claim: bool,
    pub may_assign: bool,
    pub may_convert: bool,
    pub may_follow_up: bool,
    pub follow_ups: Vec<FollowUpView>,
    pub ownership: Vec<OwnershipEntry>,
}

impl App {
    /// A lead in the actor's scope, or one of the pool it may claim (shown as the pool
    /// shows it). Anything else answers like a missing lead, and so does an erased lead
    /// (its data key is gone with its customer's: nothing of it is left to show).
    pub async fn lead_detail(&self, actor: &Actor, id: &str) -> Result<LeadDetail, AppError> {
        let view = actor
            .policy
            .row_filter(Entity::Lead, Action::View, &actor.subject);
        let claim = actor
            .policy
            .row_filter(Entity::Lead, Action::Claim, &actor.subject);
        if view.is_err() && claim.is_err() {
            return Err(self.lead_not_found(actor, "lead.view", id).await);
        }
        let Some(lead_id) = LeadId::parse(id) else {
            return Err(self.lead_not_found(actor, "lead.view", id).await);
        };
        let mut tx = self.store().read().await?;
        let mut found = None;
        if let Ok(filter) = &view {
            found = tx.lead(filter, &lead_id, false).await?.map(|l| (l, false));
        }
        if found.is_none() {
            if let Ok(filter) = &claim {
                found = tx.lead(filter, &lead_id, true).await?.map(|l| (l, true));
            }
        }
        let Some((lead, in_pool)) = found else {
            drop(tx);
            return Err(self.lead_not_found(actor, "lead.view", id).await);
        };
        let settings = self.settings(&mut tx).await?;
        let mut plan = FieldPlan::of(actor, Entity::Lead, &settings);
        if in_pool {
            plan = plan.for_pool();
        }
        let visible = plan.visible();
        let Some(view_of) = self
            .render_leads(&mut tx, &plan, std::slice::from_ref(&lead), &visible)
            .await?
            .pop()
        else {
            drop(tx);
            return Err(self.lead_not_found(actor, "lead.view", id).await);
        };
        let may_edit = !in_pool && may(&mut tx, actor, Action::Edit, &lead).await?;
        let may_assign = if in_pool {
            actor.may(Entity::Lead, Action::Assign)
        } else {
            may(&mut tx, actor, Action::Assign, &lead).await?
        };
        let status = LeadStatus::parse("status", &lead.status).ok();
        let moves = match status {
            Some(s) if may_edit => s
                .manual_moves()
                .iter()
                .map(|m| m.code().to_string())
                .collect(),
            _ => Vec::new(),
        };
        let follow_ups = if in_pool {
            Vec::new()
        } else {
            self.follow_ups_of(&mut tx, actor, &lead).await?
        };
        let ownership = if in_pool {
            Vec::new()
        } else {
            ownership(&mut tx, &lead).await?
        };
        let detail = LeadDetail {
            in_pool,
            moves,
            may_edit,
            may_claim: in_pool,
            may_assign,
            may_convert: may_edit
                && lead.customer_id.is_none()
                && lead.owner_id.is_some()
                && actor.may(Entity::Customer, Action::Create),
            may_follow_up: !in_pool
                && status.is_some_and(LeadStatus::is_open)
                && actor.may(Entity::FollowUp, Action::Create),
            follow_ups,
            ownership,
            lead: view_of,
        };
        let mut ev = event(self, actor, "lead.view", Entity::Lead, Outcome::Allowed);
        ev.record_ids = vec![lead.id.to_string()];
        ev.fields = visible;
        drop(tx);
        record(self, ev).await?;
        Ok(detail)
    }

    /// The lead's follow-ups the actor may see.
    async fn follow_ups_of(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        lead: &SealedLead,
    ) -> Result<Vec<FollowUpView>, AppError> {
        let Ok(filter) = actor
            .policy
            .row_filter(Entity::FollowUp, Action::View, &actor.subject)
        else {
            return Ok(Vec::new());
        };
        let query = FollowUpQuery {
            lead: Some(lead.id.clone()),
            ..FollowUpQuery::default()
        };
        let rows = tx.follow_ups(&filter, &query, 200).await?;
        self.render_follow_ups(tx, actor, &rows).await
    }
}

/// Whether the actor's `action` scope reaches the lead: the same SQL filter the action
/// itself will apply, so the page never offers what would then be refused.
async fn may(
    tx: &mut Tx,
    actor: &Actor,
    action: Action,
    lead: &SealedLead,
) -> Result<bool, AppError> {
    match actor
        .policy
        .row_filter(Entity::Lead, action, &actor.subject)
    {
        Ok(filter) => Ok(tx.lead(&filter, &lead.id, false).await?.is_some()),
        Err(_) => Ok(false),
    }
}

async fn ownership(tx: &mut Tx, lead: &SealedLead) -> Result<Vec<OwnershipEntry>, AppError> {
    let rows = tx.ownership_history("lead", lead.id.as_str()).await?;
    let ids: Vec<UserId> = rows
        .iter()
        .flat_map(|r| r.owner_id.iter().chain(r.changed_by.iter()))
        .cloned()
        .collect();
    let names = tx.user_display_names(&ids).await?;
    let name = |id: &Option<UserId>| id.as_ref().and_then(|i| names.get(i).cloned());
    Ok(rows
        .iter()
        .map(|r| OwnershipEntry {
            owner_name: name(&r.owner_id),
            reason: r.reason.clone(),
            changed_by: name(&r.changed_by),
            started_at: r.started_at,
            ended_at: r.ended_at,
        })
        .collect())
}
