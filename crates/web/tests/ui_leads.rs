//! The lead pages on the page path, on every backend: every demo account signs in and
//! opens the lead list, the pool and each lead's page. What a page may carry comes from
//! the role's policy, decided grant by grant: no clear value of a lead field the role
//! sees masked or not at all, pool leads masked for everyone, out-of-scope leads exactly
//! like missing ones, no-store and the watermark wherever lead data is shown. Then a
//! salesperson works a lead through the forms: create (a refusal keeps what was typed),
//! follow-up, stage move, claim from the pool.

mod common;

use axum::http::{header, StatusCode};
use common::browser::shows;
use common::world::{subject_of, MISSING_ID};
use common::{on_every_backend, TestApp};
use dealervault_demo::DEMO_ACCOUNTS;
use dealervault_domain::access::RowBound;
use dealervault_domain::catalog::{governed_fields, Entity, Sensitivity};
use dealervault_policy::{Action, FieldLevel};
use serde_json::{json, Value};

/// A lead made for the checks, with values long enough to be told apart in a page.
struct Lead {
    id: String,
    owner: Option<&'static str>,
    values: Value,
}

async fn make_leads(t: &TestApp) -> Vec<Lead> {
    let mut out = Vec::new();
    for (n, owner) in [(1u64, Some("sales01")), (2, Some("sales11")), (3, None)] {
        let values = json!({
            "name": format!("页面测试{n}号客户"),
            "mobile": t.fresh_customer(300 + n).mobile,
            "wechat": format!("wx_pagecheck{n}"),
            "notes": format!("页面备注第{n}条内容"),
        });
        let (who, assign) = match owner {
            Some(o) => (o, "me"),
            None => ("gm01", "pool"),
        };
        let token = t.login(who).await;
        let (status, json, _) = t
            .post(
                &format!("/api/v1/leads?assign={assign}"),
                Some(&token),
                values.clone(),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "[{}] {json}", t.backend());
        out.push(Lead {
            id: json["id"].as_str().expect("id").into(),
            owner,
            values,
        });
    }
    out
}

#[tokio::test]
async fn lead_pages_show_what_each_role_may_see_and_nothing_more() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let leads = make_leads(&t).await;
        let personal: Vec<&str> = governed_fields(Entity::Lead)
            .filter(|f| f.sensitivity >= Sensitivity::Personal)
            .map(|f| f.name)
            .collect();
        let (_, gm) = subject_of(&t, "gm01").await;
        let pool_store = gm.position.store_id.clone().expect("SH01");
        // A store or group bound over the pool's store: what reaches a lead without owner.
        let over_pool = |bound: &RowBound| match bound {
            RowBound::Store(s) => s == &pool_store,
            RowBound::Group => true,
            _ => false,
        };
        for (username, ..) in DEMO_ACCOUNTS {
            let (policy, subject) = subject_of(&t, username).await;
            let mut browser = t.browser();
            browser.login(username).await;
            let sees_leads = policy.may(Entity::Lead, Action::View);
            let list = browser.get("/leads").await;
            let expected = if sees_leads {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(list.status, expected, "[{b}] {username} /leads");
            // The funnel report counts the same leads, and names none of them.
            let report = browser.get("/reports/funnel").await;
            assert_eq!(report.status, expected, "[{b}] {username} /reports/funnel");
            for lead in &leads {
                for field in ["name", "mobile", "wechat", "notes"] {
                    let value = lead.values[field].as_str().expect("a value");
                    assert!(
                        !report.body.contains(value),
                        "[{b}] {username}: a lead's {field} in the funnel report"
                    );
                }
            }
            let pool = browser.get("/leads/pool").await;
            let claims = policy.may(Entity::Lead, Action::Claim);
            let expected = if claims {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(pool.status, expected, "[{b}] {username} /leads/pool");
            let missing = browser.get(&format!("/leads/{MISSING_ID}")).await;
            for lead in &leads {
                // Who reaches the lead: its owner's place for the view grants; for the
                // pool lead, a claim scope over the store.
                let reached = match lead.owner {
                    Some(owner) => {
                        let (_, owner_subject) = subject_of(&t, owner).await;
                        let place = dealervault_domain::access::RecordPlace {
                            owner_id: owner_subject.user_id.clone(),
                            owner_team_id: owner_subject.position.team_id.clone(),
                            owner_department_id: owner_subject.position.department_id.clone(),
                            store_id: owner_subject.position.store_id.clone().expect("store"),
                        };
                        policy.allows_record(Entity::Lead, Action::View, &subject, &place)
                    }
                    None => [Action::Claim, Action::View].into_iter().any(|action| {
                        policy
                            .row_filter(Entity::Lead, action, &subject)
                            .is_ok_and(|f| over_pool(f.within()))
                    }),
                };
                let page = browser.get(&format!("/leads/{}", lead.id)).await;
                let cell = format!("[{b}] {username} × lead {}", lead.id);
                if !reached {
                    assert_eq!(page.status, missing.status, "{cell}: unlike a missing lead");
                    assert_eq!(page.body, missing.body, "{cell}: unlike a missing lead");
                    continue;
                }
                assert_eq!(page.status, StatusCode::OK, "{cell}");
                assert_eq!(
                    page.header(header::CACHE_CONTROL.as_str()),
                    Some("no-store"),
                    "{cell}"
                );
                assert!(
                    page.body.contains("class=\"watermark"),
                    "{cell}: no watermark"
                );
                let in_pool_view = lead.owner.is_none()
                    && !policy
                        .row_filter(Entity::Lead, Action::View, &subject)
                        .is_ok_and(|f| over_pool(f.within()));
                for field in &personal {
                    let mut level = policy.field_level(Entity::Lead, field);
                    if in_pool_view {
                        level = level.min(FieldLevel::Masked);
                    }
                    let value = lead.values[*field].as_str().expect("value");
                    let clear = shows(&page.body, value);
                    assert_eq!(
                        clear,
                        level >= FieldLevel::Clear,
                        "{cell} × {field} ({level:?})"
                    );
                    // The lists never carry more than the page does.
                    for (what, listing) in [("list", &list), ("pool", &pool)] {
                        if shows(&listing.body, value) {
                            assert!(
                                level >= FieldLevel::Clear && what == "list",
                                "{cell} × {field} in the {what}"
                            );
                        }
                    }
                }
            }
        }
        t
    })
    .await;
}

