use crate::cli::CommonArgs;
use crate::config;
use anyhow::Result;
use dealervault_audit::{verify_chain, AuditEvent, ChainBreak, Outcome, GENESIS_HASH};
use dealervault_store::AuditRow;
use std::process::ExitCode;

const PAGE: u32 = 10_000;

fn event_of(row: &AuditRow) -> AuditEvent {
    AuditEvent {
        at: row.at,
        actor_id: row.actor_id.clone(),
        actor_username: row.actor_username.clone(),
        action: row.action.clone(),
        entity: row.entity.clone(),
        record_ids: row.record_ids.clone(),
        fields: row.fields.clone(),
        reason: row.reason.clone(),
        // An unknown outcome cannot hash to the stored value, so it is caught as an edit.
        outcome: Outcome::parse(&row.outcome).unwrap_or(Outcome::Failed),
        client_addr: row.client_addr.clone(),
    }
}

/// Walks the chain from the first event and stops at the first break.
pub async fn run(common: &CommonArgs) -> Result<ExitCode> {
    let config = config::resolve(common, Some("."))?;
    let store = super::open_store(&config).await?;
    let (mut seq, mut hash) = (0_i64, GENESIS_HASH.to_string());
    let (head_seq, _) = {
        let mut tx = store.write().await?;
        let head = tx.audit_head_for_update().await?;
        tx.rollback().await?;
        head
    };
    let verdict = loop {
        let rows = store.read().await?.audit_range(seq + 1, PAGE).await?;
        if rows.is_empty() {
            break if seq == head_seq {
                Ok(())
            } else {
                Err(ChainBreak::Gap {
                    expected: seq + 1,
                    found: head_seq,
                })
            };
        }
        let events: Vec<AuditEvent> = rows.iter().map(event_of).collect();
        let checked = rows
            .iter()
            .zip(&events)
            .map(|(r, e)| (r.seq, r.prev_hash.as_str(), r.hash.as_str(), e));
        match verify_chain(seq, &hash, checked) {
            Ok((s, h)) => (seq, hash) = (s, h),
            Err(b) => break Err(b),
        }
    };
    store.close().await;
    match verdict {
        Ok(()) => {
            println!("audit chain intact: {seq} events");
            Ok(ExitCode::SUCCESS)
        }
        Err(b) => {
            let what = match b {
                ChainBreak::Gap { expected, found } => {
                    format!("event {expected} is missing (found {found}): deleted or inserted")
                }
                ChainBreak::Link { seq } => {
                    format!("event {seq} does not link to its predecessor: reordered or replaced")
                }
                ChainBreak::Content { seq } => {
                    format!("event {seq} does not match its hash: edited")
                }
            };
            println!("audit chain BROKEN: {what}");
            Ok(ExitCode::from(1))
        }
    }
}
