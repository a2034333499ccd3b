//! Reading the log: a customer's access history for the store manager, an employee's
//! day-by-day timeline and the outcome filter for the auditor, and the group commit that
//! gives every read exactly one event in one gap-free chain.

mod common;

use axum::http::StatusCode;
use common::{on_every_backend, TestApp};
use serde_json::{json, Value};

async fn id_of_first(t: &TestApp, token: &str) -> String {
    t.first_customer(token).await["id"]
        .as_str()
        .expect("id")
        .to_string()
}

#[tokio::test]
async fn the_store_manager_reads_who_accessed_a_customer() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let sales = t.login("sales01").await;
        let id = id_of_first(&t, &sales).await;
        t.get(&format!("/api/v1/customers/{id}"), Some(&sales))
            .await;
        let reveal = json!({"field": "mobile", "reason": "回访确认"});
        let (status, _, _) = t
            .post(
                &format!("/api/v1/customers/{id}/reveal"),
                Some(&sales),
                reveal,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}]");

        let gm = t.login("gm01").await;
        let path = format!("/api/v1/customers/{id}/access-history");
        let (status, history, _) = t.get(&path, Some(&gm)).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {history}");
        let items = history["items"].as_array().expect("items");
        let by = |action: &str| {
            items
                .iter()
                .find(|e| e["action"] == action)
                .unwrap_or_else(|| panic!("[{b}] no {action} in {items:#?}"))
        };
        let revealed = by("customer.reveal");
        assert_eq!(revealed["actor"], "sales01", "[{b}]");
        assert_eq!(revealed["actor_name"], "王丽", "[{b}]");
        assert_eq!(revealed["fields"], json!(["mobile"]), "[{b}]");
        assert_eq!(revealed["reason"], "回访确认", "[{b}]");
        assert_eq!(by("customer.view")["actor"], "sales01", "[{b}]");
        assert!(
            items.iter().all(|e| e["action"] != "customer.list"),
            "[{b}] list pages are counted, not listed"
        );
        assert!(
            history["list_appearances"].as_u64().expect("count") >= 1,
            "[{b}] {history}"
        );
        // Newest first, and the history of the history is itself recorded.
        let (_, again, _) = t.get(&path, Some(&gm)).await;
        assert_eq!(again["items"][0]["action"], "customer.history", "[{b}]");
        assert_eq!(again["items"][0]["actor"], "gm01", "[{b}]");

        // Only the store manager, only within the store; the answer for another
        // store's customer is the missing one's.
        for who in ["sales01", "salesmgr01", "auditor", "admin"] {
            let token = t.login(who).await;
            let (status, json, _) = t.get(&path, Some(&token)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] {who}: {json}");
        }
        let elsewhere = id_of_first(&t, &t.login("sales11").await).await;
        let (status, json, _) = t
            .get(
                &format!("/api/v1/customers/{elsewhere}/access-history"),
                Some(&gm),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "[{b}] {json}");
        let (status, missing, _) = t
            .get("/api/v1/customers/not-an-id/access-history", Some(&gm))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "[{b}]");
        assert_eq!(json, missing, "[{b}] out of scope reads as missing");
        t
    })
    .await;
}

#[tokio::test]
async fn the_access_history_page_is_linked_for_the_store_manager_only() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let id = id_of_first(&t, &t.login("sales01").await).await;
        let mut sales = t.browser();
        sales.login("sales01").await;
        let detail = sales.get(&format!("/customers/{id}")).await;
        assert_eq!(detail.status, StatusCode::OK, "[{b}]");
        assert!(
            !detail.body.contains("/access\""),
            "[{b}] no link for sales01"
        );
        let page = sales.get(&format!("/customers/{id}/access")).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "[{b}]");

        let mut gm = t.browser();
        gm.login("gm01").await;
        let detail = gm.get(&format!("/customers/{id}")).await;
        assert!(
            detail.body.contains(&format!("/customers/{id}/access\"")),
            "[{b}] the manager's detail page links the history"
        );
        let page = gm.get(&format!("/customers/{id}/access")).await;
        assert_eq!(page.status, StatusCode::OK, "[{b}] {}", page.body);
        assert!(page.body.contains("谁看过这个客户"), "[{b}]");
        assert!(page.body.contains("王丽"), "[{b}] sales01 viewed it");
        common::csp::assert_csp_clean(&page.body);
        t
    })
    .await;
}

/// `(lists, views, reveals, refused)` of one day of a timeline.
fn figures(day: &Value) -> (i64, i64, i64, i64) {
    let n = |k: &str| day[k].as_i64().unwrap_or(-1);
    (n("lists"), n("views"), n("reveals"), n("refused"))
}

