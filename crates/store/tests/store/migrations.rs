//! Opening, migrating, and the read/write transaction contract.

use crate::testing::TestDb;
use dealervault_store::{Backend, Store, StoreError};

const ZERO_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[tokio::test]
async fn migrations_apply_again_as_a_no_op() {
    for db in TestDb::all().await {
        let store = db.store();
        store.migrate().await.expect("second migrate");
        store.migrate().await.expect("third migrate");
        let mut tx = store.write().await.expect("begin");
        let head = tx.audit_head_for_update().await.expect("head");
        assert_eq!(
            head,
            (0, ZERO_HASH.to_string()),
            "{}: head seeded once",
            db.label()
        );
        tx.commit().await.expect("commit");
        let expected = if db.label() == "sqlite" {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        assert_eq!(store.backend(), expected);
        db.teardown().await;
    }
}

#[tokio::test]
async fn sqlite_file_and_directories_are_created_and_reopened() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!(
        "sqlite://{}",
        dir.path().join("nested/data/vault.db").display()
    );
    let store = Store::open(&url).await.expect("open");
    store.migrate().await.expect("migrate");
    let mut tx = store.write().await.expect("begin");
    tx.put_setting("instance", "demo").await.expect("put");
    tx.commit().await.expect("commit");
    store.close().await;

    let store = Store::open(&url).await.expect("reopen");
    store.migrate().await.expect("migrate again after reopen");
    let mut tx = store.read().await.expect("begin read");
    assert_eq!(
        tx.setting("instance").await.expect("get").as_deref(),
        Some("demo")
    );
    drop(tx);
    store.close().await;
}

#[tokio::test]
async fn sqlite_in_memory_works_for_quick_experiments() {
    let store = Store::open("sqlite::memory:").await.expect("open");
    store.migrate().await.expect("migrate");
    let mut tx = store.write().await.expect("begin");
    tx.put_setting("k", "v").await.expect("put");
    tx.commit().await.expect("commit");
    let mut tx = store.read().await.expect("begin read");
    assert_eq!(tx.setting("k").await.expect("get").as_deref(), Some("v"));
    drop(tx);
    store.close().await;
}

#[tokio::test]
async fn unknown_url_schemes_are_refused_without_echoing_the_url() {
    let err = Store::open("mysql://user:secret@host/db")
        .await
        .expect_err("refused");
    assert!(matches!(err, StoreError::Other(_)));
    assert!(!err.to_string().contains("secret"));
}

#[tokio::test]
async fn read_transactions_refuse_writes() {
    for db in TestDb::all().await {
        let mut tx = db.store().read().await.expect("begin read");
        let err = tx
            .put_setting("k", "v")
            .await
            .expect_err("write in read tx");
        assert!(
            matches!(&err, StoreError::Other(m) if m.contains("read() transaction")),
            "{}: {err:?}",
            db.label()
        );
        drop(tx);
        db.teardown().await;
    }
}

#[tokio::test]
async fn dropped_transactions_roll_back() {
    for db in TestDb::all().await {
        let mut tx = db.store().write().await.expect("begin");
        tx.put_setting("k", "v").await.expect("put");
        drop(tx);
        let mut tx = db.store().write().await.expect("begin");
        tx.put_setting("other", "x").await.expect("put");
        tx.rollback().await.expect("rollback");
        let mut tx = db.store().read().await.expect("begin read");
        assert_eq!(tx.setting("k").await.expect("get"), None, "{}", db.label());
        assert_eq!(
            tx.setting("other").await.expect("get"),
            None,
            "{}",
            db.label()
        );
        drop(tx);
        db.teardown().await;
    }
}

/// An installation made before alerts: its built-in readers of alerts get their grants
/// from the alerts migration (and its general manager the access-history grant), other
/// roles none, and every policy stays valid JSON.
#[tokio::test]
async fn the_alerts_migration_grants_alerts_to_existing_roles() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = dir.path().join("old-migrations");
    std::fs::create_dir(&old).expect("dir");
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    for name in [
        "20260101000000_initial.sql",
        "20260102000000_customer_counts.sql",
    ] {
        std::fs::copy(source.join(name), old.join(name)).expect("copy");
    }
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    let store = Store::open(&url).await.expect("open");
    store.close().await;
    let options =
        <sqlx::sqlite::SqliteConnectOptions as std::str::FromStr>::from_str(&url).expect("options");
    let pool = sqlx::SqlitePool::connect_with(options).await.expect("pool");
    sqlx::migrate::Migrator::new(old.as_path())
        .await
        .expect("old migrator")
        .run(&pool)
        .await
        .expect("old migrations");
    let policies = [
        (
            "auditor",
            r#"{"grants":[{"entity":"audit_log","action":"view","scope":"group","effect":"allow"}],"fields":[]}"#,
        ),
        (
            "general_manager",
            r#"{"grants":[{"entity":"customer","action":"view","scope":"store","effect":"allow"}],"fields":[]}"#,
        ),
        (
            "sales_consultant",
            r#"{"grants":[{"entity":"customer","action":"view","scope":"own","effect":"allow"}],"fields":[]}"#,
        ),
    ];
    for (i, (code, policy)) in policies.iter().enumerate() {
        sqlx::query(
            "INSERT INTO roles (id, code, name_zh, name_en, builtin, policy, updated_at) \
             VALUES ($1, $2, $2, $2, TRUE, $3, 0)",
        )
        .bind(format!("role-{i}"))
        .bind(code)
        .bind(policy)
        .execute(&pool)
        .await
        .expect("role");
    }
    pool.close().await;

    let store = Store::open(&url).await.expect("reopen");
    store.migrate().await.expect("the alerts migration");
    store.migrate().await.expect("again, a no-op");
    let mut tx = store.read().await.expect("read");
    for (code, scope) in [
        ("auditor", Some("group")),
        ("general_manager", Some("store")),
        ("sales_consultant", None),
    ] {
        let role = tx.role_by_code(code).await.expect("query").expect("role");
        let json: serde_json::Value = serde_json::from_str(&role.policy).expect("valid JSON");
        let alert_grants: Vec<_> = json["grants"]
            .as_array()
            .expect("grants")
            .iter()
            .filter(|g| g["entity"] == "alert")
            .collect();
        match scope {
            Some(scope) => {
                assert_eq!(alert_grants.len(), 2, "{code}: view and edit");
                assert!(alert_grants.iter().all(|g| g["scope"] == scope), "{code}");
            }
            None => assert!(alert_grants.is_empty(), "{code}"),
        }
    }
    for (code, grants) in [
        ("general_manager", 1),
        ("auditor", 0),
        ("sales_consultant", 0),
    ] {
        let role = tx.role_by_code(code).await.expect("query").expect("role");
        let json: serde_json::Value = serde_json::from_str(&role.policy).expect("valid JSON");
        let history = json["grants"]
            .as_array()
            .expect("grants")
            .iter()
            .filter(|g| g["entity"] == "customer" && g["action"] == "history")
            .count();
        assert_eq!(history, grants, "{code}: the access-history grant");
    }
    let rules = tx.alert_rules().await.expect("rules");
    // Nine from the alerts migration, `frequent_exports` from the exports one,
    // `access_review_overdue` from the access reviews one.
    assert_eq!(rules.len(), 11, "every rule kind seeded");
    drop(tx);
    store.close().await;
}
