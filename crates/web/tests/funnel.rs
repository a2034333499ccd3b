//! The funnel conversion report through the API and the page, on every backend: exact
//! counts by stage, source and salesperson for leads moved through their statuses on a
//! manual clock (a lead lost after a quote still counts as quoted; an order and a
//! delivery written through the store, as the order desk does), the period, the scopes
//! (a salesperson sees their own row, a manager their department, the general manager
//! the store with its pool), refusals, and no lead's name or mobile in any answer.

mod common;

use axum::http::StatusCode;
use common::{assert_error_shape, TestApp};
use dealervault_app::Clock;
use dealervault_domain::ids::LeadId;
use dealervault_store::testing::TestDb;
use serde_json::{json, Value};

const DAY_MS: i64 = 86_400_000;
const FUNNEL: &str = "/api/v1/reports/funnel";

/// A lead of the test: who creates it, where it goes, its source and its way through
/// the funnel.
struct Story {
    name: &'static str,
    creator: &'static str,
    assign: &'static str,
    source: &'static str,
    /// Hand moves, in order (`lost` with the reason `price`).
    moves: &'static [&'static str],
    /// Statuses only an order and its delivery set, written through the store.
    ordered: bool,
}

const STORIES: [Story; 6] = [
    Story {
        name: "林嘉怡",
        creator: "sales01",
        assign: "me",
        source: "autohome",
        moves: &["contacted", "visited", "test_drive", "quoted", "lost"],
        ordered: false,
    },
    Story {
        name: "欧阳振华",
        creator: "sales01",
        assign: "me",
        source: "autohome",
        moves: &["visited"],
        ordered: false,
    },
    Story {
        name: "司马文静",
        creator: "sales01",
        assign: "me",
        source: "walk_in",
        moves: &["test_drive", "quoted"],
        ordered: true,
    },
    Story {
        name: "诸葛明远",
        creator: "sales02",
        assign: "me",
        source: "phone",
        moves: &["contacted", "lost"],
        ordered: false,
    },
    Story {
        name: "上官若兰",
        creator: "sales02",
        assign: "me",
        source: "autohome",
        moves: &[],
        ordered: false,
    },
    Story {
        name: "慕容晓峰",
        creator: "gm01",
        assign: "pool",
        source: "walk_in",
        moves: &[],
        ordered: false,
    },
];

/// A lead created forty days before the others, by sales01: outside the default period.
const OLD: &str = "东方一鸣";

/// Every name and mobile the test gave a lead: none may appear in a report.
struct World {
    personal: Vec<String>,
    /// The first day of the old lead, `YYYY-MM-DD` in China time.
    old_day: String,
}

async fn create(t: &TestApp, who: &str, name: &str, n: u64, source: &str, assign: &str) -> String {
    let token = t.login(who).await;
    let body = json!({
        "name": name,
        "mobile": t.fresh_customer(n).mobile,
        "source": source,
        "intended_model": "途观L",
    });
    let (status, json, _) = t
        .post(
            &format!("/api/v1/leads?assign={assign}"),
            Some(&token),
            body,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "[{}] {json}", t.backend());
    json["id"].as_str().expect("id").to_string()
}

/// An order and its delivery, as the order desk writes them: through the store's lead
/// update, which keeps the furthest stage without being told.
async fn order_and_deliver(t: &TestApp, id: &str) {
    for status in ["ordered", "delivered"] {
        let mut tx = t.app.store().write().await.expect("write");
        let id = LeadId::parse(id).expect("a lead id");
        let mut lead = tx.lead_unscoped(&id).await.expect("read").expect("lead");
        lead.status = status.to_string();
        tx.update_lead(&lead).await.expect("update");
        tx.commit().await.expect("commit");
    }
}

