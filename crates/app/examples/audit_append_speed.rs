//! How fast the audit chain takes events: batched appends (what the group commit does
//! under load) against one event per transaction (what a lone request pays).
//!
//! ```text
//! cargo run --release -p dealervault-app --example audit_append_speed -- [EVENTS] [DATABASE_URL]
//! ```
//! Defaults: 200,000 events on a fresh SQLite file in a temporary directory. Prints one
//! JSON line per scenario.
#![allow(clippy::print_stdout)]

use dealervault_app::audit_trail::append_all;
use dealervault_audit::{AuditEvent, Outcome};
use dealervault_store::Store;
use std::time::Instant;

const BATCH: usize = 1_000;

fn event(i: usize, records: usize) -> AuditEvent {
    AuditEvent {
        at: 1_767_225_600_000 + i as i64,
        actor_id: Some("0190a000-0000-7000-8000-000000000001".into()),
        actor_username: Some("sales01".into()),
        action: if records > 1 {
            "customer.list"
        } else {
            "customer.view"
        }
        .into(),
        entity: "customer".into(),
        record_ids: (0..records)
            .map(|r| format!("0190b000-0000-7000-8000-{:012x}", i * 64 + r))
            .collect(),
        fields: vec!["name".into(), "mobile".into(), "gender".into()],
        reason: None,
        outcome: Outcome::Allowed,
        client_addr: Some("10.0.0.8".into()),
    }
}

async fn run(store: &Store, name: &str, events: usize, records: usize, batch: usize) {
    let start = Instant::now();
    let mut done = 0;
    while done < events {
        let n = batch.min(events - done);
        let mut tx = store.write().await.expect("writer");
        append_all(
            &mut tx,
            (done..done + n).map(|i| event(i, records)).collect(),
        )
        .await
        .expect("append");
        tx.commit().await.expect("commit");
        done += n;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{{\"scenario\": \"{name}\", \"events\": {events}, \"record_ids_per_event\": {records}, \
         \"batch\": {batch}, \"seconds\": {secs:.3}, \"events_per_s\": {:.0}}}",
        events as f64 / secs
    );
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let events: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let url = args
        .next()
        .unwrap_or_else(|| format!("sqlite://{}/audit.db", dir.path().display()));
    let store = Store::open(&url).await.expect("open");
    store.migrate().await.expect("migrate");
    run(&store, "append_batched_views", events, 1, BATCH).await;
    run(&store, "append_batched_lists", events / 10, 20, BATCH).await;
    run(&store, "append_single_views", events / 20, 1, 1).await;
    store.close().await;
}
