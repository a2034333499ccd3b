//! The audit log against every kind of tampering, on every backend: each is found and the
//! report names the entry. Signed checkpoints in the outside sink catch what the chain
//! alone cannot (a tail cut off with the head row reset, a chain rewritten and re-hashed).
//! Archiving moves old events into a file that verifies on its own.

use dealervault_app::checkpoints::{
    read_sink, run_checkpointer, verify_archive, ArchiveError, CheckpointSchedule, ProblemKind,
    VerifyReport, RETENTION_DAYS, SINK_FILE,
};
use dealervault_app::{App, AppConfig, Clock, KeyPaths, Vault};
use dealervault_audit::{chain_hash, AuditEvent, Checkpoint, Outcome};
use dealervault_store::testing::TestDb;
use dealervault_store::AuditRow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

const START: i64 = 1_780_000_000_000;
const DAY: i64 = 24 * 60 * 60 * 1000;

struct Harness {
    app: App,
    sink: PathBuf,
    dir: tempfile::TempDir,
}

async fn harness(db: &TestDb) -> Harness {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = Vault::create(
        &KeyPaths::for_master_key(dir.path().join("master.key")),
        None,
    )
    .expect("keys");
    let sink = dir.path().join("sink");
    let config = AppConfig {
        audit_sink_dir: Some(sink.clone()),
        ..AppConfig::default()
    };
    let app = App::new(
        db.store().clone(),
        Arc::new(vault),
        Clock::manual(START),
        config,
    );
    Harness { app, sink, dir }
}

fn event(seq: i64, at: i64) -> AuditEvent {
    AuditEvent {
        at,
        actor_id: Some(format!("u{}", seq % 7)),
        actor_username: Some(format!("sales{:02}", seq % 7)),
        action: "customer.view".into(),
        entity: "customer".into(),
        // Every third event names records, so archiving has index rows to remove.
        record_ids: if seq % 3 == 0 {
            vec![format!("c{seq}"), format!("d{seq}")]
        } else {
            vec![]
        },
        fields: vec!["name".into(), "mobile".into()],
        reason: (seq % 5 == 0).then(|| "follow-up \"call\"".into()),
        outcome: Outcome::Allowed,
        client_addr: Some("10.0.0.1".into()),
    }
}

fn row(seq: i64, prev_hash: &str, e: &AuditEvent) -> AuditRow {
    AuditRow {
        seq,
        at: e.at,
        actor_id: e.actor_id.clone(),
        actor_username: e.actor_username.clone(),
        action: e.action.clone(),
        entity: e.entity.clone(),
        record_ids: e.record_ids.clone(),
        fields: e.fields.clone(),
        reason: e.reason.clone(),
        outcome: e.outcome.code().into(),
        client_addr: e.client_addr.clone(),
        prev_hash: prev_hash.into(),
        hash: chain_hash(prev_hash, seq, e),
    }
}

/// Appends `n` events stamped `at`, as the application would.
async fn append(app: &App, n: i64, at: i64) {
    let mut tx = app.store().write().await.expect("tx");
    let (mut seq, mut hash) = tx.audit_head_for_update().await.expect("head");
    for _ in 0..n {
        seq += 1;
        let r = row(seq, &hash, &event(seq, at));
        tx.insert_audit(std::slice::from_ref(&r))
            .await
            .expect("insert");
        hash = r.hash;
    }
    tx.set_audit_head(seq, &hash).await.expect("head");
    tx.commit().await.expect("commit");
}

async fn checkpoint(app: &App) -> Checkpoint {
    app.write_checkpoint()
        .await
        .expect("checkpoint")
        .expect("something to sign")
}

async fn raw(app: &App, sql: &str) {
    let mut tx = app.store().write().await.expect("tx");
    tx.execute_for_test(sql).await.expect("tamper");
    tx.commit().await.expect("commit");
}

