//! The site settings (pages and API) and the per-person language, on every backend:
//! each setting is validated and audited by name and takes effect — the reveal quota on
//! the next reveal, the password policy on the next change, the session timeouts from
//! the next sign-in — and a person's language follows them to another browser.

mod common;

use axum::http::{header, StatusCode};
use common::{on_every_backend, TestApp};
use serde_json::json;

async fn put_settings(
    t: &TestApp,
    token: &str,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    let (status, json, _) = t.with_json_put("/api/v1/settings", Some(token), body).await;
    (status, json)
}

#[tokio::test]
async fn settings_are_validated_audited_and_applied() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let admin = t.login("admin").await;
        let (status, before, _) = t.get("/api/v1/settings", Some(&admin)).await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {before}");
        assert_eq!(before["session_idle_minutes"], 30);
        assert_eq!(before["id_number_mask"], "1+2");

        // Every bad value is named; nothing is changed.
        let (status, body) = put_settings(
            &t,
            &admin,
            json!({"reveal_daily_quota": -1, "session_idle_minutes": 1, "id_number_mask": "9+9", "password_min_classes": 3}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}] {body}");
        let fields: Vec<_> = body["error"]["fields"].as_array().expect("fields").iter().map(|f| f["field"].as_str().unwrap_or("").to_string()).collect();
        assert_eq!(fields, ["reveal_daily_quota", "session_idle_minutes", "id_number_mask"], "[{backend}]");
        let (_, unchanged, _) = t.get("/api/v1/settings", Some(&admin)).await;
        assert_eq!(unchanged, before, "[{backend}]");

        // A valid change: mask 6+4, quota 1, three kinds of characters.
        let (status, after) = put_settings(
            &t,
            &admin,
            json!({"reveal_daily_quota": 1, "id_number_mask": "6+4", "password_min_classes": 3}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {after}");

        // The mask applies on the next request.
        let sales = t.login("sales01").await;
        let first = t.first_customer(&sales).await;
        let id = first["id"].as_str().expect("id").to_string();
        let (_, detail, _) = t.get(&format!("/api/v1/customers/{id}"), Some(&sales)).await;
        if let Some(masked) = detail["id_number"].as_str() {
            assert_eq!(masked.chars().filter(|c| *c != '*').count(), 10, "[{backend}] {masked}");
        }
        // The quota: one reveal, then none.
        let reveal = json!({"field": "mobile", "reason": "电话回访"});
        let (status, _, _) = t.post(&format!("/api/v1/customers/{id}/reveal"), Some(&sales), reveal.clone()).await;
        assert_eq!(status, StatusCode::OK, "[{backend}]");
        let (status, _, _) = t.post(&format!("/api/v1/customers/{id}/reveal"), Some(&sales), reveal).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "[{backend}]");
        // The password policy: two kinds are no longer enough.
        let (status, body, _) = t
            .post(
                "/api/v1/auth/password",
                Some(&sales),
                json!({"current_password": dealervault_demo::DEMO_PASSWORD, "new_password": "only lower case"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}] {body}");
        assert_eq!(body["error"]["fields"][0]["rule"], "too_few_kinds", "[{backend}] {body}");

        // Audited by setting name, never by value.
        let auditor = t.login("auditor").await;
        let (_, log, raw) = t.get("/api/v1/audit?action=settings.edit", Some(&auditor)).await;
        let items = log["items"].as_array().expect("items");
        assert_eq!(items.len(), 1, "[{backend}] {log}");
        assert_eq!(items[0]["fields"], json!(["reveal.daily_quota", "password.min_classes", "mask.id_number"]));
        assert!(!String::from_utf8_lossy(&raw).contains("6+4"), "[{backend}]");

        // Other roles may not read or change the settings.
        for username in ["gm01", "auditor"] {
            let token = t.login(username).await;
            let (status, _, _) = t.get("/api/v1/settings", Some(&token)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "[{backend}] {username}");
            let mut b = t.browser();
            b.login(username).await;
            assert_eq!(b.get("/admin/settings").await.status, StatusCode::FORBIDDEN, "[{backend}] {username}");
        }
        t
    })
    .await;
}

#[tokio::test]
async fn the_settings_page_names_bad_values_and_needs_its_token() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let mut b = t.browser();
        b.login("admin").await;
        let page = b.get("/admin/settings").await;
        assert_eq!(page.status, StatusCode::OK, "[{backend}]");
        let csrf = page.csrf();
        let form = |idle: &'static str| {
            vec![
                ("reveal_daily_quota", "20"),
                ("id_number_mask", "1+2"),
                ("session_idle_minutes", idle),
                ("session_absolute_hours", "12"),
                ("password_min_chars", "12"),
                ("password_min_classes", "2"),
            ]
        };
        let mut bad = form("soon");
        bad.push(("csrf", &csrf));
        let refused = b.post("/admin/settings", &bad).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{backend}]"
        );
        assert!(refused.body.contains("s-idle-error"), "[{backend}]");
        assert!(
            refused.body.contains("value=\"soon\""),
            "[{backend}] what was typed stays"
        );
        let forged = b.post("/admin/settings", &form("45")).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "[{backend}]");
        let mut good = form("45");
        good.push(("csrf", &csrf));
        let saved = b.post("/admin/settings", &good).await;
        assert_eq!(
            saved.status,
            StatusCode::SEE_OTHER,
            "[{backend}] {}",
            saved.body
        );
        let token = t.login("admin").await;
        let (_, now, _) = t.get("/api/v1/settings", Some(&token)).await;
        assert_eq!(now["session_idle_minutes"], 45, "[{backend}]");
        assert_eq!(now["password_min_chars"], 12, "[{backend}]");
        // The form sent all six; the log names the four that changed (the test
        // organisation's quota is the demo's 50).
        let auditor = t.login("auditor").await;
        let (_, log, _) = t
            .get("/api/v1/audit?action=settings.edit", Some(&auditor))
            .await;
        assert_eq!(
            log["items"][0]["fields"],
            json!([
                "reveal.daily_quota",
                "session.idle_minutes",
                "password.min_chars",
                "password.min_classes"
            ]),
            "[{backend}] {log}"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn a_persons_language_follows_them_to_another_browser() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let mut first = t.browser();
        first.login("sales01").await;
        let switched = first.get("/lang/en?next=/").await;
        assert_eq!(switched.status, StatusCode::SEE_OTHER, "[{backend}]");
        assert!(
            first.get("/").await.body.contains("<html lang=\"en\">"),
            "[{backend}]"
        );

        // A new browser, no language cookie yet: signing in brings English back.
        let mut second = t.browser();
        let login = second.login("sales01").await;
        let cookies: Vec<_> = login
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        assert!(
            cookies.iter().any(|c| c.starts_with("lang=en")),
            "[{backend}] {cookies:?}"
        );
        assert!(
            second.get("/").await.body.contains("<html lang=\"en\">"),
            "[{backend}]"
        );

        // Someone else is not affected.
        let mut other = t.browser();
        other.login("sales02").await;
        assert!(
            other.get("/").await.body.contains("<html lang=\"zh-CN\">"),
            "[{backend}]"
        );
        t
    })
    .await;
}
