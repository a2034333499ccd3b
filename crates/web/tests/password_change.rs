//! An account on a one-time password (as `init` creates the administrator) can do
//! nothing but change it; the change checks the old password, refuses weak new ones and
//! ends the account's other sessions.

mod common;

use axum::http::StatusCode;
use common::{on_every_backend, TestApp};
use dealervault_app::auth::hash_password_blocking;
use dealervault_app::setup::{add_user, Account, Place};
use dealervault_app::Clock;
use secrecy::SecretString;
use serde_json::json;

const ONE_TIME: &str = "Tmp-7hQk2mX9wR";

/// A salesperson of SH01 who has not yet chosen a password.
async fn newcomer(t: &TestApp) {
    let hash = hash_password_blocking(&SecretString::from(ONE_TIME.to_string())).expect("hash");
    let mut tx = t.app.store().write().await.expect("write");
    let sales01 = tx
        .user_by_username("sales01")
        .await
        .expect("query")
        .expect("sales01");
    let place = Place {
        store_id: sales01.store_id,
        department_id: sales01.department_id,
        team_id: sales01.team_id,
    };
    let account = Account {
        username: "newcomer",
        display_name: "新同事",
        role_code: "sales_consultant",
        place,
    };
    add_user(&mut tx, &Clock::system(), &account, &hash, true)
        .await
        .expect("add");
    tx.commit().await.expect("commit");
}

async fn login(t: &TestApp, password: &str) -> (StatusCode, serde_json::Value) {
    let (status, json, _) = t
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "newcomer", "password": password}),
        )
        .await;
    (status, json)
}

#[tokio::test]
async fn a_one_time_password_must_be_changed_before_anything_else() {
    on_every_backend(|t| async move {
        let b = t.backend();
        newcomer(&t).await;
        let (status, first) = login(&t, ONE_TIME).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {first}");
        assert_eq!(first["must_change_password"], true, "[{b}]");
        let token = first["token"].as_str().expect("token").to_string();
        let other = login(&t, ONE_TIME).await.1["token"]
            .as_str()
            .expect("token")
            .to_string();

        let (status, json, _) = t.get("/api/v1/customers", Some(&token)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] {json}");
        assert_eq!(json["error"]["code"], "password_change_required", "[{b}]");
        assert_eq!(
            t.get("/api/v1/me", Some(&token)).await.0,
            StatusCode::OK,
            "[{b}] me stays open"
        );

        let change =
            |current: &str, new: &str| json!({"current_password": current, "new_password": new});
        let cases = [
            (change("wrong", "A-good-new-passphrase"), "current_password"),
            (change(ONE_TIME, "short"), "new_password"),
            (change(ONE_TIME, ONE_TIME), "new_password"),
            (change(ONE_TIME, "i-am-newcomer-2026"), "new_password"),
        ];
        for (body, field) in cases {
            let (status, json, _) = t.post("/api/v1/auth/password", Some(&token), body).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");
            assert_eq!(json["error"]["fields"][0]["field"], field, "[{b}] {json}");
            assert!(
                !json.to_string().contains(ONE_TIME),
                "[{b}] the password is never echoed"
            );
        }

        let (status, json, _) = t
            .post(
                "/api/v1/auth/password",
                Some(&token),
                change(ONE_TIME, "A-good-new-passphrase"),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "[{b}] {json}");
        assert_eq!(
            t.get("/api/v1/customers", Some(&token)).await.0,
            StatusCode::OK,
            "[{b}] free to work"
        );
        assert_eq!(
            t.get("/api/v1/me", Some(&other)).await.0,
            StatusCode::UNAUTHORIZED,
            "[{b}] other sessions end"
        );
        assert_eq!(
            login(&t, ONE_TIME).await.0,
            StatusCode::UNAUTHORIZED,
            "[{b}] the old password is gone"
        );
        let (status, again) = login(&t, "A-good-new-passphrase").await;
        assert_eq!(status, StatusCode::OK, "[{b}]");
        assert_eq!(again["must_change_password"], false, "[{b}]");
        t
    })
    .await;
}
