//! The auditor's view of the log.

use super::{event, record};
use crate::actor::Actor;
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_policy::Action;
use dealervault_store::AuditQuery;

/// One event of the chain as read back: ids and field names, never values. Re-exported so
/// that the web layer can name what [`App::audit_events`] returns without depending on
/// the store.
pub use dealervault_store::AuditRow;

/// Filters of the auditor's view.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub customer_id: Option<String>,
    pub action: Option<String>,
    pub outcome: Option<String>,
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub before_seq: Option<i64>,
    pub limit: Option<u32>,
}

impl App {
    /// The audit log, newest first, for roles that may view it. Reading the log is itself
    /// recorded.
    pub async fn audit_events(
        &self,
        actor: &Actor,
        filter: AuditFilter,
    ) -> Result<Vec<AuditRow>, AppError> {
        self.permit(actor, Entity::AuditLog, Action::View, "audit.view")
            .await?;
        if let Some(outcome) = &filter.outcome {
            if Outcome::parse(outcome).is_none() {
                return Err(AppError::invalid("outcome", Rule::UnknownValue));
            }
        }
        let mut tx = self.store().read().await?;
        let actor_id = match filter.actor.as_deref() {
            Some(name) => match tx.user_by_username(name).await? {
                Some(user) => Some(user.id.to_string()),
                None => Some(name.to_string()),
            },
            None => None,
        };
        let query = AuditQuery {
            actor_id,
            record_id: filter.customer_id,
            actions: filter.action.into_iter().collect(),
            outcome: filter.outcome,
            since: filter.since,
            until: filter.until,
            limit: filter.limit.unwrap_or(100).clamp(1, 1000),
            before_seq: filter.before_seq,
        };
        let rows = tx.audit_events(&query).await?;
        drop(tx);
        let ev = event(
            self,
            actor,
            "audit.view",
            Entity::AuditLog,
            Outcome::Allowed,
        );
        record(self, ev).await?;
        Ok(rows)
    }
}
