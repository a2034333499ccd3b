//! The exports a person sees: their own requests, and in their store those whose chain
//! passes through their seat (waiting for them first: the in-app notice of a decision to
//! take). Requests hold no customer data; reading them is recorded all the same.

use super::sample::masked_sample;
use super::{approver, may_see, status_at, ExportList, ExportView, Steps};
use crate::actor::Actor;
use crate::audit_trail::{event, record};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::exports::ExportStatus;
use dealervault_domain::ids::ExportId;

/// The newest requests a list shows of each kind.
const LIST_LIMIT: i64 = 100;

impl App {
    pub async fn list_exports(&self, actor: &Actor) -> Result<ExportList, AppError> {
        let mut tx = self.store().read().await?;
        let mut rows = Vec::new();
        for row in tx.exports_requested_by(&actor.user_id, LIST_LIMIT).await? {
            let approvals = tx.export_approvals(&row.id).await?;
            rows.push((row, approvals));
        }
        if let Some(store) = &actor.subject.position.store_id {
            for row in tx.exports_in_store(store, LIST_LIMIT).await? {
                if row.requested_by == actor.user_id {
                    continue;
                }
                let approvals = tx.export_approvals(&row.id).await?;
                if may_see(actor, &row, &Steps::of(&approvals)) {
                    rows.push((row, approvals));
                }
            }
        }
        let views = self.export_views(&mut tx, actor, rows).await?;
        drop(tx);
        let mut items = views.clone();
        items.sort_by(|a, b| b.requested_at.cmp(&a.requested_at).then(b.id.cmp(&a.id)));
        let mut list = ExportList {
            items,
            ..ExportList::default()
        };
        for view in views {
            if view.requested_by == actor.user_id.as_str() {
                list.mine.push(view);
            } else if view.awaiting_you {
                list.awaiting_me.push(view);
            } else {
                list.others.push(view);
            }
        }
        let mut ev = event(
            self,
            actor,
            "export.list",
            Entity::Customer,
            Outcome::Allowed,
        );
        ev.record_ids = list.items.iter().map(|v| v.id.clone()).collect();
        record(self, ev).await?;
        Ok(list)
    }

    /// How many requests wait for the actor's decision: the badge beside the menu.
    pub async fn exports_awaiting(&self, actor: &Actor) -> Result<usize, AppError> {
        let Some(store) = &actor.subject.position.store_id else {
            return Ok(0);
        };
        let mut tx = self.store().read().await?;
        let now = self.clock().now_ms();
        let me = approver(actor);
        let mut n = 0;
        for row in tx.pending_exports_in_store(store).await? {
            let approvals = tx.export_approvals(&row.id).await?;
            let steps = Steps::of(&approvals);
            if steps.request(&row, status_at(&row, now)).waits_for(&me) {
                n += 1;
            }
        }
        Ok(n)
    }

    /// The request as it stands after the actor's own change (its event already says
    /// what they did): no sample, nothing more recorded.
    pub(super) async fn export_as_now(
        &self,
        actor: &Actor,
        id: &ExportId,
    ) -> Result<ExportView, AppError> {
        let mut tx = self.store().read().await?;
        let row = tx.export(id).await?.ok_or(AppError::Integrity)?;
        let approvals = tx.export_approvals(id).await?;
        let mut views = self
            .export_views(&mut tx, actor, vec![(row, approvals)])
            .await?;
        views.pop().ok_or(AppError::Integrity)
    }

    /// One request; an approver it waits for also gets a masked sample of its rows.
    pub async fn export(&self, actor: &Actor, id: &str) -> Result<ExportView, AppError> {
        let mut tx = self.store().read().await?;
        let (row, approvals) = self
            .visible_export(&mut tx, actor, id, "export.view")
            .await?;
        let mut views = self
            .export_views(&mut tx, actor, vec![(row.clone(), approvals)])
            .await?;
        let mut view = views.pop().ok_or(AppError::Integrity)?;
        let mut ev = event(
            self,
            actor,
            "export.view",
            Entity::Customer,
            Outcome::Allowed,
        );
        ev.record_ids = vec![row.id.to_string()];
        if view.awaiting_you && status_at(&row, self.clock().now_ms()) == ExportStatus::Pending {
            let (sample, seen) = masked_sample(self, &mut tx, &row).await?;
            view.sample = sample;
            ev.record_ids.extend(seen);
        }
        drop(tx);
        record(self, ev).await?;
        Ok(view)
    }
}