async fn events(app: &App) -> Vec<AuditRow> {
    let mut tx = app.store().read().await.expect("tx");
    let rows = tx.audit_range(0, 100_000).await.expect("range");
    tx.rollback().await.expect("rollback");
    rows
}

async fn verify(app: &App) -> VerifyReport {
    app.verify_audit().await.expect("verify")
}

/// Asserts the report's first problem is `kind` about `seq`; returns its message.
fn first_problem(report: &VerifyReport, kind: ProblemKind, seq: i64, label: &str) -> String {
    let p = report
        .first()
        .unwrap_or_else(|| panic!("{label}: tampering not detected: {report:?}"));
    assert_eq!((p.kind, p.seq), (kind, Some(seq)), "{label}: {p}");
    p.message.clone()
}

#[tokio::test]
async fn an_untouched_log_verifies() {
    for db in TestDb::all().await {
        let h = harness(&db).await;
        assert!(h.app.write_checkpoint().await.expect("empty").is_none());
        append(&h.app, 30, START).await;
        checkpoint(&h.app).await;
        assert!(h.app.write_checkpoint().await.expect("again").is_none());
        append(&h.app, 10, START).await;
        checkpoint(&h.app).await;
        let report = verify(&h.app).await;
        assert!(report.intact(), "{}: {report:?}", db.label());
        assert_eq!((report.events, report.last_seq), (40, 40));
        // Two in the sink, two in the table.
        assert_eq!(report.checkpoints, 4, "{}", db.label());
        assert_eq!(read_sink(&h.sink).expect("sink").len(), 2);
        db.teardown().await;
    }
}

#[tokio::test]
async fn an_edited_event_is_named() {
    for db in TestDb::all().await {
        let h = harness(&db).await;
        append(&h.app, 40, START).await;
        checkpoint(&h.app).await;
        raw(
            &h.app,
            "UPDATE audit_log SET action = 'customer.export' WHERE seq = 17",
        )
        .await;
        let m = first_problem(&verify(&h.app).await, ProblemKind::Edited, 17, db.label());
        assert!(m.contains("event 17") && m.contains("edited"), "{m}");
        db.teardown().await;
    }
}

#[tokio::test]
async fn a_deleted_event_is_named() {
    for db in TestDb::all().await {
        let h = harness(&db).await;
        append(&h.app, 40, START).await;
        checkpoint(&h.app).await;
        raw(
            &h.app,
            "DELETE FROM audit_records WHERE seq = 17; DELETE FROM audit_log WHERE seq = 17",
        )
        .await;
        let m = first_problem(&verify(&h.app).await, ProblemKind::Missing, 17, db.label());
        assert!(m.contains("event 17 is missing"), "{m}");
        db.teardown().await;
    }
}

#[tokio::test]
async fn an_inserted_event_is_named() {
    for db in TestDb::all().await {
        let h = harness(&db).await;
        append(&h.app, 40, START).await;
        checkpoint(&h.app).await;
        // Make room at 17 by renumbering the rest, then slip in a well-formed event that
        // links to 16 and hashes correctly.
        raw(
            &h.app,
            "DELETE FROM audit_records WHERE seq >= 17; \
             UPDATE audit_log SET seq = -seq WHERE seq >= 17; \
             UPDATE audit_log SET seq = 1 - seq WHERE seq < 0",
        )
        .await;
        let hash16 = events(&h.app).await[15].hash.clone();
        let forged = row(17, &hash16, &event(1017, START));
        let mut tx = h.app.store().write().await.expect("tx");
        tx.insert_audit(std::slice::from_ref(&forged))
            .await
            .expect("insert");
        tx.commit().await.expect("commit");
        let m = first_problem(&verify(&h.app).await, ProblemKind::Inserted, 17, db.label());
        assert!(m.contains("event 17 was inserted"), "{m}");
        db.teardown().await;
    }
}

