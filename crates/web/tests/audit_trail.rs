//! Every movement leaves a trace: what the audit log records for each action, that it
//! holds no personal data, that only the auditor reads it, and that an action whose
//! audit event cannot be written does not happen (fail closed).

mod common;

use axum::http::StatusCode;
use common::{on_every_backend, TestApp};
use dealervault_app::Backend;
use serde_json::{json, Value};

/// Makes every audit append fail, or mends it again.
async fn audit_down(t: &TestApp, down: bool) {
    let sql = match (t.app.store().backend(), down) {
        (Backend::Sqlite, true) => "CREATE TRIGGER audit_down BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit down'); END;",
        (Backend::Sqlite, false) => "DROP TRIGGER audit_down;",
        (Backend::Postgres, true) => {
            "CREATE FUNCTION audit_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit down'; END $$;
             CREATE TRIGGER audit_down BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_down();"
        }
        (Backend::Postgres, false) => "DROP TRIGGER audit_down ON audit_log; DROP FUNCTION audit_down();",
    };
    let mut tx = t.app.store().write().await.expect("write");
    tx.execute_for_test(sql).await.expect("sabotage");
    tx.commit().await.expect("commit");
}

async fn audit(t: &TestApp, query: &str) -> Vec<Value> {
    let token = t.login("auditor").await;
    let (status, json, _) = t.get(&format!("/api/v1/audit?{query}"), Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "[{}] {json}", t.backend());
    json["items"].as_array().expect("items").clone()
}

