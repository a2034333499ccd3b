//! Audit storage: the head row, appends, and lookups by record, actor, action and time.

use crate::fixtures::T0;
use crate::testing::TestDb;
use dealervault_store::{AuditQuery, AuditRow, Store};

fn event(seq: i64, prev_hash: &str, actor: &str, action: &str, records: &[&str]) -> AuditRow {
    AuditRow {
        seq,
        at: T0 + seq * 1_000,
        actor_id: Some(actor.into()),
        actor_username: Some(format!("{actor}-name")),
        action: action.into(),
        entity: "customer".into(),
        record_ids: records.iter().map(|r| r.to_string()).collect(),
        fields: vec!["name".into(), "mobile".into()],
        reason: (action == "reveal").then(|| "callback".to_string()),
        outcome: "allowed".into(),
        client_addr: Some("10.0.0.1".into()),
        prev_hash: prev_hash.into(),
        hash: format!("{seq:064}"),
    }
}

/// What the audit crate will do: lock the head, append after it, move it.
async fn append(store: &Store, actor: &str, action: &str, records: &[&str]) -> i64 {
    let mut tx = store.write().await.expect("begin");
    let (seq, hash) = tx.audit_head_for_update().await.expect("head");
    let row = event(seq + 1, &hash, actor, action, records);
    tx.insert_audit(std::slice::from_ref(&row))
        .await
        .expect("insert");
    tx.set_audit_head(row.seq, &row.hash)
        .await
        .expect("set head");
    tx.commit().await.expect("commit");
    row.seq
}

fn seqs(rows: &[AuditRow]) -> Vec<i64> {
    rows.iter().map(|r| r.seq).collect()
}

#[tokio::test]
async fn events_are_found_by_record_actor_action_and_time() {
    for db in TestDb::all().await {
        let store = db.store();
        let label = db.label();
        append(store, "u1", "view", &["c1", "c2"]).await;
        append(store, "u2", "reveal", &["c2"]).await;
        append(store, "u1", "list", &["c1", "c1", "c3"]).await;
        append(store, "u2", "view", &[]).await;

        let mut tx = store.read().await.expect("begin");
        let q = |f: fn(&mut AuditQuery)| {
            let mut q = AuditQuery {
                limit: 100,
                ..AuditQuery::default()
            };
            f(&mut q);
            q
        };
        let all = tx.audit_events(&q(|_| {})).await.expect("all");
        assert_eq!(seqs(&all), [4, 3, 2, 1], "{label}: newest first");
        assert_eq!(
            all[3],
            event(1, &"0".repeat(64), "u1", "view", &["c1", "c2"]),
            "{label}"
        );
        assert_eq!(
            all[1].record_ids,
            ["c1", "c1", "c3"],
            "{label}: the list is kept as given"
        );

        let c1 = tx
            .audit_events(&q(|q| q.record_id = Some("c1".into())))
            .await
            .expect("c1");
        assert_eq!(seqs(&c1), [3, 1], "{label}");
        let c2 = tx
            .audit_events(&q(|q| q.record_id = Some("c2".into())))
            .await
            .expect("c2");
        assert_eq!(seqs(&c2), [2, 1], "{label}");
        let u2 = tx
            .audit_events(&q(|q| q.actor_id = Some("u2".into())))
            .await
            .expect("u2");
        assert_eq!(seqs(&u2), [4, 2], "{label}");
        let views = tx
            .audit_events(&q(|q| q.actions = vec!["view".into()]))
            .await
            .expect("views");
        assert_eq!(seqs(&views), [4, 1], "{label}");
        let either = q(|q| q.actions = vec!["view".into(), "reveal".into()]);
        let views_or_reveals = tx.audit_events(&either).await.expect("either");
        assert_eq!(seqs(&views_or_reveals), [4, 2, 1], "{label}");
        let c1_count = q(|q| {
            q.record_id = Some("c1".into());
            q.limit = 1;
            q.before_seq = Some(2);
        });
        assert_eq!(
            tx.audit_count(&c1_count).await.expect("count"),
            2,
            "{label}: a count ignores limit and paging"
        );
        let window = tx
            .audit_events(&q(|q| {
                q.since = Some(T0 + 2_000);
                q.until = Some(T0 + 4_000);
            }))
            .await
            .expect("window");
        assert_eq!(
            seqs(&window),
            [3, 2],
            "{label}: since inclusive, until exclusive"
        );
        let combined = tx
            .audit_events(&q(|q| {
                q.record_id = Some("c1".into());
                q.actor_id = Some("u1".into());
                q.before_seq = Some(3);
            }))
            .await
            .expect("combined");
        assert_eq!(seqs(&combined), [1], "{label}");
        let limited = tx
            .audit_events(&AuditQuery {
                limit: 2,
                ..AuditQuery::default()
            })
            .await
            .expect("page");
        assert_eq!(seqs(&limited), [4, 3], "{label}");

        let range = tx.audit_range(2, 2).await.expect("range");
        assert_eq!(seqs(&range), [2, 3], "{label}: ascending");
        assert_eq!(range[1].prev_hash, range[0].hash);
        assert!(
            !format!("{:?}", range[0]).contains("10.0.0.1"),
            "Debug hides the address"
        );
        let head = tx.audit_head_for_update().await;
        assert!(head.is_err(), "{label}: locking the head is a write");
        drop(tx);
        db.teardown().await;
    }
}

#[tokio::test]
async fn concurrent_appends_form_one_gap_free_chain() {
    for db in TestDb::all().await {
        let tasks: Vec<_> = (0..4)
            .map(|t| {
                let store = db.store().clone();
                tokio::spawn(async move {
                    for _ in 0..10 {
                        append(&store, &format!("u{t}"), "view", &["c"]).await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("appender");
        }
        let mut tx = db.store().read().await.expect("begin");
        let chain = tx.audit_range(1, 1_000).await.expect("range");
        assert_eq!(seqs(&chain), (1..=40).collect::<Vec<_>>(), "{}", db.label());
        for pair in chain.windows(2) {
            assert_eq!(pair[1].prev_hash, pair[0].hash, "{}", db.label());
        }
        drop(tx);
        db.teardown().await;
    }
}

#[tokio::test]
async fn a_batch_larger_than_one_statement_lands_whole() {
    for db in TestDb::all().await {
        let label = db.label();
        // 2,500 events over three statements; 3 record ids each (one repeated) make
        // 5,000 side-table rows over two.
        let mut prev = "0".repeat(64);
        let rows: Vec<AuditRow> = (1..=2_500)
            .map(|seq| {
                let ids = [
                    format!("c{seq}"),
                    format!("c{}", seq + 1),
                    format!("c{seq}"),
                ];
                let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                let mut row = event(seq, &prev, "u1", "list", &ids);
                row.hash = format!("{seq:064}");
                prev = row.hash.clone();
                row
            })
            .collect();
        let mut tx = db.store().write().await.expect("begin");
        tx.insert_audit(&rows).await.expect("batch");
        tx.set_audit_head(2_500, &prev).await.expect("head");
        tx.commit().await.expect("commit");

        let mut tx = db.store().read().await.expect("begin");
        let back = tx.audit_range(1, 3_000).await.expect("range");
        assert_eq!(back, rows, "{label}: every event, in order, as written");
        let c1001 = tx
            .audit_events(&AuditQuery {
                record_id: Some("c1001".into()),
                limit: 10,
                ..AuditQuery::default()
            })
            .await
            .expect("by record");
        assert_eq!(seqs(&c1001), [1001, 1000], "{label}: side table filled");
        drop(tx);
        db.teardown().await;
    }
}