async fn build(t: &TestApp, clock: &Clock) -> World {
    let mut personal = vec![OLD.to_string()];
    personal.push(t.fresh_customer(100).mobile);
    create(t, "sales01", OLD, 100, "autohome", "me").await;
    let old_day = dealervault_app::to_local(clock.now_ms()).date().to_string();
    clock.advance_ms(40 * DAY_MS);

    for (story, n) in STORIES.iter().zip(1..) {
        let id = create(t, story.creator, story.name, n, story.source, story.assign).await;
        personal.push(story.name.to_string());
        personal.push(t.fresh_customer(n).mobile);
        let token = t.login(story.creator).await;
        for to in story.moves {
            let body = if *to == "lost" {
                json!({"status": "lost", "lost_reason": "price"})
            } else {
                json!({"status": to})
            };
            let path = format!("/api/v1/leads/{id}/status");
            let (status, json, _) = t.post(&path, Some(&token), body).await;
            assert_eq!(status, StatusCode::OK, "[{}] {to}: {json}", t.backend());
        }
        if story.ordered {
            order_and_deliver(t, &id).await;
        }
    }
    World { personal, old_day }
}

async fn each_backend<F, Fut>(test: F)
where
    F: Fn(TestApp, World) -> Fut,
    Fut: std::future::Future<Output = TestApp>,
{
    for db in TestDb::all().await {
        let clock = Clock::manual(Clock::system().now_ms());
        let t = TestApp::spawn_with_clock(db, clock.clone()).await;
        // The managers, finance, the administrator and the auditor work here 40 days
        // after the organisation was made without ever setting up two-step sign-in,
        // which their roles require after a grace period: the funnel is not about that,
        // so the marks are lifted (tests/mfa.rs covers them).
        t.lift_mfa_marks().await;
        let world = build(&t, &clock).await;
        test(t, world).await.teardown().await;
    }
}

/// Leads that reached each stage, `new` first.
fn reached(funnel: &Value) -> Vec<u64> {
    funnel["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| s["reached"].as_u64().expect("a count"))
        .collect()
}

fn lost(funnel: &Value) -> u64 {
    funnel["lost"].as_u64().expect("lost")
}

/// The funnel of the line whose `key` is `value` (`null` for the pool).
fn line<'a>(lines: &'a Value, key: &str, value: &Value) -> &'a Value {
    let found = lines
        .as_array()
        .expect("lines")
        .iter()
        .find(|l| &l[key] == value);
    &found.unwrap_or_else(|| panic!("no line {key} = {value} in {lines}"))["funnel"]
}

async fn report(t: &TestApp, who: &str, query: &str) -> (StatusCode, Value, String) {
    let token = t.login(who).await;
    let (status, json, body) = t.get(&format!("{FUNNEL}{query}"), Some(&token)).await;
    (status, json, String::from_utf8_lossy(&body).into_owned())
}

fn assert_no_personal_data(backend: &str, who: &str, body: &str, world: &World) {
    for value in &world.personal {
        assert!(
            !body.contains(value.as_str()),
            "[{backend}] {who}: {value} in the report"
        );
    }
}

