//! Approving or rejecting a request: the chain decides who may (`domain::exports`); the
//! step, the status and the event land in one transaction. The last approval opens the
//! download window.

use super::input::DecisionInput;
use super::{approver, refusal, ExportView, Steps};
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::exports::{Decision, ExportStatus};

const HOUR_MS: i64 = 3_600_000;

impl App {
    pub async fn approve_export(
        &self,
        actor: &Actor,
        id: &str,
        input: &DecisionInput,
    ) -> Result<ExportView, AppError> {
        self.decide_export(actor, id, input, Decision::Approve)
            .await
    }

    pub async fn reject_export(
        &self,
        actor: &Actor,
        id: &str,
        input: &DecisionInput,
    ) -> Result<ExportView, AppError> {
        self.decide_export(actor, id, input, Decision::Reject).await
    }

    async fn decide_export(
        &self,
        actor: &Actor,
        id: &str,
        input: &DecisionInput,
        decision: Decision,
    ) -> Result<ExportView, AppError> {
        let (verb, word) = match decision {
            Decision::Approve => ("export.approve", "approved"),
            Decision::Reject => ("export.reject", "rejected"),
        };
        let mut tx = self.store().write().await?;
        let (row, approvals) = self.visible_export(&mut tx, actor, id, verb).await?;
        let mut ev = event(self, actor, verb, Entity::Customer, Outcome::Denied);
        ev.record_ids = vec![row.id.to_string()];
        let comment = match input.parse() {
            Ok(c) => c.map(|c| c.into_string()).unwrap_or_default(),
            Err(e) => return Err(self.abandon(tx, ev, AppError::Invalid(vec![e])).await),
        };
        let now = self.clock().now_ms();
        let steps = Steps::of(&approvals);
        // A pending request past its deadline is refused as expired by the chain itself,
        // before the sweep has written it.
        let status = ExportStatus::parse("status", &row.status).map_err(|_| AppError::Integrity)?;
        let next = match steps
            .request(&row, status)
            .decide(&approver(actor), decision, now)
        {
            Ok(next) => next,
            Err(r) => return Err(self.abandon(tx, ev, refusal(r)).await),
        };
        let position = i64::try_from(steps.approved_by.len()).unwrap_or(0);
        tx.decide_export_step(&row.id, position, &actor.user_id, word, &comment, now)
            .await?;
        if next != ExportStatus::Pending {
            let until =
                (next == ExportStatus::Approved).then(|| now + row.download_hours * HOUR_MS);
            if !tx
                .move_export(&row.id, "pending", next.code(), until, now)
                .await?
            {
                return Err(self
                    .abandon(tx, ev, AppError::Conflict("export_decided"))
                    .await);
            }
        }
        ev.outcome = Outcome::Allowed;
        ev.reason = (!comment.is_empty()).then_some(comment);
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await?;
        self.export_as_now(actor, &row.id).await
    }
}
