//! Chaining events onto the log inside a transaction.

use crate::error::AppError;
use dealervault_audit::{chain_hash, AuditEvent};
use dealervault_store::{AuditRow, Tx};

/// Appends `events` to the chain in `tx`, in order, and returns the sequence number of
/// the last one. Any failure is reported as [`AppError::AuditUnavailable`] so the caller's
/// action fails with it (fail closed).
pub async fn append_all(tx: &mut Tx, events: Vec<AuditEvent>) -> Result<i64, AppError> {
    let fail = |e| {
        tracing::error!(error = %e, "audit append failed");
        AppError::AuditUnavailable
    };
    // Locking the head row queues concurrent appenders: the chain never forks.
    let (mut seq, mut hash) = tx.audit_head_for_update().await.map_err(fail)?;
    let mut rows = Vec::with_capacity(events.len());
    for event in events {
        seq += 1;
        let next = chain_hash(&hash, seq, &event);
        rows.push(AuditRow {
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
            prev_hash: std::mem::replace(&mut hash, next.clone()),
            hash: next,
        });
    }
    tx.insert_audit(&rows).await.map_err(fail)?;
    tx.set_audit_head(seq, &hash).await.map_err(fail)?;
    Ok(seq)
}

/// Appends one event in `tx`: for actions that change data, whose event must commit or
/// roll back with the change itself.
pub(crate) async fn append(tx: &mut Tx, event: AuditEvent) -> Result<i64, AppError> {
    append_all(tx, vec![event]).await
}