#[tokio::test]
async fn the_store_funnel_counts_every_lead_at_its_furthest_stage() {
    each_backend(|t, world| async move {
        let b = t.backend();
        let (status, r, body) = report(&t, "gm01", "").await;
        assert_eq!(status, StatusCode::OK, "[{b}] {r}");
        assert_no_personal_data(b, "gm01", &body, &world);

        // The lead lost after its quote counts as quoted; the old lead is not counted.
        assert_eq!(reached(&r["total"]), [6, 4, 3, 2, 2, 1, 1], "[{b}] {r}");
        assert_eq!(lost(&r["total"]), 2, "[{b}]");
        let stages = r["total"]["stages"].as_array().expect("stages");
        assert_eq!(stages[0]["stage"], "new");
        assert_eq!(stages[0]["of_first_permille"], 1000);
        assert_eq!(stages[0]["of_previous_permille"], Value::Null);
        assert_eq!(stages[1]["of_first_permille"], 667, "[{b}] 4 of 6");
        assert_eq!(stages[2]["of_previous_permille"], 750, "[{b}] 3 of 4");
        assert_eq!(stages[5]["stage"], "ordered");
        assert_eq!(stages[5]["of_first_permille"], 167, "[{b}] 1 of 6");
        assert_eq!(stages[5]["of_previous_permille"], 500, "[{b}] 1 of 2");

        let sources = &r["by_source"];
        let order: Vec<&str> = sources
            .as_array()
            .expect("sources")
            .iter()
            .map(|s| s["source"].as_str().expect("a code"))
            .collect();
        assert_eq!(
            order,
            ["walk_in", "phone", "autohome"],
            "[{b}] catalog order"
        );
        let autohome = line(sources, "source", &json!("autohome"));
        assert_eq!(reached(autohome), [3, 2, 2, 1, 1, 0, 0], "[{b}]");
        assert_eq!(lost(autohome), 1, "[{b}]");
        let walk_in = line(sources, "source", &json!("walk_in"));
        assert_eq!(reached(walk_in), [2, 1, 1, 1, 1, 1, 1], "[{b}]");
        assert_eq!(lost(walk_in), 0, "[{b}]");
        let phone = line(sources, "source", &json!("phone"));
        assert_eq!(reached(phone), [1, 1, 0, 0, 0, 0, 0], "[{b}]");
        assert_eq!(lost(phone), 1, "[{b}]");

        let owners = &r["by_owner"];
        assert_eq!(owners.as_array().map(Vec::len), Some(3), "[{b}] {owners}");
        let sales01 = line(owners, "owner_id", &json!(t.user_id("sales01")));
        assert_eq!(reached(sales01), [3, 3, 3, 2, 2, 1, 1], "[{b}]");
        assert_eq!(lost(sales01), 1, "[{b}]");
        let sales02 = line(owners, "owner_id", &json!(t.user_id("sales02")));
        assert_eq!(reached(sales02), [2, 1, 0, 0, 0, 0, 0], "[{b}]");
        let pool = line(owners, "owner_id", &Value::Null);
        assert_eq!(reached(pool), [1, 0, 0, 0, 0, 0, 0], "[{b}]");
        // Staff are named (a staff name is no customer's data); the pool last.
        assert_eq!(owners[0]["owner_name"], "张伟", "[{b}] {owners}");
        assert_eq!(owners[1]["owner_name"], "王丽", "[{b}] {owners}");
        assert_eq!(owners[2]["owner_name"], Value::Null, "[{b}]");

        // A period that reaches back to the old lead counts it too.
        let query = format!("?from={}", world.old_day);
        let (status, r, _) = report(&t, "gm01", &query).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {r}");
        assert_eq!(reached(&r["total"])[0], 7, "[{b}] {r}");
        let (_, r, _) = report(&t, "gm01", &format!("{query}&to={}", world.old_day)).await;
        assert_eq!(reached(&r["total"]), [1, 0, 0, 0, 0, 0, 0], "[{b}] {r}");
        let (_, r, _) = report(&t, "gm01", &format!("{query}&store=SH02")).await;
        assert_eq!(reached(&r["total"])[0], 0, "[{b}] another store's: {r}");
        t
    })
    .await;
}

#[tokio::test]
async fn each_role_sees_the_funnel_of_its_scope() {
    each_backend(|t, world| async move {
        let b = t.backend();
        // A salesperson: their own leads, their own row, and nothing else.
        let (status, r, body) = report(&t, "sales01", "").await;
        assert_eq!(status, StatusCode::OK, "[{b}] {r}");
        assert_no_personal_data(b, "sales01", &body, &world);
        assert_eq!(reached(&r["total"]), [3, 3, 3, 2, 2, 1, 1], "[{b}] {r}");
        let owners = r["by_owner"].as_array().expect("owners");
        assert_eq!(owners.len(), 1, "[{b}] {r}");
        assert_eq!(owners[0]["owner_id"], t.user_id("sales01"));
        assert!(!body.contains(&t.user_id("sales02")), "[{b}]");

        // The sales manager: the department's salespeople, not the store's pool.
        let (status, r, body) = report(&t, "salesmgr01", "").await;
        assert_eq!(status, StatusCode::OK, "[{b}] {r}");
        assert_no_personal_data(b, "salesmgr01", &body, &world);
        assert_eq!(reached(&r["total"])[0], 5, "[{b}] {r}");
        assert_eq!(r["by_owner"].as_array().map(Vec::len), Some(2), "[{b}]");

        // Another store's salesperson: no lead of SH01.
        let (status, r, _) = report(&t, "sales11", "").await;
        assert_eq!(status, StatusCode::OK, "[{b}] {r}");
        assert_eq!(reached(&r["total"])[0], 0, "[{b}] {r}");

        // Roles that may not view leads.
        for who in ["finance01", "admin", "auditor"] {
            let (status, json, _) = report(&t, who, "").await;
            assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] {who}: {json}");
            assert_eq!(assert_error_shape(b, status, &json), "forbidden");
        }
        let (status, _, _) = t.get(FUNNEL, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "[{b}]");
        t
    })
    .await;
}

