//! Sessions against the real store on every backend: revocation, role changes, idle and
//! absolute timeouts, lockout and rate limits.

use dealervault_app::auth::SessionKind;
use dealervault_app::users::AccountChange;
use dealervault_app::{App, AppConfig, AppError, Clock, KeyPaths, RequestContext, Vault};
use dealervault_demo::{seed_organisation, DemoOrg, DEMO_PASSWORD};
use dealervault_domain::catalog::Entity;
use dealervault_policy::Action;
use dealervault_store::testing::TestDb;
use secrecy::SecretString;
use std::sync::Arc;

const START: i64 = 1_780_000_000_000;
const MINUTE: i64 = 60_000;

/// The app with the demo organisation; the key directory lives as long as the test.
async fn harness(db: &TestDb) -> (App, DemoOrg, tempfile::TempDir) {
    let clock = Clock::manual(START);
    let keys = tempfile::tempdir().expect("key dir");
    let vault = Vault::create(
        &KeyPaths::for_master_key(keys.path().join("master.key")),
        None,
    )
    .expect("keys");
    let org = seed_organisation(db.store(), &clock, &vault)
        .await
        .expect("seed");
    (
        App::new(
            db.store().clone(),
            Arc::new(vault),
            clock,
            AppConfig::default(),
        ),
        org,
        keys,
    )
}

async fn login(app: &App, username: &str) -> Result<String, AppError> {
    let pw = SecretString::from(DEMO_PASSWORD.to_string());
    app.login(username, &pw, SessionKind::Api, RequestContext::default())
        .await
        .map(|o| o.token)
}

async fn auth(app: &App, token: &str) -> Result<dealervault_app::Actor, AppError> {
    app.authenticate(token, RequestContext::default()).await
}

#[tokio::test]
async fn disabling_an_account_ends_its_live_session_at_once() {
    for db in TestDb::all().await {
        let (app, org, _keys) = harness(&db).await;
        let token = login(&app, "sales01").await.expect("login");
        assert!(auth(&app, &token).await.is_ok());
        let admin = auth(&app, &login(&app, "admin").await.expect("admin"))
            .await
            .expect("admin");
        let sales01 = org.user("sales01").expect("sales01").to_string();
        app.change_account(&admin, &sales01, &[AccountChange::Disable])
            .await
            .expect("disable");
        let err = auth(&app, &token).await.expect_err("revoked");
        assert!(
            matches!(err, AppError::Unauthenticated | AppError::AccountDisabled),
            "{}: {err:?}",
            db.label()
        );
        assert!(
            matches!(login(&app, "sales01").await, Err(AppError::AccountDisabled)),
            "{}",
            db.label()
        );
        db.teardown().await;
    }
}

#[tokio::test]
async fn a_role_change_applies_on_the_next_request() {
    for db in TestDb::all().await {
        let (app, org, _keys) = harness(&db).await;
        let token = login(&app, "sales01").await.expect("login");
        assert!(auth(&app, &token)
            .await
            .expect("actor")
            .may(Entity::Customer, Action::View));
        let admin = auth(&app, &login(&app, "admin").await.expect("admin"))
            .await
            .expect("admin");
        let sales01 = org.user("sales01").expect("sales01").to_string();
        app.change_account(&admin, &sales01, &[AccountChange::Role("auditor".into())])
            .await
            .expect("re-role");
        let actor = auth(&app, &token).await.expect("still logged in");
        assert!(!actor.may(Entity::Customer, Action::View), "{}", db.label());
        assert!(actor.may(Entity::AuditLog, Action::View), "{}", db.label());
        db.teardown().await;
    }
}

#[tokio::test]
async fn idle_and_absolute_timeouts_end_sessions() {
    for db in TestDb::all().await {
        let (app, _, _keys) = harness(&db).await;
        let idle = login(&app, "sales01").await.expect("login");
        app.clock().advance_ms(29 * MINUTE);
        assert!(
            auth(&app, &idle).await.is_ok(),
            "{}: used within 30 minutes",
            db.label()
        );
        app.clock().advance_ms(31 * MINUTE);
        assert!(
            matches!(auth(&app, &idle).await, Err(AppError::SessionExpired)),
            "{}",
            db.label()
        );
        assert!(
            matches!(auth(&app, &idle).await, Err(AppError::Unauthenticated)),
            "{}: gone for good",
            db.label()
        );

        let busy = login(&app, "sales02").await.expect("login");
        for _ in 0..(12 * 60 / 20 - 1) {
            app.clock().advance_ms(20 * MINUTE);
            assert!(
                auth(&app, &busy).await.is_ok(),
                "{}: kept alive by use",
                db.label()
            );
        }
        app.clock().advance_ms(20 * MINUTE);
        assert!(
            matches!(auth(&app, &busy).await, Err(AppError::SessionExpired)),
            "{}: 12 h absolute",
            db.label()
        );
        db.teardown().await;
    }
}

