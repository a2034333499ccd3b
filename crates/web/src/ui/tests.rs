//! The pages end to end, in process: the demo organisation on a throwaway SQLite
//! database, the real router (security headers included), a browser played by hand.

use super::customers::fixtures::masked_view;
use super::customers::{detail::DetailPage, field_rows};
use super::i18n::{Lang, REVEAL_REASON_KEYS};
use super::layout::Layout;
use super::watermark::Watermark;
use crate::{router, WebConfig};
use askama::Template;
use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use dealervault_app::{App, AppConfig, Clock};
use dealervault_demo::{fake, load_customers, seed_organisation, DEMO_PASSWORD};
use dealervault_store::testing::TestDb;
use http_body_util::BodyExt;
use time::macros::datetime;
use tower::ServiceExt;

// ---- templates alone ------------------------------------------------------------------

#[test]
fn a_masked_customer_renders_masked_and_hidden_fields_are_absent() {
    let view = masked_view();
    let lang = Lang::Zh;
    let mut page = Layout::anonymous(lang, "客户详情");
    page.watermark = Some(Watermark::new(
        "王丽",
        "sales01",
        datetime!(2026-01-05 14:03 +08:00),
    ));
    let rows = field_rows(lang, &view)
        .into_iter()
        .map(|field| super::customers::detail::DetailRow {
            field,
            revealed: None,
            error: None,
            open: false,
        })
        .collect();
    let html = DetailPage {
        page,
        csrf: "token".into(),
        id: view.id.clone(),
        heading: "王建华".into(),
        rows,
        record: vec![("负责人", "王丽".into())],
        can_edit: true,
        notice: None,
        alert: None,
        remaining: None,
        reasons: REVEAL_REASON_KEYS.iter().map(|k| lang.t(k)).collect(),
    }
    .render()
    .unwrap_or_default();

    assert!(
        html.contains(r#"<span class="pill-masked" title="已脱敏">138****5678</span>"#),
        "{html}"
    );
    // Hidden fields: no row, no label, no reveal button.
    for hidden in ["id_number", "wechat", "birth_date"] {
        assert!(
            !html.contains(&format!("data-field=\"{hidden}\"")),
            "{hidden} rendered"
        );
        assert!(
            !html.contains(&format!("name=\"field\" value=\"{hidden}\"")),
            "{hidden} revealable"
        );
    }
    assert!(!html.contains("身份证号") && !html.contains("微信号") && !html.contains("出生日期"));
    // Reveal forms exist for masked values only, each with the CSRF token.
    assert!(html.contains(r#"name="field" value="mobile""#));
    assert!(html.contains(r#"name="field" value="email""#));
    assert!(
        !html.contains(r#"name="field" value="address""#),
        "an empty masked value has nothing to reveal"
    );
    assert!(!html.contains(r#"name="field" value="notes""#));
    assert!(html.contains(r#"name="csrf" value="token""#));
    // The watermark is there, and the page obeys the CSP: no inline style or script.
    assert!(html.contains(
        r#"<div class="watermark" aria-hidden="true"><span>王丽 sales01 2026-01-05 14:03</span>"#
    ));
    assert_eq!(
        html.matches("<span>王丽 sales01 2026-01-05 14:03</span>")
            .count(),
        super::watermark::TILES
    );
    assert_csp_clean(&html);
}

fn assert_csp_clean(html: &str) {
    assert!(!html.contains("style="), "inline style attribute");
    assert!(!html.contains("<style"), "inline style element");
    // No inline event handler attribute (` onclick=`, ` onchange=`, ...).
    for (at, _) in html.match_indices(" on") {
        let name: String = html[at + 1..]
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .collect();
        let handler = name.len() > 2 && html[at + 1 + name.len()..].starts_with('=');
        assert!(!handler, "inline handler {name}");
    }
    for (at, _) in html.match_indices("<script") {
        let tag = &html[at..html[at..].find('>').map_or(html.len(), |e| at + e)];
        assert!(tag.contains("src=\"/assets/"), "inline script: {tag}");
    }
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "external resource"
    );
}

// ---- the whole app ----------------------------------------------------------------------

const SEED: u64 = 20_260_105;
const PER_SALESPERSON: u64 = 2;

struct Browser {
    router: Router,
    cookie: String,
}

#[derive(Debug)]
struct Page {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Page {
    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// The CSRF token of the first form on the page.
    fn csrf(&self) -> String {
        let marker = r#"name="csrf" value=""#;
        let at = self
            .body
            .find(marker)
            .map(|i| i + marker.len())
            .expect("a form with a CSRF token");
        self.body[at..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

fn pairs<'a>(owned: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    owned.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn encode(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

impl Browser {
    async fn send(&mut self, method: Method, path: &str, form: Option<&[(&str, &str)]>) -> Page {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "dv.test");
        if !self.cookie.is_empty() {
            request = request.header(header::COOKIE, self.cookie.clone());
        }
        let body = match form {
            Some(pairs) => {
                request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Body::from(encode(pairs))
            }
            None => Body::empty(),
        };
        let response = self
            .router
            .clone()
            .oneshot(request.body(body).expect("request"))
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        for set in headers.get_all(header::SET_COOKIE) {
            let pair = set
                .to_str()
                .expect("ascii cookie")
                .split(';')
                .next()
                .unwrap_or_default()
                .to_string();
            let name = pair.split('=').next().unwrap_or_default().to_string();
            let mut jar: Vec<String> = self
                .cookie
                .split("; ")
                .filter(|c| !c.is_empty() && !c.starts_with(&format!("{name}=")))
                .map(String::from)
                .collect();
            if !pair.ends_with('=') {
                jar.push(pair);
            }
            self.cookie = jar.join("; ");
        }
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&mut self, path: &str) -> Page {
        self.send(Method::GET, path, None).await
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        self.send(Method::POST, path, Some(form)).await
    }

    async fn login(&mut self, username: &str) -> Page {
        let page = self
            .post(
                "/login",
                &[
                    ("username", username),
                    ("password", DEMO_PASSWORD),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "login {username}: {}",
            page.body
        );
        page
    }
}

async fn demo() -> (TestDb, App, u64) {
    let db = TestDb::sqlite().await;
    let clock = Clock::system();
    let org = seed_organisation(db.store(), &clock).await.expect("seed");
    let loaded = PER_SALESPERSON * org.owners.len() as u64;
    load_customers(db.store(), &clock, &org, loaded, SEED, |_| {})
        .await
        .expect("load");
    let app = App::new(db.store().clone(), clock, AppConfig::default());
    (db, app, loaded)
}

fn browser(app: &App) -> Browser {
    Browser {
        router: router(
            app.clone(),
            WebConfig {
                secure_cookies: false,
            },
        ),
        cookie: String::new(),
    }
}

#[tokio::test]
async fn a_salesperson_signs_in_finds_creates_and_reveals() {
    let (_db, app, loaded) = demo().await;
    let mut b = browser(&app);

    // Without a session every page leads to the sign-in page.
    let page = b.get("/customers").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/login?next=/customers");
    let page = b.get("/login").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("员工登录"));
    assert_csp_clean(&page.body);

    // A wrong password says so, without telling whether the account exists.
    for username in ["sales01", "nobody"] {
        let page = b
            .post("/login", &[("username", username), ("password", "wrong")])
            .await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        assert!(page.body.contains("用户名或密码错误"));
    }
    // A post from another site is refused before the password is even checked.
    let cross = Request::builder()
        .method(Method::POST)
        .uri("/login")
        .header(header::HOST, "dv.test")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(encode(&[
            ("username", "sales01"),
            ("password", DEMO_PASSWORD),
        ])))
        .expect("request");
    let response = b.router.clone().oneshot(cross).await.expect("infallible");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let page = b.login("sales01").await;
    assert_eq!(page.location(), "/");
    let set_cookie = page
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(set_cookie.starts_with("dv_session="));
    assert!(
        set_cookie.contains("HttpOnly")
            && set_cookie.contains("SameSite=Strict")
            && set_cookie.contains("Path=/")
    );

    let home = b.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("我的客户") && home.body.contains("href=\"/customers\""));
    assert!(
        home.body.contains("王丽") && home.body.contains("销售顾问") && home.body.contains("SH01")
    );
    assert!(
        !home.body.contains("class=\"watermark\""),
        "no customer data, no watermark"
    );
    assert_csp_clean(&home.body);

    // The list: masked, watermarked, own customers only.
    let list = b.get("/customers").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body.contains(&format!("共 {PER_SALESPERSON} 位客户")),
        "{}",
        list.body
    );
    assert!(list.body.contains("pill-masked") && list.body.contains("****"));
    assert!(list.body.contains("class=\"watermark\"") && list.body.contains("王丽 sales01 "));
    assert_csp_clean(&list.body);

    // Create a customer; a bad mobile comes back next to its field with the input kept.
    let fresh = fake::customer(SEED, loaded + 1);
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
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("请输入有效的中国大陆手机号"));
    assert!(
        page.body.contains(&format!("value=\"{}\"", fresh.name)),
        "the input is kept"
    );

    let good = form(&fresh.mobile);
    let page = b.post("/customers/new", &pairs(&good)).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let detail_path = page
        .location()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(detail_path.starts_with("/customers/"));

    // The same mobile again: a duplicate, naming its owner.
    let page = b.post("/customers/new", &pairs(&good)).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.body.contains("该客户已存在，负责人：王丽"));

    // The detail: contact data masked, the full values nowhere in the page.
    let detail = b.get(&format!("{detail_path}?created=1")).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail.body.contains("客户已创建"));
    assert!(
        !detail.body.contains(&fresh.mobile),
        "full mobile in the detail page"
    );
    assert!(
        !detail.body.contains(&fresh.id_number),
        "full ID number in the detail page"
    );
    assert!(detail
        .body
        .contains(&format!("{}****{}", &fresh.mobile[..3], &fresh.mobile[7..])));
    assert!(detail.body.contains("汽车之家"));
    assert_eq!(
        detail
            .headers
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    assert_csp_clean(&detail.body);

    // A reveal without the CSRF token is refused; with it, the value shows once.
    let reveal_path = format!("{detail_path}/reveal");
    let page = b
        .post(&reveal_path, &[("field", "mobile"), ("reason", "电话回访")])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
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
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let csrf = detail.csrf();
    let page = b
        .post(
            &reveal_path,
            &[("csrf", &csrf), ("field", "mobile"), ("reason", " ")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("此项为必填项") && page.body.contains("<details class=\"reveal\" open>")
    );
    let page = b
        .post(
            &reveal_path,
            &[("csrf", &csrf), ("field", "mobile"), ("reason", "电话回访")],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!(
        "<span class=\"pill-revealed\" title=\"明文\">{}</span>",
        fresh.mobile
    )));
    assert!(page
        .body
        .contains("已显示「手机号」明文，仅本次显示。 今日剩余查看次数：49"));
    assert!(
        !page.body.contains(&fresh.id_number),
        "only the revealed field is in clear"
    );
    // And the next plain view is masked again.
    let again = b.get(&detail_path).await;
    assert!(!again.body.contains(&fresh.mobile));

    // Edit: only editable fields are inputs; an unchanged form sends nothing.
    let edit = b.get(&format!("{detail_path}/edit")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.body.contains("name=\"notes\"") && !edit.body.contains("name=\"mobile\""));
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
        "a name cannot be cleared"
    );
    assert!(page.body.contains("此项为必填项"));
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
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location().ends_with("?saved=1"));
    assert!(b.get(&detail_path).await.body.contains("已预约试驾"));

    // Search is a post: the mobile never enters a URL.
    let list = b.get("/customers").await;
    let csrf = list.csrf();
    let found = b
        .post("/customers", &[("csrf", &csrf), ("mobile", &fresh.mobile)])
        .await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(found.body.contains("共 1 位客户"), "{}", found.body);
    let bad = b
        .post("/customers", &[("csrf", &csrf), ("mobile", "123")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("请输入有效的中国大陆手机号"));

    // Someone else's customer (or a made-up id) is simply not found.
    let page = b.get("/customers/0000000000000000000000000000").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("不在您的访问范围内"));

    // English, then signing out.
    let page = b.get("/lang/en?next=/customers").await;
    assert_eq!(page.location(), "/customers");
    let list = b.get("/customers").await;
    assert!(list.body.contains("Customer list") && list.body.contains("lang=\"en\""));
    let csrf = list.csrf();
    let page = b.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(page.location(), "/login?reason=signed_out");
    let page = b.get("/customers").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = b.get("/login?reason=signed_out").await;
    assert!(page.body.contains("You have signed out."));
}

#[tokio::test]
async fn the_administrator_and_the_auditor_see_no_customer_menus() {
    let (_db, app, _) = demo().await;
    for (username, says) in [
        ("admin", "系统管理员无法查看任何客户数据"),
        ("auditor", "审计员无法查看客户资料本身"),
    ] {
        let mut b = browser(&app);
        b.login(username).await;
        let home = b.get("/").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.body.contains(says), "{username}: {}", home.body);
        assert!(
            !home.body.contains("/customers"),
            "{username} sees a customer link"
        );
        assert!(!home.body.contains("class=\"watermark\""));
        for path in ["/customers", "/customers/new"] {
            let page = b.get(path).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{username} {path}");
            assert!(
                !page.body.contains("/customers\""),
                "{username} {path}: customer link on the error page"
            );
        }
    }
}

#[tokio::test]
async fn assets_are_served_with_their_types() {
    let (_db, app, _) = demo().await;
    let mut b = browser(&app);
    for (path, ty) in [
        ("/assets/app.css", "text/css; charset=utf-8"),
        ("/assets/app.js", "text/javascript; charset=utf-8"),
        ("/assets/favicon.svg", "image/svg+xml"),
    ] {
        let page = b.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(
            page.headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok()),
            Some(ty)
        );
    }
    assert_eq!(
        b.get("/assets/nope.css").await.status,
        StatusCode::NOT_FOUND
    );
}
