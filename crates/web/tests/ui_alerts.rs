//! The alert pages end to end on every backend: the readers' inbox and an alert's page
//! (acknowledge and comment through CSRF-checked forms), the administrator's rule and
//! honeytoken pages (no customer data), and who gets which navigation entry and page.

mod common;

use axum::http::StatusCode;
use common::alerts::plant;
use common::browser::Browser;
use common::csp::assert_csp_clean;
use common::world::world;
use common::{on_every_backend, TestApp};

async fn signed_in<'a>(t: &'a TestApp, username: &str) -> Browser<'a> {
    let mut b = t.browser();
    b.login(username).await;
    b
}

#[tokio::test]
async fn managers_handle_alerts_through_the_pages() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let admin = t.login("admin").await;
        let decoy = plant(&t, &admin, "SH01", "sales01").await;
        let sales01 = t.login("sales01").await;
        t.get(&format!("/api/v1/customers/{decoy}"), Some(&sales01))
            .await;
        t.app.evaluate_alerts().await.expect("evaluate");

        let mut gm = signed_in(&t, "gm01").await;
        let inbox = gm.get("/alerts").await;
        assert_eq!(inbox.status, StatusCode::OK, "[{backend}] {}", inbox.body);
        assert_csp_clean(&inbox.body);
        assert!(
            inbox
                .body
                .contains(r#"<a href="/alerts" class="active" aria-current="page">告警</a>"#),
            "[{backend}] the nav entry"
        );
        for expected in ["诱饵客户被打开", "sales01", "严重", "未处理"] {
            assert!(inbox.body.contains(expected), "[{backend}] {expected}");
        }
        assert!(
            !inbox.body.contains("/admin/alerts"),
            "[{backend}] not the admin's page"
        );
        let marker = "<tr id=\"alert-";
        let at = inbox.body.find(marker).expect("an alert row") + marker.len();
        let id: String = inbox.body[at..].chars().take_while(|c| *c != '"').collect();

        let detail = gm.get(&format!("/alerts/{id}")).await;
        assert_eq!(detail.status, StatusCode::OK, "[{backend}]");
        assert_csp_clean(&detail.body);
        assert!(
            !detail.body.contains(&decoy),
            "[{backend}] a manager is not told which customer is the decoy"
        );
        let csrf = detail.csrf();
        let refused = gm
            .post(&format!("/alerts/{id}/acknowledge"), &[("comment", "x")])
            .await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "[{backend}] no CSRF token"
        );
        let done = gm
            .post(
                &format!("/alerts/{id}/acknowledge"),
                &[("csrf", &csrf), ("comment", "已电话核实，误操作")],
            )
            .await;
        assert_eq!(
            done.status,
            StatusCode::SEE_OTHER,
            "[{backend}] {}",
            done.body
        );
        let detail = gm.get(done.location()).await;
        for expected in ["告警已确认", "已确认", "已电话核实，误操作", "gm01"] {
            assert!(detail.body.contains(expected), "[{backend}] {expected}");
        }
        let empty = gm
            .post(
                &format!("/alerts/{id}/comments"),
                &[("csrf", &csrf), ("comment", " ")],
            )
            .await;
        assert_eq!(
            empty.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{backend}]"
        );
        assert!(empty.body.contains("评论"), "[{backend}] names the field");

        for user in ["sales01", "admin", "service01"] {
            let mut b = signed_in(&t, user).await;
            let page = b.get("/alerts").await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "[{backend}] {user}");
            assert!(
                !page.body.contains(r#"href="/alerts""#),
                "[{backend}] {user} nav"
            );
            let page = b.get(&format!("/alerts/{id}")).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "[{backend}] {user}");
        }
        t
    })
    .await;
}

