//! Organisation, roles, users, sessions, settings and the reveal counter.

use crate::fixtures::{seed, store_row, user, T0};
use crate::testing::TestDb;
use dealervault_domain::ids::{RoleId, UserId};
use dealervault_store::{SessionRow, StoreError, UserRow};

#[tokio::test]
async fn organisation_round_trips() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let mut tx = db.store().read().await.expect("begin");
        assert_eq!(
            tx.stores().await.expect("stores"),
            vec![w.s1.clone(), w.s2.clone()]
        );
        assert_eq!(
            tx.store_by_code("S2").await.expect("by code"),
            Some(w.s2.clone())
        );
        assert_eq!(tx.store_by_code("S9").await.expect("by code"), None);
        let departments = tx.departments().await.expect("departments");
        assert_eq!(departments.len(), 3, "{}", db.label());
        for d in [&w.sales1, &w.service1, &w.sales2] {
            assert!(departments.contains(d), "{}", db.label());
        }
        let teams = tx.teams().await.expect("teams");
        assert_eq!(teams.len(), 3);
        for t in [&w.team_a, &w.team_b, &w.team_c] {
            assert!(teams.contains(t), "{}", db.label());
        }
        drop(tx);

        let mut tx = db.store().write().await.expect("begin");
        let err = tx
            .insert_store(&store_row("S1"))
            .await
            .expect_err("duplicate code");
        assert!(
            err.is_conflict_on("stores_code_key"),
            "{}: {err:?}",
            db.label()
        );
        drop(tx);
        db.teardown().await;
    }
}

#[tokio::test]
async fn roles_round_trip_and_policy_updates() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let mut tx = db.store().write().await.expect("begin");
        assert_eq!(tx.roles().await.expect("roles"), vec![w.role.clone()]);
        assert_eq!(
            tx.role_by_code("sales").await.expect("by code"),
            Some(w.role.clone())
        );
        assert_eq!(
            tx.role_by_id(&w.role.id).await.expect("by id"),
            Some(w.role.clone())
        );
        tx.update_role_policy(&w.role.id, r#"{"grants":["x"]}"#, T0 + 5)
            .await
            .expect("update");
        let role = tx
            .role_by_id(&w.role.id)
            .await
            .expect("by id")
            .expect("present");
        assert_eq!(
            (role.policy.as_str(), role.updated_at),
            (r#"{"grants":["x"]}"#, T0 + 5)
        );
        assert!(role.builtin);
        let missing = tx.update_role_policy(&RoleId::generate(), "{}", T0).await;
        assert!(
            matches!(missing, Err(StoreError::Other(_))),
            "{}",
            db.label()
        );
        tx.commit().await.expect("commit");
        db.teardown().await;
    }
}

#[tokio::test]
async fn users_round_trip_and_change() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        let mut tx = db.store().write().await.expect("begin");
        assert_eq!(
            tx.user_by_username("alice").await.expect("get"),
            Some(w.alice.clone()),
            "{label}"
        );
        assert_eq!(
            tx.user_by_id(&w.root.id).await.expect("get"),
            Some(w.root.clone()),
            "{label}"
        );
        assert_eq!(tx.user_by_username("nobody").await.expect("get"), None);
        assert_eq!(tx.users().await.expect("users").len(), 6);

        let err = tx
            .insert_user(&user("alice", &w.role, None, None))
            .await
            .expect_err("dup");
        assert!(err.is_conflict_on("users_username_key"), "{label}: {err:?}");
        let same_id = UserRow {
            username: "bob2".into(),
            ..w.bob.clone()
        };
        let err = tx.insert_user(&same_id).await.expect_err("dup id");
        assert!(err.is_conflict_on("users_pkey"), "{label}: {err:?}");
        let still_usable = tx
            .user_by_username("alice")
            .await
            .expect("usable after a conflict");
        assert_eq!(still_usable, Some(w.alice.clone()), "{label}");
        drop(tx);

        let mut tx = db.store().write().await.expect("begin");
        let other_role = crate::fixtures::role("manager");
        tx.insert_role(&other_role).await.expect("role");
        tx.set_user_status(&w.alice.id, "frozen", T0 + 1)
            .await
            .expect("status");
        tx.set_user_role(&w.alice.id, &other_role.id, T0 + 2)
            .await
            .expect("role");
        tx.set_user_position(
            &w.alice.id,
            Some(&w.s2.id),
            Some(&w.sales2.id),
            Some(&w.team_c.id),
            T0 + 3,
        )
        .await
        .expect("position");
        tx.set_password(&w.alice.id, "$argon2id$new", true, T0 + 4)
            .await
            .expect("password");
        tx.record_login_failure(&w.alice.id, 3, Some(T0 + 60_000))
            .await
            .expect("failure");
        let alice = tx
            .user_by_id(&w.alice.id)
            .await
            .expect("get")
            .expect("present");
        assert_eq!(alice.status, "frozen");
        assert_eq!(alice.role_id, other_role.id);
        assert_eq!(alice.store_id.as_ref(), Some(&w.s2.id));
        assert_eq!(alice.department_id.as_ref(), Some(&w.sales2.id));
        assert_eq!(alice.team_id.as_ref(), Some(&w.team_c.id));
        assert_eq!(alice.password_hash, "$argon2id$new");
        assert!(alice.must_change_password);
        assert_eq!(
            (alice.failed_logins, alice.locked_until),
            (3, Some(T0 + 60_000))
        );
        assert_eq!(
            alice.updated_at,
            T0 + 4,
            "{label}: a login failure is not an edit"
        );
        tx.clear_login_failures(&w.alice.id).await.expect("clear");
        tx.set_user_position(&w.alice.id, None, None, None, T0 + 5)
            .await
            .expect("position");
        let alice = tx
            .user_by_id(&w.alice.id)
            .await
            .expect("get")
            .expect("present");
        assert_eq!((alice.failed_logins, alice.locked_until), (0, None));
        assert_eq!(
            (alice.store_id, alice.department_id, alice.team_id),
            (None, None, None)
        );

        let missing = tx.set_user_status(&UserId::generate(), "active", T0).await;
        assert!(matches!(missing, Err(StoreError::Other(_))), "{label}");

        let names = tx
            .user_display_names(&[w.bob.id.clone(), w.erin.id.clone(), UserId::generate()])
            .await
            .expect("names");
        assert_eq!(names.len(), 2);
        assert_eq!(
            names.get(&w.bob.id).map(String::as_str),
            Some("bob display")
        );
        assert!(tx.user_display_names(&[]).await.expect("names").is_empty());
        tx.commit().await.expect("commit");
        db.teardown().await;
    }
}

