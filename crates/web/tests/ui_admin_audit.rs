//! The pages of the two roles without customer access, end to end on every backend: the
//! auditor's audit log (`/audit`) and the administrator's staff accounts
//! (`/admin/users`), and their home pages, which list only pages that exist.

mod common;

use axum::http::StatusCode;
use common::browser::{shows, Browser, Page};
use common::csp::assert_csp_clean;
use common::world::{world, MISSING_ID};
use common::{on_every_backend, TestApp};
use dealervault_demo::DEMO_PASSWORD;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

const REASON: &str = "电话回访";

/// The `<tr>` of an account on the accounts page.
fn account_row<'a>(page: &'a Page, username: &str) -> &'a str {
    let marker = format!("id=\"user-{username}\"");
    let at = page
        .body
        .find(&marker)
        .unwrap_or_else(|| panic!("no row for {username}"));
    let rest = &page.body[at..];
    &rest[..rest.find("</tr>").unwrap_or(rest.len())]
}

/// Today in Asia/Shanghai, as a date input sends it.
fn today_in_shanghai() -> String {
    let offset = UtcOffset::from_hms(8, 0, 0).expect("UTC+8");
    OffsetDateTime::now_utc()
        .to_offset(offset)
        .format(format_description!("[year]-[month]-[day]"))
        .expect("a date")
}

async fn signed_in<'a>(t: &'a TestApp, username: &str) -> Browser<'a> {
    let mut b = t.browser();
    b.login(username).await;
    b
}

