//! Two-step sign-in through the pages, on both backends and a manual clock: setting it
//! up (QR code, key, confirmation, recovery codes shown once), the two-step sign-in
//! form with its pending sign-in and CSRF token, the administrator's reset on the
//! account page, and the role editor's mark in the review.

mod common;

use axum::http::{header, StatusCode};
use common::browser::{Browser, Page};
use common::csp::assert_csp_clean;
use common::TestApp;
use dealervault_app::{AppConfig, Clock};
use dealervault_demo::DEMO_PASSWORD;
use dealervault_store::testing::TestDb;
use serde_json::json;
use totp_rs::{Algorithm, Secret, TOTP};

/// 2026-01-05 02:00:10 UTC: ten seconds into a 30-second step.
const T0: i64 = 1_767_578_410_000;
const STEP: i64 = 30_000;

async fn on_a_manual_clock<F, Fut>(test: F)
where
    F: Fn(TestApp, Clock) -> Fut,
    Fut: std::future::Future<Output = TestApp>,
{
    on_a_manual_clock_with(AppConfig::default(), test).await;
}

async fn on_a_manual_clock_with<F, Fut>(config: AppConfig, test: F)
where
    F: Fn(TestApp, Clock) -> Fut,
    Fut: std::future::Future<Output = TestApp>,
{
    for db in TestDb::all().await {
        let clock = Clock::manual(T0);
        let t = TestApp::spawn_with(db, clock.clone(), config.clone()).await;
        test(t, clock).await.teardown().await;
    }
}

fn code_at(secret: &str, at_ms: i64) -> String {
    let key = Secret::Encoded(secret.replace(' ', ""))
        .to_bytes()
        .expect("base32");
    let totp = TOTP::new(Algorithm::SHA1, 6, 1, 30, key).expect("a TOTP key");
    totp.generate(u64::try_from(at_ms / 1000).expect("after 1970"))
}

