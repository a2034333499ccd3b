//! The reviews' sweep beside the server, once a minute: on a quarter's first day it
//! starts the quarter's campaign (`start.rs`); every time it takes the items nobody
//! decided by their due date and hands each to the store's manager with seven more days
//! (once). An item that cannot go further — its reviewer is the store's manager already,
//! it was escalated before, or its store has no manager (the group's accounts) — raises
//! the `access_review_overdue` alert for the auditor, once. A second sweep finds nothing
//! more to do.

use super::start::end_of;
use super::Directory;
use crate::alerts::raise_kind;
use crate::alerts::rules::RuleKind;
use crate::audit_trail::{append, commit, system_event};
use crate::error::AppError;
use crate::followers::every_minute;
use crate::App;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::UserId;
use dealervault_store::ReviewItemRow;
use std::collections::BTreeMap;
use time::Duration;
use tokio::sync::watch;

/// Days an escalated item gets.
const ESCALATED_DAYS: i64 = 7;

impl App {
    /// Escalates or alerts every overdue item; returns how many items it acted on.
    /// Recorded as the system's `access_review.escalate` (the items and their new
    /// reviewers), and `alert.raise` for each alert.
    pub async fn escalate_access_reviews(&self) -> Result<usize, AppError> {
        let now = self.clock().now_ms();
        // Most minutes find nothing: look on a reader before taking the single writer.
        {
            let mut tx = self.store().read().await?;
            if tx.overdue_review_items(now).await?.is_empty() {
                return Ok(0);
            }
        }
        let mut tx = self.store().write().await?;
        let overdue = tx.overdue_review_items(now).await?;
        let directory = Directory::load(&mut tx).await?;
        let org = &directory.org;
        let local = self.clock().local_now();
        let due_on = local.date() + Duration::days(ESCALATED_DAYS);
        let due_at = end_of(due_on, local.offset());
        let mut escalated = vec![];
        // Per reviewer (or the account itself when it has none): the items to alert about.
        let mut alerts: BTreeMap<UserId, Vec<&ReviewItemRow>> = BTreeMap::new();
        for item in &overdue {
            let manager = item
                .store_id
                .as_ref()
                .filter(|_| item.escalated_at.is_none())
                .and_then(|store| org.store_manager(store, &item.user_id))
                .filter(|m| item.reviewer_id.as_ref() != Some(m));
            match manager {
                Some(manager) => {
                    if tx
                        .escalate_review_item(&item.id, &manager, &due_on.to_string(), due_at, now)
                        .await?
                    {
                        escalated.push(item.id.to_string());
                        escalated.push(manager.to_string());
                    }
                }
                None => {
                    if tx.mark_review_item_alerted(&item.id, now).await? {
                        let subject = item.reviewer_id.clone().unwrap_or(item.user_id.clone());
                        alerts.entry(subject).or_default().push(item);
                    }
                }
            }
        }
        let acted = escalated.len() / 2 + alerts.values().map(Vec::len).sum::<usize>();
        if acted == 0 {
            tx.rollback().await?;
            return Ok(0);
        }
        let mut seq = 0;
        if !escalated.is_empty() {
            let mut ev = system_event(
                now,
                "access_review.escalate",
                Entity::User.code(),
                escalated,
            );
            ev.fields = vec!["reviewer_id".into(), "due_on".into()];
            ev.reason = Some("overdue: to the store manager".into());
            seq = append(&mut tx, ev).await?;
        }
        if !alerts.is_empty() {
            let ids = alerts
                .values()
                .flatten()
                .map(|i| i.id.to_string())
                .collect();
            let mut ev = system_event(now, "access_review.escalate", Entity::User.code(), ids);
            ev.fields = vec!["alerted_at".into()];
            ev.reason = Some("overdue: to the auditor".into());
            seq = append(&mut tx, ev).await?;
        }
        for (subject, items) in &alerts {
            let Some(staff) = org.get(subject) else {
                continue;
            };
            let ids = items.iter().map(|i| i.id.to_string()).collect();
            raise_kind(
                self,
                &mut tx,
                RuleKind::AccessReviewOverdue,
                &staff.user,
                ids,
                seq,
            )
            .await?;
        }
        // Raising appended events of its own: the followers hear of the newest.
        let (head, _) = tx.audit_head_for_update().await?;
        commit(self, tx, head.max(seq)).await?;
        Ok(acted)
    }

    /// One run of the sweep: the quarter's campaign on its first day, then escalations.
    pub async fn sweep_access_reviews(&self) -> Result<usize, AppError> {
        Ok(self.start_quarter_review().await? + self.escalate_access_reviews().await?)
    }
}

/// Runs [`App::sweep_access_reviews`] once a minute until `stop` turns true.
pub async fn run_access_reviews(app: App, stop: watch::Receiver<bool>) {
    every_minute(stop, "access reviews started or escalated", move || {
        let app = app.clone();
        async move { app.sweep_access_reviews().await }
    })
    .await;
}
