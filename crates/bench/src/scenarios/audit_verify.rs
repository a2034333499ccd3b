//! Verifying the audit log: `verify_audit` (signatures, every hash and link, every signed
//! checkpoint) over as many events as the dataset has customers, against only reading
//! the same events in the same pages.

use super::{alternate, Settings};
use crate::dataset::{self, progress};
use crate::drive::Tally;
use crate::report::Outcome;
use anyhow::{bail, Result};
use dealervault_app::audit_trail::append_all;
use dealervault_app::{App, AppConfig, Clock};
use dealervault_audit::{AuditEvent, Outcome as EventOutcome};
use dealervault_store::testing::TestDb;
use dealervault_store::{unpack_chain, Store};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Events appended per transaction while filling the log.
const FILL_BATCH: i64 = 50_000;
/// Events read per query: the same pages as the verification.
const PAGE: i64 = 50_000;
/// The goal, in events per second.
const GOAL: f64 = 1_000_000.0;

pub async fn run(settings: &Settings) -> Result<Outcome> {
    let events = i64::try_from(settings.customers)?.max(1);
    let db = TestDb::sqlite().await;
    let (keys, vault) = dataset::throwaway_keys()?;
    let app = App::new(
        db.store().clone(),
        Arc::new(vault),
        Clock::system(),
        AppConfig {
            audit_sink_dir: Some(keys.path().join("audit-sink")),
            ..AppConfig::default()
        },
    );
    fill(db.store(), events).await?;
    app.write_checkpoint().await?;

    let (s, p) = alternate(
        Duration::ZERO,
        |_| async {
            let report = app.verify_audit().await?;
            if !report.intact() {
                bail!(
                    "the benchmark's own log does not verify: {:?}",
                    report.first()
                );
            }
            Ok(Tally::timed(report.events, report.elapsed))
        },
        |_| read_all(db.store(), events),
    )
    .await?;
    let o = Outcome::new("audit_verify", s.ops_per_sec(), p.ops_per_sec())
        .latency(s.quantile_ms(0.5), s.quantile_ms(0.99));
    let met = o.secured_ops_s >= GOAL;
    db.teardown().await;
    Ok(o.goal(">= 1,000,000 events/s", met))
}

/// Appends `events` list and view events through the chain, in large transactions.
async fn fill(store: &Store, events: i64) -> Result<()> {
    let bar = progress(u64::try_from(events)?, "audit events (SQLite)");
    let mut seq = 0;
    while seq < events {
        let batch = FILL_BATCH.min(events - seq);
        let chunk = (seq + 1..=seq + batch)
            .map(|n| AuditEvent {
                at: 1_780_000_000_000 + n,
                actor_id: Some(format!("0192f0c4-{:012}", n % 200)),
                actor_username: Some(format!("bench{:03}", n % 200)),
                action: if n % 10 == 0 {
                    "customer.list"
                } else {
                    "customer.view"
                }
                .into(),
                entity: "customer".into(),
                record_ids: vec![],
                fields: vec!["name".into(), "mobile".into(), "id_number".into()],
                reason: None,
                outcome: EventOutcome::Allowed,
                client_addr: Some("192.168.1.20".into()),
            })
            .collect();
        let mut tx = store.write().await?;
        append_all(&mut tx, chunk).await?;
        tx.commit().await?;
        seq += batch;
        bar.set_position(u64::try_from(seq)?);
    }
    bar.finish();
    Ok(())
}

/// Reads and decodes every event as the verification does, without checking anything.
async fn read_all(store: &Store, events: i64) -> Result<Tally> {
    let started = Instant::now();
    let mut tx = store.read().await?;
    let mut read = 0_u64;
    let mut from = 1;
    while from <= events {
        let page = tx.audit_chain_packed(from, from + PAGE).await?;
        read += unpack_chain(&page)?.len() as u64;
        from += PAGE;
    }
    tx.rollback().await?;
    Ok(Tally::timed(read, started.elapsed()))
}