#[tokio::test]
async fn a_salesperson_works_a_lead_through_the_pages() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let mut browser = t.browser();
        browser.login("sales01").await;
        let form = browser.get("/leads/new").await;
        assert_eq!(form.status, StatusCode::OK, "[{b}]");
        let csrf = form.csrf();
        // A refusal keeps what was typed and names the field.
        let refused = browser
            .post(
                "/leads/new",
                &[
                    ("csrf", &csrf),
                    ("name", "赵先生"),
                    ("mobile", "12345"),
                    ("budget", "30万"),
                    ("source", "walk_in"),
                    ("assign", "me"),
                ],
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] {}",
            refused.body
        );
        assert!(
            refused.body.contains("value=\"赵先生\""),
            "[{b}] what was typed is kept"
        );
        assert!(
            refused.body.contains("f-budget-error"),
            "[{b}] the budget is named"
        );
        // Without the token: refused.
        let forged = browser
            .post(
                "/leads/new",
                &[("name", "赵先生"), ("mobile", "13912345670")],
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "[{b}]");
        let mobile = t.fresh_customer(400).mobile;
        let created = browser
            .post(
                "/leads/new",
                &[
                    ("csrf", &csrf),
                    ("name", "赵先生"),
                    ("mobile", &mobile),
                    ("budget", "300000"),
                    ("source", "phone"),
                    ("intended_model", "迈腾"),
                    ("assign", "me"),
                ],
            )
            .await;
        assert_eq!(
            created.status,
            StatusCode::SEE_OTHER,
            "[{b}] {}",
            created.body
        );
        let path = created
            .location()
            .split('?')
            .next()
            .unwrap_or_default()
            .to_string();
        let page = browser.get(&path).await;
        assert!(
            page.body.contains("赵先生") && page.body.contains("¥300,000.00"),
            "[{b}] {}",
            page.body
        );
        assert!(!shows(&page.body, &mobile), "[{b}] the mobile shows masked");
        // Found by part of the name, through a post (the name stays out of the address).
        let found = browser
            .post("/leads", &[("csrf", &csrf), ("q", "赵先")])
            .await;
        assert_eq!(found.status, StatusCode::OK, "[{b}]");
        assert!(
            found.body.contains(&format!("href=\"{path}\"")),
            "[{b}] {}",
            found.body
        );
        let none = browser
            .post("/leads", &[("csrf", &csrf), ("q", "无此人")])
            .await;
        assert!(!none.body.contains(&format!("href=\"{path}\"")), "[{b}]");
        // A call logged as done moves the lead to contacted; then a stage move by hand.
        let done = browser
            .post(
                &format!("{path}/follow-ups"),
                &[
                    ("csrf", &csrf),
                    ("kind", "call"),
                    ("done", "1"),
                    ("notes", "问了落地价"),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "[{b}] {}", done.body);
        let page = browser.get(&path).await;
        assert!(
            page.body.contains("问了落地价") && page.body.contains("badge-contacted"),
            "[{b}]"
        );
        let lost = browser
            .post(
                &format!("{path}/status"),
                &[("csrf", &csrf), ("status", "lost"), ("lost_reason", "")],
            )
            .await;
        assert_eq!(
            lost.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] lost without a reason"
        );
        let moved = browser
            .post(
                &format!("{path}/status"),
                &[("csrf", &csrf), ("status", "quoted"), ("lost_reason", "")],
            )
            .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "[{b}] {}", moved.body);
        assert!(
            browser.get(&path).await.body.contains("badge-quoted"),
            "[{b}]"
        );
        // A pool lead, claimed from the pool page.
        let gm = t.login("gm01").await;
        let (_, pooled, _) = t
            .post(
                "/api/v1/leads?assign=pool",
                Some(&gm),
                json!({"name": "钱女士", "mobile": t.fresh_customer(401).mobile}),
            )
            .await;
        let id = pooled["id"].as_str().expect("id");
        let pool = browser.get("/leads/pool").await;
        assert!(
            pool.body.contains(&format!("/leads/{id}/claim")),
            "[{b}] claim button"
        );
        assert!(
            !pool.body.contains("钱女士"),
            "[{b}] the name is masked in the pool"
        );
        let claimed = browser
            .post(&format!("/leads/{id}/claim"), &[("csrf", &csrf)])
            .await;
        assert_eq!(
            claimed.status,
            StatusCode::SEE_OTHER,
            "[{b}] {}",
            claimed.body
        );
        let page = browser.get(&format!("/leads/{id}")).await;
        assert!(
            page.body.contains("钱女士"),
            "[{b}] claimed: the name in clear"
        );
        t
    })
    .await;
}
