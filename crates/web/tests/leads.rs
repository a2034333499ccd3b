//! Leads and the public pool through the API, on every backend: creation and its
//! refusals, the pool (masked until claimed, claim caps, automatic return on a manual
//! clock), the ownership ledger, status moves, follow-ups and conversion to a customer
//! without revealing another owner's record.

mod common;

use axum::http::StatusCode;
use common::{assert_error_shape, is_masked_mobile, TestApp};
use dealervault_app::Clock;
use dealervault_store::testing::TestDb;
use serde_json::{json, Value};

const DAY_MS: i64 = 86_400_000;

/// Every test here runs on a manual clock, so the pool's return can be crossed.
async fn each_backend<F, Fut>(test: F)
where
    F: Fn(TestApp, Clock) -> Fut,
    Fut: std::future::Future<Output = TestApp>,
{
    for db in TestDb::all().await {
        let clock = Clock::manual(Clock::system().now_ms());
        let app = TestApp::spawn_with_clock(db, clock.clone()).await;
        test(app, clock).await.teardown().await;
    }
}

fn new_lead(t: &TestApp, n: u64) -> Value {
    let person = t.fresh_customer(n);
    json!({
        "name": "林先生",
        "mobile": person.mobile,
        "source": "autohome",
        "intended_model": "途观L",
        "budget": "250,000",
        "notes": "周末来店",
    })
}

async fn create(t: &TestApp, token: &str, body: Value, assign: &str) -> Value {
    let (status, json, _) = t
        .post(&format!("/api/v1/leads?assign={assign}"), Some(token), body)
        .await;
    assert_eq!(status, StatusCode::CREATED, "[{}] {json}", t.backend());
    json
}

async fn lead(t: &TestApp, token: &str, id: &str) -> (StatusCode, Value) {
    let (status, json, _) = t.get(&format!("/api/v1/leads/{id}"), Some(token)).await;
    (status, json)
}