#[tokio::test]
async fn the_auditor_reads_and_filters_the_log_without_customer_data() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        // sales01 opens one of its customers and reveals the mobile, through the pages.
        let token = t.login("sales01").await;
        let id = t.first_customer(&token).await["id"]
            .as_str()
            .expect("an id")
            .to_string();
        let w = world(&t).await;
        let (record, _) = w
            .customers
            .iter()
            .find(|(c, _)| c.id.to_string() == id)
            .expect("the customer");
        let mut sales = signed_in(&t, "sales01").await;
        let detail = sales.get(&format!("/customers/{id}")).await;
        assert_eq!(detail.status, StatusCode::OK, "[{backend}]");
        let csrf = detail.csrf();
        let revealed = sales
            .post(
                &format!("/customers/{id}/reveal"),
                &[("csrf", &csrf), ("field", "mobile"), ("reason", REASON)],
            )
            .await;
        assert_eq!(revealed.status, StatusCode::OK, "[{backend}]");

        let mut b = signed_in(&t, "auditor").await;
        let log = b.get("/audit").await;
        assert_eq!(log.status, StatusCode::OK, "[{backend}] {}", log.body);
        assert!(
            log.body
                .contains(r#"<a href="/audit" class="active" aria-current="page">审计日志</a>"#),
            "[{backend}] the nav entry"
        );
        for expected in [
            "sales01",
            "查看客户详情",
            "<code class=\"code-muted\">customer.view</code>",
            "<code class=\"code-muted\">customer.reveal</code>",
            "<code class=\"code-muted\">auth.login</code>",
            REASON,
            "badge badge-success",
            "谁看过这个客户",
            "手机号",
        ] {
            assert!(log.body.contains(expected), "[{backend}] {expected}");
        }
        // Record ids: shortened, the full id in the title, and a link to its events.
        assert!(
            log.body.contains(&format!(
                r#"<a class="record-id" href="/audit?customer_id={id}" title="{id}">…{}"#,
                &id[id.len() - 8..]
            )),
            "[{backend}] {}",
            log.body
        );
        assert_csp_clean(&log.body);
        assert!(!log.body.contains("/customers"), "[{backend}]");
        // No customer data: neither this customer's nor anyone's name, mobile or ID number.
        for value in [&record.name, &record.mobile] {
            assert!(!shows(&log.body, value), "[{backend}] {value} in the log");
        }
        for (c, _) in &w.customers {
            let mut values = vec![c.mobile.as_str()];
            values.extend(c.id_number.as_deref());
            if c.name.chars().count() >= 3 {
                values.push(&c.name);
            }
            for value in values {
                assert!(!shows(&log.body, value), "[{backend}] {value} in the log");
            }
        }

        // By actor: only sales01's events, each linking to the rest of them.
        let mine = b.get("/audit?actor=sales01").await;
        assert_eq!(mine.status, StatusCode::OK, "[{backend}]");
        assert!(
            mine.body.contains(r#"href="/audit?actor=sales01""#),
            "[{backend}]"
        );
        assert!(
            !mine.body.contains("/audit?actor=auditor") && !mine.body.contains("?actor=system"),
            "[{backend}] someone else's event in sales01's view"
        );
        assert!(mine.body.contains("value=\"sales01\""), "[{backend}]");
        assert!(
            b.get("/audit?actor=nobody")
                .await
                .body
                .contains("没有符合条件的审计事件"),
            "[{backend}]"
        );

        // By customer: who looked at it — sales01, with the view and the reveal.
        let who = b.get(&format!("/audit?customer_id={id}")).await;
        assert_eq!(who.status, StatusCode::OK, "[{backend}]");
        assert!(
            who.body
                .contains(&format!("以下是与客户 {id} 相关的全部事件")),
            "[{backend}]"
        );
        for expected in [
            "<code class=\"code-muted\">customer.view</code>",
            "<code class=\"code-muted\">customer.reveal</code>",
            "/audit?actor=sales01",
            REASON,
        ] {
            assert!(who.body.contains(expected), "[{backend}] {expected}");
        }
        assert!(
            !who.body
                .contains("<code class=\"code-muted\">auth.login</code>"),
            "[{backend}] an event without this customer"
        );
        let nobody = b.get(&format!("/audit?customer_id={MISSING_ID}")).await;
        assert!(
            nobody.body.contains("没有符合条件的审计事件"),
            "[{backend}]"
        );

        // By action and by date (days in Shanghai; the end date included).
        let reveals = b.get("/audit?action=customer.reveal").await;
        assert!(
            reveals.body.contains("customer.reveal</code>")
                && !reveals.body.contains("customer.view</code>"),
            "[{backend}]"
        );
        assert!(
            reveals
                .body
                .contains(r#"<option value="customer.reveal" selected>"#),
            "[{backend}]"
        );
        let today = today_in_shanghai();
        let since_today = b
            .get(&format!("/audit?since={today}&until={today}&actor=sales01"))
            .await;
        assert_eq!(since_today.status, StatusCode::OK, "[{backend}]");
        assert!(
            since_today.body.contains("customer.reveal</code>"),
            "[{backend}] {today}"
        );
        let long_ago = b.get("/audit?until=2000-01-01").await;
        assert!(
            long_ago.body.contains("没有符合条件的审计事件"),
            "[{backend}]"
        );
        for (query, says) in [
            ("since=2026-13-01", "请输入有效的日期"),
            (
                "since=2026-01-06&until=2026-01-05",
                "结束日期不能早于开始日期",
            ),
            ("customer_id=abc", "请输入完整的客户编号"),
            ("action=drop.table", "请从列表中选择"),
        ] {
            let page = b.get(&format!("/audit?{query}")).await;
            assert_eq!(
                page.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "[{backend}] {query}"
            );
            assert!(page.body.contains(says), "[{backend}] {query}");
            assert!(!page.body.contains("<tbody>"), "[{backend}] {query}");
        }

        // Paging: older events below the last one shown, and back to the newest.
        for _ in 0..60 {
            let (status, _, _) = t.get("/api/v1/audit?limit=1", Some(&token)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "[{backend}]");
        }
        let first = b.get("/audit?actor=sales01").await;
        // Askama writes the `&` between the pairs as `&#38;`.
        let marker = "href=\"/audit?actor=sales01&#38;before_seq=";
        let at = first
            .body
            .find(marker)
            .unwrap_or_else(|| panic!("[{backend}] no older page: {}", first.body));
        let seq: String = first.body[at + marker.len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        assert!(first.body.contains("本页 50 条"), "[{backend}]");
        let older = b
            .get(&format!("/audit?actor=sales01&before_seq={seq}"))
            .await;
        assert_eq!(older.status, StatusCode::OK, "[{backend}]");
        assert!(
            older.body.contains("回到最新") && older.body.contains("customer.reveal</code>"),
            "[{backend}] the older page holds the earlier events"
        );
        assert!(
            !older.body.contains(&format!(">{seq}</td>")),
            "[{backend}] the page starts below {seq}"
        );

        // English labels.
        b.get("/lang/en?next=/audit").await;
        let en = b.get("/audit").await;
        assert!(
            en.body.contains("Audit log") && en.body.contains("Customer details viewed"),
            "[{backend}]"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn only_roles_that_may_read_the_log_open_it() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        for username in ["sales01", "admin"] {
            let mut b = signed_in(&t, username).await;
            let page = b.get("/audit").await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "[{backend}] {username}");
            assert!(page.body.contains("无权访问"), "[{backend}] {username}");
            assert!(
                !page.body.contains("href=\"/audit\""),
                "[{backend}] {username} has an audit menu"
            );
        }
        // The refusals are in the log.
        let mut b = signed_in(&t, "auditor").await;
        let denied = b.get("/audit?actor=sales01&action=audit.view").await;
        assert!(
            denied.body.contains("badge badge-danger") && denied.body.contains("拒绝"),
            "[{backend}] {}",
            denied.body
        );
        t
    })
    .await;
}

#[tokio::test]
async fn the_administrator_manages_accounts_from_the_page() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let mut admin = signed_in(&t, "admin").await;
        let list = admin.get("/admin/users").await;
        assert_eq!(list.status, StatusCode::OK, "[{backend}] {}", list.body);
        assert!(
            list.body.contains(
                r#"<a href="/admin/users" class="active" aria-current="page">员工账户</a>"#
            ),
            "[{backend}] the nav entry"
        );
        assert_csp_clean(&list.body);
        assert!(!list.body.contains("/customers"), "[{backend}]");
        assert!(!list.body.contains("argon2"), "[{backend}]");
        let row = account_row(&list, "sales02");
        for expected in ["销售顾问", "门店 SH01", "正常", "/disable", "/role"] {
            assert!(row.contains(expected), "[{backend}] {expected}: {row}");
        }
        assert!(
            row.contains(r#"<option value="sales_consultant" selected>销售顾问</option>"#)
                && row.contains(r#"<option value="sales_manager">销售经理</option>"#),
            "[{backend}] {row}"
        );
        let own = account_row(&list, "admin");
        assert!(
            own.contains("当前登录") && !own.contains("<form"),
            "[{backend}] {own}"
        );
        let target = t.user_id("sales02");
        let csrf = list.csrf();

        // sales02 is signed in meanwhile.
        let mut sales02 = signed_in(&t, "sales02").await;
        assert_eq!(sales02.get("/").await.status, StatusCode::OK, "[{backend}]");

        // Forms without the session's CSRF token change nothing.
        let disable = format!("/admin/users/{target}/disable");
        for form in [vec![], vec![("csrf", "forged")]] {
            let page = admin.post(&disable, &form).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "[{backend}]");
            assert!(page.body.contains("表单已失效"), "[{backend}]");
        }
        assert_eq!(
            sales02.get("/").await.status,
            StatusCode::OK,
            "[{backend}] still signed in"
        );

        // Disable: sales02's session ends at once and it cannot sign in again.
        let page = admin.post(&disable, &[("csrf", &csrf)]).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "[{backend}] {}",
            page.body
        );
        let after = admin.get(page.location()).await;
        assert!(
            after
                .body
                .contains("已停用张伟（sales02）的账户，其所有登录已立即失效。"),
            "[{backend}] {}",
            after.body
        );
        let row = account_row(&after, "sales02");
        assert!(
            row.contains("已停用") && row.contains("/enable") && !row.contains("/disable"),
            "[{backend}] {row}"
        );
        let refused = sales02.get("/").await;
        assert_eq!(refused.status, StatusCode::SEE_OTHER, "[{backend}]");
        assert!(refused.location().starts_with("/login"), "[{backend}]");
        let again = t
            .browser()
            .post(
                "/login",
                &[("username", "sales02"), ("password", DEMO_PASSWORD)],
            )
            .await;
        assert_ne!(again.status, StatusCode::SEE_OTHER, "[{backend}]");

        // Enable: sales02 signs in again.
        let page = admin
            .post(&format!("/admin/users/{target}/enable"), &[("csrf", &csrf)])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "[{backend}]");
        let after = admin.get(page.location()).await;
        assert!(
            after.body.contains("已重新启用张伟（sales02）的账户。"),
            "[{backend}] {}",
            after.body
        );
        assert!(
            account_row(&after, "sales02").contains("正常"),
            "[{backend}]"
        );
        let mut sales02 = signed_in(&t, "sales02").await;
        assert!(
            sales02.get("/").await.body.contains("销售顾问"),
            "[{backend}]"
        );

        // A new role applies on sales02's next request.
        let role = format!("/admin/users/{target}/role");
        let page = admin
            .post(&role, &[("csrf", &csrf), ("role", "sales_manager")])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "[{backend}]");
        let after = admin.get(page.location()).await;
        assert!(
            after.body.contains("已修改张伟（sales02）的角色"),
            "[{backend}]"
        );
        assert!(
            account_row(&after, "sales02").contains(r#"<option value="sales_manager" selected>"#),
            "[{backend}]"
        );
        assert!(
            sales02.get("/").await.body.contains("销售经理"),
            "[{backend}] the role applies at once"
        );

        // Refusals come back as banners on the page.
        for (path, form, status, says) in [
            (
                format!("/admin/users/{}/disable", t.user_id("admin")),
                vec![("csrf", csrf.as_str())],
                StatusCode::CONFLICT,
                "不能停用您自己正在使用的账户",
            ),
            (
                role.clone(),
                vec![("csrf", csrf.as_str()), ("role", "king")],
                StatusCode::UNPROCESSABLE_ENTITY,
                "请选择列表中的角色",
            ),
            (
                "/admin/users/nobody/enable".to_string(),
                vec![("csrf", csrf.as_str())],
                StatusCode::NOT_FOUND,
                "该账户不存在",
            ),
        ] {
            let page = admin.post(&path, &form).await;
            assert_eq!(page.status, status, "[{backend}] {path}");
            assert!(
                page.body.contains(says) && page.body.contains("alert-error"),
                "[{backend}] {path}"
            );
            assert!(page.body.contains("id=\"user-sales02\""), "[{backend}]");
        }
        let row = account_row(&admin.get("/admin/users").await, "sales02").to_string();
        assert!(
            row.contains(r#"<option value="sales_manager" selected>"#),
            "[{backend}] an unknown role changes nothing"
        );

        // Each change is in the log, by id and field name.
        let mut auditor = signed_in(&t, "auditor").await;
        let log = auditor
            .get(&format!("/audit?action=user.edit&customer_id={target}"))
            .await;
        assert_eq!(
            log.body
                .matches("<code class=\"code-muted\">user.edit</code>")
                .count(),
            3,
            "[{backend}] {}",
            log.body
        );
        assert!(
            log.body.contains("账户状态") && log.body.contains(&format!("title=\"{target}\"")),
            "[{backend}]"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn only_roles_that_may_view_accounts_open_the_accounts_page() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let target = t.user_id("sales02");
        for username in ["sales01", "auditor"] {
            let mut b = signed_in(&t, username).await;
            let page = b.get("/admin/users").await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "[{backend}] {username}");
            assert!(
                !page.body.contains("href=\"/admin/users\""),
                "[{backend}] {username} has an accounts menu"
            );
            // Even with the session's own CSRF token, a change is refused.
            let csrf = b.get("/").await.csrf();
            let page = b
                .post(
                    &format!("/admin/users/{target}/disable"),
                    &[("csrf", &csrf)],
                )
                .await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "[{backend}] {username}");
        }
        let mut sales02 = signed_in(&t, "sales02").await;
        assert_eq!(sales02.get("/").await.status, StatusCode::OK, "[{backend}]");
        t
    })
    .await;
}