#[tokio::test]
async fn reordered_events_are_named() {
    for db in TestDb::all().await {
        let h = harness(&db).await;
        append(&h.app, 40, START).await;
        checkpoint(&h.app).await;
        raw(
            &h.app,
            "DELETE FROM audit_records WHERE seq IN (17, 18); \
             UPDATE audit_log SET seq = -1 WHERE seq = 17; \
             UPDATE audit_log SET seq = 17 WHERE seq = 18; \
             UPDATE audit_log SET seq = 18 WHERE seq = -1",
        )
        .await;
        let m = first_problem(&verify(&h.app).await, ProblemKind::Link, 17, db.label());
        assert!(m.contains("event 17 does not link"), "{m}");
        db.teardown().await;
    }
}

#[tokio::test]
async fn a_truncated_tail_is_found_even_with_the_head_reset() {
    for db in TestDb::all().await {
        let h = harness(&db).await;
        append(&h.app, 40, START).await;
        checkpoint(&h.app).await;
        raw(
            &h.app,
            "DELETE FROM audit_records WHERE seq > 35; DELETE FROM audit_log WHERE seq > 35",
        )
        .await;
        // The head row still says 40.
        let m = first_problem(
            &verify(&h.app).await,
            ProblemKind::Truncated,
            36,
            db.label(),
        );
        assert!(m.contains("events 36..=40"), "{m}");

        // Reset the head and drop the table's checkpoints: only the sink remains.
        let hash35 = events(&h.app).await[34].hash.clone();
        raw(
            &h.app,
            &format!(
                "UPDATE audit_head SET seq = 35, hash = '{hash35}'; DELETE FROM audit_checkpoints"
            ),
        )
        .await;
        let m = first_problem(
            &verify(&h.app).await,
            ProblemKind::Truncated,
            36,
            db.label(),
        );
        assert!(
            m.contains("sink line 1") && m.contains("events 36..=40 were removed"),
            "{m}"
        );
        // Without the sink, the database alone looks intact: the sink is what catches it.
        let blind = dealervault_app::checkpoints::verify_audit(
            h.app.store(),
            &h.app.vault().audit_verifying_key(),
            None,
        )
        .await
        .expect("verify");
        assert!(blind.intact(), "{blind:?}");
        db.teardown().await;
    }
}

/// Edits event `seq`, then recomputes every hash from there on and moves the head, as an
/// attacker with write access to the database would.
async fn rewrite_from(app: &App, seq: i64) {
    let rows = events(app).await;
    let mut prev = rows[usize::try_from(seq - 2).expect("index")].hash.clone();
    let mut sql = String::new();
    for r in rows.iter().filter(|r| r.seq >= seq) {
        let mut e = AuditEvent {
            at: r.at,
            actor_id: r.actor_id.clone(),
            actor_username: r.actor_username.clone(),
            action: r.action.clone(),
            entity: r.entity.clone(),
            record_ids: r.record_ids.clone(),
            fields: r.fields.clone(),
            reason: r.reason.clone(),
            outcome: Outcome::parse(&r.outcome).expect("outcome"),
            client_addr: r.client_addr.clone(),
        };
        if r.seq == seq {
            e.action = "customer.export".into();
        }
        let hash = chain_hash(&prev, r.seq, &e);
        sql.push_str(&format!(
            "UPDATE audit_log SET action = '{}', prev_hash = '{prev}', hash = '{hash}' WHERE seq = {};",
            e.action, r.seq
        ));
        prev = hash;
    }
    let last = rows.last().expect("rows").seq;
    sql.push_str(&format!(
        "UPDATE audit_head SET seq = {last}, hash = '{prev}'"
    ));
    raw(app, &sql).await;
}

