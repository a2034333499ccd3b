//! Writing to the audit chain inside the caller's transaction, and reading it back for
//! the auditor.

use crate::actor::Actor;
use crate::error::AppError;
use crate::App;
use dealervault_audit::{chain_hash, AuditEvent, Outcome};
use dealervault_domain::catalog::Entity;
use dealervault_policy::Action;
use dealervault_store::{AuditQuery, Tx};

/// One event of the chain as read back: ids and field names, never values. Re-exported so
/// that the web layer can name what [`App::audit_events`] returns without depending on
/// the store.
pub use dealervault_store::AuditRow;

/// Appends `event` to the chain in `tx`. Any failure is reported as
/// [`AppError::AuditUnavailable`] so the caller's action fails with it (fail closed).
pub(crate) async fn append(tx: &mut Tx, event: AuditEvent) -> Result<i64, AppError> {
    let fail = |e| {
        tracing::error!(error = %e, "audit append failed");
        AppError::AuditUnavailable
    };
    let (last_seq, last_hash) = tx.audit_head_for_update().await.map_err(fail)?;
    let seq = last_seq + 1;
    let hash = chain_hash(&last_hash, seq, &event);
    let row = AuditRow {
        seq,
        at: event.at,
        actor_id: event.actor_id,
        actor_username: event.actor_username,
        action: event.action,
        entity: event.entity,
        record_ids: event.record_ids,
        fields: event.fields,
        reason: event.reason,
        outcome: event.outcome.code().to_string(),
        client_addr: event.client_addr,
        prev_hash: last_hash,
        hash: hash.clone(),
    };
    tx.insert_audit(&row).await.map_err(fail)?;
    tx.set_audit_head(seq, &hash).await.map_err(fail)?;
    Ok(seq)
}

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

/// Records a refused or failed attempt in a transaction of its own, then hands back the
/// error for the caller to return. If even that cannot be written, the caller gets
/// `AuditUnavailable` instead: nothing happens without a trace.
pub(crate) async fn refuse(app: &App, event: AuditEvent, error: AppError) -> AppError {
    match record(app, event).await {
        Ok(()) => error,
        Err(_) => AppError::AuditUnavailable,
    }
}

/// Appends `event` in a transaction of its own.
pub(crate) async fn record(app: &App, event: AuditEvent) -> Result<(), AppError> {
    let mut tx = app.store().write().await?;
    append(&mut tx, event).await?;
    tx.commit().await?;
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

/// Filters of the auditor's view.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub customer_id: Option<String>,
    pub action: Option<String>,
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
        if !actor.may(Entity::AuditLog, Action::View) {
            let ev = event(self, actor, "audit.view", Entity::AuditLog, Outcome::Denied);
            return Err(refuse(self, ev, AppError::Forbidden).await);
        }
        let mut tx = self.store().write().await?;
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
            action: filter.action,
            since: filter.since,
            until: filter.until,
            limit: filter.limit.unwrap_or(100).clamp(1, 1000),
            before_seq: filter.before_seq,
        };
        let rows = tx.audit_events(&query).await?;
        append(
            &mut tx,
            event(
                self,
                actor,
                "audit.view",
                Entity::AuditLog,
                Outcome::Allowed,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(rows)
    }
}