#[tokio::test]
async fn changed_timeouts_apply_from_the_next_sign_in() {
    for db in TestDb::all().await {
        let (app, _, _keys) = harness(&db).await;
        let before = login(&app, "sales01").await.expect("login");
        let admin = auth(&app, &login(&app, "admin").await.expect("login"))
            .await
            .expect("admin");
        let update = dealervault_app::settings::SettingsUpdate {
            session_idle_minutes: Some(10),
            session_absolute_hours: Some(1),
            ..Default::default()
        };
        app.update_settings(&admin, &update).await.expect("saved");
        let after = login(&app, "sales02").await.expect("login");
        app.clock().advance_ms(15 * MINUTE);
        assert!(
            auth(&app, &before).await.is_ok(),
            "{}: a session keeps the timeout it began with",
            db.label()
        );
        assert!(
            matches!(auth(&app, &after).await, Err(AppError::SessionExpired)),
            "{}: 10 minutes idle",
            db.label()
        );
        let busy = login(&app, "sales03").await.expect("login");
        // Six uses nine minutes apart (54 minutes), then the hour is up.
        for _ in 0..6 {
            app.clock().advance_ms(9 * MINUTE);
            assert!(auth(&app, &busy).await.is_ok(), "{}", db.label());
        }
        app.clock().advance_ms(9 * MINUTE);
        assert!(
            matches!(auth(&app, &busy).await, Err(AppError::SessionExpired)),
            "{}: one hour at most",
            db.label()
        );
        db.teardown().await;
    }
}

#[tokio::test]
async fn repeated_failures_lock_the_account_with_a_clear_answer() {
    for db in TestDb::all().await {
        let (app, _, _keys) = harness(&db).await;
        let wrong = SecretString::from("not-the-password".to_string());
        let ctx = RequestContext::default();
        for attempt in 1..=4 {
            let r = app
                .login("sales03", &wrong, SessionKind::Api, ctx.clone())
                .await;
            assert!(
                matches!(r, Err(AppError::BadCredentials)),
                "{} attempt {attempt}",
                db.label()
            );
        }
        let fifth = app
            .login("sales03", &wrong, SessionKind::Api, ctx.clone())
            .await;
        assert!(
            matches!(fifth, Err(AppError::AccountLocked { .. })),
            "{}",
            db.label()
        );
        // Locked: even the right password is refused until the lock runs out.
        assert!(
            matches!(
                login(&app, "sales03").await,
                Err(AppError::AccountLocked { .. })
            ),
            "{}",
            db.label()
        );
        app.clock().advance_ms(16 * MINUTE);
        assert!(
            login(&app, "sales03").await.is_ok(),
            "{}: unlocked after 15 minutes",
            db.label()
        );
        db.teardown().await;
    }
}

#[tokio::test]
async fn too_many_attempts_per_account_are_rate_limited() {
    for db in TestDb::all().await {
        let (app, _, _keys) = harness(&db).await;
        let limit = AppConfig::default().login_attempts_per_account_per_minute;
        for _ in 0..limit {
            login(&app, "crm01").await.expect("within the limit");
        }
        assert!(
            matches!(login(&app, "crm01").await, Err(AppError::RateLimited)),
            "{}",
            db.label()
        );
        // Other accounts are not affected.
        assert!(login(&app, "finance01").await.is_ok(), "{}", db.label());
        db.teardown().await;
    }
}

#[tokio::test]
async fn logout_ends_the_session() {
    for db in TestDb::all().await {
        let (app, _, _keys) = harness(&db).await;
        let token = login(&app, "gm01").await.expect("login");
        let actor = auth(&app, &token).await.expect("actor");
        app.logout(&actor).await.expect("logout");
        assert!(
            matches!(auth(&app, &token).await, Err(AppError::Unauthenticated)),
            "{}",
            db.label()
        );
        db.teardown().await;
    }
}