#[tokio::test]
async fn a_rewritten_and_rehashed_chain_is_caught_by_the_signed_checkpoints() {
    for db in TestDb::all().await {
        let h = harness(&db).await;
        append(&h.app, 30, START).await;
        checkpoint(&h.app).await;
        append(&h.app, 30, START).await;
        checkpoint(&h.app).await;
        rewrite_from(&h.app, 40).await;
        let report = verify(&h.app).await;
        let m = first_problem(&report, ProblemKind::Rewritten, 60, db.label());
        assert!(
            m.contains("events 31..=60 were rewritten: checkpoint at 60 signed"),
            "{m}"
        );
        assert_eq!(report.problems.len(), 1, "{report:?}");
        db.teardown().await;
    }
}

fn rewrite_sink_line(sink: &Path, line: usize, f: impl Fn(&mut Checkpoint)) {
    let path = sink.join(SINK_FILE);
    let text = std::fs::read_to_string(&path).expect("sink");
    let out: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == line {
                let mut c = Checkpoint::parse_line(l).expect("line");
                f(&mut c);
                c.to_line()
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&path, out.join("\n") + "\n").expect("write sink");
}

#[tokio::test]
async fn forged_and_disagreeing_checkpoints_are_named() {
    for db in TestDb::all().await {
        let h = harness(&db).await;
        append(&h.app, 30, START).await;
        checkpoint(&h.app).await;
        append(&h.app, 30, START).await;
        let good = checkpoint(&h.app).await;

        // A sink line whose time was changed no longer carries a valid signature.
        rewrite_sink_line(&h.sink, 2, |c| c.at += 1);
        let m = first_problem(
            &verify(&h.app).await,
            ProblemKind::BadSignature,
            60,
            db.label(),
        );
        assert!(
            m.contains("sink line 2") && m.contains("bad signature"),
            "{m}"
        );
        rewrite_sink_line(&h.sink, 2, |c| c.at -= 1);
        assert!(verify(&h.app).await.intact());

        // A table checkpoint signed by another key.
        std::fs::create_dir(h.dir.path().join("other")).expect("dir");
        let other = Vault::create(
            &KeyPaths::for_master_key(h.dir.path().join("other").join("master.key")),
            None,
        )
        .expect("other keys");
        let forged = Checkpoint::sign(&other.audit_signing_key(), 30, &good.hash, START);
        raw(
            &h.app,
            &format!(
                "UPDATE audit_checkpoints SET signature = '{}' WHERE seq = 30",
                forged.signature
            ),
        )
        .await;
        let m = first_problem(
            &verify(&h.app).await,
            ProblemKind::BadSignature,
            30,
            db.label(),
        );
        assert!(
            m.contains("database checkpoint at 30: bad signature"),
            "{m}"
        );
        raw(&h.app, "DELETE FROM audit_checkpoints WHERE seq = 30").await;

        // A validly signed table checkpoint that disagrees with the sink.
        let other_hash = "ab".repeat(32);
        let signed = Checkpoint::sign(&h.app.vault().audit_signing_key(), 60, &other_hash, START);
        raw(
            &h.app,
            &format!(
                "UPDATE audit_checkpoints SET hash = '{other_hash}', signature = '{}' WHERE seq = 60",
                signed.signature
            ),
        )
        .await;
        let m = first_problem(
            &verify(&h.app).await,
            ProblemKind::Disagreement,
            60,
            db.label(),
        );
        assert!(
            m.contains("database checkpoint") && m.contains("sink line 2"),
            "{m}"
        );
        db.teardown().await;
    }
}

