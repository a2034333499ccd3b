//! The access review pages on every backend: a reviewer is told on the home page and in
//! the navigation, decides from their list — one form per account, two buttons, the
//! CSRF token required — sees a refused removal beside the account with the comment
//! kept, and the list shrinks as they go; someone with nothing to review has no entry;
//! the administrator starts a campaign from the page (a second is refused), follows it
//! per store and reads the "who can see what" report and its CSV, in both languages.

mod common;

use axum::http::{header, StatusCode};
use common::browser::Browser;
use common::{on_every_backend, TestApp};
use serde_json::json;

/// Today's quarter, worked out here rather than asked of the app: the start form must
/// offer it.
fn current_quarter(t: &TestApp) -> String {
    let today = t.app.clock().local_now().date();
    format!(
        "{}-Q{}",
        today.year(),
        (u8::from(today.month()) - 1) / 3 + 1
    )
}

/// The ids of the items a page offers to decide, in order.
fn decision_forms(html: &str) -> Vec<String> {
    html.match_indices("action=\"/reviews/items/")
        .map(|(at, m)| {
            html[at + m.len()..]
                .split('/')
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

/// The navigation's entry leading to `href`, with its badge, if shown.
fn nav_link(html: &str, href: &str) -> Option<String> {
    let nav = html
        .split("<nav class=\"mainnav\"")
        .nth(1)?
        .split("</nav>")
        .next()?;
    let at = nav.find(&format!("href=\"{href}\""))?;
    Some(
        nav[at..]
            .split("</a>")
            .next()
            .unwrap_or_default()
            .to_string(),
    )
}

/// The navigation's reviews entry, if shown (the administrator's and the auditor's).
fn nav_entry(html: &str) -> Option<String> {
    nav_link(html, "/reviews")
}

/// A reviewer's count of open items: the badge of the home entry (a manager's bar has
/// no room for one more entry).
fn home_badge(html: &str) -> Option<String> {
    let home = nav_link(html, "/")?;
    let at = home.find("nav-badge")?;
    let count = home[at..].split('>').nth(1)?.split('<').next()?;
    Some(count.to_string())
}

async fn signed_in<'a>(t: &'a TestApp, who: &str) -> Browser<'a> {
    let mut b = t.browser();
    b.login(who).await;
    b
}

#[tokio::test]
async fn a_reviewer_decides_from_the_list() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let auditor = t.login("auditor").await;
        let (status, json, _) = t
            .post(
                "/api/v1/access-reviews",
                Some(&auditor),
                json!({"quarter": current_quarter(&t)}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "[{b}] {json}");

        let mut mgr = signed_in(&t, "salesmgr01").await;
        let home = mgr.get("/").await;
        assert!(
            home.body.contains("href=\"/reviews\""),
            "[{b}] the home card"
        );
        assert!(home.body.contains("home-reviews"), "[{b}]");
        assert_eq!(
            home_badge(&home.body).as_deref(),
            Some("3"),
            "[{b}] the badge"
        );
        assert!(
            nav_entry(&home.body).is_none(),
            "[{b}] no entry of its own for a manager"
        );

        let list = mgr.get("/reviews").await;
        assert_eq!(list.status, StatusCode::OK, "[{b}]");
        let forms = decision_forms(&list.body);
        assert_eq!(forms.len(), 3, "[{b}] one form per account");
        for name in ["sales01", "sales02", "sales03", "王丽"] {
            assert!(list.body.contains(name), "[{b}] {name} on the list");
        }
        assert!(
            list.body.contains("value=\"keep\"") && list.body.contains("value=\"remove\""),
            "[{b}]"
        );
        assert!(list.body.contains("销售顾问"), "[{b}] the role");
        assert!(
            list.body.contains("手机号"),
            "[{b}] the fields seen, by label"
        );
        let csrf = list.csrf();
        // Find sales01's form: the card that names them.
        let card_of = |html: &str, username: &str| {
            let at = html
                .find(&format!("<span class=\"mono muted\">{username}</span>"))
                .expect("card");
            decision_forms(&html[at..])[0].clone()
        };
        let sales01 = card_of(&list.body, "sales01");
        let sales02 = card_of(&list.body, "sales02");
        let action = |id: &str| format!("/reviews/items/{id}/decision");

        // Without the token: refused, nothing decided.
        let page = mgr.post(&action(&sales02), &[("decision", "keep")]).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "[{b}]");
        // A removal without a reason: the list again, the refusal beside the account.
        let typed = "手机 13812345678";
        let page = mgr
            .post(
                &action(&sales01),
                &[("csrf", &csrf), ("decision", "remove"), ("comment", typed)],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(
            page.body.contains(&format!("id=\"error-{sales01}\"")),
            "[{b}] beside the account"
        );
        assert!(page.body.contains(typed), "[{b}] the comment kept as typed");
        assert_eq!(decision_forms(&page.body).len(), 3, "[{b}] nothing decided");

        // Keep: back to the list, one fewer; the badge follows.
        let page = mgr
            .post(
                &action(&sales02),
                &[("csrf", &csrf), ("decision", "keep"), ("comment", "")],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "[{b}] {}", page.body);
        assert_eq!(page.location(), "/reviews?done=kept", "[{b}]");
        let list = mgr.get("/reviews?done=kept").await;
        assert!(list.body.contains("已保留该账户的权限"), "[{b}] the notice");
        assert_eq!(decision_forms(&list.body).len(), 2, "[{b}]");
        assert_eq!(home_badge(&list.body).as_deref(), Some("2"), "[{b}]");
        // A second decision on the same account is refused on the page.
        let page = mgr
            .post(
                &action(&sales02),
                &[("csrf", &csrf), ("decision", "remove"), ("comment", "重复")],
            )
            .await;
        assert_eq!(page.status, StatusCode::CONFLICT, "[{b}]");
        assert!(page.body.contains("该账户已有复核结论"), "[{b}]");
        // Remove with a reason: frozen, and said so.
        let page = mgr
            .post(
                &action(&sales01),
                &[("csrf", &csrf), ("decision", "remove"), ("comment", "调岗")],
            )
            .await;
        assert_eq!(
            page.location(),
            "/reviews?done=removed",
            "[{b}] {}",
            page.body
        );

        // In English too.
        mgr.get("/lang/en?next=/reviews").await;
        let list = mgr.get("/reviews").await;
        assert!(
            list.body.contains("Awaiting your review") && list.body.contains(">Keep<"),
            "[{b}]"
        );

        // Nothing to review, no oversight: no entry, an empty list, no form.
        let mut consultant = signed_in(&t, "sales02").await;
        let home = consultant.get("/").await;
        assert!(
            nav_entry(&home.body).is_none(),
            "[{b}] no entry for sales02"
        );
        assert_eq!(
            home_badge(&home.body),
            None,
            "[{b}] nothing waits for sales02"
        );
        assert!(
            !home.body.contains("href=\"/reviews\""),
            "[{b}] no card either"
        );
        let list = consultant.get("/reviews").await;
        assert_eq!(list.status, StatusCode::OK, "[{b}]");
        assert!(decision_forms(&list.body).is_empty(), "[{b}]");
        assert!(
            !list.body.contains("action=\"/reviews\""),
            "[{b}] no start form"
        );
        // Someone else's item from a page: refused.
        let csrf = list.csrf();
        let page = consultant
            .post(&action(&sales01), &[("csrf", &csrf), ("decision", "keep")])
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "[{b}]");
        t
    })
    .await;
}