#[tokio::test]
async fn the_auditor_reads_an_employees_day_by_day_activity() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let sales = t.login("sales01").await;
        let id = id_of_first(&t, &sales).await; // one list
        t.get("/api/v1/customers?page=1", Some(&sales)).await; // two lists
        t.get(&format!("/api/v1/customers/{id}"), Some(&sales))
            .await;
        let reveal = json!({"field": "mobile", "reason": "回访确认"});
        t.post(
            &format!("/api/v1/customers/{id}/reveal"),
            Some(&sales),
            reveal,
        )
        .await;
        let elsewhere = id_of_first(&t, &t.login("sales11").await).await;
        t.get(&format!("/api/v1/customers/{elsewhere}"), Some(&sales))
            .await; // refused

        let auditor = t.login("auditor").await;
        let (status, tl, _) = t
            .get("/api/v1/audit/people/sales01?days=7", Some(&auditor))
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {tl}");
        assert_eq!(tl["display_name"], "王丽", "[{b}]");
        assert_eq!(tl["days_covered"], 7, "[{b}]");
        let days = tl["days"].as_array().expect("days");
        assert_eq!(days.len(), 1, "[{b}] everything happened today: {tl}");
        assert_eq!(figures(&days[0]), (2, 1, 1, 1), "[{b}] {tl}");
        assert_eq!(figures(&tl["totals"]), (2, 1, 1, 1), "[{b}]");
        // Two sign-ins: the helper logged sales01 in for the first request... and
        // every event counts in the total.
        assert!(days[0]["logins"].as_i64().expect("logins") >= 1, "[{b}]");
        assert!(days[0]["total"].as_i64().expect("total") >= 6, "[{b}]");

        let (status, json, _) = t
            .get("/api/v1/audit/people/sales01?days=0", Some(&auditor))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");
        assert_eq!(json["error"]["fields"][0]["field"], "days", "[{b}] {json}");
        let (status, _, _) = t.get("/api/v1/audit/people/nobody", Some(&auditor)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "[{b}]");
        let gm = t.login("gm01").await;
        let (status, _, _) = t.get("/api/v1/audit/people/sales01", Some(&gm)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{b}]");

        let mut browser = t.browser();
        browser.login("auditor").await;
        let page = browser.get("/audit/people/sales01?days=7").await;
        assert_eq!(page.status, StatusCode::OK, "[{b}] {}", page.body);
        assert!(page.body.contains("王丽 的操作时间线"), "[{b}]");
        common::csp::assert_csp_clean(&page.body);
        let viewer = browser.get("/audit?actor=sales01").await;
        assert!(
            viewer.body.contains("/audit/people/sales01"),
            "[{b}] the filtered viewer links the timeline"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn the_auditor_filters_by_outcome() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let sales = t.login("sales01").await;
        let elsewhere = id_of_first(&t, &t.login("sales11").await).await;
        t.get(&format!("/api/v1/customers/{elsewhere}"), Some(&sales))
            .await;
        let auditor = t.login("auditor").await;
        let (status, json, _) = t.get("/api/v1/audit?outcome=denied", Some(&auditor)).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        let items = json["items"].as_array().expect("items");
        assert!(!items.is_empty(), "[{b}]");
        assert!(
            items.iter().all(|e| e["outcome"] == "denied"),
            "[{b}] {json}"
        );
        let (status, json, _) = t.get("/api/v1/audit?outcome=maybe", Some(&auditor)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");

        let mut browser = t.browser();
        browser.login("auditor").await;
        let page = browser.get("/audit?outcome=denied").await;
        assert_eq!(page.status, StatusCode::OK, "[{b}]");
        assert!(
            page.body.contains("<option value=\"denied\" selected>"),
            "[{b}]"
        );
        let page = browser.get("/audit?outcome=maybe").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        t
    })
    .await;
}

#[tokio::test]
async fn concurrent_reads_share_commits_and_each_leaves_one_event() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let sales = t.login("sales01").await;
        let id = id_of_first(&t, &sales).await;
        let path = format!("/api/v1/customers/{id}");
        let requests = (0..40).map(|_| t.get(&path, Some(&sales)));
        // Polled together: each request awaits the group commit, so one by one they
        // would never share one.
        for (status, json, _) in futures_util::future::join_all(requests).await {
            assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        }
        let auditor = t.login("auditor").await;
        let (_, json, _) = t
            .get(
                &format!("/api/v1/audit?customer_id={id}&action=customer.view&limit=1000"),
                Some(&auditor),
            )
            .await;
        assert_eq!(
            json["items"].as_array().expect("items").len(),
            40,
            "[{b}] one event per request"
        );
        let mut tx = t.app.store().read().await.expect("read");
        let chain = tx.audit_range(1, 100_000).await.expect("chain");
        for (i, pair) in chain.windows(2).enumerate() {
            assert_eq!(pair[1].seq, pair[0].seq + 1, "[{b}] gap after {i}");
            assert_eq!(
                pair[1].prev_hash, pair[0].hash,
                "[{b}] link at {}",
                pair[1].seq
            );
        }
        drop(tx);
        t
    })
    .await;
}