#[tokio::test]
async fn archiving_moves_old_events_to_a_file_and_both_still_verify() {
    for db in TestDb::all().await {
        let h = harness(&db).await;
        append(&h.app, 20, START - 2000 * DAY).await;
        append(&h.app, 20, START - DAY).await;
        checkpoint(&h.app).await;
        let out = h.dir.path().join("audit-2021.jsonl");
        let summary = h
            .app
            .archive_audit(START - 1500 * DAY, &out)
            .await
            .expect("archive");
        assert_eq!(
            (summary.first_seq, summary.last_seq, summary.events),
            (1, 20, 20)
        );

        let report = verify(&h.app).await;
        assert!(report.intact(), "{}: {report:?}", db.label());
        assert_eq!(report.anchor_seq, 20);
        // 21..=40 and the record of the archiving itself.
        assert_eq!((report.events, report.last_seq), (21, 41));
        assert_eq!(events(&h.app).await.first().map(|r| r.seq), Some(21));

        let key = h.app.vault().audit_verifying_key();
        let archive = verify_archive(&out, &key).expect("read archive");
        assert!(archive.intact(), "{archive:?}");
        assert_eq!(archive.events, 20);

        // Nothing older is left.
        let again = h.dir.path().join("again.jsonl");
        assert!(matches!(
            h.app.archive_audit(START - 1500 * DAY, &again).await,
            Err(ArchiveError::Nothing(_))
        ));

        // Moving the anchor without a signed checkpoint for it is caught.
        raw(&h.app, "DELETE FROM audit_checkpoints WHERE seq = 20").await;
        let mut lines: Vec<String> = std::fs::read_to_string(h.sink.join(SINK_FILE))
            .expect("sink")
            .lines()
            .map(String::from)
            .collect();
        lines.retain(|l| !l.contains("\"seq\":20,"));
        std::fs::write(h.sink.join(SINK_FILE), lines.join("\n") + "\n").expect("sink");
        let m = first_problem(&verify(&h.app).await, ProblemKind::Anchor, 20, db.label());
        assert!(m.contains("not covered by a signed checkpoint"), "{m}");
        db.teardown().await;
    }
}

#[tokio::test]
async fn a_tampered_archive_file_names_its_first_bad_line() {
    for db in TestDb::all().await {
        let h = harness(&db).await;
        append(&h.app, 20, START - 2000 * DAY).await;
        append(&h.app, 5, START).await;
        let out = h.dir.path().join("archive.jsonl");
        h.app
            .archive_audit(START - 1500 * DAY, &out)
            .await
            .expect("archive");
        let key = h.app.vault().audit_verifying_key();
        let text = std::fs::read_to_string(&out).expect("archive");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 21);

        let edited = text.replacen(
            "\"action\":\"customer.view\"",
            "\"action\":\"customer.export\"",
            5,
        );
        let edited = edited.replacen(
            "\"action\":\"customer.export\"",
            "\"action\":\"customer.view\"",
            4,
        );
        std::fs::write(&out, &edited).expect("write");
        let r = verify_archive(&out, &key).expect("read");
        assert_eq!(
            r.problem.as_deref(),
            Some("line 6: event 5 does not match its hash: edited"),
            "{}",
            db.label()
        );

        std::fs::write(&out, lines[..20].join("\n") + "\n").expect("write");
        let r = verify_archive(&out, &key).expect("read");
        let m = r.problem.expect("truncation found");
        assert!(m.contains("ends at event 19"), "{m}");

        let forged_header = lines[0].replace("\"last_seq\":20", "\"last_seq\":19");
        std::fs::write(
            &out,
            [forged_header.as_str()]
                .into_iter()
                .chain(lines[1..20].iter().copied())
                .collect::<Vec<_>>()
                .join("\n"),
        )
        .expect("write");
        let r = verify_archive(&out, &key).expect("read");
        assert!(r.problem.expect("found").starts_with("line 1:"));
        db.teardown().await;
    }
}

#[tokio::test]
async fn archiving_refuses_a_cutoff_inside_the_retention_period() {
    for db in TestDb::all().await {
        let h = harness(&db).await;
        append(&h.app, 10, START - 400 * DAY).await;
        let out = h.dir.path().join("archive.jsonl");
        let err = h
            .app
            .archive_audit(START - 365 * DAY, &out)
            .await
            .expect_err("inside three years");
        assert!(
            matches!(err, ArchiveError::InsideRetention { days: 1095, .. }),
            "{err:?}"
        );
        assert!(!out.exists());

        let mut tx = h.app.store().write().await.expect("tx");
        tx.put_setting(RETENTION_DAYS, "365")
            .await
            .expect("setting");
        tx.commit().await.expect("commit");
        let summary = h
            .app
            .archive_audit(START - 365 * DAY, &out)
            .await
            .expect("one year is allowed now");
        assert_eq!(summary.last_seq, 10);
        db.teardown().await;
    }
}

