//! Quarterly access reviews and the "who can see what" report, through the API on every
//! backend and a manual clock: the sweep starts the quarter's campaign on its first day
//! with an item per active account and the direct manager as reviewer (nobody reviews
//! themselves); decisions are the current reviewer's only, once, with a screened
//! comment; a removal freezes the account and hands its book over; overdue items go to
//! the store manager and then to the auditor as an alert, once; the report's levels,
//! scopes and counts are the roles' policies and the accounts, and a changed policy
//! changes it. None of it shows the administrator or the auditor any customer data.

mod common;

use axum::http::StatusCode;
use common::world::world;
use common::{assert_error_shape, TestApp};
use dealervault_app::Clock;
use dealervault_demo::{DEMO_ACCOUNTS, DEMO_PASSWORD};
use dealervault_domain::catalog::{governed_fields, Entity};
use dealervault_policy::{default_roles, RolePolicy};
use dealervault_store::testing::TestDb;
use serde_json::{json, Value};
use std::collections::HashMap;

/// 2026-10-01 10:00 in the stores' zone (UTC+8): the first day of 2026-Q4.
const QUARTER_FIRST_DAY_10AM: i64 = 1_790_820_000_000;
/// 2026-10-05 10:00, UTC+8: within 2026-Q4, not its first day.
const OCTOBER_5TH_10AM: i64 = 1_791_165_600_000;
const DAY_MS: i64 = 86_400_000;
const MINUTE_MS: i64 = 60_000;

/// Who reviews whom in the demo organisation.
const REVIEWERS: [(&str, &str); 12] = [
    ("sales01", "salesmgr01"),
    ("sales02", "salesmgr01"),
    ("sales03", "salesmgr01"),
    ("salesmgr01", "gm01"),
    ("service01", "gm01"),
    ("finance01", "gm01"),
    ("crm01", "gm01"),
    ("insurance01", "gm01"),
    ("gm01", "admin"),
    ("auditor", "admin"),
    // SH02 has neither a sales manager nor a general manager.
    ("sales11", "admin"),
    ("admin", "auditor"),
];

async fn spawn_at(db: TestDb, at: i64) -> (TestApp, Clock) {
    let clock = Clock::manual(at);
    let t = TestApp::spawn_with_clock(db, clock.clone()).await;
    // Weeks pass while the reviewers, who never set up two-step sign-in, keep signing in.
    t.lift_mfa_marks().await;
    (t, clock)
}

/// The only campaign, as `token` sees it.
async fn the_campaign(t: &TestApp, token: &str) -> Value {
    let (status, list, _) = t.get("/api/v1/access-reviews", Some(token)).await;
    assert_eq!(status, StatusCode::OK, "[{}] {list}", t.backend());
    let id = list["items"][0]["id"]
        .as_str()
        .expect("a campaign")
        .to_string();
    let (status, detail, _) = t
        .get(&format!("/api/v1/access-reviews/{id}"), Some(token))
        .await;
    assert_eq!(status, StatusCode::OK, "[{}] {detail}", t.backend());
    detail
}

/// The campaign's items by the reviewed account's username.
fn by_username(detail: &Value) -> HashMap<String, Value> {
    detail["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            let name = i["account"]["username"].as_str().expect("username");
            (name.to_string(), i.clone())
        })
        .collect()
}

async fn decide(t: &TestApp, token: &str, item: &Value, body: Value) -> (StatusCode, Value) {
    let id = item["id"].as_str().expect("item id");
    let path = format!("/api/v1/access-reviews/items/{id}/decision");
    let (status, json, _) = t.post(&path, Some(token), body).await;
    (status, json)
}

fn login_body(username: &str) -> Value {
    json!({"username": username, "password": DEMO_PASSWORD})
}

/// The owner of every customer gm01 sees (all of SH01's).
async fn owners(t: &TestApp, gm01: &str) -> Vec<String> {
    let (status, page, _) = t.get("/api/v1/customers?per_page=100", Some(gm01)).await;
    assert_eq!(status, StatusCode::OK, "[{}] {page}", t.backend());
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["owner_id"].as_str().expect("owner").to_string())
        .collect()
}