#[tokio::test]
async fn a_bad_period_is_refused_naming_the_field() {
    each_backend(|t, _world| async move {
        let b = t.backend();
        for (query, field) in [
            ("?from=2026-13-01", "from"),
            ("?from=yesterday&to=2026-01-31", "from"),
            ("?to=31/01/2026", "to"),
            ("?from=2026-02-02&to=2026-02-01", "to"),
            ("?from=2024-01-01&to=2025-01-01", "from"),
            ("?store=SH01%27--", "store"),
        ] {
            let (status, json, _) = report(&t, "gm01", query).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "[{b}] {query}: {json}"
            );
            assert_eq!(assert_error_shape(b, status, &json), "invalid_input");
            assert_eq!(json["error"]["fields"][0]["field"], field, "[{b}] {query}");
        }
        // A leap year's 366 days are one period.
        let (status, json, _) = report(&t, "gm01", "?from=2024-01-01&to=2024-12-31").await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        t
    })
    .await;
}

#[tokio::test]
async fn the_report_page_charts_the_funnel_and_links_the_reports() {
    each_backend(|t, world| async move {
        let b = t.backend();
        let mut gm = t.browser();
        gm.login("gm01").await;
        let home = gm.get("/").await;
        assert!(home.body.contains("href=\"/reports/funnel\""), "[{b}] nav");
        let page = gm.get("/reports/funnel").await;
        assert_eq!(page.status, StatusCode::OK, "[{b}]");
        assert_no_personal_data(b, "gm01 page", &page.body, &world);
        for shows in [
            "<svg class=\"bar-chart\"",
            "<rect class=\"bar bar-won\"",
            "2 · 33.3%",
            "汽车之家",
            "王丽",
            "公海",
            "href=\"/reports/stock-age\"",
            "name=\"from\"",
        ] {
            assert!(page.body.contains(shows), "[{b}] {shows}: {}", page.body);
        }
        let stock = gm.get("/reports/stock-age").await;
        assert!(stock.body.contains("href=\"/reports/funnel\""), "[{b}]");

        // A refused period: the form again, the field named, no figures.
        let refused = gm
            .get("/reports/funnel?from=2026-02-02&to=2026-02-01")
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(refused.body.contains("id=\"to-error\""), "[{b}]");
        assert!(!refused.body.contains("<svg class=\"bar-chart\""), "[{b}]");

        let mut sales = t.browser();
        sales.login("sales01").await;
        let page = sales.get("/reports/funnel").await;
        assert_eq!(page.status, StatusCode::OK, "[{b}]");
        assert!(
            !page.body.contains("张伟") && !page.body.contains("公海</td>"),
            "[{b}]"
        );

        let mut finance = t.browser();
        finance.login("finance01").await;
        assert!(
            !finance.get("/").await.body.contains("/reports/funnel"),
            "[{b}] no link to a report the role may not open"
        );
        let refused = finance.get("/reports/funnel").await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "[{b}]");
        let stock = finance.get("/reports/stock-age").await;
        assert!(!stock.body.contains("/reports/funnel"), "[{b}]");
        t
    })
    .await;
}
