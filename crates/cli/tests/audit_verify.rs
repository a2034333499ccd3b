//! `dealervault audit verify` and `audit archive` through the real binary: intact → exit
//! 0; after an event is edited in the database → exit 1 naming it.

mod common;

use common::{run, run_ok, utf8};
use dealervault_store::Store;

async fn tamper(data_dir: &std::path::Path, sql: &str) {
    let url = format!("sqlite://{}", data_dir.join("dealervault.db").display());
    let store = Store::open(&url).await.expect("open the database");
    let mut tx = store.write().await.expect("tx");
    tx.execute_for_test(sql).await.expect("tamper");
    tx.commit().await.expect("commit");
    store.close().await;
}

#[tokio::test]
async fn audit_verify_exits_1_naming_the_edited_event() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = utf8(dir.path());
    run_ok(&["init", "--data-dir", data]);

    let intact = run_ok(&["audit", "verify", "--data-dir", data]);
    assert!(intact.contains("audit chain intact"), "{intact}");
    assert!(intact.contains("events/s"), "{intact}");

    let refused = run(&[
        "audit",
        "archive",
        "--data-dir",
        data,
        "--before",
        "2099-01-01",
        "--out",
        utf8(&dir.path().join("archive.jsonl")),
    ]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("inside the retention period"), "{stderr}");

    tamper(
        dir.path(),
        "UPDATE audit_log SET action = 'system.nothing' WHERE seq = 1",
    )
    .await;
    let broken = run(&["audit", "verify", "--data-dir", data]);
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert_eq!(broken.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("audit chain BROKEN: event 1 does not match its hash: edited"),
        "{stdout}"
    );
}
