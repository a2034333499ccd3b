//! Staff leaving, through the API on every backend: the store manager freezes a
//! salesperson at once — the live token fails on its next request, sign-in is refused
//! with `account_frozen` — within their store only, never themselves; the administrator
//! freezes anyone. The departure-risk report's counts are the audit log's, against the
//! peers' average, for the store manager and the auditor only.

mod common;

use axum::http::StatusCode;
use common::{assert_error_shape, on_every_backend, TestApp};
use dealervault_demo::DEMO_PASSWORD;
use serde_json::{json, Value};

async fn freeze(t: &TestApp, token: &str, username: &str, reason: &str) -> (StatusCode, Value) {
    let path = format!("/api/v1/users/{}/freeze", t.user_id(username));
    let (status, json, _) = t.post(&path, Some(token), json!({"reason": reason})).await;
    (status, json)
}

#[tokio::test]
async fn a_frozen_account_loses_its_sessions_and_cannot_sign_in() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let gm01 = t.login("gm01").await;
        let sales02 = t.login("sales02").await;
        assert_eq!(
            t.get("/api/v1/customers", Some(&sales02)).await.0,
            StatusCode::OK
        );

        // Out of reach or not a manager: refused without a trace of the account.
        let sales01 = t.login("sales01").await;
        let (status, _) = freeze(&t, &sales01, "sales02", "离职").await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "[{b}] a consultant manages nobody"
        );
        let (status, _) = freeze(&t, &gm01, "sales11", "离职").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "[{b}] another store's staff");
        let (status, json) = freeze(&t, &gm01, "gm01", "测试").await;
        assert_eq!(
            assert_error_shape(b, status, &json),
            "cannot_freeze_self",
            "[{b}]"
        );
        let (status, json) = freeze(&t, &gm01, "sales02", "").await;
        assert_eq!(
            assert_error_shape(b, status, &json),
            "invalid_input",
            "[{b}]"
        );

        let (status, json) = freeze(&t, &gm01, "sales02", "即时解聘 dismissed").await;
        assert_eq!(
            (status, json["status"].as_str()),
            (StatusCode::OK, Some("frozen")),
            "[{b}] {json}"
        );
        let (status, json, _) = t.get("/api/v1/customers", Some(&sales02)).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "[{b}] the live token failed: {json}"
        );
        let body = json!({"username": "sales02", "password": DEMO_PASSWORD});
        let (status, json, _) = t.post("/api/v1/auth/login", None, body).await;
        assert_eq!(
            assert_error_shape(b, status, &json),
            "account_frozen",
            "[{b}]"
        );
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(
            json["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("frozen")),
            "[{b}] {json}"
        );

        // The administrator reaches every account, and the event says why.
        let admin = t.login("admin").await;
        let (status, json) = freeze(&t, &admin, "sales11", "账户安全 account security").await;
        assert_eq!(
            (status, json["status"].as_str()),
            (StatusCode::OK, Some("frozen")),
            "[{b}]"
        );
        let auditor = t.login("auditor").await;
        let (_, log, _) = t
            .get("/api/v1/audit?action=user.freeze", Some(&auditor))
            .await;
        let items = log["items"].as_array().expect("items");
        assert!(
            items
                .iter()
                .any(|e| e["outcome"] == "allowed" && e["reason"] == "即时解聘 dismissed"),
            "[{b}] {log}"
        );
        assert!(
            items.iter().any(|e| e["outcome"] == "denied"),
            "[{b}] refusals recorded"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn the_risk_report_counts_what_the_audit_log_holds() {
    on_every_backend(|t| async move {
        let b = t.backend();
        // sales01 opens two customers and reveals one mobile; sales02 opens one.
        let sales01 = t.login("sales01").await;
        let (_, page, _) = t.get("/api/v1/customers", Some(&sales01)).await;
        let ids: Vec<String> = page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|c| c["id"].as_str().expect("id").to_string())
            .collect();
        for id in &ids[..2] {
            assert_eq!(
                t.get(&format!("/api/v1/customers/{id}"), Some(&sales01))
                    .await
                    .0,
                StatusCode::OK
            );
        }
        let reveal = json!({"field": "mobile", "reason": "回访确认"});
        let (status, _, _) = t
            .post(
                &format!("/api/v1/customers/{}/reveal", ids[0]),
                Some(&sales01),
                reveal,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}]");
        let sales02 = t.login("sales02").await;
        let (_, theirs, _) = t.get("/api/v1/customers", Some(&sales02)).await;
        let one = theirs["items"][0]["id"].as_str().expect("id");
        assert_eq!(
            t.get(&format!("/api/v1/customers/{one}"), Some(&sales02))
                .await
                .0,
            StatusCode::OK
        );

        let gm01 = t.login("gm01").await;
        let path = format!("/api/v1/users/{}/risk-report", t.user_id("sales01"));
        let (status, report, _) = t.get(&path, Some(&gm01)).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {report}");
        assert_eq!(report["username"], "sales01");
        assert_eq!(
            report["peers"], 2,
            "[{b}] sales02 and sales03, SH01's other consultants"
        );
        let w30 = &report["windows"][0];
        assert_eq!(w30["days"], 30);
        assert_eq!(w30["person"]["views"], 2, "[{b}] {report}");
        assert_eq!(w30["person"]["reveals"], 1, "[{b}]");
        assert_eq!(
            w30["person"]["customers_seen"].as_u64(),
            Some(ids.len() as u64),
            "[{b}] the list showed them all"
        );
        assert_eq!(
            w30["peer_average"]["views"], 0.5,
            "[{b}] sales02's one view over two peers"
        );
        assert_eq!(report["windows"][1]["days"], 90);

        // The same counts from the auditor's own reading of the log.
        let auditor = t.login("auditor").await;
        let (_, views, _) = t
            .get(
                "/api/v1/audit?action=customer.view&actor=sales01",
                Some(&auditor),
            )
            .await;
        assert_eq!(
            views["items"].as_array().map(Vec::len),
            Some(2),
            "[{b}] {views}"
        );
        let (status, _, _) = t.get(&path, Some(&auditor)).await;
        assert_eq!(status, StatusCode::OK, "[{b}] the auditor reads it too");
        for who in ["sales02", "admin", "finance01"] {
            let token = t.login(who).await;
            let (status, _, _) = t.get(&path, Some(&token)).await;
            assert!(
                matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                "[{b}] {who}: {status}"
            );
        }
        let other_store = format!("/api/v1/users/{}/risk-report", t.user_id("sales11"));
        assert_eq!(
            t.get(&other_store, Some(&gm01)).await.0,
            StatusCode::NOT_FOUND,
            "[{b}]"
        );
        t
    })
    .await;
}
