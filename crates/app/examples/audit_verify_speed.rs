//! How fast `verify_audit` walks a large log: fills a SQLite database with EVENTS events
//! (default 1,000,000; appended through the chain in large transactions), then times
//! a full verification and, for a rough profile, the database read and the hashing alone.
//!
//! ```text
//! cargo run --release -p dealervault-app --example audit_verify_speed [EVENTS]
//! ```
#![allow(clippy::print_stdout, clippy::unwrap_used)]

use dealervault_app::audit_trail::append_all;
use dealervault_app::{App, AppConfig, Clock, KeyPaths, Vault};
use dealervault_audit::{chain_hash_raw, AuditEvent, Outcome, RawEvent};
use dealervault_store::{unpack_chain, ChainRowRef, Store};
use std::sync::Arc;
use std::time::Instant;

const BATCH: i64 = 100_000;
const PAGE: i64 = 50_000;

fn raw<'r>(r: &'r ChainRowRef<'_>) -> RawEvent<'r> {
    RawEvent {
        at: r.at,
        actor_id: r.actor_id.as_deref(),
        actor_username: r.actor_username.as_deref(),
        action: &r.action,
        entity: &r.entity,
        record_ids: &r.record_ids,
        fields: &r.fields,
        reason: r.reason.as_deref(),
        outcome: &r.outcome,
        client_addr: r.client_addr.as_deref(),
    }
}

#[tokio::main]
async fn main() {
    let events: i64 = std::env::args()
        .nth(1)
        .map_or(1_000_000, |n| n.parse().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("speed.db").display());
    let store = Store::open(&url).await.unwrap();
    store.migrate().await.unwrap();
    let vault = Vault::create(
        &KeyPaths::for_master_key(dir.path().join("master.key")),
        None,
    )
    .unwrap();
    let app = App::new(
        store.clone(),
        Arc::new(vault),
        Clock::system(),
        AppConfig {
            audit_sink_dir: Some(dir.path().join("sink")),
            ..AppConfig::default()
        },
    );

    let fill = Instant::now();
    let mut seq = 0;
    while seq < events {
        let batch = BATCH.min(events - seq);
        let chunk = (seq + 1..=seq + batch)
            .map(|n| AuditEvent {
                at: 1_780_000_000_000 + n,
                actor_id: Some(format!("0192f0c4-{:012}", n % 50)),
                actor_username: Some(format!("sales{:02}", n % 50)),
                action: "customer.view".into(),
                entity: "customer".into(),
                record_ids: vec![],
                fields: vec!["name".into(), "mobile".into(), "id_number".into()],
                reason: None,
                outcome: Outcome::Allowed,
                client_addr: Some("192.168.1.20".into()),
            })
            .collect();
        let mut tx = store.write().await.unwrap();
        append_all(&mut tx, chunk).await.unwrap();
        tx.commit().await.unwrap();
        seq += batch;
    }
    println!("filled {events} events in {:.1?}", fill.elapsed());
    app.write_checkpoint().await.unwrap();

    for run in 1..=2 {
        let report = app.verify_audit().await.unwrap();
        assert!(report.intact(), "{report:?}");
        println!(
            "verify run {run}: {} events in {:.2?}: {:.0} events/s",
            report.events,
            report.elapsed,
            report.events_per_sec()
        );
    }

    // Rough profile: the database's packing and fetching alone, the decoding alone, then
    // the hashing alone (one thread).
    let read = Instant::now();
    let mut tx = store.read().await.unwrap();
    let mut pages = Vec::new();
    let mut from = 1;
    while from <= events {
        pages.push(tx.audit_chain_packed(from, from + PAGE).await.unwrap());
        from += PAGE;
    }
    tx.rollback().await.unwrap();
    let read = read.elapsed();
    let decode = Instant::now();
    let rows: Vec<Vec<ChainRowRef<'_>>> = pages.iter().map(|p| unpack_chain(p).unwrap()).collect();
    let decode = decode.elapsed();
    let hash = Instant::now();
    let mut ok = 0_u64;
    let mut buf = Vec::new();
    for row in rows.iter().flatten() {
        let h = chain_hash_raw(&mut buf, &row.prev_hash, row.seq, &raw(row));
        ok += u64::from(h.as_slice() == row.hash.as_bytes());
    }
    let hash = hash.elapsed();
    let n = events as f64;
    let rate = |d: std::time::Duration| n / d.as_secs_f64();
    println!(
        "fetch alone: {read:.2?} ({:.0} rows/s); decode alone: {decode:.2?} ({:.0} rows/s); \
         hashing alone, one thread: {hash:.2?} ({:.0} events/s, {ok} ok)",
        rate(read),
        rate(decode),
        rate(hash)
    );
    store.close().await;
}
