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
            (status, json["account"]["status"].as_str()),
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
        let path = format!("/api/v1/users/{}/freeze", t.user_id("sales11"));
        let to = |who: &str| json!({"reason": "账户安全 account security", "handover": {"rule": "to_user", "to_user_id": t.user_id(who)}});
        let (status, json, _) = t.post(&path, Some(&admin), to("sales11")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] not to themselves: {json}");
        let (status, json, _) = t.post(&path, Some(&admin), to("gm01")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] not to another store: {json}");
        // SH02 has no other consultant: the default rule finds nobody, nothing is frozen.
        let (status, json) = freeze(&t, &admin, "sales11", "账户安全 account security").await;
        assert_eq!(assert_error_shape(b, status, &json), "no_colleague_to_hand_over_to", "[{b}]");
        let sales11 = t.login("sales11").await;
        assert_eq!(t.get("/api/v1/customers", Some(&sales11)).await.0, StatusCode::OK, "[{b}] still active");
        // To a named colleague of the same store: the administrator freezes the manager.
        let path = format!("/api/v1/users/{}/freeze", t.user_id("salesmgr01"));
        let (status, json, _) = t.post(&path, Some(&admin), to("gm01")).await;
        assert_eq!(
            (status, json["account"]["status"].as_str()),
            (StatusCode::OK, Some("frozen")),
            "[{b}] {json}"
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

/// The owner ids of the customers `token` sees, by customer id.
async fn owners(t: &TestApp, token: &str) -> Vec<(String, String)> {
    let (status, page, _) = t.get("/api/v1/customers?per_page=100", Some(token)).await;
    assert_eq!(status, StatusCode::OK, "[{}] {page}", t.backend());
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap_or_default().to_string(),
                c["owner_id"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_frozen_person_s_book_goes_to_colleagues_and_the_ledger_shows_it() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let sales02_id = t.user_id("sales02");
        let sales01_id = t.user_id("sales01");
        // An open lead of sales02's with a planned call.
        let sales02 = t.login("sales02").await;
        let lead =
            json!({"name": "交接线索", "mobile": t.fresh_customer(1).mobile, "source": "walk_in"});
        let (status, created, _) = t
            .post("/api/v1/leads?assign=me", Some(&sales02), lead)
            .await;
        assert_eq!(status, StatusCode::CREATED, "[{b}] {created}");
        let lead_id = created["id"].as_str().expect("id").to_string();
        let due = (t.app.clock().local_now().date() + time::Duration::days(2)).to_string();
        let call = json!({"kind": "call", "due_at": format!("{due}T10:00"), "next_step": "报价"});
        let (status, json, _) = t
            .post(
                &format!("/api/v1/leads/{lead_id}/follow-ups"),
                Some(&sales02),
                call,
            )
            .await;
        assert!(status.is_success(), "[{b}] {json}");

        let gm01 = t.login("gm01").await;
        let before = owners(&t, &gm01).await;
        let theirs: Vec<&String> = before
            .iter()
            .filter(|(_, o)| *o == sales02_id)
            .map(|(c, _)| c)
            .collect();
        assert!(!theirs.is_empty(), "[{b}] sales02 owns customers");
        // Default rule: round-robin over the team's consultants — sales01 alone in 销售一组.
        let (status, json) = freeze(&t, &gm01, "sales02", "即时解聘 dismissed").await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        assert_eq!(
            json["handed_over"]["customers"].as_u64(),
            Some(theirs.len() as u64),
            "[{b}] {json}"
        );
        assert_eq!(json["handed_over"]["leads"], 1, "[{b}]");
        assert!(
            json["handed_over"]["follow_ups"].as_u64() >= Some(1),
            "[{b}]"
        );

        let after = owners(&t, &gm01).await;
        assert!(
            after.iter().all(|(_, o)| *o != sales02_id),
            "[{b}] no customer left with the frozen owner"
        );
        for id in &theirs {
            assert!(
                after.iter().any(|(c, o)| c == *id && *o == sales01_id),
                "[{b}] {id} went to sales01"
            );
        }
        let (_, lead, _) = t
            .get(&format!("/api/v1/leads/{lead_id}"), Some(&gm01))
            .await;
        assert_eq!(
            lead["lead"]["owner_id"],
            sales01_id.as_str(),
            "[{b}] {lead}"
        );
        let sales01 = t.login("sales01").await;
        let (_, tasks, _) = t.get("/api/v1/follow-ups?when=open", Some(&sales01)).await;
        assert!(
            tasks.to_string().contains(&lead_id),
            "[{b}] the planned call went with the lead"
        );

        let (status, ledger, _) = t
            .get(
                &format!("/api/v1/customers/{}/ownership", theirs[0]),
                Some(&gm01),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {ledger}");
        let spells = ledger.as_array().expect("spells");
        assert_eq!(spells.len(), 2, "[{b}] {ledger}");
        assert_eq!(
            (spells[0]["owner_id"].as_str(), spells[0]["reason"].as_str()),
            (Some(sales02_id.as_str()), Some("created")),
            "[{b}]"
        );
        assert!(spells[0]["until"].is_i64(), "[{b}] the first spell ended");
        assert_eq!(
            (spells[1]["owner_id"].as_str(), spells[1]["reason"].as_str()),
            (Some(sales01_id.as_str()), Some("handed_over")),
            "[{b}]"
        );
        assert_eq!(
            spells[1]["changed_by_name"], "周建国",
            "[{b}] the store manager did it"
        );
        assert!(spells[1]["until"].is_null(), "[{b}]");
        // Out of scope, the ledger is as missing as the customer.
        let sales03 = t.login("sales03").await;
        let (status, _, _) = t
            .get(
                &format!("/api/v1/customers/{}/ownership", theirs[0]),
                Some(&sales03),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "[{b}]");
        t
    })
    .await;
}

#[tokio::test]
async fn a_resignation_freezes_the_account_at_closing_time_on_the_last_day() {
    for db in dealervault_store::testing::TestDb::all().await {
        // 10:00 in the stores' zone (UTC+8) today.
        let now = dealervault_app::Clock::system().now_ms();
        let day_start = (now + 8 * 3_600_000) / 86_400_000 * 86_400_000 - 8 * 3_600_000;
        let clock = dealervault_app::Clock::manual(day_start + 10 * 3_600_000);
        let t = TestApp::spawn_with_clock(db, clock.clone()).await;
        let b = t.backend();
        let today = t.app.clock().local_now().date();
        let gm01 = t.login("gm01").await;
        let path = format!("/api/v1/users/{}/resignation", t.user_id("sales02"));
        let to_sales01 = json!({"rule": "to_user", "to_user_id": t.user_id("sales01")});

        let refused = [
            (
                json!({"last_day": (today - time::Duration::days(1)).to_string(), "handover": to_sales01}),
                "last_day",
            ),
            (
                json!({"last_day": "someday", "handover": to_sales01}),
                "last_day",
            ),
            (
                json!({"last_day": today.to_string(), "handover": {"rule": "to_user", "to_user_id": t.user_id("sales11")}}),
                "handover.to_user_id",
            ),
        ];
        for (body, field) in refused {
            let (status, json, _) = t.post(&path, Some(&gm01), body).await;
            assert_eq!(
                assert_error_shape(b, status, &json),
                "invalid_input",
                "[{b}] {field}"
            );
            assert_eq!(json["error"]["fields"][0]["field"], field, "[{b}] {json}");
        }
        let body = json!({"last_day": today.to_string(), "handover": to_sales01});
        let (status, json, _) = t.post(&path, Some(&gm01), body).await;
        assert_eq!(
            (status, json["last_day"].as_str()),
            (StatusCode::OK, Some(today.to_string().as_str())),
            "[{b}] {json}"
        );

        // The notice period: no exports, a fifth of the reveals.
        let sales02 = t.login("sales02").await;
        let export =
            json!({"entity": "customers", "fields": ["name"], "format": "csv", "purpose": "备份"});
        let (status, json, _) = t.post("/api/v1/exports", Some(&sales02), export).await;
        assert_eq!(
            assert_error_shape(b, status, &json),
            "notice_period",
            "[{b}]"
        );
        let (_, page, _) = t.get("/api/v1/customers", Some(&sales02)).await;
        let customer = page["items"][0]["id"].as_str().expect("id").to_string();
        let reveal = json!({"field": "mobile", "reason": "确认"});
        let (status, json, _) = t
            .post(
                &format!("/api/v1/customers/{customer}/reveal"),
                Some(&sales02),
                reveal,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        assert_eq!(
            json["remaining_today"],
            dealervault_demo::DEMO_REVEAL_QUOTA / 5 - 1,
            "[{b}] {json}"
        );

        // A minute before closing (21:00) nothing happens; at closing the account freezes.
        clock.advance_ms(11 * 3_600_000 - 60_000);
        assert_eq!(
            t.app.freeze_departed().await.expect("sweep"),
            0,
            "[{b}] not before closing time"
        );
        let sales02 = t.login("sales02").await;
        assert_eq!(
            t.get("/api/v1/customers", Some(&sales02)).await.0,
            StatusCode::OK,
            "[{b}]"
        );
        clock.advance_ms(60_000);
        assert!(
            t.app.freeze_departed().await.expect("sweep") >= 1,
            "[{b}] frozen at closing time"
        );
        let (status, _, _) = t.get("/api/v1/customers", Some(&sales02)).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "[{b}] the live token fails"
        );
        let body = json!({"username": "sales02", "password": DEMO_PASSWORD});
        let (status, json, _) = t.post("/api/v1/auth/login", None, body).await;
        assert_eq!(
            assert_error_shape(b, status, &json),
            "account_frozen",
            "[{b}]"
        );

        // The book went to sales01, as recorded; the ledger names the system as mover.
        let gm01 = t.login("gm01").await;
        let book = owners(&t, &gm01).await;
        assert!(
            book.iter().all(|(_, o)| *o != t.user_id("sales02")),
            "[{b}] nothing left with sales02"
        );
        let (_, ledger, _) = t
            .get(
                &format!("/api/v1/customers/{customer}/ownership"),
                Some(&gm01),
            )
            .await;
        assert_eq!(
            ledger[1]["owner_id"],
            t.user_id("sales01").as_str(),
            "[{b}] {ledger}"
        );
        assert_eq!(ledger[1]["reason"], "handed_over", "[{b}]");
        assert!(
            ledger[1]["changed_by_name"].is_null(),
            "[{b}] by the system"
        );
        assert_eq!(
            t.app.freeze_departed().await.expect("sweep"),
            0,
            "[{b}] once"
        );
        t.teardown().await;
    }
}

#[tokio::test]
async fn the_store_manager_hands_a_book_over_now_one_by_one_or_whole() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let (sales01_id, sales02_id, sales03_id) = (
            t.user_id("sales01"),
            t.user_id("sales02"),
            t.user_id("sales03"),
        );
        let sales02 = t.login("sales02").await;
        let lead =
            json!({"name": "逐一移交", "mobile": t.fresh_customer(7).mobile, "source": "walk_in"});
        let (status, created, _) = t
            .post("/api/v1/leads?assign=me", Some(&sales02), lead)
            .await;
        assert_eq!(status, StatusCode::CREATED, "[{b}] {created}");
        let lead_id = created["id"].as_str().expect("id").to_string();

        // The staff list: every account of SH01 with its book, for the store manager only.
        let gm01 = t.login("gm01").await;
        let (status, staff, _) = t.get("/api/v1/staff", Some(&gm01)).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {staff}");
        let before = owners(&t, &gm01).await;
        let theirs: Vec<String> = before
            .iter()
            .filter(|(_, o)| *o == sales02_id)
            .map(|(c, _)| c.clone())
            .collect();
        assert!(theirs.len() >= 3, "[{b}] sales02 owns a few customers");
        let row = staff["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|m| m["account"]["username"] == "sales02")
            .cloned()
            .expect("sales02 listed");
        assert_eq!(row["customers"], theirs.len(), "[{b}] {row}");
        assert_eq!(row["open_leads"], 1, "[{b}] {row}");
        assert!(
            staff["items"]
                .as_array()
                .expect("items")
                .iter()
                .all(|m| m["account"]["store_code"] == "SH01"),
            "[{b}] only the store's staff"
        );
        for (who, expected) in [
            ("sales01", StatusCode::FORBIDDEN),
            ("salesmgr01", StatusCode::FORBIDDEN),
            ("admin", StatusCode::FORBIDDEN),
        ] {
            let token = t.login(who).await;
            assert_eq!(
                t.get("/api/v1/staff", Some(&token)).await.0,
                expected,
                "[{b}] {who} has no staff list"
            );
        }
        let (status, detail, _) = t
            .get(&format!("/api/v1/staff/{sales02_id}"), Some(&gm01))
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {detail}");
        let teammates: Vec<&str> = detail["colleagues"]
            .as_array()
            .expect("colleagues")
            .iter()
            .filter(|c| c["teammate"] == true)
            .filter_map(|c| c["username"].as_str())
            .collect();
        assert_eq!(teammates, ["sales01"], "[{b}] the round-robin's people");
        let admin = t.login("admin").await;
        assert_eq!(
            t.get(&format!("/api/v1/staff/{sales02_id}"), Some(&admin))
                .await
                .0,
            StatusCode::OK,
            "[{b}] the administrator reaches anyone's page"
        );

        // Refusals by field, nothing moved.
        let path = format!("/api/v1/users/{sales02_id}/handover");
        let pick = |entity: &str, id: &str, to: &str| {
            json!({"entity": entity, "id": id, "to_user_id": to})
        };
        let sales11_id = t.user_id("sales11");
        let refusals = [
            (json!({"rule": "one_by_one", "assignments": []}), "handover.assignments"),
            (
                json!({"rule": "one_by_one", "assignments": [pick("customer", &theirs[0], &sales11_id)]}),
                "handover.to_user_id",
            ),
            (
                json!({"rule": "one_by_one", "assignments": [pick("customer", &theirs[0], &sales02_id)]}),
                "handover.to_user_id",
            ),
            (
                json!({"rule": "one_by_one", "assignments": [
                    pick("customer", &theirs[0], &sales01_id),
                    pick("customer", &theirs[0], &sales03_id)]}),
                "handover.assignments",
            ),
            (
                // Someone else's customer, named as sales02's.
                json!({"rule": "one_by_one", "assignments": [
                    pick("customer", &theirs[1], &sales01_id),
                    pick("lead", &theirs[2], &sales01_id)]}),
                "handover.assignments",
            ),
        ];
        for (body, field) in refusals {
            let (status, json, _) = t.post(&path, Some(&gm01), body.clone()).await;
            assert_eq!(
                (status, assert_error_shape(b, status, &json).as_str()),
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
                "[{b}] {body}"
            );
            assert!(json.to_string().contains(field), "[{b}] {field}: {json}");
        }
        assert_eq!(owners(&t, &gm01).await, before, "[{b}] nothing moved");
        let resign = json!({"last_day": t.app.clock().local_now().date().to_string(),
            "handover": {"rule": "one_by_one", "assignments": []}});
        let (status, json, _) = t
            .post(
                &format!("/api/v1/users/{sales02_id}/resignation"),
                Some(&gm01),
                resign,
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");
        assert!(json.to_string().contains("handover.rule"), "[{b}] {json}");
        let sales01 = t.login("sales01").await;
        let body = json!({"rule": "one_by_one", "assignments": [pick("customer", &theirs[0], &sales03_id)]});
        assert_eq!(
            t.post(&path, Some(&sales01), body).await.0,
            StatusCode::FORBIDDEN,
            "[{b}] a consultant hands nobody's book over"
        );

        // One by one: a customer to sales03, another and the lead to sales01.
        let body = json!({"rule": "one_by_one", "assignments": [
            pick("customer", &theirs[0], &sales03_id),
            pick("customer", &theirs[1], &sales01_id),
            pick("lead", &lead_id, &sales01_id)]});
        let (status, moved, _) = t.post(&path, Some(&gm01), body).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {moved}");
        assert_eq!(
            (moved["customers"].as_u64(), moved["leads"].as_u64()),
            (Some(2), Some(1)),
            "[{b}] {moved}"
        );
        let after = owners(&t, &gm01).await;
        let owner_of = |id: &str| {
            after
                .iter()
                .find(|(c, _)| c == id)
                .map(|(_, o)| o.clone())
                .unwrap_or_default()
        };
        assert_eq!(owner_of(&theirs[0]), sales03_id, "[{b}]");
        assert_eq!(owner_of(&theirs[1]), sales01_id, "[{b}]");
        assert_eq!(owner_of(&theirs[2]), sales02_id, "[{b}] the rest stays");
        let (_, lead, _) = t
            .get(&format!("/api/v1/leads/{lead_id}"), Some(&gm01))
            .await;
        assert_eq!(lead["lead"]["owner_id"], sales01_id.as_str(), "[{b}]");
        let (_, ledger, _) = t
            .get(
                &format!("/api/v1/customers/{}/ownership", theirs[0]),
                Some(&gm01),
            )
            .await;
        let reasons: Vec<(&str, &str)> = ledger
            .as_array()
            .expect("spells")
            .iter()
            .map(|s| {
                (
                    s["owner_id"].as_str().unwrap_or_default(),
                    s["reason"].as_str().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            reasons,
            [
                (sales02_id.as_str(), "created"),
                (sales03_id.as_str(), "handed_over")
            ],
            "[{b}]"
        );

        // The rest, whole, to one colleague; sales02 is still at work and owns nothing.
        let (status, moved, _) = t
            .post(
                &path,
                Some(&gm01),
                json!({"rule": "to_user", "to_user_id": sales03_id}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {moved}");
        assert_eq!(moved["customers"], theirs.len() - 2, "[{b}] {moved}");
        assert!(
            owners(&t, &gm01)
                .await
                .iter()
                .all(|(_, o)| *o != sales02_id),
            "[{b}]"
        );
        let (_, detail, _) = t
            .get(&format!("/api/v1/staff/{sales02_id}"), Some(&gm01))
            .await;
        assert_eq!(
            (
                detail["member"]["account"]["status"].as_str(),
                detail["member"]["customers"].as_i64(),
                detail["member"]["open_leads"].as_i64()
            ),
            (Some("active"), Some(0), Some(0)),
            "[{b}] {detail}"
        );
        let auditor = t.login("auditor").await;
        let (_, log, _) = t
            .get("/api/v1/audit?action=user.handover", Some(&auditor))
            .await;
        let events = log["items"].as_array().expect("items");
        assert!(
            events
                .iter()
                .any(|e| e["outcome"] == "allowed" && e.to_string().contains(&lead_id)),
            "[{b}] the handover names what moved: {log}"
        );
        assert!(
            events.iter().any(|e| e["outcome"] == "denied"),
            "[{b}] refusals are on record too"
        );
        t
    })
    .await;
}