#[tokio::test]
async fn the_administrator_configures_rules_and_plants_honeytokens_without_seeing_data() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let mut admin = signed_in(&t, "admin").await;
        let page = admin.get("/admin/alerts").await;
        assert_eq!(page.status, StatusCode::OK, "[{backend}] {}", page.body);
        assert_csp_clean(&page.body);
        for expected in [
            r#"<a href="/admin/alerts" class="active" aria-current="page">告警设置</a>"#,
            r#"href="/admin/honeytokens""#,
            "id=\"rule-bulk_view\"",
            "id=\"rule-honeytoken\"",
            "id=\"store-SH01\"",
            "批量查看客户",
        ] {
            assert!(page.body.contains(expected), "[{backend}] {expected}");
        }
        assert!(
            !page.body.contains(r#"href="/alerts""#),
            "[{backend}] no inbox"
        );
        let csrf = page.csrf();
        let bad = admin
            .post(
                "/admin/alerts/rules/bulk_view",
                &[
                    ("csrf", &csrf),
                    ("enabled", "on"),
                    ("threshold", "lots"),
                    ("window_minutes", "60"),
                    ("severity", "warning"),
                    ("action", "none"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}]");
        assert!(
            bad.body.contains("threshold"),
            "[{backend}] names the field"
        );
        let ok = admin
            .post(
                "/admin/alerts/rules/bulk_view",
                &[
                    ("csrf", &csrf),
                    ("enabled", "on"),
                    ("threshold", "150"),
                    ("window_minutes", "30"),
                    ("severity", "critical"),
                    ("action", "require_relogin"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "[{backend}] {}", ok.body);
        let token = t.login("admin").await;
        let (_, rules, _) = t.get("/api/v1/alert-rules", Some(&token)).await;
        let bulk = rules["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|r| r["kind"] == "bulk_view")
            .cloned()
            .expect("bulk_view");
        assert_eq!(bulk["threshold"], 150, "[{backend}]");
        assert_eq!(bulk["window_secs"], 1800, "[{backend}]");
        assert_eq!(bulk["severity"], "critical", "[{backend}]");
        assert_eq!(bulk["action"], "require_relogin", "[{backend}]");
        let hours = admin
            .post(
                "/admin/alerts/stores/SH01",
                &[
                    ("csrf", &csrf),
                    ("open", "09:00"),
                    ("close", "18:00"),
                    ("networks", "10.0.0.0/8\n192.168.1.0/24"),
                ],
            )
            .await;
        assert_eq!(
            hours.status,
            StatusCode::SEE_OTHER,
            "[{backend}] {}",
            hours.body
        );
        let page = admin.get("/admin/alerts").await;
        assert!(page.body.contains("192.168.1.0/24"), "[{backend}]");

        let page = admin.get("/admin/honeytokens").await;
        assert_eq!(page.status, StatusCode::OK, "[{backend}]");
        assert_csp_clean(&page.body);
        let planted = admin
            .post(
                "/admin/honeytokens",
                &[
                    ("csrf", &page.csrf()),
                    ("store", "SH01"),
                    ("owner", "sales02"),
                ],
            )
            .await;
        assert_eq!(
            planted.status,
            StatusCode::SEE_OTHER,
            "[{backend}] {}",
            planted.body
        );
        let page = admin.get(planted.location()).await;
        assert!(page.body.contains("诱饵客户已布设"), "[{backend}]");
        let (_, list, _) = t.get("/api/v1/honeytokens", Some(&token)).await;
        let id = list["items"][0]["customer_id"]
            .as_str()
            .expect("id")
            .to_string();
        assert!(page.body.contains(&id), "[{backend}] the id is listed");
        let w = world(&t).await;
        let (decoy, _) = w
            .customers
            .iter()
            .find(|(c, _)| c.id.to_string() == id)
            .expect("the decoy is an ordinary customer");
        assert_eq!(
            decoy.owner_id.to_string(),
            t.user_id("sales02"),
            "[{backend}]"
        );
        for value in [&decoy.name, &decoy.mobile] {
            assert!(
                !page.body.contains(value.as_str()),
                "[{backend}] no customer data"
            );
        }
        let bad = admin
            .post(
                "/admin/honeytokens",
                &[
                    ("csrf", &page.csrf()),
                    ("store", "SH01"),
                    ("owner", "sales11"),
                ],
            )
            .await;
        assert_eq!(
            bad.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{backend}] owner of another store"
        );
        assert!(bad.body.contains("owner"), "[{backend}]");
        let retired = admin
            .post(
                &format!("/admin/honeytokens/{id}/retire"),
                &[("csrf", &page.csrf())],
            )
            .await;
        assert_eq!(retired.status, StatusCode::SEE_OTHER, "[{backend}]");

        let mut gm = signed_in(&t, "gm01").await;
        for path in ["/admin/alerts", "/admin/honeytokens"] {
            let page = gm.get(path).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "[{backend}] {path}");
        }
        t
    })
    .await;
}

