//! Changes of owner by hand: claiming from the pool, assigning to a colleague, releasing
//! to the pool. Each writes the ledger and moves or cancels the lead's open follow-ups.

use super::sealing::ENTITY;
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event, refuse};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::{LeadId, UserId};
use dealervault_policy::Action;
use dealervault_store::{OwnerChange, SealedLead, Tx};
use time::Time;

impl App {
    /// Takes a lead from the pool, within the store's claims a day per person.
    pub async fn claim_lead(&self, actor: &Actor, id: &str) -> Result<(), AppError> {
        let filter = self
            .row_filter(actor, Entity::Lead, Action::Claim, "lead.claim")
            .await?;
        let Some(lead_id) = LeadId::parse(id) else {
            return Err(self.lead_not_found(actor, "lead.claim", id).await);
        };
        let mut tx = self.store().write().await?;
        let Some(lead) = tx.lead(&filter, &lead_id, true).await? else {
            drop(tx);
            return Err(self.lead_not_found(actor, "lead.claim", id).await);
        };
        let limit = tx
            .store_sales_settings(&lead.store_id)
            .await?
            .claims_per_day;
        let midnight = self.clock().local_now().replace_time(Time::MIDNIGHT);
        let since = (midnight.unix_timestamp_nanos() / 1_000_000) as i64;
        if tx.claims_since(&actor.user_id, since).await? >= limit {
            drop(tx);
            let mut ev = event(self, actor, "lead.claim", Entity::Lead, Outcome::Denied);
            ev.record_ids = vec![lead.id.to_string()];
            ev.reason = Some("daily claim limit".into());
            return Err(refuse(self, ev, AppError::ClaimLimitReached { limit }).await);
        }
        let owner = actor.user_id.clone();
        self.change_owner(tx, actor, lead, Some(owner), "claimed", "lead.claim")
            .await
    }

    /// Gives a lead to a colleague: one in the actor's `assign` scope, or one from the
    /// pool it sees (with `claim`) when it may assign at all.
    pub async fn assign_lead(&self, actor: &Actor, id: &str, to: &str) -> Result<(), AppError> {
        let filter = self
            .row_filter(actor, Entity::Lead, Action::Assign, "lead.assign")
            .await?;
        let Some(lead_id) = LeadId::parse(id) else {
            return Err(self.lead_not_found(actor, "lead.assign", id).await);
        };
        let mut tx = self.store().write().await?;
        let mut lead = tx.lead(&filter, &lead_id, false).await?;
        if lead.is_none() {
            if let Ok(pool) = actor
                .policy
                .row_filter(Entity::Lead, Action::Claim, &actor.subject)
            {
                lead = tx.lead(&pool, &lead_id, true).await?;
            }
        }
        let Some(lead) = lead else {
            drop(tx);
            return Err(self.lead_not_found(actor, "lead.assign", id).await);
        };
        let owner = match self.assignable(&mut tx, actor, &lead.store_id, to).await {
            Ok(owner) => owner,
            Err(e) => {
                drop(tx);
                let mut ev = event(self, actor, "lead.assign", Entity::Lead, Outcome::Denied);
                ev.record_ids = vec![lead.id.to_string()];
                return Err(refuse(self, ev, e).await);
            }
        };
        self.change_owner(tx, actor, lead, Some(owner), "assigned", "lead.assign")
            .await
    }

    /// Puts one of the actor's leads back in the pool for others to claim.
    pub async fn release_lead(&self, actor: &Actor, id: &str) -> Result<(), AppError> {
        let filter = self
            .row_filter(actor, Entity::Lead, Action::Edit, "lead.release")
            .await?;
        let Some(lead_id) = LeadId::parse(id) else {
            return Err(self.lead_not_found(actor, "lead.release", id).await);
        };
        let mut tx = self.store().write().await?;
        let Some(lead) = tx.lead(&filter, &lead_id, false).await? else {
            drop(tx);
            return Err(self.lead_not_found(actor, "lead.release", id).await);
        };
        if lead.owner_id.is_none() {
            drop(tx);
            return Err(self.lead_not_found(actor, "lead.release", id).await);
        }
        self.change_owner(tx, actor, lead, None, "released", "lead.release")
            .await
    }

    /// Writes the new owner (a claim or an assignment counts as work on the lead), the
    /// ledger, the open follow-ups, the booked test drives and the event, and commits.
    async fn change_owner(
        &self,
        mut tx: Tx,
        actor: &Actor,
        mut lead: SealedLead,
        owner: Option<UserId>,
        reason: &'static str,
        verb: &str,
    ) -> Result<(), AppError> {
        let now = self.clock().now_ms();
        let moved = match &owner {
            Some(o) => tx.move_open_follow_ups(&lead.id, o, now).await?,
            None => tx.cancel_open_follow_ups(&lead.id, now).await?,
        };
        // Booked test drives go with the lead, like its open follow-ups.
        let drives = tx
            .pass_booked_test_drives(&lead.id, owner.as_ref(), now)
            .await?;
        if owner.is_none() {
            lead.next_follow_up_at = None;
        }
        lead.owner_id.clone_from(&owner);
        lead.worked_at = now;
        lead.updated_at = now;
        tx.update_lead(&lead).await?;
        tx.record_owner_change(OwnerChange {
            entity: ENTITY,
            record_id: lead.id.as_str(),
            store_id: &lead.store_id,
            owner_id: owner.as_ref(),
            reason,
            changed_by: Some(&actor.user_id),
            at: now,
        })
        .await?;
        let mut ev = event(self, actor, verb, Entity::Lead, Outcome::Allowed);
        ev.record_ids = std::iter::once(lead.id.to_string())
            .chain(moved.iter().map(ToString::to_string))
            .chain(drives.iter().map(ToString::to_string))
            .collect();
        ev.fields = vec!["owner_id".into()];
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await
    }
}