#[tokio::test]
async fn an_action_whose_audit_event_cannot_be_written_does_not_happen() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let token = t.login("sales01").await;
        let before = t.customer_total(&token).await;
        let some = t.first_customer(&token).await["id"]
            .as_str()
            .expect("id")
            .to_string();
        audit_down(&t, true).await;

        let (status, json, _) = t.get("/api/v1/customers", Some(&token)).await;
        assert_eq!(
            status,
            StatusCode::SERVICE_UNAVAILABLE,
            "[{b}] list: {json}"
        );
        assert!(
            json.get("items").is_none(),
            "[{b}] no data without a trace: {json}"
        );
        let (status, json, _) = t
            .get(&format!("/api/v1/customers/{some}"), Some(&token))
            .await;
        assert_eq!(
            status,
            StatusCode::SERVICE_UNAVAILABLE,
            "[{b}] detail: {json}"
        );
        let reveal = json!({"field": "mobile", "reason": "回访确认"});
        let (status, json, _) = t
            .post(
                &format!("/api/v1/customers/{some}/reveal"),
                Some(&token),
                reveal,
            )
            .await;
        assert_eq!(
            status,
            StatusCode::SERVICE_UNAVAILABLE,
            "[{b}] reveal: {json}"
        );
        assert!(json.get("value").is_none(), "[{b}] {json}");
        let fresh = t.fresh_customer(1);
        let (status, json, _) = t
            .post(
                "/api/v1/customers",
                Some(&token),
                json!({"name": fresh.name, "mobile": fresh.mobile}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::SERVICE_UNAVAILABLE,
            "[{b}] create: {json}"
        );
        assert_eq!(json["error"]["code"], "audit_unavailable", "[{b}]");

        audit_down(&t, false).await;
        assert_eq!(
            t.customer_total(&token).await,
            before,
            "[{b}] the create left nothing behind"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn each_movement_is_recorded_with_ids_and_field_names_only() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let token = t.login("sales01").await;
        let (_, list, _) = t.get("/api/v1/customers", Some(&token)).await;
        let listed: Vec<Value> = list["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|c| c["id"].clone())
            .collect();
        let first = list["items"][0].clone();
        let id = first["id"].as_str().expect("id").to_string();
        t.get(&format!("/api/v1/customers/{id}"), Some(&token))
            .await;
        let (status, _, _) = t
            .post(
                &format!("/api/v1/customers/{id}/reveal"),
                Some(&token),
                json!({"field": "mobile", "reason": "回访确认"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}]");
        let (status, _, _) = t
            .patch(
                &format!("/api/v1/customers/{id}"),
                Some(&token),
                json!({"notes": "周六到店试驾"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}]");
        // A refused attempt on a colleague's customer in another store.
        let other = t.first_customer(&t.login("sales11").await).await["id"]
            .as_str()
            .expect("id")
            .to_string();
        let (status, _, _) = t
            .get(&format!("/api/v1/customers/{other}"), Some(&token))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "[{b}]");
        let (status, _, _) = t
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": "sales01", "password": "wrong password"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "[{b}]");

        let events = audit(&t, "actor=sales01&limit=50").await;
        let find = |action: &str, outcome: &str| {
            events
                .iter()
                .find(|e| e["action"] == action && e["outcome"] == outcome)
                .unwrap_or_else(|| panic!("[{b}] no {outcome} {action} in {events:#?}"))
                .clone()
        };
        assert_eq!(
            find("customer.list", "allowed")["record_ids"]
                .as_array()
                .expect("ids"),
            &listed,
            "[{b}] which records were listed"
        );
        assert_eq!(
            find("customer.view", "allowed")["record_ids"][0],
            id.as_str(),
            "[{b}]"
        );
        let reveal = find("customer.reveal", "allowed");
        assert_eq!(reveal["fields"], json!(["mobile"]), "[{b}]");
        assert_eq!(reveal["reason"], "回访确认", "[{b}]");
        assert_eq!(
            find("customer.edit", "allowed")["fields"],
            json!(["notes"]),
            "[{b}]"
        );
        assert_eq!(
            find("customer.view", "denied")["record_ids"][0],
            other.as_str(),
            "[{b}] probing is recorded"
        );
        find("auth.login", "allowed");
        find("auth.login", "failed");

        // Who looked at this customer: the access history by customer id.
        let history = audit(&t, &format!("customer_id={id}")).await;
        assert!(
            history.iter().any(|e| e["action"] == "customer.reveal"),
            "[{b}] {history:#?}"
        );

        // Names, mobiles, ID numbers and notes never enter the log.
        let all = serde_json::to_string(&audit(&t, "limit=1000").await).expect("json");
        for field in ["name", "mobile", "id_number", "email", "address", "wechat"] {
            let value = first[field].as_str().unwrap_or_default().replace('*', "");
            if value.chars().count() > 4 {
                assert!(
                    !all.contains(&value),
                    "[{b}] {field} leaked into the audit log"
                );
            }
        }
        let (_, revealed, _) = t
            .post(
                &format!("/api/v1/customers/{id}/reveal"),
                Some(&token),
                json!({"field": "mobile", "reason": "回访确认"}),
            )
            .await;
        let mobile = revealed["value"].as_str().expect("mobile");
        let all = serde_json::to_string(&audit(&t, "limit=1000").await).expect("json");
        assert!(
            !all.contains(mobile) && !all.contains("周六到店试驾"),
            "[{b}] personal data in the audit log"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn only_the_auditor_reads_the_log() {
    on_every_backend(|t| async move {
        for username in ["sales01", "gm01", "admin"] {
            let token = t.login(username).await;
            let (status, json, _) = t.get("/api/v1/audit", Some(&token)).await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "[{}] {username}: {json}",
                t.backend()
            );
        }
        t
    })
    .await;
}

#[tokio::test]
async fn a_reason_carrying_a_contact_number_is_refused_before_it_reaches_the_log() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let token = t.login("sales01").await;
        let id = t.first_customer(&token).await["id"]
            .as_str()
            .expect("id")
            .to_string();
        let reason = "客户 138 1234 5678 要求回电";
        let (status, json, _) = t
            .post(
                &format!("/api/v1/customers/{id}/reveal"),
                Some(&token),
                json!({"field": "mobile", "reason": reason}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");
        assert_eq!(
            json["error"]["fields"][0]["field"], "reason",
            "[{b}] {json}"
        );
        assert_eq!(
            json["error"]["fields"][0]["rule"], "holds_personal_data",
            "[{b}] {json}"
        );
        assert!(json.get("value").is_none(), "[{b}]");
        let log = serde_json::to_string(&audit(&t, "limit=1000").await).expect("json");
        assert!(
            !log.contains("5678"),
            "[{b}] the number never reached the log"
        );
        t
    })
    .await;
}
