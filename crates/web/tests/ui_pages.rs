//! The staff pages end to end, in process, on every backend: the demo organisation, the
//! real router (security headers included), a browser played by hand.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::browser::{encode, pairs};
use common::csp::assert_csp_clean;
use common::world::MISSING_ID;
use common::{on_every_backend, CUSTOMERS_PER_SALESPERSON};
use dealervault_demo::DEMO_PASSWORD;

#[tokio::test]
async fn a_salesperson_signs_in_finds_creates_and_reveals() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let mut b = t.browser();

        // Without a session every page leads to the sign-in page.
        let page = b.get("/customers").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "[{backend}]");
        assert_eq!(page.location(), "/login?next=/customers", "[{backend}]");
        let page = b.get("/login").await;
        assert_eq!(page.status, StatusCode::OK, "[{backend}]");
        assert!(page.body.contains("员工登录"), "[{backend}]");
        assert_csp_clean(&page.body);

        // A wrong password says so, without telling whether the account exists.
        for username in ["sales01", "nobody"] {
            let page = b
                .post("/login", &[("username", username), ("password", "wrong")])
                .await;
            assert_eq!(
                page.status,
                StatusCode::UNAUTHORIZED,
                "[{backend}] {username}"
            );
            assert!(
                page.body.contains("用户名或密码错误"),
                "[{backend}] {username}"
            );
        }
        // A post from another site is refused before the password is even checked.
        let cross = Request::builder()
            .method(Method::POST)
            .uri("/login")
            .header(header::HOST, common::browser::HOST)
            .header(header::ORIGIN, "https://evil.example")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(encode(&[
                ("username", "sales01"),
                ("password", DEMO_PASSWORD),
            ])))
            .expect("request");
        assert_eq!(
            t.send(cross).await.status,
            StatusCode::FORBIDDEN,
            "[{backend}]"
        );

        let page = b.login("sales01").await;
        assert_eq!(page.location(), "/", "[{backend}]");
        let set_cookie = page
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("dv_session="))
            .unwrap_or_default();
        assert!(set_cookie.starts_with("dv_session="), "[{backend}]");
        assert!(
            set_cookie.contains("HttpOnly")
                && set_cookie.contains("SameSite=Strict")
                && set_cookie.contains("Path=/"),
            "[{backend}] {set_cookie}"
        );

        let home = b.get("/").await;
        assert_eq!(home.status, StatusCode::OK, "[{backend}]");
        assert!(
            home.body.contains("我的客户") && home.body.contains("href=\"/customers\""),
            "[{backend}]"
        );
        assert!(
            home.body.contains("王丽")
                && home.body.contains("销售顾问")
                && home.body.contains("SH01"),
            "[{backend}]"
        );
        assert!(
            !home.body.contains("class=\"watermark\""),
            "[{backend}] no customer data, no watermark"
        );
        assert_csp_clean(&home.body);

        // The list: masked, watermarked, own customers only.
        let list = b.get("/customers").await;
        assert_eq!(list.status, StatusCode::OK, "[{backend}]");
        assert!(
            list.body
                .contains(&format!("共 {CUSTOMERS_PER_SALESPERSON} 位客户")),
            "[{backend}] {}",
            list.body
        );
        assert!(
            list.body.contains("pill-masked") && list.body.contains("****"),
            "[{backend}]"
        );
        assert!(
            list.body.contains("class=\"watermark\"") && list.body.contains("王丽 sales01 "),
            "[{backend}]"
        );
        assert_csp_clean(&list.body);

        // Create a customer; a bad mobile comes back next to its field with the input kept.
        let fresh = t.fresh_customer(1);
        let csrf = list.csrf();
        let form = |mobile: &str| -> Vec<(&'static str, String)> {
            vec![
                ("csrf", csrf.clone()),
                ("name", fresh.name.clone()),
                ("mobile", mobile.to_string()),
                ("id_number", fresh.id_number.clone()),
                ("gender", fresh.gender.to_string()),
                ("source", "autohome".to_string()),
                ("notes", "想试驾新能源车".to_string()),
            ]
        };
        let bad = form("12345");
        let page = b.post("/customers/new", &pairs(&bad)).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}]");
        assert!(
            page.body.contains("请输入有效的中国大陆手机号"),
            "[{backend}]"
        );
        assert!(
            page.body.contains(&format!("value=\"{}\"", fresh.name)),
            "[{backend}] the input is kept"
        );

        let good = form(&fresh.mobile);
        let page = b.post("/customers/new", &pairs(&good)).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "[{backend}] {}",
            page.body
        );
        let detail_path = page
            .location()
            .split('?')
            .next()
            .unwrap_or_default()
            .to_string();
        assert!(detail_path.starts_with("/customers/"), "[{backend}]");

        // The same mobile again: a duplicate, naming its owner.
        let page = b.post("/customers/new", &pairs(&good)).await;
        assert_eq!(page.status, StatusCode::CONFLICT, "[{backend}]");
        assert!(
            page.body.contains("该客户已存在，负责人：王丽"),
            "[{backend}]"
        );

        // The detail: contact data masked, the full values nowhere in the page.
        let detail = b.get(&format!("{detail_path}?created=1")).await;
        assert_eq!(detail.status, StatusCode::OK, "[{backend}]");
        assert!(detail.body.contains("客户已创建"), "[{backend}]");
        assert!(
            !detail.body.contains(&fresh.mobile),
            "[{backend}] full mobile in the detail page"
        );
        assert!(
            !detail.body.contains(&fresh.id_number),
            "[{backend}] full ID number in the detail page"
        );
        assert!(
            detail
                .body
                .contains(&format!("{}****{}", &fresh.mobile[..3], &fresh.mobile[7..])),
            "[{backend}]"
        );
        assert!(detail.body.contains("汽车之家"), "[{backend}]");
        assert_eq!(
            detail.header(header::CACHE_CONTROL),
            Some("no-store"),
            "[{backend}]"
        );
        assert_csp_clean(&detail.body);

        // A reveal without the CSRF token is refused; with it, the value shows once.
        let reveal_path = format!("{detail_path}/reveal");
        let page = b
            .post(&reveal_path, &[("field", "mobile"), ("reason", "电话回访")])
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "[{backend}]");
        let page = b
            .post(
                &reveal_path,
                &[
                    ("csrf", "forged"),
                    ("field", "mobile"),
                    ("reason", "电话回访"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "[{backend}]");
        let csrf = detail.csrf();
        let page = b
            .post(
                &reveal_path,
                &[("csrf", &csrf), ("field", "mobile"), ("reason", " ")],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}]");
        assert!(
            page.body.contains("此项为必填项")
                && page.body.contains("<details class=\"reveal\" open>"),
            "[{backend}]"
        );
        let page = b
            .post(
                &reveal_path,
                &[("csrf", &csrf), ("field", "mobile"), ("reason", "电话回访")],
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "[{backend}]");
        assert!(
            page.body.contains(&format!(
                "<span class=\"pill-revealed\" title=\"明文\">{}</span>",
                fresh.mobile
            )),
            "[{backend}]"
        );
        assert!(
            page.body
                .contains("已显示「手机号」明文，仅本次显示。 今日剩余查看次数：49"),
            "[{backend}]"
        );
        assert!(
            !page.body.contains(&fresh.id_number),
            "[{backend}] only the revealed field is in clear"
        );
        // And the next plain view is masked again.
        let again = b.get(&detail_path).await;
        assert!(!again.body.contains(&fresh.mobile), "[{backend}]");

        // Edit: only editable fields are inputs; an unchanged form sends nothing.
        let edit = b.get(&format!("{detail_path}/edit")).await;
        assert_eq!(edit.status, StatusCode::OK, "[{backend}]");
        assert!(
            edit.body.contains("name=\"notes\"") && !edit.body.contains("name=\"mobile\""),
            "[{backend}]"
        );
        let csrf = edit.csrf();
        let page = b
            .post(
                &format!("{detail_path}/edit"),
                &[
                    ("csrf", &csrf),
                    ("name", ""),
                    ("orig_name", &fresh.name),
                    ("notes", "已预约试驾"),
                    ("orig_notes", "想试驾新能源车"),
                ],
            )
            .await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{backend}] a name cannot be cleared"
        );
        assert!(page.body.contains("此项为必填项"), "[{backend}]");
        let page = b
            .post(
                &format!("{detail_path}/edit"),
                &[
                    ("csrf", &csrf),
                    ("notes", "已预约试驾"),
                    ("orig_notes", "想试驾新能源车"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "[{backend}]");
        assert!(page.location().ends_with("?saved=1"), "[{backend}]");
        assert!(
            b.get(&detail_path).await.body.contains("已预约试驾"),
            "[{backend}]"
        );

        // Search is a post: the mobile never enters a URL.
        let list = b.get("/customers").await;
        let csrf = list.csrf();
        let found = b
            .post("/customers", &[("csrf", &csrf), ("mobile", &fresh.mobile)])
            .await;
        assert_eq!(found.status, StatusCode::OK, "[{backend}]");
        assert!(
            found.body.contains("共 1 位客户"),
            "[{backend}] {}",
            found.body
        );
        let bad = b
            .post("/customers", &[("csrf", &csrf), ("mobile", "123")])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}]");
        assert!(
            bad.body.contains("请输入有效的中国大陆手机号"),
            "[{backend}]"
        );

        // Someone else's customer (or a made-up id, well-formed or not) is simply not
        // found.
        for id in ["0000000000000000000000000000", MISSING_ID] {
            let page = b.get(&format!("/customers/{id}")).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "[{backend}] {id}");
            assert!(page.body.contains("不在您的访问范围内"), "[{backend}] {id}");
        }

        // English, then signing out.
        let page = b.get("/lang/en?next=/customers").await;
        assert_eq!(page.location(), "/customers", "[{backend}]");
        let list = b.get("/customers").await;
        assert!(
            list.body.contains("Customer list") && list.body.contains("lang=\"en\""),
            "[{backend}]"
        );
        let csrf = list.csrf();
        let page = b.post("/logout", &[("csrf", &csrf)]).await;
        assert_eq!(page.location(), "/login?reason=signed_out", "[{backend}]");
        let page = b.get("/customers").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "[{backend}]");
        let page = b.get("/login?reason=signed_out").await;
        assert!(page.body.contains("You have signed out."), "[{backend}]");
        t
    })
    .await;
}