#[tokio::test]
async fn a_salesperson_creates_works_and_converts_a_lead() {
    each_backend(|t, _clock| async move {
        let b = t.backend();
        let sales01 = t.login("sales01").await;
        let created = create(&t, &sales01, new_lead(&t, 1), "me").await;
        let id = created["id"].as_str().expect("id").to_string();
        assert_eq!(created["status"], "new");
        assert_eq!(created["owner_id"], t.user_id("sales01"));
        assert!(
            is_masked_mobile(created["mobile"].as_str().expect("mobile")),
            "[{b}] {created}"
        );
        assert_eq!(created["budget"], "250000.00");

        // The same mobile again, by anyone in the store: refused, naming nobody.
        let sales02 = t.login("sales02").await;
        let (status, json, _) = t
            .post("/api/v1/leads", Some(&sales02), new_lead(&t, 1))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "[{b}] {json}");
        assert_eq!(assert_error_shape(b, status, &json), "lead_exists");
        assert!(!json.to_string().contains("销售"), "[{b}] {json}");

        // Another salesperson cannot see it: exactly like a missing lead.
        let (status, json) = lead(&t, &sales02, &id).await;
        let (missing_status, missing) =
            lead(&t, &sales02, "0190a3b4-0000-7000-8000-000000000000").await;
        assert_eq!((status, &json), (missing_status, &missing), "[{b}]");
        assert_eq!(status, StatusCode::NOT_FOUND);

        // Status moves: forward by hand, never to ordered, lost needs a reason.
        let path = format!("/api/v1/leads/{id}/status");
        for (body, code) in [
            (json!({"status": "ordered"}), "invalid_input"),
            (json!({"status": "lost"}), "invalid_input"),
            (
                json!({"status": "visited", "lost_reason": "price"}),
                "invalid_input",
            ),
            (json!({"status": "sold"}), "invalid_input"),
        ] {
            let (status, json, _) = t.post(&path, Some(&sales01), body.clone()).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "[{b}] {body}: {json}"
            );
            assert_eq!(assert_error_shape(b, status, &json), code);
        }
        let (_, after) = lead(&t, &sales01, &id).await;
        assert_eq!(
            after["lead"]["status"], "new",
            "[{b}] a refused move wrote nothing"
        );
        let (status, json, _) = t
            .post(&path, Some(&sales01), json!({"status": "visited"}))
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        let (status, json, _) = t
            .post(&path, Some(&sales01), json!({"status": "contacted"}))
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] backwards: {json}"
        );

        // A follow-up logged as done; one planned; a bad time refused.
        let fu = format!("/api/v1/leads/{id}/follow-ups");
        let (status, json, _) = t
            .post(
                &fu,
                Some(&sales01),
                json!({"kind": "call", "due_at": "tomorrow"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");
        assert_eq!(json["error"]["fields"][0]["field"], "due_at");
        let (status, json, _) = t
            .post(
                &fu,
                Some(&sales01),
                json!({"kind": "visit", "done": true, "notes": "看了途观L"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "[{b}] {json}");
        assert_eq!(json["state"], "done");
        assert_eq!(json["notes"], "看了途观L");
        let (status, planned, _) = t
            .post(
                &fu,
                Some(&sales01),
                json!({"kind": "call", "due_at": "2099-01-02T10:00"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "[{b}] {planned}");
        let (_, detail) = lead(&t, &sales01, &id).await;
        assert_eq!(
            detail["follow_ups"].as_array().map(Vec::len),
            Some(2),
            "[{b}] {detail}"
        );
        assert!(
            detail["lead"]["next_follow_up_at"].as_i64().is_some(),
            "[{b}] {detail}"
        );
        let done = format!(
            "/api/v1/follow-ups/{}/complete",
            planned["id"].as_str().expect("id")
        );
        let (status, json, _) = t
            .post(&done, Some(&sales01), json!({"notes": "约了试驾"}))
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        let (status, json, _) = t.post(&done, Some(&sales01), json!({})).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] twice: {json}"
        );

        // Conversion makes a customer of sales01's, once.
        let before = t.customer_total(&sales01).await;
        let (status, converted, _) = t
            .post(
                &format!("/api/v1/leads/{id}/convert"),
                Some(&sales01),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {converted}");
        assert_eq!(converted["linked_existing"], false);
        assert_eq!(t.customer_total(&sales01).await, before + 1);
        let customer = converted["customer_id"].as_str().expect("customer id");
        let (status, json, _) = t
            .get(&format!("/api/v1/customers/{customer}"), Some(&sales01))
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        assert_eq!(json["name"], "林先生");
        t
    })
    .await;
}

#[tokio::test]
async fn conversion_links_ones_own_customer_and_refuses_anothers_without_a_name() {
    each_backend(|t, _clock| async move {
        let b = t.backend();
        let sales01 = t.login("sales01").await;
        let sales02 = t.login("sales02").await;
        let mine = t.first_customer(&sales01).await;
        let theirs = t.first_customer(&sales02).await;
        let reveal = |token: &str, id: &str| {
            let token = token.to_string();
            let id = id.to_string();
            let t = &t;
            async move {
                let (status, json, _) = t
                    .post(
                        &format!("/api/v1/customers/{id}/reveal"),
                        Some(&token),
                        json!({"field": "mobile", "reason": "测试转化"}),
                    )
                    .await;
                assert_eq!(status, StatusCode::OK, "{json}");
                json["value"].as_str().expect("mobile").to_string()
            }
        };
        let my_mobile = reveal(&sales01, mine["id"].as_str().expect("id")).await;
        let their_mobile = reveal(&sales02, theirs["id"].as_str().expect("id")).await;

        let lead_of = |mobile: &str| json!({"name": "转化测试", "mobile": mobile});
        let linked = create(&t, &sales01, lead_of(&my_mobile), "me").await;
        let (status, json, _) = t
            .post(
                &format!(
                    "/api/v1/leads/{}/convert",
                    linked["id"].as_str().expect("id")
                ),
                Some(&sales01),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        assert_eq!(json["linked_existing"], true);
        assert_eq!(json["customer_id"], mine["id"]);

        let before = t.customer_total(&sales01).await;
        let blocked = create(&t, &sales01, lead_of(&their_mobile), "me").await;
        let (status, json, _) = t
            .post(
                &format!(
                    "/api/v1/leads/{}/convert",
                    blocked["id"].as_str().expect("id")
                ),
                Some(&sales01),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "[{b}] {json}");
        assert_eq!(
            assert_error_shape(b, status, &json),
            "customer_exists_elsewhere"
        );
        let text = json.to_string();
        let owner_name = theirs["owner_name"].as_str().expect("owner name");
        assert!(!text.contains(owner_name), "[{b}] names the owner: {text}");
        assert!(
            !text.contains(theirs["id"].as_str().expect("id")),
            "[{b}] {text}"
        );
        assert_eq!(
            t.customer_total(&sales01).await,
            before,
            "[{b}] nothing created"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn the_pool_is_masked_capped_and_fed_by_the_clock() {
    each_backend(|t, clock| async move {
        let b = t.backend();
        let gm = t.login("gm01").await;
        let sales01 = t.login("sales01").await;
        let sales03 = t.login("sales03").await;
        let first = create(&t, &gm, new_lead(&t, 10), "pool").await;
        let second = create(&t, &gm, new_lead(&t, 11), "pool").await;
        assert_eq!(first["owner_id"], Value::Null, "[{b}] {first}");

        // In the pool: masked for the sales team, never revealed, never edited.
        let (status, pool, _) = t.get("/api/v1/leads/pool", Some(&sales01)).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {pool}");
        let items = pool["items"].as_array().expect("items");
        let shown = items
            .iter()
            .find(|l| l["id"] == first["id"])
            .expect("pool lead listed");
        assert!(
            shown["name"].as_str().expect("name").contains('*'),
            "[{b}] {shown}"
        );
        assert!(
            is_masked_mobile(shown["mobile"].as_str().expect("mobile")),
            "[{b}] {shown}"
        );
        assert_eq!(shown["editable"], json!([]), "[{b}] {shown}");
        let id = first["id"].as_str().expect("id");
        let (status, json, _) = t
            .post(
                &format!("/api/v1/leads/{id}/reveal"),
                Some(&sales01),
                json!({"field": "mobile", "reason": "想联系"}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "[{b}] reveal in pool: {json}"
        );
        let (status, json, _) = t
            .patch(
                &format!("/api/v1/leads/{id}"),
                Some(&sales01),
                json!({"notes": "x"}),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "[{b}] edit in pool: {json}");
        // The administrator and the auditor have no pool at all.
        for who in ["admin", "auditor"] {
            let token = t.login(who).await;
            let (status, _, _) = t.get("/api/v1/leads/pool", Some(&token)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] {who}");
        }

        // One claim a day, as the store's rules now say.
        let (status, json, _) = t
            .with_json_put(
                "/api/v1/lead-rules",
                Some(&gm),
                json!({"assignment": "manual", "claims_per_day": 1, "return_after_days": 3}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        let (status, json, _) = t
            .post(
                &format!("/api/v1/leads/{id}/claim"),
                Some(&sales01),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "[{b}] {json}");
        let other = second["id"].as_str().expect("id");
        let (status, json, _) = t
            .post(
                &format!("/api/v1/leads/{other}/claim"),
                Some(&sales01),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "[{b}] {json}");
        assert_eq!(assert_error_shape(b, status, &json), "claim_limit_reached");
        // Someone else still may; a claimed lead is nobody's to claim again.
        let (status, _, _) = t
            .post(
                &format!("/api/v1/leads/{other}/claim"),
                Some(&sales03),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "[{b}]");
        let (status, _, _) = t
            .post(
                &format!("/api/v1/leads/{id}/claim"),
                Some(&sales03),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "[{b}] already claimed");
        // Claimed, it is sales01's, contact data at sales01's levels (the name in clear).
        let (status, detail) = lead(&t, &sales01, id).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {detail}");
        assert_eq!(detail["in_pool"], false);
        assert_eq!(detail["lead"]["name"], "林先生");

        // Not worked for three days: back to the pool, by the system, in the ledger.
        clock.advance_ms(2 * DAY_MS);
        assert_eq!(
            t.app.return_stale_leads().await.expect("return"),
            0,
            "[{b}] too early"
        );
        clock.advance_ms(DAY_MS + 1);
        assert!(
            t.app.return_stale_leads().await.expect("return") >= 2,
            "[{b}]"
        );
        // Days later the sessions have ended: sign in again.
        let sales01 = t.login("sales01").await;
        let gm = t.login("gm01").await;
        let (status, _) = lead(&t, &sales01, id).await;
        assert_eq!(status, StatusCode::OK, "[{b}] seen again through the pool");
        let (_, detail) = lead(&t, &gm, id).await;
        let reasons: Vec<&str> = detail["ownership"]
            .as_array()
            .expect("ledger")
            .iter()
            .map(|e| e["reason"].as_str().expect("reason"))
            .collect();
        assert_eq!(
            reasons,
            ["created", "claimed", "returned"],
            "[{b}] {detail}"
        );
        let returned = &detail["ownership"][2];
        assert_eq!(returned["owner_name"], Value::Null);
        assert_eq!(
            returned["changed_by"],
            Value::Null,
            "[{b}] the system returned it"
        );
        assert!(
            detail["ownership"][1]["ended_at"].is_i64(),
            "[{b}] {detail}"
        );

        // The next day, the cap starts again.
        clock.advance_ms(DAY_MS);
        let sales01 = t.login("sales01").await;
        let (status, json, _) = t
            .post(
                &format!("/api/v1/leads/{id}/claim"),
                Some(&sales01),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "[{b}] {json}");
        t
    })
    .await;
}

#[tokio::test]
async fn bad_input_is_refused_whole() {
    each_backend(|t, _clock| async move {
        let b = t.backend();
        let sales01 = t.login("sales01").await;
        let (_, before, _) = t.get("/api/v1/leads", Some(&sales01)).await;
        let mut body = new_lead(&t, 20);
        body["budget"] = json!("-5");
        body["source"] = json!("tv");
        body["mobile"] = json!("12345");
        let (status, json, _) = t.post("/api/v1/leads", Some(&sales01), body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");
        let fields: Vec<&str> = json["error"]["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| f["field"].as_str().expect("field"))
            .collect();
        assert_eq!(fields, ["mobile", "source", "budget"], "[{b}] {json}");
        let (status, json, _) = t
            .post(
                "/api/v1/leads",
                Some(&sales01),
                json!({"name": "x", "mobile": "13800000000", "colour": "red"}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] unknown field: {json}"
        );
        assert_eq!(
            json["error"]["fields"][0]["rule"], "unknown_field",
            "[{b}] {json}"
        );
        let (_, after, _) = t.get("/api/v1/leads", Some(&sales01)).await;
        assert_eq!(before["total"], after["total"], "[{b}] nothing written");
        t
    })
    .await;
}

#[tokio::test]
async fn leads_are_found_by_part_of_the_name_within_scope_and_never_in_the_pool() {
    each_backend(|t, _clock| async move {
        let b = t.backend();
        let sales01 = t.login("sales01").await;
        let sales02 = t.login("sales02").await;
        let named = |n: u64, name: &str| {
            let mut body = new_lead(&t, 800 + n);
            body["name"] = json!(name);
            body
        };
        let mine = create(&t, &sales01, named(1, "欧阳明远"), "me").await;
        create(&t, &sales01, named(2, "司马光"), "me").await;
        let theirs = create(&t, &sales02, named(3, "欧阳修"), "me").await;
        let ids = |list: &Value| -> Vec<String> {
            list["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|l| l["id"].as_str().expect("id").to_string())
                .collect()
        };

        // Within one's own leads only; any case, any part.
        let (status, list, _) = t
            .get("/api/v1/leads?q=%E6%AC%A7%E9%98%B3", Some(&sales01))
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {list}");
        assert_eq!(ids(&list), vec![mine["id"].as_str().expect("id")], "[{b}]");
        assert_eq!(list["total"], 1, "[{b}] {list}");
        let manager = t.login("salesmgr01").await;
        let (_, list, _) = t
            .get("/api/v1/leads?q=%E6%AC%A7%E9%98%B3", Some(&manager))
            .await;
        let mut found = ids(&list);
        found.sort();
        let mut expected = vec![
            mine["id"].as_str().expect("id").to_string(),
            theirs["id"].as_str().expect("id").to_string(),
        ];
        expected.sort();
        assert_eq!(found, expected, "[{b}] the department's");
        let (_, list, _) = t.get("/api/v1/leads?q=nobody", Some(&sales01)).await;
        assert_eq!(list["total"], 0, "[{b}] {list}");

        // Pool names are masked: no search there; an over-long term is refused.
        let (status, json, _) = t.get("/api/v1/leads/pool?q=x", Some(&sales01)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] {json}");
        let long = "长".repeat(51);
        let (status, json, _) = t
            .get(&format!("/api/v1/leads?q={long}"), Some(&sales01))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");
        assert_eq!(assert_error_shape(b, status, &json), "invalid_input");
        t
    })
    .await;
}