#[tokio::test]
async fn the_sweep_starts_the_quarter_and_reviewers_decide() {
    for db in TestDb::all().await {
        let (t, _clock) = spawn_at(db, QUARTER_FIRST_DAY_10AM).await;
        let b = t.backend();
        assert_eq!(
            t.app.sweep_access_reviews().await.expect("sweep"),
            1,
            "[{b}] started"
        );
        assert_eq!(
            t.app.sweep_access_reviews().await.expect("sweep"),
            0,
            "[{b}] once"
        );

        // Items and reviewers as designed: everyone, nobody reviewing themselves.
        let auditor = t.login("auditor").await;
        let detail = the_campaign(&t, &auditor).await;
        assert_eq!(detail["quarter"], "2026-Q4", "[{b}] {detail}");
        assert!(detail["started_by"].is_null(), "[{b}] by the sweep");
        assert_eq!(detail["due_on"], "2026-10-15", "[{b}] 14 days");
        let items = by_username(&detail);
        assert_eq!(
            items.len(),
            DEMO_ACCOUNTS.len(),
            "[{b}] an item per account"
        );
        for (account, reviewer) in REVIEWERS {
            assert_eq!(
                items[account]["reviewer"]["username"], reviewer,
                "[{b}] the reviewer of {account}"
            );
        }
        assert_eq!(detail["progress"]["total"], 12, "[{b}]");
        assert_eq!(detail["progress"]["open"], 12, "[{b}]");
        let stores: Vec<&Value> = detail["stores"]
            .as_array()
            .expect("stores")
            .iter()
            .collect();
        let sh01 = stores
            .iter()
            .find(|s| s["store_code"] == "SH01")
            .expect("SH01");
        assert_eq!(sh01["total"], 9, "[{b}] {detail}");

        // The snapshot: role, place and rights, names only.
        let sales01 = &items["sales01"];
        assert_eq!(sales01["role"]["code"], "sales_consultant", "[{b}]");
        assert_eq!(sales01["place"]["store_code"], "SH01", "[{b}]");
        assert_eq!(sales01["place"]["team"], "销售一组", "[{b}]");
        let rights = &sales01["rights"];
        assert!(
            rights["rows"]
                .as_array()
                .expect("rows")
                .iter()
                .any(|r| r["entity"] == "customer" && r["action"] == "view" && r["scope"] == "own"),
            "[{b}] {rights}"
        );
        assert!(
            rights["masked"]
                .as_array()
                .expect("masked")
                .contains(&json!("customer.mobile")),
            "[{b}] {rights}"
        );
        assert_eq!(items["sales01"]["changed"]["role"], false, "[{b}]");

        // Reach: a reviewer sees their items, the store manager the store's, a
        // consultant nothing.
        let salesmgr01 = t.login("salesmgr01").await;
        let mine = the_campaign(&t, &salesmgr01).await;
        let mut names: Vec<String> = by_username(&mine).into_keys().collect();
        names.sort();
        assert_eq!(names, ["sales01", "sales02", "sales03"], "[{b}]");
        assert!(
            mine["stores"].as_array().expect("stores").is_empty(),
            "[{b}]"
        );
        let gm01 = t.login("gm01").await;
        assert_eq!(
            by_username(&the_campaign(&t, &gm01).await).len(),
            9,
            "[{b}] SH01's"
        );
        let sales01_token = t.login("sales01").await;
        let (_, list, _) = t.get("/api/v1/access-reviews", Some(&sales01_token)).await;
        assert_eq!(
            list["items"],
            json!([]),
            "[{b}] nothing in a consultant's reach"
        );
        let path = format!(
            "/api/v1/access-reviews/{}",
            detail["id"].as_str().expect("id")
        );
        let (status, json, _) = t.get(&path, Some(&sales01_token)).await;
        assert_eq!(assert_error_shape(b, status, &json), "not_found", "[{b}]");

        // Only the current reviewer decides: 404 out of reach, 403 within it.
        let keep = json!({"decision": "keep"});
        let (status, json) = decide(&t, &sales01_token, sales01, keep.clone()).await;
        assert_eq!(
            (status, assert_error_shape(b, status, &json)),
            (StatusCode::NOT_FOUND, "not_found".into()),
            "[{b}] own item, out of reach"
        );
        let (status, json) = decide(&t, &gm01, sales01, keep.clone()).await;
        assert_eq!(
            (status, assert_error_shape(b, status, &json)),
            (StatusCode::FORBIDDEN, "not_the_reviewer".into()),
            "[{b}] the store manager"
        );
        let admin = t.login("admin").await;
        let (status, _) = decide(&t, &admin, sales01, keep.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] the administrator");
        let missing = json!({"id": common::world::MISSING_ID});
        let (status, json) = decide(&t, &salesmgr01, &missing, keep.clone()).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "[{b}] a missing item: {json}"
        );

        // Bad input names the field and stores nothing.
        for (body, field, rule) in [
            (json!({"decision": "remove"}), "comment", "required"),
            (
                json!({"decision": "remove", "comment": "   "}),
                "comment",
                "required",
            ),
            (
                json!({"decision": "remove", "comment": "客户 138 1234 5678 要回访"}),
                "comment",
                "holds_personal_data",
            ),
            (
                json!({"decision": "remove", "comment": "身份证 11010519491231002X"}),
                "comment",
                "holds_personal_data",
            ),
            (json!({"decision": "maybe"}), "decision", "unknown_value"),
            (json!({}), "decision", "required"),
        ] {
            let (status, json) = decide(&t, &salesmgr01, sales01, body).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");
            assert_eq!(json["error"]["fields"][0]["field"], field, "[{b}] {json}");
            assert_eq!(json["error"]["fields"][0]["rule"], rule, "[{b}] {json}");
        }
        let (status, json) = decide(
            &t,
            &salesmgr01,
            sales01,
            json!({"decision": "keep", "extra": 1}),
        )
        .await;
        assert!(
            status.is_client_error() && status != StatusCode::NOT_FOUND,
            "[{b}] unknown field: {json}"
        );

        // Keep, once.
        let (status, json) = decide(&t, &salesmgr01, &items["sales02"], keep.clone()).await;
        assert_eq!(
            (status, json["status"].as_str()),
            (StatusCode::OK, Some("kept")),
            "[{b}] {json}"
        );
        assert_eq!(json["decided_by"]["username"], "salesmgr01", "[{b}]");
        let (status, json) = decide(&t, &salesmgr01, &items["sales02"], keep.clone()).await;
        assert_eq!(
            (status, assert_error_shape(b, status, &json)),
            (StatusCode::CONFLICT, "review_item_decided".into()),
            "[{b}]"
        );

        // Remove: frozen at once, the book handed to the team, nothing left behind.
        let sales01_id = t.user_id("sales01");
        assert!(
            owners(&t, &gm01).await.contains(&sales01_id),
            "[{b}] sales01 owns customers"
        );
        let body = json!({"decision": "remove", "comment": "已调离销售岗位 moved off the floor"});
        let (status, json) = decide(&t, &salesmgr01, sales01, body).await;
        assert_eq!(
            (status, json["status"].as_str()),
            (StatusCode::OK, Some("removed")),
            "[{b}] {json}"
        );
        assert_eq!(json["account_status"], "frozen", "[{b}]");
        assert!(
            json["handed_over"]["customers"].as_u64().unwrap_or(0) >= 1,
            "[{b}] {json}"
        );
        let (status, _, _) = t.get("/api/v1/customers", Some(&sales01_token)).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "[{b}] the live token fails"
        );
        let (status, json, _) = t
            .post("/api/v1/auth/login", None, login_body("sales01"))
            .await;
        assert_eq!(
            assert_error_shape(b, status, &json),
            "account_frozen",
            "[{b}]"
        );
        let book = owners(&t, &gm01).await;
        assert!(
            !book.contains(&sales01_id),
            "[{b}] no customer left with the frozen account"
        );
        assert!(
            book.contains(&t.user_id("sales02")),
            "[{b}] the team took it"
        );

        // Nobody to take the book: refused with the handover's error, nothing frozen.
        let (status, json) = decide(
            &t,
            &admin,
            &items["sales11"],
            json!({"decision": "remove", "comment": "门店关闭"}),
        )
        .await;
        assert_eq!(
            (status, assert_error_shape(b, status, &json)),
            (StatusCode::CONFLICT, "no_colleague_to_hand_over_to".into()),
            "[{b}]"
        );
        assert_eq!(
            t.post("/api/v1/auth/login", None, login_body("sales11"))
                .await
                .0,
            StatusCode::OK,
            "[{b}] still active"
        );
        // No book: nothing to hand over, the account is frozen all the same.
        let (status, json) = decide(
            &t,
            &gm01,
            &items["finance01"],
            json!({"decision": "remove", "comment": "岗位撤销"}),
        )
        .await;
        assert_eq!(
            (status, json["account_status"].as_str()),
            (StatusCode::OK, Some("frozen")),
            "[{b}] {json}"
        );
        // Separation of duties: the auditor decides the administrator's item.
        let (status, json) = decide(&t, &auditor, &items["admin"], keep.clone()).await;
        assert_eq!(
            (status, json["status"].as_str()),
            (StatusCode::OK, Some("kept")),
            "[{b}] {json}"
        );

        // A change of role since the snapshot shows.
        let path = format!("/api/v1/users/{}", t.user_id("sales03"));
        let (status, json, _) = t
            .patch(&path, Some(&admin), json!({"role": "customer_care"}))
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        let now = by_username(&the_campaign(&t, &salesmgr01).await);
        assert_eq!(
            now["sales03"]["changed"]["role"], true,
            "[{b}] {}",
            now["sales03"]
        );
        assert_eq!(now["sales03"]["changed"]["rights"], true, "[{b}]");
        assert_eq!(
            now["sales03"]["role"]["code"], "sales_consultant",
            "[{b}] the snapshot stays"
        );
        assert_eq!(now["sales02"]["changed"]["role"], false, "[{b}]");
        assert_eq!(now["sales02"]["changed"]["place"], false, "[{b}]");
        // And a move to another team.
        let (_, units, _) = t.get("/api/v1/org-units", Some(&admin)).await;
        let team_b = units["items"]
            .as_array()
            .expect("units")
            .iter()
            .find(|u| u["store_code"] == "SH01" && u["team"] == "销售二组")
            .and_then(|u| u["key"].as_str())
            .expect("SH01's team B")
            .to_string();
        let path = format!("/api/v1/users/{}", t.user_id("sales02"));
        let (status, json, _) = t.patch(&path, Some(&admin), json!({"unit": team_b})).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        let now = by_username(&the_campaign(&t, &salesmgr01).await);
        assert_eq!(now["sales02"]["changed"]["place"], true, "[{b}]");
        assert_eq!(
            now["sales02"]["changed"]["rights"], false,
            "[{b}] same role"
        );
        assert_eq!(
            now["sales02"]["place"]["team"], "销售一组",
            "[{b}] the snapshot stays"
        );

        // The report counts active accounts only: the frozen ones are gone from it.
        let (_, report, _) = t
            .get("/api/v1/access-report?store=SH01", Some(&admin))
            .await;
        let consultants = report["roles"]
            .as_array()
            .expect("roles")
            .iter()
            .find(|r| r["code"] == "sales_consultant")
            .map(|r| r["accounts"].clone());
        assert_eq!(
            consultants,
            Some(json!(1)),
            "[{b}] sales02 (sales01 frozen, sales03 re-roled)"
        );

        // Counted and recorded by name, refusals too.
        let detail = the_campaign(&t, &auditor).await;
        assert_eq!(
            detail["progress"]["decided"], 4,
            "[{b}] {}",
            detail["progress"]
        );
        assert_eq!(detail["progress"]["removed"], 2, "[{b}]");
        let (_, log, _) = t
            .get("/api/v1/audit?action=access_review.decide", Some(&auditor))
            .await;
        let events = log["items"].as_array().expect("items");
        assert_eq!(
            events.iter().filter(|e| e["outcome"] == "allowed").count(),
            4,
            "[{b}] {log}"
        );
        assert!(
            events.iter().any(|e| e["outcome"] == "denied"),
            "[{b}] refusals recorded"
        );
        assert!(
            events
                .iter()
                .filter(|e| e["outcome"] == "denied")
                .all(|e| e["reason"].is_null()),
            "[{b}] a refused comment is not kept: {log}"
        );
        let (_, log, _) = t
            .get("/api/v1/audit?action=user.freeze", Some(&auditor))
            .await;
        assert!(
            log["items"]
                .as_array()
                .expect("items")
                .iter()
                .any(|e| e["reason"] == "access review 2026-Q4" && e["actor"] == "salesmgr01"),
            "[{b}] the freeze names the review: {log}"
        );
        let (_, log, _) = t
            .get("/api/v1/audit?action=access_review.start", Some(&auditor))
            .await;
        assert_eq!(log["items"][0]["reason"], "2026-Q4", "[{b}] {log}");
        t.teardown().await;
    }
}