fn as_pairs(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// The text of the element with `id`.
fn text_of(page: &Page, id: &str) -> String {
    let marker = format!("id=\"{id}\"");
    let at = page.body.find(&marker).expect("the element");
    let rest = &page.body[at..];
    let start = rest.find('>').map_or(0, |i| i + 1);
    let end = rest.find("</").unwrap_or(rest.len());
    rest[start..end].trim().to_string()
}

/// Every `<li>` of the recovery codes list.
fn recovery_codes(page: &Page) -> Vec<String> {
    let at = page.body.find("id=\"recovery-codes\"").expect("the list");
    let list = &page.body[at..page.body[at..]
        .find("</ol>")
        .map_or(page.body.len(), |e| at + e)];
    list.split("<li>")
        .skip(1)
        .map(|li| {
            li.split("</li>")
                .next()
                .unwrap_or_default()
                .trim()
                .to_string()
        })
        .collect()
}

fn sets_cookie(page: &Page, name: &str) -> Option<String> {
    page.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

/// Sets two-step sign-in up through the pages; returns the key (base32) and the codes.
async fn enrol_in_pages(
    b: &mut Browser<'_>,
    clock: &Clock,
    backend: &str,
) -> (String, Vec<String>) {
    let page = b.get("/account/mfa").await;
    assert_eq!(page.status, StatusCode::OK, "[{backend}]");
    let csrf = page.csrf();
    let setup = b.post("/account/mfa/setup", &[("csrf", &csrf)]).await;
    assert_eq!(setup.status, StatusCode::OK, "[{backend}] {}", setup.body);
    let secret = text_of(&setup, "mfa-secret").replace(' ', "");
    let code = code_at(&secret, clock.now_ms());
    let done = b
        .post("/account/mfa/confirm", &[("csrf", &csrf), ("code", &code)])
        .await;
    assert_eq!(done.status, StatusCode::OK, "[{backend}] {}", done.body);
    let codes = recovery_codes(&done);
    clock.advance_ms(STEP);
    (secret, codes)
}

#[tokio::test]
async fn setting_it_up_in_the_pages() {
    on_a_manual_clock(|t, clock| async move {
        let backend = t.backend();
        let mut b = t.browser();
        b.login("gm01").await;
        // Every page reminds, with the deadline and a link.
        let home = b.get("/").await;
        assert!(home.body.contains("mfa-banner"), "[{backend}]");
        assert!(
            home.body.contains("2026-01-12 10:00"),
            "[{backend}] the deadline, in China time"
        );
        assert!(home.body.contains("href=\"/account/mfa\""), "[{backend}]");

        let page = b.get("/account/mfa").await;
        assert_eq!(page.status, StatusCode::OK, "[{backend}]");
        assert!(
            page.body.contains("action=\"/account/mfa/setup\""),
            "[{backend}]"
        );
        assert!(
            !page.body.contains("mfa-banner"),
            "[{backend}] not on its own page"
        );
        assert_csp_clean(&page.body);
        let csrf = page.csrf();
        assert_eq!(
            b.post("/account/mfa/setup", &[]).await.status,
            StatusCode::FORBIDDEN,
            "[{backend}] no token"
        );

        let setup = b.post("/account/mfa/setup", &[("csrf", &csrf)]).await;
        assert_eq!(setup.status, StatusCode::OK, "[{backend}]");
        assert!(
            setup.body.contains("<svg class=\"qr-code\""),
            "[{backend}] the QR code inline"
        );
        assert_csp_clean(&setup.body);
        assert!(
            setup
                .header(header::CACHE_CONTROL)
                .is_some_and(|v| v.contains("no-store")),
            "[{backend}]"
        );
        let secret = text_of(&setup, "mfa-secret").replace(' ', "");
        assert_eq!(secret.len(), 32, "[{backend}] {secret}");

        let wrong = code_at(&secret, clock.now_ms() + 10 * STEP);
        let refused = b
            .post("/account/mfa/confirm", &[("csrf", &csrf), ("code", &wrong)])
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{backend}]"
        );
        assert!(refused.body.contains("动态码不正确"), "[{backend}]");
        assert!(
            !refused.body.contains(&secret),
            "[{backend}] the key is shown once"
        );
        assert!(
            refused.body.contains("action=\"/account/mfa/confirm\""),
            "[{backend}] try again"
        );

        let code = code_at(&secret, clock.now_ms());
        let done = b
            .post("/account/mfa/confirm", &[("csrf", &csrf), ("code", &code)])
            .await;
        assert_eq!(done.status, StatusCode::OK, "[{backend}] {}", done.body);
        let codes = recovery_codes(&done);
        assert_eq!(codes.len(), 10, "[{backend}] {codes:?}");
        assert_csp_clean(&done.body);

        let home = b.get("/").await;
        assert!(
            !home.body.contains("mfa-banner"),
            "[{backend}] nothing to remind of"
        );
        let page = b.get("/account/mfa").await;
        assert!(page.body.contains("已启用"), "[{backend}]");
        assert!(
            !page.body.contains(&codes[0]),
            "[{backend}] the codes are shown once"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn the_two_step_sign_in_form() {
    on_a_manual_clock(|t, clock| async move {
        let backend = t.backend();
        let mut first = t.browser();
        first.login("salesmgr01").await;
        let (secret, codes) = enrol_in_pages(&mut first, &clock, backend).await;

        let mut b = t.browser();
        let step1 = b
            .post(
                "/login",
                &[
                    ("username", "salesmgr01"),
                    ("password", DEMO_PASSWORD),
                    ("next", "/customers"),
                ],
            )
            .await;
        assert_eq!(
            (step1.status, step1.location()),
            (StatusCode::SEE_OTHER, "/login/code?next=/customers"),
            "[{backend}]"
        );
        assert!(
            sets_cookie(&step1, "dv_session").is_none(),
            "[{backend}] no session yet"
        );
        let pending = sets_cookie(&step1, "dv_login").expect("a pending sign-in");
        assert!(
            pending.contains("HttpOnly")
                && pending.contains("SameSite=Strict")
                && pending.contains("Path=/login"),
            "[{backend}] {pending}"
        );
        assert_eq!(
            b.get("/customers").await.status,
            StatusCode::SEE_OTHER,
            "[{backend}] not signed in"
        );

        let form = b.get("/login/code?next=/customers").await;
        assert_eq!(form.status, StatusCode::OK, "[{backend}]");
        assert!(
            !form.body.contains(DEMO_PASSWORD),
            "[{backend}] the password is not carried"
        );
        assert_csp_clean(&form.body);
        let csrf = form.csrf();
        let code = code_at(&secret, clock.now_ms());
        let fields = |csrf: &str, code: &str| {
            vec![
                ("csrf".to_string(), csrf.to_string()),
                ("mode".into(), "totp".into()),
                ("code".into(), code.to_string()),
                ("next".into(), "/customers".into()),
            ]
        };

        // Without the token, or with another, nothing happens.
        let no_token: Vec<_> = fields("", &code)
            .into_iter()
            .filter(|(k, _)| k != "csrf")
            .collect();
        assert_eq!(
            b.post("/login/code", &as_pairs(&no_token)).await.status,
            StatusCode::FORBIDDEN,
            "[{backend}]"
        );
        assert_eq!(
            b.post("/login/code", &as_pairs(&fields("forged", &code)))
                .await
                .status,
            StatusCode::FORBIDDEN,
            "[{backend}]"
        );
        // A wrong code says so and asks again.
        let wrong = code_at(&secret, clock.now_ms() + 10 * STEP);
        let again = b
            .post("/login/code", &as_pairs(&fields(&csrf, &wrong)))
            .await;
        assert_eq!(again.status, StatusCode::UNAUTHORIZED, "[{backend}]");
        assert!(again.body.contains("动态码不正确"), "[{backend}]");
        // The right one signs in and goes where the person was going.
        let done = b
            .post("/login/code", &as_pairs(&fields(&csrf, &code)))
            .await;
        assert_eq!(
            (done.status, done.location()),
            (StatusCode::SEE_OTHER, "/customers"),
            "[{backend}] {}",
            done.body
        );
        assert!(sets_cookie(&done, "dv_session").is_some(), "[{backend}]");
        assert_eq!(
            b.get("/customers").await.status,
            StatusCode::OK,
            "[{backend}]"
        );

        // The same code in another browser: spent.
        let mut other = t.browser();
        other
            .post(
                "/login",
                &[
                    ("username", "salesmgr01"),
                    ("password", DEMO_PASSWORD),
                    ("next", "/"),
                ],
            )
            .await;
        let csrf2 = other.get("/login/code").await.csrf();
        assert_ne!(
            csrf2, csrf,
            "[{backend}] each pending sign-in has its own token"
        );
        let spent = other
            .post("/login/code", &as_pairs(&fields(&csrf2, &code)))
            .await;
        assert_eq!(spent.status, StatusCode::UNAUTHORIZED, "[{backend}]");
        assert!(spent.body.contains("刚刚用过"), "[{backend}]");
        // A recovery code instead.
        let recovery_form = other.get("/login/code?recovery=1").await;
        assert!(
            recovery_form
                .body
                .contains("name=\"mode\" value=\"recovery\""),
            "[{backend}]"
        );
        let pairs = [
            ("csrf", csrf2.as_str()),
            ("mode", "recovery"),
            ("code", codes[0].as_str()),
            ("next", "/"),
        ];
        let done = other.post("/login/code", &pairs).await;
        assert_eq!(
            (done.status, done.location()),
            (StatusCode::SEE_OTHER, "/"),
            "[{backend}] {}",
            done.body
        );

        // A pending sign-in lasts five minutes.
        let mut late = t.browser();
        late.post(
            "/login",
            &[("username", "salesmgr01"), ("password", DEMO_PASSWORD)],
        )
        .await;
        let csrf3 = late.get("/login/code").await.csrf();
        clock.advance_ms(5 * 60_000 + 1);
        let code = code_at(&secret, clock.now_ms());
        let expired = late
            .post("/login/code", &as_pairs(&fields(&csrf3, &code)))
            .await;
        assert_eq!(
            (expired.status, expired.location()),
            (StatusCode::SEE_OTHER, "/login?reason=login_expired"),
            "[{backend}]"
        );
        let page = late.get(expired.location()).await;
        assert!(page.body.contains("登录已超时"), "[{backend}]");
        t
    })
    .await;
}

#[tokio::test]
async fn wrong_codes_in_the_form_end_in_the_lock() {
    on_a_manual_clock(|t, clock| async move {
        let backend = t.backend();
        let mut first = t.browser();
        first.login("finance01").await;
        let (secret, _) = enrol_in_pages(&mut first, &clock, backend).await;
        let right = code_at(&secret, clock.now_ms());
        let wrong = if right == "000000" {
            "111111"
        } else {
            "000000"
        };
        let mut b = t.browser();
        b.post(
            "/login",
            &[("username", "finance01"), ("password", DEMO_PASSWORD)],
        )
        .await;
        let csrf = b.get("/login/code").await.csrf();
        let threshold = AppConfig::default().lockout_threshold;
        for _ in 1..threshold {
            let page = b
                .post("/login/code", &[("csrf", &csrf), ("code", wrong)])
                .await;
            assert_eq!(page.status, StatusCode::UNAUTHORIZED, "[{backend}]");
        }
        let locked = b
            .post("/login/code", &[("csrf", &csrf), ("code", wrong)])
            .await;
        assert_eq!(
            locked.status,
            StatusCode::TOO_MANY_REQUESTS,
            "[{backend}] {}",
            locked.body
        );
        assert!(
            locked.body.contains("账户已被临时锁定") && locked.body.contains("name=\"password\""),
            "[{backend}] back at the password, saying why"
        );
        // The pending sign-in is gone with the lock.
        let gone = b
            .post("/login/code", &[("csrf", &csrf), ("code", &right)])
            .await;
        assert_eq!(
            gone.location(),
            "/login?reason=login_expired",
            "[{backend}]"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn signing_in_with_one_of_the_last_recovery_codes_says_so() {
    let roomy = AppConfig {
        login_attempts_per_account_per_minute: 1000,
        ..AppConfig::default()
    };
    on_a_manual_clock_with(roomy, |t, clock| async move {
        let backend = t.backend();
        let mut first = t.browser();
        first.login("salesmgr01").await;
        let (_, codes) = enrol_in_pages(&mut first, &clock, backend).await;
        for code in &codes[..7] {
            let body =
                json!({"username": "salesmgr01", "password": DEMO_PASSWORD, "recovery_code": code});
            let (status, json, _) = t.post("/api/v1/auth/login", None, body).await;
            assert_eq!(status, StatusCode::OK, "[{backend}] {json}");
        }
        // Three left: signing in with one leaves two, and the page says so.
        let mut b = t.browser();
        b.post(
            "/login",
            &[("username", "salesmgr01"), ("password", DEMO_PASSWORD)],
        )
        .await;
        let csrf = b.get("/login/code?recovery=1").await.csrf();
        let done = b
            .post(
                "/login/code",
                &[
                    ("csrf", &csrf),
                    ("mode", "recovery"),
                    ("code", &codes[7]),
                    ("next", "/customers"),
                ],
            )
            .await;
        assert_eq!(
            (done.status, done.location()),
            (StatusCode::SEE_OTHER, "/account/mfa"),
            "[{backend}] {}",
            done.body
        );
        let page = b.get("/account/mfa").await;
        assert!(page.body.contains("您的恢复码只剩 2 个"), "[{backend}]");
        assert!(
            page.body.contains("action=\"/account/mfa/recovery-codes\""),
            "[{backend}] make new ones here"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn the_administrator_resets_it_on_the_account_page() {
    on_a_manual_clock(|t, clock| async move {
        let backend = t.backend();
        let mut gm = t.browser();
        gm.login("gm01").await;
        enrol_in_pages(&mut gm, &clock, backend).await;
        let gm01 = t.user_id("gm01");

        let mut admin = t.browser();
        admin.login("admin").await;
        let page = admin.get(&format!("/admin/users/{gm01}")).await;
        assert_eq!(page.status, StatusCode::OK, "[{backend}]");
        let action = format!("action=\"/admin/users/{gm01}/mfa/reset\"");
        assert!(
            page.body.contains(&action),
            "[{backend}] the reset is offered"
        );
        let sales01 = admin
            .get(&format!("/admin/users/{}", t.user_id("sales01")))
            .await;
        assert!(
            !sales01.body.contains("/mfa/reset"),
            "[{backend}] nothing to reset"
        );
        let csrf = page.csrf();
        let path = format!("/admin/users/{gm01}/mfa/reset");
        assert_eq!(
            admin.post(&path, &[]).await.status,
            StatusCode::FORBIDDEN,
            "[{backend}] no token"
        );
        let done = admin.post(&path, &[("csrf", &csrf)]).await;
        assert_eq!(
            done.location(),
            format!("/admin/users/{gm01}?done=mfa_reset"),
            "[{backend}]"
        );
        let page = admin.get(done.location()).await;
        assert!(page.body.contains("已重置两步验证"), "[{backend}]");
        assert!(page.body.contains("待重新设置"), "[{backend}]");

        // gm01's session has ended; the next sign-in may only enrol.
        assert_eq!(
            gm.get("/").await.status,
            StatusCode::SEE_OTHER,
            "[{backend}]"
        );
        let signed_in = gm.login("gm01").await;
        assert_eq!(signed_in.location(), "/account/mfa", "[{backend}]");
        t
    })
    .await;
}

#[tokio::test]
async fn the_role_editor_marks_and_reviews_it() {
    on_a_manual_clock(|t, _clock| async move {
        let backend = t.backend();
        let mut admin = t.browser();
        admin.login("admin").await;
        let editor = admin.get("/admin/roles/general_manager").await;
        assert!(
            editor
                .body
                .contains("name=\"requires_mfa\" value=\"1\" checked"),
            "[{backend}] marked by default"
        );
        let csrf = editor.csrf();
        let version = {
            let at = editor
                .body
                .find("name=\"version\" value=\"")
                .expect("version")
                + 22;
            editor.body[at..]
                .split('"')
                .next()
                .unwrap_or_default()
                .to_string()
        };
        // The form with its rights as they are and the mark lifted (the hidden 0 alone).
        let posted = [
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("requires_mfa", "0"),
        ];
        let review = admin
            .post("/admin/roles/general_manager/review", &posted)
            .await;
        assert_eq!(review.status, StatusCode::OK, "[{backend}]");
        let opens_at = review.body.find("diff-opens").expect("an opening");
        assert!(
            review.body[opens_at..]
                .contains("<td>两步验证</td><td>必须</td><td><strong>不要求</strong></td>"),
            "[{backend}] lifting it opens"
        );
        assert!(
            review.body.contains("name=\"requires_mfa\" value=\"0\""),
            "[{backend}] handed on"
        );
        // A form without the mark leaves it alone (the review has nothing to show).
        let unchanged = admin
            .post(
                "/admin/roles/sales_consultant/review",
                &[("csrf", &csrf), ("version", "0")],
            )
            .await;
        assert_eq!(unchanged.status, StatusCode::OK, "[{backend}]");
        assert!(!unchanged.body.contains("<td>两步验证</td>"), "[{backend}]");
        assert_csp_clean(&review.body);
        t
    })
    .await;
}

#[tokio::test]
async fn the_settings_page_has_the_grace_period() {
    on_a_manual_clock(|t, _clock| async move {
        let backend = t.backend();
        let mut admin = t.browser();
        admin.login("admin").await;
        let page = admin.get("/admin/settings").await;
        assert!(page.body.contains("name=\"mfa_grace_days\""), "[{backend}]");
        assert!(page.body.contains("value=\"7\""), "[{backend}] the default");
        let csrf = page.csrf();
        let form = |days: &'static str| {
            vec![
                ("reveal_daily_quota", "50"),
                ("id_number_mask", "1+2"),
                ("session_idle_minutes", "30"),
                ("session_absolute_hours", "12"),
                ("password_min_chars", "10"),
                ("password_min_classes", "1"),
                ("mfa_grace_days", days),
            ]
        };
        let mut bad = form("45");
        bad.push(("csrf", &csrf));
        let refused = admin.post("/admin/settings", &bad).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{backend}]"
        );
        assert!(refused.body.contains("s-mfa-grace-error"), "[{backend}]");
        let mut good = form("0");
        good.push(("csrf", &csrf));
        assert_eq!(
            admin.post("/admin/settings", &good).await.status,
            StatusCode::SEE_OTHER,
            "[{backend}]"
        );
        // No grace at all: a marked role's holder may only enrol from the first sign-in.
        let (_, json, _) = t
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": "auditor", "password": DEMO_PASSWORD}),
            )
            .await;
        assert_eq!(json["mfa_enrolment_required"], true, "[{backend}] {json}");
        t
    })
    .await;
}
