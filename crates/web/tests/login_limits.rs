//! Lockout and rate limits as a client meets them: 429 in the SPEC error shape, with a
//! `Retry-After` and a message that says how long to wait.

mod common;

use axum::http::StatusCode;
use common::{assert_error_shape, on_every_backend};
use dealervault_app::AppConfig;
use dealervault_demo::DEMO_PASSWORD;
use serde_json::json;

#[tokio::test]
async fn repeated_wrong_passwords_lock_the_account_with_a_clear_answer() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let attempt = |password: &'static str| {
            let t = &t;
            async move {
                let body = json!({"username": "sales03", "password": password});
                let r = t
                    .raw(
                        axum::http::Method::POST,
                        "/api/v1/auth/login",
                        None,
                        Some("application/json"),
                        serde_json::to_vec(&body).expect("json"),
                    )
                    .await;
                (
                    r.status,
                    r.json.clone(),
                    r.header("retry-after").map(str::to_string),
                )
            }
        };
        let threshold = AppConfig::default().lockout_threshold;
        for _ in 1..threshold {
            assert_eq!(
                attempt("wrong-password").await.0,
                StatusCode::UNAUTHORIZED,
                "[{b}]"
            );
        }
        let (status, json, retry) = attempt("wrong-password").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "[{b}] {json}");
        assert_eq!(assert_error_shape(b, status, &json), "account_locked");
        assert!(
            json["error"]["message"]
                .as_str()
                .expect("message")
                .contains("15"),
            "[{b}] says how long: {json}"
        );
        assert!(
            retry.is_some_and(|s| s.parse::<u64>().is_ok_and(|n| n > 0)),
            "[{b}] Retry-After"
        );
        // Locked means locked: the right password does not open it either.
        let (status, json, _) = attempt(DEMO_PASSWORD).await;
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (StatusCode::TOO_MANY_REQUESTS, Some("account_locked")),
            "[{b}]"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn a_login_flood_on_one_account_answers_429() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let limit = AppConfig::default().login_attempts_per_account_per_minute;
        for _ in 0..limit {
            t.login("crm01").await;
        }
        let (status, json, _) = t
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": "crm01", "password": DEMO_PASSWORD}),
            )
            .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "[{b}] {json}");
        assert_eq!(assert_error_shape(b, status, &json), "rate_limited");
        t
    })
    .await;
}