#[tokio::test]
async fn the_administrator_sets_up_email_on_the_page_and_never_sees_the_password() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        const PASSWORD: &str = "Page-Smtp-Pass-4411";
        let mut admin = signed_in(&t, "admin").await;
        let page = admin.get("/admin/alerts").await;
        assert_eq!(page.status, StatusCode::OK, "[{backend}]");
        assert_csp_clean(&page.body);
        for expected in [
            r#"action="/admin/alerts/email""#,
            "邮件通知（SMTP）",
            r#"<option value="starttls" selected>"#,
            r#"<option value="warning" selected>"#,
            r#"<option value="zh" selected>"#,
        ] {
            assert!(page.body.contains(expected), "[{backend}] {expected}");
        }
        let csrf = page.csrf();
        let form = |host: &'static str, security: &'static str, password: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("host", host.to_string()),
                ("port", String::new()),
                ("security", security.to_string()),
                ("username", "mailer".to_string()),
                ("password", password.to_string()),
                ("from", "dealervault@example.com".to_string()),
                ("recipients", "a@example.com\nb@example.com".to_string()),
                ("min_severity", "critical".to_string()),
                ("lang", "en".to_string()),
            ]
        };
        let owned = form("smtp.example.com", "none", PASSWORD);
        let bad = admin
            .post("/admin/alerts/email", &common::browser::pairs(&owned))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}]");
        assert!(
            bad.body.contains("只允许用于本机或内网地址的主机"),
            "[{backend}] says why: {}",
            bad.body
        );
        assert!(!bad.body.contains(PASSWORD), "[{backend}]");
        let owned = form("smtp.example.com", "starttls", PASSWORD);
        let ok = admin
            .post("/admin/alerts/email", &common::browser::pairs(&owned))
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "[{backend}] {}", ok.body);
        let page = admin.get("/admin/alerts").await;
        for expected in [
            "smtp.example.com",
            "a@example.com\nb@example.com",
            r#"<option value="critical" selected>"#,
            r#"<option value="en" selected>"#,
            "已设置，留空则不变",
        ] {
            assert!(page.body.contains(expected), "[{backend}] {expected}");
        }
        assert!(!page.body.contains(PASSWORD), "[{backend}] never shown");
        let stored_password = || async {
            let mut tx = t.app.store().read().await.expect("read");
            tx.setting("alerts.email_password").await.expect("setting")
        };
        let sealed = stored_password().await.expect("stored");
        assert!(!sealed.contains(PASSWORD), "[{backend}] sealed at rest");
        // Saving again with the password left blank keeps it.
        let owned = form("smtp.example.com", "starttls", "");
        let ok = admin
            .post("/admin/alerts/email", &common::browser::pairs(&owned))
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "[{backend}] {}", ok.body);
        assert_eq!(stored_password().await, Some(sealed), "[{backend}] kept");
        // Other people are refused the page's form.
        let mut gm = signed_in(&t, "gm01").await;
        let page = gm.get("/admin/alerts").await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "[{backend}]");
        t
    })
    .await;
}
