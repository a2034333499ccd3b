//! Writing to the audit chain, and reading it back for the auditor.
//!
//! Two ways in, one chain. An action that changes data appends its event inside its own
//! transaction ([`append`]), so the change and its trace commit or roll back together. An
//! action that only reads (a list, a detail, a refusal) has nothing to roll back: it
//! submits its event to the group commit ([`record`]) and shows nothing until the event is
//! durable. Either way, if the event cannot be written the action fails (fail closed).

mod append;
mod group_commit;
mod read;
mod timeline;

pub(crate) use append::append;
pub use append::append_all;
pub(crate) use group_commit::GroupCommit;
pub use read::{AuditFilter, AuditRow};
pub use timeline::{ActivityDay, ActivitySummary, Timeline, MAX_TIMELINE_DAYS};

use crate::actor::Actor;
use crate::error::AppError;
use crate::App;
use dealervault_audit::{AuditEvent, Outcome};
use dealervault_domain::access::RowFilter;
use dealervault_domain::catalog::Entity;
use dealervault_policy::{Action, Forbidden};
use dealervault_store::Tx;

/// An event by `actor`, stamped with the app's clock and the request's address.
pub(crate) fn event(
    app: &App,
    actor: &Actor,
    action: &str,
    entity: Entity,
    outcome: Outcome,
) -> AuditEvent {
    AuditEvent {
        at: app.clock().now_ms(),
        actor_id: Some(actor.user_id.to_string()),
        actor_username: Some(actor.username.clone()),
        action: action.to_string(),
        entity: entity.code().to_string(),
        record_ids: vec![],
        fields: vec![],
        reason: None,
        outcome,
        client_addr: actor.ctx.client_addr.clone(),
    }
}

/// Records a refused or failed attempt, then hands back the error for the caller to
/// return. If even that cannot be written, the caller gets `AuditUnavailable` instead:
/// nothing happens without a trace.
pub(crate) async fn refuse(app: &App, event: AuditEvent, error: AppError) -> AppError {
    match record(app, event).await {
        Ok(()) => error,
        Err(_) => AppError::AuditUnavailable,
    }
}

/// Makes `event` durable through the group commit: for actions that change nothing.
pub(crate) async fn record(app: &App, event: AuditEvent) -> Result<(), AppError> {
    group_commit::submit(app, event).await.map(drop)
}

/// Commits `tx`, whose changes carry audit events up to `seq`, and tells the log's
/// followers.
pub(crate) async fn commit(app: &App, tx: Tx, seq: i64) -> Result<(), AppError> {
    tx.commit().await?;
    app.group_commit().committed(seq);
    Ok(())
}

/// An event of the installation itself (install, key operations): no person behind it.
pub(crate) fn system_event(
    at: i64,
    action: &str,
    entity: &str,
    record_ids: Vec<String>,
) -> AuditEvent {
    AuditEvent {
        at,
        actor_id: None,
        actor_username: Some("system".into()),
        action: action.into(),
        entity: entity.into(),
        record_ids,
        fields: vec![],
        reason: None,
        outcome: Outcome::Allowed,
        client_addr: None,
    }
}

impl App {
    /// Gives up `tx` (uncommitted) and records the refusal in a transaction of its own:
    /// the writer must be free for it, and SQLite has only one.
    pub(crate) async fn abandon(&self, tx: Tx, ev: AuditEvent, error: AppError) -> AppError {
        drop(tx);
        refuse(self, ev, error).await
    }

    /// Records an attempt on a record that is missing or out of scope (the two are not
    /// told apart, here or in the answer) and returns `NotFound`. `id` is the record's
    /// id when the request named a well-formed one.
    pub(crate) async fn not_found(
        &self,
        actor: &Actor,
        verb: &str,
        entity: Entity,
        id: Option<String>,
    ) -> AppError {
        let mut ev = event(self, actor, verb, entity, Outcome::Denied);
        ev.record_ids = id.into_iter().collect();
        refuse(self, ev, AppError::NotFound).await
    }

    /// Passes when the actor's role allows `action` on `entity` at all; otherwise records
    /// the refusal as `verb` and returns `Forbidden`.
    pub(crate) async fn permit(
        &self,
        actor: &Actor,
        entity: Entity,
        action: Action,
        verb: &str,
    ) -> Result<(), AppError> {
        if actor.may(entity, action) {
            Ok(())
        } else {
            let ev = event(self, actor, verb, entity, Outcome::Denied);
            Err(refuse(self, ev, AppError::Forbidden).await)
        }
    }

    /// The actor's row filter for `action` on `entity`, or — when the role has no grant
    /// for it at all — a refusal recorded as `verb` and returned as `Forbidden`.
    pub(crate) async fn row_filter(
        &self,
        actor: &Actor,
        entity: Entity,
        action: Action,
        verb: &str,
    ) -> Result<RowFilter, AppError> {
        match actor.policy.row_filter(entity, action, &actor.subject) {
            Ok(filter) => Ok(filter),
            Err(Forbidden) => {
                let ev = event(self, actor, verb, entity, Outcome::Denied);
                Err(refuse(self, ev, AppError::Forbidden).await)
            }
        }
    }

    /// Follows the log: the sequence number of the newest event committed through this
    /// `App`. Events written by another process are not signalled; followers also poll.
    pub fn audit_appended(&self) -> tokio::sync::watch::Receiver<i64> {
        self.group_commit().subscribe()
    }
}