#[test]
fn user_debug_hides_the_password_hash_and_name() {
    let role = crate::fixtures::role("r");
    let u = user("alice", &role, None, None);
    let shown = format!("{u:?}");
    assert!(!shown.contains("argon2"), "{shown}");
    assert!(!shown.contains("display"), "{shown}");
}

fn session(token_hash: &str, user: &UserId, kind: &str) -> SessionRow {
    SessionRow {
        token_hash: token_hash.into(),
        user_id: user.clone(),
        kind: kind.into(),
        csrf_token: (kind == "web").then(|| format!("csrf-{token_hash}")),
        created_at: T0,
        last_seen_at: T0,
        expires_at: T0 + 3_600_000,
        idle_timeout_ms: 1_800_000,
        mfa_enrol_by: None,
    }
}

#[tokio::test]
async fn sessions_round_trip() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        let mut tx = db.store().write().await.expect("begin");
        let web = session("h1", &w.alice.id, "web");
        tx.insert_session(&web).await.expect("insert");
        tx.insert_session(&session("h2", &w.alice.id, "api"))
            .await
            .expect("insert");
        tx.insert_session(&session("h3", &w.bob.id, "web"))
            .await
            .expect("insert");
        assert_eq!(
            tx.session("h1").await.expect("get"),
            Some(web.clone()),
            "{label}"
        );
        assert_eq!(tx.session("nope").await.expect("get"), None);
        assert!(
            !format!("{web:?}").contains("csrf"),
            "Debug hides the CSRF token"
        );

        tx.touch_session("h1", T0 + 10).await.expect("touch");
        tx.touch_session("gone", T0 + 10)
            .await
            .expect("touching a missing session is fine");
        let touched = tx.session("h1").await.expect("get").expect("present");
        assert_eq!(touched.last_seen_at, T0 + 10);

        let err = tx
            .insert_session(&session("h4", &w.bob.id, "ftp"))
            .await
            .expect_err("bad kind");
        assert!(matches!(err, StoreError::Other(_)), "{label}: {err:?}");
        drop(tx);

        let mut tx = db.store().write().await.expect("begin");
        tx.insert_session(&session("h1", &w.alice.id, "web"))
            .await
            .expect("insert");
        tx.insert_session(&session("h2", &w.alice.id, "api"))
            .await
            .expect("insert");
        tx.insert_session(&session("h3", &w.bob.id, "web"))
            .await
            .expect("insert");
        tx.delete_session("h3").await.expect("delete");
        assert_eq!(tx.session("h3").await.expect("get"), None);
        assert_eq!(
            tx.delete_user_sessions(&w.alice.id)
                .await
                .expect("delete all"),
            2,
            "{label}"
        );
        assert_eq!(
            tx.delete_user_sessions(&w.alice.id)
                .await
                .expect("delete all"),
            0
        );
        tx.commit().await.expect("commit");
        db.teardown().await;
    }
}

#[tokio::test]
async fn settings_and_reveal_counter() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        let mut tx = db.store().write().await.expect("begin");
        assert_eq!(tx.setting("theme").await.expect("get"), None);
        tx.put_setting("theme", "light").await.expect("put");
        tx.put_setting("theme", "dark").await.expect("overwrite");
        assert_eq!(
            tx.setting("theme").await.expect("get").as_deref(),
            Some("dark"),
            "{label}"
        );
        tx.put_setting("lang", "zh").await.expect("put");
        let some = tx
            .settings(&["theme", "lang", "unset"])
            .await
            .expect("several");
        assert_eq!(some.len(), 2, "{label}: only those set");
        assert_eq!(
            some.get("theme").map(String::as_str),
            Some("dark"),
            "{label}"
        );
        assert_eq!(some.get("lang").map(String::as_str), Some("zh"), "{label}");

        assert_eq!(
            tx.reveal_count(&w.alice.id, "2026-01-01")
                .await
                .expect("count"),
            0
        );
        for _ in 0..3 {
            tx.add_reveal(&w.alice.id, "2026-01-01").await.expect("add");
        }
        tx.add_reveal(&w.alice.id, "2026-01-02").await.expect("add");
        tx.add_reveal(&w.bob.id, "2026-01-01").await.expect("add");
        tx.commit().await.expect("commit");

        let mut tx = db.store().read().await.expect("begin");
        assert_eq!(
            tx.reveal_count(&w.alice.id, "2026-01-01")
                .await
                .expect("count"),
            3,
            "{label}"
        );
        assert_eq!(
            tx.reveal_count(&w.alice.id, "2026-01-02")
                .await
                .expect("count"),
            1
        );
        assert_eq!(
            tx.reveal_count(&w.bob.id, "2026-01-01")
                .await
                .expect("count"),
            1
        );
        drop(tx);
        db.teardown().await;
    }
}