#[tokio::test]
async fn the_administrator_and_the_auditor_see_no_customer_menus() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        for (username, says) in [
            ("admin", "系统管理员无法查看任何客户数据"),
            ("auditor", "审计员无法查看客户资料本身"),
        ] {
            let mut b = t.browser();
            b.login(username).await;
            let home = b.get("/").await;
            assert_eq!(home.status, StatusCode::OK, "[{backend}] {username}");
            assert!(
                home.body.contains(says),
                "[{backend}] {username}: {}",
                home.body
            );
            assert!(
                !home.body.contains("/customers"),
                "[{backend}] {username} sees a customer link"
            );
            assert!(
                !home.body.contains("class=\"watermark\""),
                "[{backend}] {username}"
            );
            for path in ["/customers", "/customers/new"] {
                let page = b.get(path).await;
                assert_eq!(
                    page.status,
                    StatusCode::FORBIDDEN,
                    "[{backend}] {username} {path}"
                );
                assert!(
                    !page.body.contains("/customers\""),
                    "[{backend}] {username} {path}: customer link on the error page"
                );
            }
        }
        t
    })
    .await;
}

#[tokio::test]
async fn assets_are_served_with_their_types() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let mut b = t.browser();
        for (path, ty) in [
            ("/assets/app.css", "text/css; charset=utf-8"),
            ("/assets/app.js", "text/javascript; charset=utf-8"),
            ("/assets/favicon.svg", "image/svg+xml"),
        ] {
            let page = b.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "[{backend}] {path}");
            assert_eq!(
                page.header(header::CONTENT_TYPE),
                Some(ty),
                "[{backend}] {path}"
            );
        }
        assert_eq!(
            b.get("/assets/nope.css").await.status,
            StatusCode::NOT_FOUND,
            "[{backend}]"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn managers_see_their_team_figures_and_open_alerts_at_home() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        for (username, figures) in [
            ("gm01", true),
            ("salesmgr01", true),
            ("sales01", false),
            ("service01", false),
        ] {
            let mut b = t.browser();
            b.login(username).await;
            let home = b.get("/").await;
            assert_eq!(home.status, StatusCode::OK, "[{backend}] {username}");
            assert_eq!(
                home.body.contains("团队客户概况"),
                figures,
                "[{backend}] {username}"
            );
            if figures {
                // The total is the manager's list total; the salespeople are named with
                // their counts, and no customer is.
                let token = t.login(username).await;
                let total = t.customer_total(&token).await;
                assert!(
                    home.body
                        .contains(&format!("<strong class=\"stat-value\">{total}</strong>")),
                    "[{backend}] {username} total {total}"
                );
                assert!(
                    home.body.contains("<td>王丽</td>"),
                    "[{backend}] {username}"
                );
                assert!(home.body.contains("未处理的告警"), "[{backend}] {username}");
                assert!(!home.body.contains("class=\"watermark\""), "[{backend}]");
            }
        }
        t
    })
    .await;
}