#[tokio::test]
async fn the_administrator_starts_follows_and_reads_the_report() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let mut admin = signed_in(&t, "admin").await;
        let home = admin.get("/").await;
        assert!(
            nav_entry(&home.body).is_some(),
            "[{b}] the administrator's entry"
        );
        assert_eq!(home_badge(&home.body), None, "[{b}] no campaign yet");
        let page = admin.get("/reviews").await;
        assert!(
            page.body.contains("action=\"/reviews\""),
            "[{b}] the start form"
        );
        assert!(
            page.body
                .contains(&format!("value=\"{}\"", current_quarter(&t))),
            "[{b}] the quarter filled in"
        );
        let csrf = page.csrf();

        let page = admin
            .post(
                "/reviews",
                &[("csrf", &csrf), ("quarter", "2026-Q9"), ("due_on", "")],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(page.body.contains("id=\"quarter-error\""), "[{b}]");
        let quarter = current_quarter(&t);
        let page = admin
            .post(
                "/reviews",
                &[("csrf", &csrf), ("quarter", &quarter), ("due_on", "")],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "[{b}] {}", page.body);
        let campaign = page.location().to_string();
        assert!(
            campaign.starts_with("/reviews/") && campaign.ends_with("?done=started"),
            "[{b}] {campaign}"
        );
        let page = admin
            .post(
                "/reviews",
                &[("csrf", &csrf), ("quarter", &quarter), ("due_on", "")],
            )
            .await;
        assert_eq!(page.status, StatusCode::CONFLICT, "[{b}]");
        assert!(page.body.contains("本季度的权限复核已经开始"), "[{b}]");

        let page = admin.get(&campaign).await;
        assert_eq!(page.status, StatusCode::OK, "[{b}]");
        assert!(
            page.body.contains("id=\"review-stores\"") && page.body.contains("SH01"),
            "[{b}] per store"
        );
        assert_eq!(
            page.body.matches("<tr data-status=\"open\"").count(),
            12,
            "[{b}] every item"
        );
        assert!(
            decision_forms(&page.body).is_empty(),
            "[{b}] no form on the campaign page"
        );

        // The report: levels from the policies, the filter, the CSV.
        let report = admin.get("/reviews/report").await;
        assert_eq!(report.status, StatusCode::OK, "[{b}]");
        assert!(
            report.body.contains("data-role=\"sales_consultant\""),
            "[{b}]"
        );
        assert!(
            report.body.contains("data-level=\"masked\"")
                && report.body.contains("data-level=\"hidden\""),
            "[{b}]"
        );
        let filtered = admin.get("/reviews/report?store=SH02").await;
        assert!(
            filtered.body.contains("<option value=\"SH02\" selected>"),
            "[{b}]"
        );
        let refused = admin.get("/reviews/report?store=NOPE").await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(refused.body.contains("id=\"store-error\""), "[{b}]");
        let csv = admin.get("/reviews/report.csv?store=SH01").await;
        assert_eq!(csv.status, StatusCode::OK, "[{b}]");
        assert!(
            csv.header(header::CONTENT_TYPE)
                .is_some_and(|c| c.starts_with("text/csv")),
            "[{b}]"
        );
        assert!(
            csv.body.starts_with('\u{feff}'),
            "[{b}] a BOM for spreadsheets"
        );
        assert!(
            csv.body.contains("sales_consultant") && csv.body.contains("customer.view:own"),
            "[{b}] {}",
            csv.body
        );

        // Nobody else reads the report.
        let mut gm01 = signed_in(&t, "gm01").await;
        assert_eq!(
            gm01.get("/reviews/report").await.status,
            StatusCode::FORBIDDEN,
            "[{b}]"
        );
        assert_eq!(
            gm01.get("/reviews/report.csv").await.status,
            StatusCode::FORBIDDEN,
            "[{b}]"
        );
        // gm01 follows the store's items and decides from the list; the administrator,
        // who reviews gm01, the auditor and sales11, has the badge on the reviews entry.
        let home = admin.get("/").await;
        assert!(
            nav_entry(&home.body).is_some_and(|e| e.contains(">3<")),
            "[{b}] the administrator's badge"
        );
        let home = gm01.get("/").await;
        assert_eq!(home_badge(&home.body).as_deref(), Some("5"), "[{b}]");
        let page = gm01.get(&campaign).await;
        assert_eq!(page.status, StatusCode::OK, "[{b}]");
        assert!(
            !page.body.contains("id=\"review-stores\""),
            "[{b}] counts per store are the overseers'"
        );
        assert!(
            page.body.contains("/reviews#item-"),
            "[{b}] a link to decide"
        );
        t
    })
    .await;
}
