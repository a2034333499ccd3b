//! The staff pages on the page path, on every backend: only the store manager has the
//! staff list (and its navigation entry); a resignation recorded through the form (a
//! refused last day keeps what was typed), the handover chosen one by one on the wizard
//! (the customers listed as the manager sees them, the page watermarked), a freeze that
//! needs its confirmation box, the departure-risk report, and the administrator's way in
//! from the account page — without the customers themselves.

mod common;

use axum::http::StatusCode;
use common::browser::{Browser, Page};
use common::{on_every_backend, TestApp};
use serde_json::Value;

async fn signed_in<'a>(t: &'a TestApp, username: &str) -> Browser<'a> {
    let mut b = t.browser();
    b.login(username).await;
    b
}

/// The `name`s of the wizard's selects: `customer:ID` / `lead:ID`.
fn picks(page: &Page) -> Vec<String> {
    page.body
        .match_indices("<select id=\"to-")
        .filter_map(|(at, _)| {
            let rest = &page.body[at..];
            let name = rest.split("name=\"").nth(1)?;
            Some(name.split('"').next()?.to_string())
        })
        .collect()
}

/// The owner id of each customer the API shows `token`.
async fn owner_of(t: &TestApp, token: &str, customer: &str) -> String {
    let (_, json, _) = t
        .get(&format!("/api/v1/customers/{customer}"), Some(token))
        .await;
    let json: &Value = &json;
    json["owner_id"]
        .as_str()
        .or_else(|| json["customer"]["owner_id"].as_str())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn the_store_manager_lets_someone_go_through_the_pages() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let sales02_id = t.user_id("sales02");
        let sales01_id = t.user_id("sales01");

        // Who has the staff list.
        for (who, listed) in [("sales01", false), ("salesmgr01", false), ("admin", false)] {
            let mut browser = signed_in(&t, who).await;
            let home = browser.get("/").await;
            assert_eq!(
                home.body.contains("href=\"/staff\""),
                listed,
                "[{b}] {who}'s navigation"
            );
            let page = browser.get("/staff").await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "[{b}] {who}");
        }
        let mut gm = signed_in(&t, "gm01").await;
        let home = gm.get("/").await;
        assert!(
            home.body.contains("href=\"/staff\""),
            "[{b}] gm01's navigation"
        );
        let list = gm.get("/staff").await;
        assert_eq!(list.status, StatusCode::OK, "[{b}] {}", list.body);
        assert!(
            list.body.contains(&format!("href=\"/staff/{sales02_id}\"")),
            "[{b}] sales02 is listed"
        );
        assert!(!list.body.contains("sales11"), "[{b}] another store's");

        // A resignation: refused without the token, then a bad day kept and refused.
        let path = format!("/staff/{sales02_id}");
        let person = gm.get(&path).await;
        assert_eq!(person.status, StatusCode::OK, "[{b}] {}", person.body);
        let csrf = person.csrf();
        let refused = gm
            .post(
                &format!("{path}/resignation"),
                &[("last_day", "2000-01-01"), ("rule", "round_robin_team")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "[{b}] no CSRF token");
        let refused = gm
            .post(
                &format!("{path}/resignation"),
                &[
                    ("csrf", &csrf),
                    ("last_day", "2000-01-01"),
                    ("rule", "round_robin_team"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(refused.body.contains("value=\"2000-01-01\""), "[{b}] kept");
        assert!(
            refused.body.contains("last-day-error"),
            "[{b}] by its field"
        );
        let refused = gm
            .post(
                &format!("{path}/resignation"),
                &[
                    ("csrf", &csrf),
                    ("last_day", "2000-01-01"),
                    ("rule", "to_user"),
                ],
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] to a colleague, but nobody chosen"
        );
        let last_day = (t.app.clock().local_now().date() + time::Duration::days(14)).to_string();
        let done = gm
            .post(
                &format!("{path}/resignation"),
                &[
                    ("csrf", &csrf),
                    ("last_day", &last_day),
                    ("rule", "to_user"),
                    ("to_user_id", &sales01_id),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "[{b}] {}", done.body);
        let person = gm.get(done.location()).await;
        assert!(person.body.contains("data-standing=\"leaving\""), "[{b}]");
        assert!(person.body.contains(&last_day), "[{b}] the last day shown");
        let home = gm.get("/").await;
        assert!(
            home.body.contains("home-staff") && home.body.contains(&last_day),
            "[{b}] the home page says who is leaving"
        );

        // One by one: the wizard lists sales02's customers, watermarked; two picked.
        let wizard = gm.get(&format!("{path}/handover")).await;
        assert_eq!(wizard.status, StatusCode::OK, "[{b}] {}", wizard.body);
        assert!(
            wizard.body.contains("class=\"watermark"),
            "[{b}] watermarked"
        );
        let keys = picks(&wizard);
        assert!(keys.len() >= 3, "[{b}] {keys:?}");
        let csrf = wizard.csrf();
        let nothing = gm
            .post(
                &format!("{path}/handover"),
                &[("csrf", &csrf), ("rule", "one_by_one"), (&keys[0], "")],
            )
            .await;
        assert_eq!(
            nothing.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] nothing chosen"
        );
        let sales03_id = t.user_id("sales03");
        let done = gm
            .post(
                &format!("{path}/handover"),
                &[
                    ("csrf", &csrf),
                    ("rule", "one_by_one"),
                    ("tab", "customers"),
                    ("page", "1"),
                    (&keys[0], &sales03_id),
                    (&keys[1], &sales01_id),
                    (&keys[2], ""),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "[{b}] {}", done.body);
        assert!(done.location().contains("done=handed"), "[{b}]");
        let token = t.login("gm01").await;
        let id_of = |key: &str| key.trim_start_matches("customer:").to_string();
        assert_eq!(
            owner_of(&t, &token, &id_of(&keys[0])).await,
            sales03_id,
            "[{b}]"
        );
        assert_eq!(
            owner_of(&t, &token, &id_of(&keys[1])).await,
            sales01_id,
            "[{b}]"
        );
        assert_eq!(
            owner_of(&t, &token, &id_of(&keys[2])).await,
            sales02_id,
            "[{b}]"
        );

        // The risk report, against the peers.
        let risk = gm.get(&format!("{path}/risk")).await;
        assert_eq!(risk.status, StatusCode::OK, "[{b}] {}", risk.body);
        assert!(risk.body.contains("table-risk"), "[{b}]");

        // A freeze needs its box ticked; then the rest of the book goes round-robin.
        let person = gm.get(&path).await;
        let csrf = person.csrf();
        let unticked = gm
            .post(
                &format!("{path}/freeze"),
                &[
                    ("csrf", &csrf),
                    ("reason", "合同到期"),
                    ("rule", "round_robin_team"),
                ],
            )
            .await;
        assert_eq!(unticked.status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(unticked.body.contains("合同到期"), "[{b}] the reason kept");
        let done = gm
            .post(
                &format!("{path}/freeze"),
                &[
                    ("csrf", &csrf),
                    ("reason", "合同到期"),
                    ("rule", "round_robin_team"),
                    ("confirm", "yes"),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "[{b}] {}", done.body);
        let person = gm.get(done.location()).await;
        assert!(person.body.contains("data-standing=\"frozen\""), "[{b}]");
        assert!(
            !person.body.contains("action=\"/staff/"),
            "[{b}] nothing left to do"
        );
        assert_eq!(
            owner_of(&t, &token, &id_of(&keys[2])).await,
            sales01_id,
            "[{b}]"
        );

        // The administrator: from the account page, freeze and resignation, no customers.
        let mut admin = signed_in(&t, "admin").await;
        let sales03_path = format!("/staff/{sales03_id}");
        let account = admin.get(&format!("/admin/users/{sales03_id}")).await;
        assert!(
            account.body.contains(&format!("href=\"{sales03_path}\"")),
            "[{b}] the way in"
        );
        let person = admin.get(&sales03_path).await;
        assert_eq!(person.status, StatusCode::OK, "[{b}] {}", person.body);
        assert!(person.body.contains("action=\"/staff/"), "[{b}] the forms");
        assert!(
            !person
                .body
                .contains(&format!("href=\"{sales03_path}/handover\"")),
            "[{b}] no one-by-one list of customers"
        );
        assert!(!person.body.contains("/risk\""), "[{b}] no risk report");
        let wizard = admin.get(&format!("{sales03_path}/handover")).await;
        assert_eq!(wizard.status, StatusCode::FORBIDDEN, "[{b}] no customers");
        t
    })
    .await;
}