#[tokio::test]
async fn the_list_filters_by_owner_and_by_a_source_the_role_sees() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let gm = t.login("gm01").await;
        let sales02 = t.user_id("sales02");
        let own_total = t.customer_total(&t.login("sales02").await).await;
        let (status, page, _) = t
            .get(
                &format!("/api/v1/customers?owner={sales02}&per_page=100"),
                Some(&gm),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {page}");
        assert_eq!(page["total"].as_u64(), Some(own_total), "[{backend}]");
        for item in page["items"].as_array().expect("items") {
            assert_eq!(item["owner_id"], sales02.as_str(), "[{backend}]");
        }
        let (status, page, _) = t
            .get("/api/v1/customers?source=autohome&per_page=100", Some(&gm))
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {page}");
        for item in page["items"].as_array().expect("items") {
            assert_eq!(item["source"], "autohome", "[{backend}]");
        }
        // Someone else's customers stay out of a salesperson's list whatever the filter.
        let sales01 = t.login("sales01").await;
        let (_, page, _) = t
            .get(
                &format!("/api/v1/customers?owner={sales02}"),
                Some(&sales01),
            )
            .await;
        assert_eq!(page["total"], 0, "[{backend}]");
        // A source the role does not see cannot be filtered by; bad values are named.
        let service = t.login("service01").await;
        let (status, _, _) = t
            .get("/api/v1/customers?source=autohome", Some(&service))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{backend}]");
        for query in ["source=mars", "owner=nobody"] {
            let (status, body, _) = t
                .get(&format!("/api/v1/customers?{query}"), Some(&gm))
                .await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "[{backend}] {query} {body}"
            );
        }

        // On the page: the manager's owner select, posted with the search form.
        let mut b = t.browser();
        b.login("gm01").await;
        let list = b.get("/customers").await;
        assert!(
            list.body
                .contains(&format!("<option value=\"{sales02}\">张伟</option>")),
            "[{backend}]"
        );
        assert!(list.body.contains("id=\"source\""), "[{backend}]");
        let filtered = b
            .post(
                "/customers",
                &[("csrf", &list.csrf()), ("owner", &sales02), ("source", "")],
            )
            .await;
        assert_eq!(filtered.status, StatusCode::OK, "[{backend}]");
        assert!(
            filtered.body.contains(&format!("共 {own_total} 位客户")),
            "[{backend}]"
        );
        assert!(!filtered.body.contains("<td>王丽</td>"), "[{backend}]");
        // A salesperson sees only their own: no owner select; service sees no source one.
        let mut s = t.browser();
        s.login("sales01").await;
        assert!(
            !s.get("/customers").await.body.contains("id=\"owner\""),
            "[{backend}]"
        );
        let mut v = t.browser();
        v.login("service01").await;
        let page = v.get("/customers").await;
        assert!(page.body.contains("id=\"owner\""), "[{backend}]");
        assert!(!page.body.contains("id=\"source\""), "[{backend}]");
        t
    })
    .await;
}