#[tokio::test]
async fn the_checkpointer_signs_after_enough_events() {
    for db in TestDb::all().await {
        let h = harness(&db).await;
        append(&h.app, 12, START).await;
        let schedule = CheckpointSchedule {
            every_events: 10,
            every: Duration::from_secs(3600),
        };
        run_checkpointer(
            h.app.clone(),
            schedule,
            tokio::time::sleep(Duration::from_millis(1500)),
        )
        .await;
        let sink = read_sink(&h.sink).expect("sink");
        assert_eq!(sink.len(), 1, "{}", db.label());
        assert_eq!(sink[0].checkpoint.as_ref().map(|c| c.seq), Ok(12));
        db.teardown().await;
    }
}

fn sql_text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn sql_opt(s: Option<&str>) -> String {
    s.map_or_else(|| "NULL".into(), sql_text)
}

/// Appends `n` events in multi-row INSERTs: quick enough for tens of thousands.
async fn bulk_append(app: &App, n: i64) {
    let mut tx = app.store().write().await.expect("tx");
    let (mut seq, mut hash) = tx.audit_head_for_update().await.expect("head");
    let target = seq + n;
    while seq < target {
        let mut values = Vec::new();
        for _ in 0..1000.min(target - seq) {
            seq += 1;
            let r = row(seq, &hash, &event(seq, START));
            values.push(format!(
                "({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
                r.seq,
                r.at,
                sql_opt(r.actor_id.as_deref()),
                sql_opt(r.actor_username.as_deref()),
                sql_text(&r.action),
                sql_text(&r.entity),
                sql_text(&serde_json::to_string(&r.record_ids).expect("json")),
                sql_text(&serde_json::to_string(&r.fields).expect("json")),
                sql_opt(r.reason.as_deref()),
                sql_text(&r.outcome),
                sql_opt(r.client_addr.as_deref()),
                sql_text(&r.prev_hash),
                sql_text(&r.hash),
            ));
            hash = r.hash;
        }
        tx.execute_for_test(&format!(
            "INSERT INTO audit_log (seq, at, actor_id, actor_username, action, entity, \
             record_ids, fields, reason, outcome, client_addr, prev_hash, hash) VALUES {}",
            values.join(",")
        ))
        .await
        .expect("bulk insert");
    }
    tx.set_audit_head(seq, &hash).await.expect("head");
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn tampering_at_a_page_boundary_is_named() {
    // Verification reads 50,000 sequence numbers a page.
    for db in TestDb::all().await {
        let h = harness(&db).await;
        bulk_append(&h.app, 50_010).await;
        checkpoint(&h.app).await;
        let report = verify(&h.app).await;
        assert!(report.intact(), "{}: {report:?}", db.label());
        assert_eq!(report.events, 50_010);

        raw(
            &h.app,
            "UPDATE audit_log SET action = 'x' WHERE seq = 50000",
        )
        .await;
        first_problem(
            &verify(&h.app).await,
            ProblemKind::Edited,
            50_000,
            db.label(),
        );
        raw(
            &h.app,
            "UPDATE audit_log SET action = 'customer.view' WHERE seq = 50000",
        )
        .await;
        assert!(verify(&h.app).await.intact());

        raw(&h.app, "DELETE FROM audit_log WHERE seq = 50001").await;
        first_problem(
            &verify(&h.app).await,
            ProblemKind::Missing,
            50_001,
            db.label(),
        );
        db.teardown().await;
    }
}
