//! Anomaly alerts and honeytokens end to end on every backend: activity through the API,
//! `evaluate_alerts` over the log, the readers' inbox and its scopes, the actions taken
//! on the subject, signed delivery to a webhook, and delivery by e-mail (SMTP).

mod common;

use axum::http::StatusCode;
use common::alerts::{
    about, add_customers, alerts_of, append_event, expected_signature, plant, set_rule,
    smtp_server, webhook_receiver,
};
use common::world::MISSING_ID;
use common::{assert_error_shape, on_every_backend, TestApp};
use serde_json::json;
use std::time::Duration;

const SECRET: &str = "correct-horse-battery-staple";

/// Pages through every customer of the caller, 100 at a time.
async fn page_through(t: &TestApp, token: &str) -> usize {
    let mut seen = 0;
    for page in 1.. {
        let (status, json, _) = t
            .get(
                &format!("/api/v1/customers?per_page=100&page={page}"),
                Some(token),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{}] {json}", t.backend());
        let n = json["items"].as_array().map_or(0, Vec::len);
        seen += n;
        if n < 100 {
            break;
        }
    }
    seen
}

#[tokio::test]
async fn bulk_viewing_and_a_honeytoken_raise_alerts_delivered_signed_to_the_webhook() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let admin = t.login("admin").await;
        let (url, received) = webhook_receiver(vec![500], 4);
        let (status, json, _) = t
            .with_json_put(
                "/api/v1/alert-webhook",
                Some(&admin),
                json!({"url": url, "secret": SECRET}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {json}");
        assert_eq!(json, json!({"url": url, "secret_set": true}), "[{backend}]");
        // Kept sealed: the database alone does not give the secret away.
        let stored = stored_setting(&t, "alerts.webhook_secret").await;
        assert!(!stored.contains(SECRET), "[{backend}] sealed at rest");

        // sales01 pages through 300+ customers: past bulk_view's default of 200 an hour.
        add_customers(&t, "sales01", 1_000, 300).await;
        let sales01 = t.login("sales01").await;
        assert!(page_through(&t, &sales01).await >= 300, "[{backend}]");
        let raised = t.app.evaluate_alerts().await.expect("evaluate");
        assert!(raised >= 1, "[{backend}] raised {raised}");
        let gm = t.login("gm01").await;
        let alerts = alerts_of(&t, &gm).await;
        let bulk = about(&alerts, "bulk_view", "sales01");
        assert_eq!(bulk.len(), 1, "[{backend}] {alerts:?}");
        assert!(
            bulk[0]["summary"]["count"].as_i64() >= Some(300),
            "[{backend}]"
        );
        assert_eq!(bulk[0]["summary"]["threshold"], 200, "[{backend}]");
        assert_eq!(bulk[0]["severity"], "warning", "[{backend}]");
        assert_eq!(bulk[0]["store"], "SH01", "[{backend}]");
        // Nothing more to raise: the cursor moved, and an open alert is not raised twice.
        page_through(&t, &sales01).await;
        t.app.evaluate_alerts().await.expect("evaluate");
        let alerts = alerts_of(&t, &gm).await;
        assert_eq!(
            about(&alerts, "bulk_view", "sales01").len(),
            1,
            "[{backend}]"
        );

        // A honeytoken owned by sales02: in its list it raises nothing...
        let decoy = plant(&t, &admin, "SH01", "sales02").await;
        let sales02 = t.login("sales02").await;
        let (_, list, _) = t
            .get("/api/v1/customers?per_page=100", Some(&sales02))
            .await;
        assert!(
            list["items"]
                .as_array()
                .is_some_and(|items| items.iter().any(|c| c["id"] == decoy.as_str())),
            "[{backend}] the decoy is an ordinary customer of its owner"
        );
        t.app.evaluate_alerts().await.expect("evaluate");
        assert!(
            about(&alerts_of(&t, &gm).await, "honeytoken", "sales02").is_empty(),
            "[{backend}] list appearances do not count"
        );
        // ...opening it raises a critical alert at the next evaluation.
        let (status, _, _) = t
            .get(&format!("/api/v1/customers/{decoy}"), Some(&sales02))
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}]");
        assert_eq!(
            t.app.evaluate_alerts().await.expect("evaluate"),
            1,
            "[{backend}]"
        );
        let alerts = alerts_of(&t, &gm).await;
        let honey = about(&alerts, "honeytoken", "sales02");
        assert_eq!(honey.len(), 1, "[{backend}] {alerts:?}");
        assert_eq!(honey[0]["severity"], "critical", "[{backend}]");
        // The manager learns who opened a decoy, not which customer it is; the auditor
        // learns both.
        assert_eq!(honey[0]["record_ids"], json!([]), "[{backend}]");
        let auditor = t.login("auditor").await;
        let seen = alerts_of(&t, &auditor).await;
        let honey_seen = about(&seen, "honeytoken", "sales02");
        assert_eq!(honey_seen[0]["record_ids"], json!([decoy]), "[{backend}]");

        // Delivery: the first attempt is refused (500) and kept for a retry...
        assert_eq!(
            t.app.deliver_alerts().await.expect("deliver"),
            1,
            "[{backend}]"
        );
        let mut tx = t.app.store().write().await.expect("write");
        let bulk_id = bulk[0]["id"].as_str().expect("id").to_string();
        let failed: Vec<_> = [bulk_id.as_str(), honey[0]["id"].as_str().expect("id")]
            .iter()
            .map(|id| (*id).to_string())
            .collect();
        let mut pending = 0;
        for id in &failed {
            for d in tx.deliveries_of(id).await.expect("deliveries") {
                if d.delivered_at.is_none() {
                    pending += 1;
                    assert_eq!(d.attempts, 1, "[{backend}]");
                    assert_eq!(d.last_error.as_deref(), Some("HTTP 500"), "[{backend}]");
                }
            }
        }
        assert_eq!(pending, 1, "[{backend}]");
        // ...and delivered once due again.
        tx.execute_for_test(
            "UPDATE alert_deliveries SET next_attempt_at = 0 WHERE delivered_at IS NULL",
        )
        .await
        .expect("due now");
        tx.commit().await.expect("commit");
        assert_eq!(
            t.app.deliver_alerts().await.expect("deliver"),
            1,
            "[{backend}]"
        );
        assert_eq!(
            t.app.deliver_alerts().await.expect("deliver"),
            0,
            "[{backend}]"
        );

        let mut kinds = vec![];
        for _ in 0..3 {
            let r = received
                .recv_timeout(Duration::from_secs(10))
                .expect("a delivery");
            assert_eq!(
                r.signature,
                expected_signature(SECRET, &r.timestamp, &r.body),
                "[{backend}] the HMAC signature"
            );
            assert_ne!(
                r.signature,
                expected_signature("another-secret-entirely", &r.timestamp, &r.body)
            );
            let body = r.json();
            for key in [
                "id",
                "kind",
                "severity",
                "subject",
                "store",
                "created_at",
                "summary",
            ] {
                assert!(body.get(key).is_some(), "[{backend}] {key} in {body}");
            }
            kinds.push((
                body["kind"].as_str().unwrap_or_default().to_string(),
                body["subject"].clone(),
            ));
        }
        kinds.sort_by(|a, b| a.0.cmp(&b.0));
        assert!(
            kinds
                .iter()
                .any(|(k, s)| k == "bulk_view" && s == "sales01"),
            "[{backend}] {kinds:?}"
        );
        assert!(
            kinds
                .iter()
                .any(|(k, s)| k == "honeytoken" && s == "sales02"),
            "[{backend}] {kinds:?}"
        );

        // The secret is never shown back; the administrator lists decoys without data.
        let (_, hook, body) = t.get("/api/v1/alert-webhook", Some(&admin)).await;
        assert_eq!(hook["secret_set"], true, "[{backend}]");
        assert!(
            !String::from_utf8_lossy(&body).contains(SECRET),
            "[{backend}]"
        );
        let (status, list, _) = t.get("/api/v1/honeytokens", Some(&admin)).await;
        assert_eq!(status, StatusCode::OK, "[{backend}]");
        let item = &list["items"][0];
        assert_eq!(item["customer_id"], decoy.as_str(), "[{backend}]");
        assert_eq!(item["store"], "SH01", "[{backend}]");
        assert_eq!(item["owner"], "sales02", "[{backend}]");
        let mut keys: Vec<_> = item.as_object().expect("object").keys().cloned().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "customer_id",
                "owner",
                "planted_at",
                "planted_by",
                "retired_at",
                "store"
            ],
            "[{backend}] no customer field"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn only_managers_and_the_auditor_read_alerts_each_within_scope() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let admin = t.login("admin").await;
        let sh01 = plant(&t, &admin, "SH01", "sales01").await;
        let sh02 = plant(&t, &admin, "SH02", "sales11").await;
        for (user, id) in [("sales01", &sh01), ("sales11", &sh02)] {
            let token = t.login(user).await;
            let (status, _, _) = t
                .get(&format!("/api/v1/customers/{id}"), Some(&token))
                .await;
            assert_eq!(status, StatusCode::OK, "[{backend}] {user}");
        }
        assert_eq!(
            t.app.evaluate_alerts().await.expect("evaluate"),
            2,
            "[{backend}]"
        );

        for user in ["sales01", "service01", "admin"] {
            let token = t.login(user).await;
            let (status, json, _) = t.get("/api/v1/alerts", Some(&token)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "[{backend}] {user}");
            assert_eq!(assert_error_shape(backend, status, &json), "forbidden");
        }
        let auditor = t.login("auditor").await;
        let all = alerts_of(&t, &auditor).await;
        assert_eq!(about(&all, "honeytoken", "sales01").len(), 1, "[{backend}]");
        assert_eq!(about(&all, "honeytoken", "sales11").len(), 1, "[{backend}]");
        let sh02_alert = about(&all, "honeytoken", "sales11")[0]["id"]
            .as_str()
            .expect("id")
            .to_string();

        let gm = t.login("gm01").await;
        let mine = alerts_of(&t, &gm).await;
        assert_eq!(
            about(&mine, "honeytoken", "sales01").len(),
            1,
            "[{backend}]"
        );
        assert!(
            about(&mine, "honeytoken", "sales11").is_empty(),
            "[{backend}] {mine:?}"
        );
        let (status, json, _) = t
            .get(&format!("/api/v1/alerts/{sh02_alert}"), Some(&gm))
            .await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "[{backend}] out of scope is missing"
        );
        let (_, missing, _) = t
            .get(&format!("/api/v1/alerts/{MISSING_ID}"), Some(&gm))
            .await;
        assert_eq!(json, missing, "[{backend}] the same body");
        let mgr = t.login("salesmgr01").await;
        let dept = alerts_of(&t, &mgr).await;
        assert_eq!(
            about(&dept, "honeytoken", "sales01").len(),
            1,
            "[{backend}]"
        );
        assert!(
            about(&dept, "honeytoken", "sales11").is_empty(),
            "[{backend}]"
        );

        // Acknowledge with a comment, then comment again; both are recorded.
        let id = about(&mine, "honeytoken", "sales01")[0]["id"]
            .as_str()
            .expect("id")
            .to_string();
        let (status, json, _) = t
            .post(
                &format!("/api/v1/alerts/{id}/acknowledge"),
                Some(&gm),
                json!({"comment": "已与销售顾问核实"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {json}");
        assert_eq!(json["alert"]["status"], "acknowledged", "[{backend}]");
        assert_eq!(json["alert"]["acknowledged_by"], "gm01", "[{backend}]");
        assert_eq!(
            json["comments"][0]["body"], "已与销售顾问核实",
            "[{backend}]"
        );
        let (status, json, _) = t
            .post(
                &format!("/api/v1/alerts/{id}/acknowledge"),
                Some(&gm),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "[{backend}]");
        assert_eq!(
            assert_error_shape(backend, status, &json),
            "already_acknowledged"
        );
        let (status, json, _) = t
            .post(
                &format!("/api/v1/alerts/{id}/comments"),
                Some(&mgr),
                json!({"comment": "收到"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {json}");
        assert_eq!(
            json["comments"].as_array().map(Vec::len),
            Some(2),
            "[{backend}]"
        );
        let (status, json, _) = t
            .post(
                &format!("/api/v1/alerts/{id}/comments"),
                Some(&mgr),
                json!({"comment": "  "}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}]");
        assert_eq!(
            json["error"]["fields"][0]["field"], "comment",
            "[{backend}]"
        );
        let (status, _, _) = t
            .post(
                &format!("/api/v1/alerts/{sh02_alert}/comments"),
                Some(&gm),
                json!({"comment": "x"}),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "[{backend}]");

        let (_, log, _) = t
            .get(&format!("/api/v1/audit?customer_id={id}"), Some(&auditor))
            .await;
        let actions: Vec<&str> = log["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|e| e["action"].as_str())
            .collect();
        for expected in [
            "alert.raise",
            "alert.acknowledge",
            "alert.comment",
            "alert.list",
        ] {
            assert!(
                actions.contains(&expected),
                "[{backend}] {expected} in {actions:?}"
            );
        }
        t
    })
    .await;
}

#[tokio::test]
async fn require_relogin_and_freeze_revoke_the_live_token() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let admin = t.login("admin").await;
        set_rule(
            &t,
            &admin,
            json!({"kind": "honeytoken", "action": "require_relogin"}),
        )
        .await;
        let decoy = plant(&t, &admin, "SH01", "sales02").await;
        let sales02 = t.login("sales02").await;
        t.get(&format!("/api/v1/customers/{decoy}"), Some(&sales02))
            .await;
        t.app.evaluate_alerts().await.expect("evaluate");
        let (status, _, _) = t.get("/api/v1/me", Some(&sales02)).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "[{backend}] the session ended"
        );
        let again = t.login("sales02").await;
        assert_eq!(t.get("/api/v1/me", Some(&again)).await.0, StatusCode::OK);

        set_rule(
            &t,
            &admin,
            json!({"kind": "honeytoken", "action": "freeze"}),
        )
        .await;
        let decoy = plant(&t, &admin, "SH01", "sales03").await;
        let sales03 = t.login("sales03").await;
        t.get(&format!("/api/v1/customers/{decoy}"), Some(&sales03))
            .await;
        t.app.evaluate_alerts().await.expect("evaluate");
        let (status, _, _) = t.get("/api/v1/customers", Some(&sales03)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "[{backend}]");
        let (status, json, _) = t
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": "sales03", "password": dealervault_demo::DEMO_PASSWORD}),
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "[{backend}]");
        assert_eq!(json["error"]["code"], "account_disabled", "[{backend}]");
        let gm = t.login("gm01").await;
        let alerts = alerts_of(&t, &gm).await;
        assert_eq!(
            about(&alerts, "honeytoken", "sales03")[0]["action_taken"],
            "freeze"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn every_other_rule_kind_raises_on_its_own_evidence() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let admin = t.login("admin").await;
        let auditor = t.login("auditor").await;
        let now = t.app.clock().now_ms();
        let id = t.first_customer(&t.login("sales01").await).await["id"]
            .as_str()
            .expect("id")
            .to_string();

        // refused_attempts: probing records that are not yours (10 by default).
        let sales01 = t.login("sales01").await;
        for _ in 0..10 {
            let (status, _, _) = t
                .get(&format!("/api/v1/customers/{MISSING_ID}"), Some(&sales01))
                .await;
            assert_eq!(status, StatusCode::NOT_FOUND);
        }
        // failed_logins: ten wrong passwords for one account.
        for _ in 0..10 {
            t.post(
                "/api/v1/auth/login",
                None,
                json!({"username": "sales03", "password": "wrong-password"}),
            )
            .await;
        }
        // notice_period: any access by someone whose last day is ahead.
        let mut tx = t.app.store().write().await.expect("write");
        let sales02 = dealervault_domain::ids::UserId::from_stored(t.user_id("sales02"));
        tx.set_user_leaving_on(&sales02, Some("2999-12-31"))
            .await
            .expect("leaving");
        tx.commit().await.expect("commit");
        let token02 = t.login("sales02").await;
        t.get("/api/v1/customers", Some(&token02)).await;
        // large_export: a synthetic export event of five records against a threshold of 5.
        set_rule(&t, &admin, json!({"kind": "large_export", "threshold": 5})).await;
        let ids: Vec<String> = (0..5).map(|_| uuid_like()).collect();
        append_event(
            &t,
            "salesmgr01",
            "customer.export",
            ids[..4].to_vec(),
            now,
            None,
        )
        .await;
        append_event(&t, "gm01", "customer.export", ids.clone(), now, None).await;
        // outside_network: SH01 works from 10.0.0.0/8; a view from elsewhere.
        let (status, json, _) = t
            .with_json_put(
                "/api/v1/alert-stores/SH01",
                Some(&admin),
                json!({"open": "00:00", "close": "24:00", "networks": ["10.0.0.0/8"]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {json}");
        append_event(
            &t,
            "sales01",
            "customer.view",
            vec![id.clone()],
            now,
            Some("10.2.3.4"),
        )
        .await;
        append_event(
            &t,
            "sales02",
            "customer.view",
            vec![id.clone()],
            now,
            Some("203.0.113.9"),
        )
        .await;
        // off_hours: SH02 keeps 08:00–21:00; a view at 03:00 Shanghai time.
        set_rule(&t, &admin, json!({"kind": "off_hours", "threshold": 1})).await;
        let three_am = 1_767_553_200_000; // 2026-01-04T19:00Z = 2026-01-05 03:00 +08:00
        append_event(
            &t,
            "sales11",
            "customer.view",
            vec![id.clone()],
            three_am,
            None,
        )
        .await;
        // bulk_reveal: set low and reveal twice.
        set_rule(&t, &admin, json!({"kind": "bulk_reveal", "threshold": 2})).await;
        for _ in 0..2 {
            append_event(
                &t,
                "sales01",
                "customer.reveal",
                vec![id.clone()],
                now,
                None,
            )
            .await;
        }

        t.app.evaluate_alerts().await.expect("evaluate");
        let all = alerts_of(&t, &auditor).await;
        for (kind, who) in [
            ("refused_attempts", "sales01"),
            ("failed_logins", "sales03"),
            ("notice_period", "sales02"),
            ("large_export", "gm01"),
            ("outside_network", "sales02"),
            ("off_hours", "sales11"),
            ("bulk_reveal", "sales01"),
        ] {
            assert_eq!(
                about(&all, kind, who).len(),
                1,
                "[{backend}] {kind} {who}: {all:?}"
            );
        }
        for (kind, who) in [
            ("large_export", "salesmgr01"),
            ("outside_network", "sales01"),
            ("notice_period", "sales01"),
            ("off_hours", "sales01"),
        ] {
            assert!(
                about(&all, kind, who).is_empty(),
                "[{backend}] no {kind} for {who}"
            );
        }

        // Bad rule input is a 422 naming the field.
        let (status, json, _) = t
            .with_json_put(
                "/api/v1/alert-rules",
                Some(&admin),
                json!({"items": [{"kind": "bulk_view", "severity": "apocalyptic"}]}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}]");
        assert_eq!(
            json["error"]["fields"][0]["field"], "severity",
            "[{backend}]"
        );
        let (status, json, _) = t
            .with_json_put(
                "/api/v1/alert-webhook",
                Some(&admin),
                json!({"url": "ftp://x", "secret": SECRET}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}]");
        assert_eq!(json["error"]["fields"][0]["field"], "url", "[{backend}]");
        let gm = t.login("gm01").await;
        let (status, _, _) = t.get("/api/v1/alert-rules", Some(&gm)).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "[{backend}] rules are the administrator's"
        );
        let (status, _, _) = t
            .post(
                "/api/v1/honeytokens",
                Some(&gm),
                json!({"store": "SH01", "owner": "sales01"}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{backend}]");
        t
    })
    .await;
}

/// A random well-formed id (for synthetic export events).
fn uuid_like() -> String {
    dealervault_domain::ids::CustomerId::generate().to_string()
}

#[tokio::test]
async fn two_engines_over_one_log_raise_each_alert_once() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let admin = t.login("admin").await;
        let decoy = plant(&t, &admin, "SH01", "sales01").await;
        let sales01 = t.login("sales01").await;
        t.get(&format!("/api/v1/customers/{decoy}"), Some(&sales01))
            .await;
        // Two servers (or a server and a restarted one) evaluate the same events at once.
        let second = t.app.clone();
        let (a, b) = tokio::join!(t.app.evaluate_alerts(), second.evaluate_alerts());
        let (a, b) = (a.expect("first"), b.expect("second"));
        assert_eq!(a + b, 1, "[{backend}] raised {a} + {b}");
        assert_eq!(
            t.app.evaluate_alerts().await.expect("again"),
            0,
            "[{backend}]"
        );
        let auditor = t.login("auditor").await;
        let all = alerts_of(&t, &auditor).await;
        assert_eq!(about(&all, "honeytoken", "sales01").len(), 1, "[{backend}]");
        // A retired honeytoken no longer alerts.
        let (status, _, _) = t
            .post(
                &format!("/api/v1/honeytokens/{decoy}/retire"),
                Some(&admin),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "[{backend}]");
        let other = t.login("gm01").await;
        t.get(&format!("/api/v1/customers/{decoy}"), Some(&other))
            .await;
        t.app.evaluate_alerts().await.expect("evaluate");
        let all = alerts_of(&t, &auditor).await;
        assert!(about(&all, "honeytoken", "gm01").is_empty(), "[{backend}]");
        t
    })
    .await;
}