#[tokio::test]
async fn a_campaign_started_by_hand_escalates_and_then_alerts_the_auditor() {
    for db in TestDb::all().await {
        let (t, clock) = spawn_at(db, OCTOBER_5TH_10AM).await;
        let b = t.backend();
        assert_eq!(
            t.app.sweep_access_reviews().await.expect("sweep"),
            0,
            "[{b}] not the first day"
        );

        // Who may start, and what they must say.
        let sales01 = t.login("sales01").await;
        let (status, json, _) = t
            .post(
                "/api/v1/access-reviews",
                Some(&sales01),
                json!({"quarter": "2026-Q4"}),
            )
            .await;
        assert_eq!(assert_error_shape(b, status, &json), "forbidden", "[{b}]");
        let admin = t.login("admin").await;
        for (body, field) in [
            (json!({}), "quarter"),
            (json!({"quarter": "2026-Q5"}), "quarter"),
            (json!({"quarter": "2027-Q1"}), "quarter"),
            (
                json!({"quarter": "2026-Q4", "due_on": "2026-10-05"}),
                "due_on",
            ),
            (
                json!({"quarter": "2026-Q4", "due_on": "2027-03-01"}),
                "due_on",
            ),
            (json!({"quarter": "2026-Q4", "due_on": "soon"}), "due_on"),
        ] {
            let (status, json, _) = t.post("/api/v1/access-reviews", Some(&admin), body).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");
            assert_eq!(json["error"]["fields"][0]["field"], field, "[{b}] {json}");
        }
        let (status, json, _) = t.get("/api/v1/access-reviews", Some(&admin)).await;
        assert_eq!(
            (status, json["items"].clone()),
            (StatusCode::OK, json!([])),
            "[{b}] nothing stored"
        );
        let (status, json, _) = t
            .post(
                "/api/v1/access-reviews",
                Some(&admin),
                json!({"quarter": "2026-Q4"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "[{b}] {json}");
        assert_eq!(
            (json["due_on"].as_str(), json["started_by"].as_str()),
            (Some("2026-10-19"), Some("admin")),
            "[{b}]"
        );
        let (status, json, _) = t
            .post(
                "/api/v1/access-reviews",
                Some(&admin),
                json!({"quarter": "2026-Q4"}),
            )
            .await;
        assert_eq!(
            (status, assert_error_shape(b, status, &json)),
            (StatusCode::CONFLICT, "review_exists".into()),
            "[{b}]"
        );

        let salesmgr01 = t.login("salesmgr01").await;
        let items = by_username(&the_campaign(&t, &salesmgr01).await);
        let (status, _) = decide(
            &t,
            &salesmgr01,
            &items["sales02"],
            json!({"decision": "keep"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "[{b}]");

        // Due at the end of the 19th: not a minute before.
        clock.advance_ms(14 * DAY_MS + 14 * 60 * MINUTE_MS - MINUTE_MS);
        assert_eq!(
            t.app.sweep_access_reviews().await.expect("sweep"),
            0,
            "[{b}] 23:59 on the due day"
        );
        clock.advance_ms(2 * MINUTE_MS);
        // Two escalated to gm01 (sales01, sales03); nine with nobody further: alerted.
        assert_eq!(
            t.app.sweep_access_reviews().await.expect("sweep"),
            11,
            "[{b}]"
        );
        assert_eq!(
            t.app.sweep_access_reviews().await.expect("sweep"),
            0,
            "[{b}] a second sweep does nothing"
        );

        let auditor = t.login("auditor").await;
        let detail = the_campaign(&t, &auditor).await;
        let items = by_username(&detail);
        for escalated in ["sales01", "sales03"] {
            let item = &items[escalated];
            assert_eq!(item["reviewer"]["username"], "gm01", "[{b}] {item}");
            assert!(item["escalated_at"].is_i64(), "[{b}]");
            assert_eq!(item["due_on"], "2026-10-27", "[{b}] seven more days");
            assert_eq!(item["overdue"], false, "[{b}]");
        }
        assert_eq!(items["sales02"]["status"], "kept", "[{b}]");
        assert!(
            items["sales02"]["escalated_at"].is_null(),
            "[{b}] decided items stay"
        );
        assert_eq!(
            items["service01"]["reviewer"]["username"], "gm01",
            "[{b}] already the store manager"
        );
        assert!(items["service01"]["escalated_at"].is_null(), "[{b}]");
        assert_eq!(items["service01"]["overdue"], true, "[{b}]");
        assert_eq!(
            detail["progress"]["escalated"], 2,
            "[{b}] {}",
            detail["progress"]
        );
        assert_eq!(detail["progress"]["overdue"], 9, "[{b}]");

        let alerts = common::alerts::alerts_of(&t, &auditor).await;
        let about = |who: &str| common::alerts::about(&alerts, "access_review_overdue", who).len();
        // gm01's own five, the administrator's three (gm01, auditor, sales11), the auditor's one.
        assert_eq!(
            (about("gm01"), about("admin"), about("auditor")),
            (1, 1, 1),
            "[{b}] {alerts:?}"
        );
        let gm01_alert = common::alerts::about(&alerts, "access_review_overdue", "gm01");
        assert_eq!(
            gm01_alert[0]["summary"]["count"], 5,
            "[{b}] {:?}",
            gm01_alert
        );

        // Escalated away from salesmgr01; gm01 decides now.
        let salesmgr01 = t.login("salesmgr01").await;
        let (status, json) = decide(
            &t,
            &salesmgr01,
            &items["sales01"],
            json!({"decision": "keep"}),
        )
        .await;
        assert_eq!(
            (status, assert_error_shape(b, status, &json)),
            (StatusCode::FORBIDDEN, "not_the_reviewer".into()),
            "[{b}]"
        );
        let gm01 = t.login("gm01").await;
        let (status, _) = decide(&t, &gm01, &items["sales03"], json!({"decision": "keep"})).await;
        assert_eq!(status, StatusCode::OK, "[{b}]");

        // Overdue again after the escalation: the auditor hears, once.
        clock.advance_ms(8 * DAY_MS);
        assert_eq!(
            t.app.sweep_access_reviews().await.expect("sweep"),
            1,
            "[{b}] sales01's item"
        );
        assert_eq!(
            t.app.sweep_access_reviews().await.expect("sweep"),
            0,
            "[{b}] once"
        );
        let auditor = t.login("auditor").await;
        let alerts = common::alerts::alerts_of(&t, &auditor).await;
        assert_eq!(
            common::alerts::about(&alerts, "access_review_overdue", "gm01").len(),
            2,
            "[{b}]"
        );
        let (_, log, _) = t
            .get(
                "/api/v1/audit?action=access_review.escalate",
                Some(&auditor),
            )
            .await;
        let events = log["items"].as_array().expect("items");
        assert_eq!(
            events.len(),
            3,
            "[{b}] to the store manager, to the auditor twice: {log}"
        );
        assert!(events.iter().all(|e| e["actor"] == "system"), "[{b}]");
        t.teardown().await;
    }
}

/// A role's report line from the API's answer.
fn role_line<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["roles"]
        .as_array()
        .expect("roles")
        .iter()
        .find(|r| r["code"] == code)
        .unwrap_or_else(|| panic!("role {code} in {report}"))
}

/// What the report must say of `policy`'s customer fields and rows.
fn check_against_policy(b: &str, line: &Value, policy: &RolePolicy) {
    let code = &line["code"];
    let fields = line["fields"].as_array().expect("fields");
    let governed: Vec<_> = governed_fields(Entity::Customer).collect();
    assert_eq!(fields.len(), governed.len(), "[{b}] {code}");
    for (f, spec) in fields.iter().zip(governed) {
        assert_eq!(f["field"], spec.name, "[{b}] {code}");
        assert_eq!(
            f["level"],
            policy.field_level(Entity::Customer, spec.name).code(),
            "[{b}] {code} {}",
            spec.name
        );
        let export = policy
            .field_rule(Entity::Customer, spec.name)
            .map_or("none", |r| r.export_right().code());
        assert_eq!(f["export"], export, "[{b}] {code} {}", spec.name);
    }
    let rows: Vec<(String, String, String)> = policy
        .row_rights()
        .iter()
        .map(|r| {
            (
                r.entity.code().into(),
                r.action.code().into(),
                r.scope.code().into(),
            )
        })
        .collect();
    let reported: Vec<(String, String, String)> = line["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().expect("text").to_string();
            (s("entity"), s("action"), s("scope"))
        })
        .collect();
    assert_eq!(reported, rows, "[{b}] {code}");
}

#[tokio::test]
async fn the_report_is_the_roles_policies_and_the_accounts_holding_them() {
    common::on_every_backend(|t| async move {
        let b = t.backend();
        let admin = t.login("admin").await;
        let (status, report, _) = t.get("/api/v1/access-report", Some(&admin)).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {report}");
        let columns: Vec<Value> = report["columns"]
            .as_array()
            .expect("columns")
            .iter()
            .map(|c| c["code"].clone())
            .collect();
        assert_eq!(
            columns,
            [json!("SH01"), json!("SH02"), Value::Null],
            "[{b}]"
        );
        for role in default_roles() {
            let line = role_line(&report, role.code);
            check_against_policy(b, line, &role.policy);
            // Holders per store, from the demo's accounts.
            for (i, store) in ["SH01", "SH02", ""].iter().enumerate() {
                let expected = DEMO_ACCOUNTS
                    .iter()
                    .filter(|(_, _, r, seat)| *r == role.code && seat.map_or("", |s| s.0) == *store)
                    .count();
                assert_eq!(
                    line["holders"][i]["accounts"], expected,
                    "[{b}] {} in {store:?}",
                    role.code
                );
            }
        }
        assert_eq!(
            role_line(&report, "sales_consultant")["accounts"],
            4,
            "[{b}]"
        );

        // Narrowed to a store; an unknown store is refused by name.
        let (_, sh02, _) = t
            .get("/api/v1/access-report?store=SH02", Some(&admin))
            .await;
        assert_eq!(sh02["store"], "SH02", "[{b}]");
        assert_eq!(role_line(&sh02, "sales_consultant")["accounts"], 1, "[{b}]");
        assert_eq!(role_line(&sh02, "general_manager")["accounts"], 0, "[{b}]");
        let (status, json, _) = t
            .get("/api/v1/access-report?store=XX99", Some(&admin))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");
        assert_eq!(json["error"]["fields"][0]["field"], "store", "[{b}]");

        // For the administrator and the auditor only.
        let auditor = t.login("auditor").await;
        assert_eq!(
            t.get("/api/v1/access-report", Some(&auditor)).await.0,
            StatusCode::OK,
            "[{b}]"
        );
        for who in ["gm01", "sales01"] {
            let token = t.login(who).await;
            let (status, json, _) = t.get("/api/v1/access-report", Some(&token)).await;
            assert_eq!(
                assert_error_shape(b, status, &json),
                "forbidden",
                "[{b}] {who}"
            );
        }

        // A changed policy changes the report: consultants see mobiles in clear.
        let mut tx = t.app.store().write().await.expect("write");
        let row = tx
            .role_by_code("sales_consultant")
            .await
            .expect("query")
            .expect("role");
        let mut policy = RolePolicy::from_json(&row.policy).expect("policy");
        for rule in policy
            .fields
            .iter_mut()
            .filter(|f| f.entity == Entity::Customer && f.field == "mobile")
        {
            rule.level = dealervault_policy::FieldLevel::Clear;
        }
        tx.update_role_policy(&row.id, &policy.to_json(), t.app.clock().now_ms())
            .await
            .expect("update");
        tx.commit().await.expect("commit");
        let (_, report, _) = t.get("/api/v1/access-report", Some(&admin)).await;
        let line = role_line(&report, "sales_consultant");
        check_against_policy(b, line, &policy);
        let mobile = line["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .find(|f| f["field"] == "mobile")
            .cloned();
        assert_eq!(
            mobile.map(|f| f["level"].clone()),
            Some(json!("clear")),
            "[{b}]"
        );

        let (_, log, _) = t
            .get("/api/v1/audit?action=access_report.view", Some(&auditor))
            .await;
        let events = log["items"].as_array().expect("items");
        assert!(
            events.iter().any(|e| e["outcome"] == "allowed"),
            "[{b}] {log}"
        );
        assert!(
            events.iter().any(|e| e["outcome"] == "denied"),
            "[{b}] refusals recorded"
        );
        t
    })
    .await;
}

/// Every clear value of every customer that could identify them; staff names are left
/// out (a customer may share one with an employee, whom the pages name).
fn customer_values(w: &common::world::World) -> Vec<String> {
    let staff: Vec<&str> = DEMO_ACCOUNTS.iter().map(|a| a.1).collect();
    let mut values = vec![];
    for (c, _) in &w.customers {
        values.push(c.mobile.clone());
        values.push(format!("{}****{}", &c.mobile[..3], &c.mobile[7..]));
        if !staff.contains(&c.name.as_str()) {
            values.push(c.name.clone());
        }
        for v in [&c.id_number, &c.email, &c.address, &c.wechat]
            .into_iter()
            .flatten()
        {
            values.push(v.clone());
        }
        values.push(c.id.to_string());
    }
    values.retain(|v| v.chars().count() >= 3);
    values
}

#[tokio::test]
async fn the_administrator_and_the_auditor_see_no_customer_data_through_any_of_it() {
    common::on_every_backend(|t| async move {
        let b = t.backend();
        let w = world(&t).await;
        let values = customer_values(&w);
        assert!(
            values.len() > 20,
            "[{b}] the scan has something to look for"
        );
        let auditor = t.login("auditor").await;
        let quarter = t.app.current_quarter();
        let (status, json, _) = t
            .post(
                "/api/v1/access-reviews",
                Some(&auditor),
                json!({"quarter": quarter}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "[{b}] {json}");
        let id = json["id"].as_str().expect("id").to_string();
        // A removal moves customers: its answer names counts, not customers.
        let salesmgr01 = t.login("salesmgr01").await;
        let items = by_username(&the_campaign(&t, &salesmgr01).await);
        let (status, removed) = decide(
            &t,
            &salesmgr01,
            &items["sales01"],
            json!({"decision": "remove", "comment": "离职"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {removed}");

        let mut answers = vec![removed.to_string()];
        for who in ["admin", "auditor"] {
            let token = t.login(who).await;
            for path in [
                "/api/v1/access-reviews".to_string(),
                format!("/api/v1/access-reviews/{id}"),
                "/api/v1/access-report".to_string(),
                "/api/v1/access-report?store=SH01".to_string(),
            ] {
                let (status, _, body) = t.get(&path, Some(&token)).await;
                assert_eq!(status, StatusCode::OK, "[{b}] {who} {path}");
                answers.push(String::from_utf8_lossy(&body).into_owned());
            }
            let mut browser = t.browser();
            browser.login(who).await;
            for path in [
                "/".to_string(),
                "/reviews".to_string(),
                format!("/reviews/{id}"),
                "/reviews/report".to_string(),
                "/reviews/report.csv".to_string(),
            ] {
                let page = browser.get(&path).await;
                assert_eq!(page.status, StatusCode::OK, "[{b}] {who} {path}");
                answers.push(page.body);
            }
        }
        for answer in &answers {
            for v in &values {
                assert!(
                    !answer.contains(v.as_str()),
                    "[{b}] a customer's value in an answer"
                );
            }
        }
        t
    })
    .await;
}