#[tokio::test]
async fn home_pages_list_only_what_exists() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        for (username, link, absent) in [
            ("admin", "href=\"/admin/users\"", "href=\"/audit\""),
            ("auditor", "href=\"/audit\"", "href=\"/admin/users\""),
            ("sales01", "href=\"/customers\"", "href=\"/audit\""),
        ] {
            let mut b = signed_in(&t, username).await;
            for lang in ["zh", "en"] {
                b.get(&format!("/lang/{lang}?next=/")).await;
                let home = b.get("/").await;
                assert_eq!(home.status, StatusCode::OK, "[{backend}] {username}");
                assert!(home.body.contains(link), "[{backend}] {username} {lang}");
                assert!(!home.body.contains(absent), "[{backend}] {username} {lang}");
                for never in ["即将推出", "oming soon", "门店与部门"] {
                    assert!(
                        !home.body.contains(never),
                        "[{backend}] {username} {lang}: {never}"
                    );
                }
                assert_csp_clean(&home.body);
            }
        }
        // The card leads to a page that answers.
        let mut admin = signed_in(&t, "admin").await;
        let home = admin.get("/").await;
        for href in ["/admin/users", "/admin/roles"] {
            assert!(
                home.body
                    .contains(&format!(r#"<a class="card card-link" href="{href}">"#)),
                "[{backend}] {href}"
            );
            assert_eq!(admin.get(href).await.status, StatusCode::OK, "[{backend}]");
        }
        t
    })
    .await;
}