const SMTP_PASSWORD: &str = "Smtp-Pass-9f3b2c71";

/// The decoy's identifying values, opened with the vault (never through a use case).
async fn decoy_values(t: &TestApp, decoy: &str) -> Vec<String> {
    use dealervault_domain::catalog::{fields, Entity};
    use dealervault_domain::ids::CustomerId;
    let sealed = {
        let mut tx = t.app.store().read().await.expect("read");
        tx.sealed_customer_unscoped(&CustomerId::from_stored(decoy.to_string()))
            .await
            .expect("query")
            .expect("the decoy")
    };
    let names: Vec<String> = fields(Entity::Customer)
        .iter()
        .map(|f| f.name.to_string())
        .collect();
    let c = t
        .app
        .vault()
        .open_customer(&sealed, &names)
        .expect("open")
        .expect("a data key");
    let mut values = vec![decoy.to_string(), c.name, c.mobile];
    values.extend(
        [c.id_number, c.email, c.address, c.wechat, c.birth_date]
            .into_iter()
            .flatten(),
    );
    values.retain(|v| v.chars().count() >= 2);
    assert!(values.len() >= 4, "{values:?}");
    values
}

#[tokio::test]
async fn a_honeytoken_alert_is_mailed_without_customer_data_and_retried() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let admin = t.login("admin").await;
        // The first session is refused (451): the delivery stays queued and is retried.
        let (port, mails) = smtp_server(1, 4);
        let (status, json, _) = t
            .with_json_put(
                "/api/v1/alert-email",
                Some(&admin),
                json!({
                    "host": "127.0.0.1",
                    "port": port,
                    "security": "none",
                    "from": "dealervault@example.com",
                    "recipients": "security@example.com,\nGM@example.com",
                    "min_severity": "critical",
                    "lang": "zh",
                }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {json}");
        assert_eq!(json["enabled"], true, "[{backend}]");
        assert_eq!(
            json["recipients"],
            json!(["security@example.com", "gm@example.com"]),
            "[{backend}]"
        );
        assert_eq!(json["password_set"], false, "[{backend}]");

        // A warning (below the minimum severity) is not mailed.
        set_rule(
            &t,
            &admin,
            json!({"kind": "refused_attempts", "threshold": 2, "severity": "warning"}),
        )
        .await;
        let sales01 = t.login("sales01").await;
        for _ in 0..2 {
            t.get(&format!("/api/v1/customers/{MISSING_ID}"), Some(&sales01))
                .await;
        }
        assert_eq!(t.app.evaluate_alerts().await.expect("evaluate"), 1);
        let gm = t.login("gm01").await;
        let refused = about(&alerts_of(&t, &gm).await, "refused_attempts", "sales01")
            .first()
            .map(|a| a["id"].as_str().expect("id").to_string())
            .expect("a refused_attempts alert");

        // The critical honeytoken alert is.
        let decoy = plant(&t, &admin, "SH01", "sales02").await;
        let sales02 = t.login("sales02").await;
        let (status, _, _) = t
            .get(&format!("/api/v1/customers/{decoy}"), Some(&sales02))
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}]");
        assert_eq!(t.app.evaluate_alerts().await.expect("evaluate"), 1);
        let honey = about(&alerts_of(&t, &gm).await, "honeytoken", "sales02")
            .first()
            .map(|a| a["id"].as_str().expect("id").to_string())
            .expect("a honeytoken alert");
        let mut tx = t.app.store().write().await.expect("write");
        assert!(
            tx.deliveries_of(&refused).await.expect("rows").is_empty(),
            "[{backend}] below the minimum severity"
        );
        let queued = tx.deliveries_of(&honey).await.expect("rows");
        assert_eq!(queued.len(), 1, "[{backend}]");
        assert_eq!(queued[0].channel, "email", "[{backend}]");
        tx.commit().await.expect("commit");

        // First attempt: refused by the server, kept with its error.
        assert_eq!(t.app.deliver_alerts().await.expect("deliver"), 0);
        let mut tx = t.app.store().write().await.expect("write");
        let row = tx.deliveries_of(&honey).await.expect("rows").remove(0);
        assert_eq!(row.attempts, 1, "[{backend}]");
        assert!(row.delivered_at.is_none(), "[{backend}]");
        let error = row.last_error.clone().expect("the last error");
        assert!(error.contains("451"), "[{backend}] {error}");
        assert!(row.next_attempt_at > t.app.clock().now_ms(), "[{backend}]");
        tx.execute_for_test(
            "UPDATE alert_deliveries SET next_attempt_at = 0 WHERE delivered_at IS NULL",
        )
        .await
        .expect("due now");
        tx.commit().await.expect("commit");
        // Second attempt: accepted.
        assert_eq!(t.app.deliver_alerts().await.expect("deliver"), 1);
        assert_eq!(t.app.deliver_alerts().await.expect("deliver"), 0);
        let mut tx = t.app.store().read().await.expect("read");
        let row = tx.deliveries_of(&honey).await.expect("rows").remove(0);
        assert_eq!(row.attempts, 2, "[{backend}]");
        assert!(row.delivered_at.is_some(), "[{backend}]");
        drop(tx);

        let mail = mails.recv_timeout(Duration::from_secs(10)).expect("a mail");
        assert_eq!(mail.from, "dealervault@example.com", "[{backend}]");
        let mut to = mail.recipients.clone();
        to.sort();
        assert_eq!(
            to,
            ["gm@example.com", "security@example.com"],
            "[{backend}]"
        );
        let subject = mail.subject();
        assert_eq!(
            subject, "[DealerVault 告警·严重] 诱饵客户被打开：sales02",
            "[{backend}] {}",
            mail.data
        );
        let body = mail.body();
        for expected in [
            format!("/alerts/{honey}"),
            "sales02（".to_string(),
            "SH01".to_string(),
            "Asia/Shanghai".to_string(),
            "阈值".to_string(),
        ] {
            assert!(body.contains(&expected), "[{backend}] {expected} in {body}");
        }
        for value in decoy_values(&t, &decoy).await {
            assert!(
                !mail.data.contains(&value) && !body.contains(&value) && !subject.contains(&value),
                "[{backend}] the mail shows a decoy value"
            );
        }
        assert!(
            mails.recv_timeout(Duration::from_millis(300)).is_err(),
            "[{backend}] one mail only"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn email_settings_are_validated_audited_and_keep_the_password_secret() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let admin = t.login("admin").await;
        let good = json!({
            "host": "smtp.example.com",
            "username": "mailer",
            "password": SMTP_PASSWORD,
            "from": "dealervault@example.com",
            "recipients": "security@example.com",
        });
        let (status, json, body) = t
            .with_json_put("/api/v1/alert-email", Some(&admin), good.clone())
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {json}");
        assert_eq!(json["port"], 587, "[{backend}] STARTTLS by default");
        assert_eq!(json["security"], "starttls", "[{backend}]");
        assert_eq!(json["min_severity"], "warning", "[{backend}]");
        assert_eq!(json["lang"], "zh", "[{backend}]");
        assert_eq!(json["password_set"], true, "[{backend}]");
        assert!(!String::from_utf8_lossy(&body).contains(SMTP_PASSWORD));
        let stored = stored_setting(&t, "alerts.email_password").await;
        assert!(
            !stored.contains(SMTP_PASSWORD),
            "[{backend}] sealed at rest"
        );
        // A blank password keeps the one set.
        let mut again = good.clone();
        again["password"] = json!("");
        again["lang"] = json!("en");
        let (status, json, _) = t
            .with_json_put("/api/v1/alert-email", Some(&admin), again)
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {json}");
        assert_eq!(json["password_set"], true, "[{backend}]");
        let (status, json, body) = t.get("/api/v1/alert-email", Some(&admin)).await;
        assert_eq!(status, StatusCode::OK, "[{backend}]");
        assert_eq!(json["lang"], "en", "[{backend}]");
        assert!(
            !String::from_utf8_lossy(&body).contains(SMTP_PASSWORD),
            "[{backend}] never shown back"
        );
        assert_eq!(
            stored_setting(&t, "alerts.email_password").await,
            stored,
            "[{backend}] kept as sealed before"
        );

        // Changes are audited by field name, never by value.
        let auditor = t.login("auditor").await;
        let (status, json, body) = t
            .get("/api/v1/audit?action=alert.configure", Some(&auditor))
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {json}");
        let text = String::from_utf8_lossy(&body);
        assert!(text.contains("email.password"), "[{backend}] {text}");
        assert!(text.contains("email.lang"), "[{backend}] {text}");
        assert!(!text.contains(SMTP_PASSWORD), "[{backend}]");

        let refused = [
            (
                json!({"recipients": "security@example.com, not-an-address"}),
                "recipients",
            ),
            (
                json!({"recipients": (0..21)
                    .map(|i| format!("r{i}@example.com"))
                    .collect::<Vec<_>>()
                    .join(",")}),
                "recipients",
            ),
            (json!({"security": "none"}), "security"),
            (json!({"security": "none", "host": "8.8.8.8"}), "security"),
            (json!({"from": "nobody"}), "from"),
            (json!({"port": 0}), "port"),
            (json!({"host": "smtp example.com"}), "host"),
            (json!({"min_severity": "loud"}), "min_severity"),
            (json!({"lang": "fr"}), "lang"),
        ];
        for (change, field) in refused {
            let mut body = good.clone();
            for (k, v) in change.as_object().expect("object") {
                body[k] = v.clone();
            }
            let (status, json, _) = t
                .with_json_put("/api/v1/alert-email", Some(&admin), body)
                .await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "[{backend}] {change}"
            );
            assert_eq!(
                assert_error_shape(backend, status, &json),
                "invalid_input",
                "[{backend}]"
            );
            assert_eq!(
                json["error"]["fields"][0]["field"], field,
                "[{backend}] {change}: {json}"
            );
            if field == "security" {
                assert_eq!(
                    json["error"]["fields"][0]["rule"], "private_network_only",
                    "[{backend}]"
                );
                let message = json["error"]["message"].as_str().unwrap_or_default();
                assert!(
                    message.contains("loopback or private-network host"),
                    "[{backend}] {message}"
                );
            }
        }
        // Plain SMTP to a private-network host is fine.
        let mut private = good.clone();
        private["host"] = json!("192.168.10.5");
        private["security"] = json!("none");
        let (status, json, _) = t
            .with_json_put("/api/v1/alert-email", Some(&admin), private)
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {json}");
        assert_eq!(json["port"], 25, "[{backend}]");

        // Only the administrator configures it.
        for who in ["gm01", "auditor", "sales01"] {
            let token = t.login(who).await;
            let (status, _, _) = t.get("/api/v1/alert-email", Some(&token)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "[{backend}] {who}");
            let (status, _, _) = t
                .with_json_put("/api/v1/alert-email", Some(&token), good.clone())
                .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "[{backend}] {who}");
        }

        // A blank host turns e-mail off and forgets the password.
        let (status, json, _) = t
            .with_json_put("/api/v1/alert-email", Some(&admin), json!({"host": ""}))
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {json}");
        assert_eq!(json["enabled"], false, "[{backend}]");
        assert_eq!(json["password_set"], false, "[{backend}]");
        t
    })
    .await;
}

/// A site setting as stored in the database.
async fn stored_setting(t: &TestApp, name: &str) -> String {
    let mut tx = t.app.store().read().await.expect("read");
    tx.setting(name).await.expect("setting").unwrap_or_default()
}
