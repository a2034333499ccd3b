//! Two-step sign-in through the API, on both backends and a manual clock: enrolment,
//! sign-in with a code (each accepted once, within one step either side), recovery
//! codes, the lock, the grace period and the session that may only enrol, the
//! administrator's reset, and the role marks. The pages are in `ui_mfa.rs`.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use dealervault_app::{AppConfig, Clock};
use dealervault_demo::DEMO_PASSWORD;
use dealervault_store::testing::TestDb;
use serde_json::{json, Value};
use totp_rs::{Algorithm, Secret, TOTP};

/// 2026-01-05 02:00:10 UTC: ten seconds into a 30-second step.
const T0: i64 = 1_767_578_410_000;
const STEP: i64 = 30_000;
const DAY: i64 = 86_400_000;

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

/// Login limits that the sign-ins of one test never reach.
fn roomy() -> AppConfig {
    AppConfig {
        login_attempts_per_account_per_minute: 1000,
        ..AppConfig::default()
    }
}

/// The code an authenticator app shows at `at_ms` for the base32 `secret`.
fn code_at(secret: &str, at_ms: i64) -> String {
    let key = Secret::Encoded(secret.to_string())
        .to_bytes()
        .expect("base32");
    let totp = TOTP::new(Algorithm::SHA1, 6, 1, 30, key).expect("a TOTP key");
    totp.generate(u64::try_from(at_ms / 1000).expect("after 1970"))
}

async fn login(t: &TestApp, username: &str, extra: Value) -> (StatusCode, Value) {
    let mut body = json!({"username": username, "password": DEMO_PASSWORD});
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    let (status, json, _) = t.post("/api/v1/auth/login", None, body).await;
    (status, json)
}

fn token_of(json: &Value) -> String {
    json["token"].as_str().expect("a token").to_string()
}

/// `username` sets up two-step sign-in through the API; returns the base32 key and the
/// recovery codes. The clock then moves to the next step, so the confirming code is
/// behind it.
async fn enrol(t: &TestApp, clock: &Clock, username: &str) -> (String, Vec<String>) {
    let b = t.backend();
    let token = t.login(username).await;
    let (status, setup, _) = t
        .post("/api/v1/auth/mfa/setup", Some(&token), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "[{b}] {setup}");
    let secret = setup["secret"].as_str().expect("secret").to_string();
    let code = code_at(&secret, clock.now_ms());
    let (status, confirmed, _) = t
        .post(
            "/api/v1/auth/mfa/confirm",
            Some(&token),
            json!({"code": code}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "[{b}] {confirmed}");
    let codes = confirmed["recovery_codes"]
        .as_array()
        .expect("recovery codes")
        .iter()
        .map(|c| c.as_str().expect("a code").to_string())
        .collect();
    clock.advance_ms(STEP);
    (secret, codes)
}

/// The audit events of `action`, as the auditor reads them (raw text too).
async fn events(t: &TestApp, action: &str) -> (Vec<Value>, String) {
    let auditor = t.login("auditor").await;
    let (status, log, raw) = t
        .get(&format!("/api/v1/audit?action={action}"), Some(&auditor))
        .await;
    assert_eq!(status, StatusCode::OK, "[{}] {log}", t.backend());
    let items = log["items"].as_array().cloned().unwrap_or_default();
    (items, String::from_utf8_lossy(&raw).into_owned())
}

#[tokio::test]
async fn enrolment_then_each_code_signs_in_once_within_its_window() {
    // More sign-ins in a minute than the per-account limit allows; limits are not the
    // subject here (login_limits.rs).
    on_a_manual_clock_with(roomy(), |t, clock| async move {
        let b = t.backend();
        let (status, first) = login(&t, "gm01", json!({})).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {first}");
        assert_eq!(
            first["mfa_enrol_by"],
            T0 + 7 * DAY,
            "[{b}] the grace period"
        );
        assert_eq!(first["mfa_enrolment_required"], false, "[{b}]");
        let token = token_of(&first);
        let (_, status_before, _) = t.get("/api/v1/auth/mfa", Some(&token)).await;
        assert_eq!(status_before["enabled"], false, "[{b}] {status_before}");
        assert_eq!(status_before["required_by_role"], true, "[{b}]");

        let (status, setup, _) = t
            .post("/api/v1/auth/mfa/setup", Some(&token), json!({}))
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {setup}");
        let secret = setup["secret"].as_str().expect("secret").to_string();
        assert_eq!(secret.len(), 32, "[{b}] 160 bits in base32");
        let uri = setup["otpauth_uri"].as_str().expect("uri");
        assert!(
            uri.starts_with("otpauth://totp/DealerVault%3Agm01?"),
            "[{b}] {uri}"
        );
        assert!(uri.contains(&format!("secret={secret}")), "[{b}] {uri}");
        assert!(uri.contains("issuer=DealerVault"), "[{b}] {uri}");

        // Nothing is in force before the confirmation.
        assert_eq!(
            login(&t, "gm01", json!({})).await.0,
            StatusCode::OK,
            "[{b}]"
        );
        let (status, wrong, _) = t
            .post(
                "/api/v1/auth/mfa/confirm",
                Some(&token),
                json!({"code": "000000"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {wrong}");
        assert_eq!(wrong["error"]["fields"][0]["field"], "code", "[{b}]");
        let confirming = code_at(&secret, clock.now_ms());
        let (status, confirmed, _) = t
            .post(
                "/api/v1/auth/mfa/confirm",
                Some(&token),
                json!({"code": confirming}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {confirmed}");
        let codes = confirmed["recovery_codes"].as_array().expect("codes");
        assert_eq!(codes.len(), 10, "[{b}]");
        for c in codes {
            let c = c.as_str().expect("code");
            assert_eq!((c.len(), c.matches('-').count()), (14, 2), "[{b}] {c}");
        }
        let (_, after, _) = t.get("/api/v1/auth/mfa", Some(&token)).await;
        assert_eq!(
            (
                after["enabled"].as_bool(),
                after["recovery_codes_left"].as_i64()
            ),
            (Some(true), Some(10)),
            "[{b}] {after}"
        );
        assert!(
            after.get("enrol_by").is_none(),
            "[{b}] nothing left to do: {after}"
        );

        // The code that confirmed cannot sign in.
        let (status, json) = login(&t, "gm01", json!({"totp_code": confirming})).await;
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("totp_reused")),
            "[{b}] {json}"
        );
        // No code: no session, and the answer says what is missing.
        let (status, json) = login(&t, "gm01", json!({})).await;
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("mfa_required")),
            "[{b}] {json}"
        );
        assert!(json.get("token").is_none(), "[{b}]");

        // The next step's code signs in, once.
        clock.advance_ms(STEP);
        let now = clock.now_ms();
        let fresh = code_at(&secret, now);
        let (status, json) = login(&t, "gm01", json!({"totp_code": fresh})).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        assert!(json.get("mfa_enrol_by").is_none(), "[{b}] {json}");
        let signed_in = token_of(&json);
        assert_eq!(
            t.get("/api/v1/customers", Some(&signed_in)).await.0,
            StatusCode::OK,
            "[{b}]"
        );
        let (status, json) = login(&t, "gm01", json!({"totp_code": fresh})).await;
        assert_eq!(
            json["error"]["code"], "totp_reused",
            "[{b}] {status} {json}"
        );

        // Three steps on: two steps old and two steps ahead are outside the window;
        // one step ahead is inside it, and after it the current step is spent too.
        clock.advance_ms(3 * STEP);
        let now = clock.now_ms();
        for at in [now - 2 * STEP, now + 2 * STEP] {
            let (status, json) =
                login(&t, "gm01", json!({"totp_code": code_at(&secret, at)})).await;
            assert_eq!(
                (status, json["error"]["code"].as_str()),
                (StatusCode::UNAUTHORIZED, Some("totp_invalid")),
                "[{b}] {at}: {json}"
            );
        }
        let (status, json) = login(
            &t,
            "gm01",
            json!({"totp_code": code_at(&secret, now + STEP)}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "[{b}] one step ahead: {json}");
        let (_, json) = login(&t, "gm01", json!({"totp_code": code_at(&secret, now)})).await;
        assert_eq!(
            json["error"]["code"], "totp_reused",
            "[{b}] older than the last: {json}"
        );

        // Two sign-ins racing with the same fresh code: exactly one wins. (The step
        // after this one was used above.)
        clock.advance_ms(2 * STEP);
        let racing = code_at(&secret, clock.now_ms());
        let (a, b2) = tokio::join!(
            login(&t, "gm01", json!({"totp_code": racing})),
            login(&t, "gm01", json!({"totp_code": racing}))
        );
        let mut outcomes = [
            a.1["error"]["code"].as_str().unwrap_or("ok").to_string(),
            b2.1["error"]["code"].as_str().unwrap_or("ok").to_string(),
        ];
        outcomes.sort();
        assert_eq!(outcomes, ["ok", "totp_reused"], "[{b}] {a:?} {b2:?}");

        let (status, json) =
            login(&t, "gm01", json!({"totp_code": "1", "recovery_code": "2"})).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] one or the other: {json}"
        );

        // Audited by name, never by value.
        let (enrolled, raw) = events(&t, "auth.mfa_enrol").await;
        assert_eq!(
            enrolled
                .iter()
                .map(|e| e["outcome"].as_str().unwrap_or_default())
                .collect::<Vec<_>>(),
            ["allowed", "failed"],
            "[{b}] newest first: {enrolled:?}"
        );
        assert!(!raw.contains(&secret) && !raw.contains(&fresh), "[{b}]");
        let (setups, _) = events(&t, "auth.mfa_setup").await;
        assert_eq!(setups.len(), 1, "[{b}]");
        let (challenges, _) = events(&t, "auth.mfa_challenge").await;
        assert_eq!(
            challenges.len(),
            1,
            "[{b}] the code-less login: {challenges:?}"
        );
        let (logins, raw) = events(&t, "auth.login").await;
        let failed: Vec<_> = logins
            .iter()
            .filter(|e| e["actor"] == "gm01" && e["outcome"] == "failed")
            .map(|e| e["reason"].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(
            failed.len(),
            6,
            "[{b}] every refused code is a failed login: {failed:?}"
        );
        assert!(
            failed.iter().any(|r| r == "totp_reused") && failed.iter().any(|r| r == "totp_invalid"),
            "[{b}] {failed:?}"
        );
        for c in codes {
            assert!(!raw.contains(c.as_str().unwrap_or_default()), "[{b}]");
        }
        t
    })
    .await;
}

#[tokio::test]
async fn a_recovery_code_works_once_and_few_left_are_told() {
    on_a_manual_clock_with(roomy(), |t, clock| async move {
        let b = t.backend();
        let (secret, codes) = enrol(&t, &clock, "finance01").await;
        // Typed in upper case with spaces: still the code.
        let typed = codes[0].to_uppercase().replace('-', " ");
        let (status, json) = login(&t, "finance01", json!({"recovery_code": typed})).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        assert_eq!(json["recovery_codes_left"], 9, "[{b}]");
        let (status, json) = login(&t, "finance01", json!({"recovery_code": codes[0]})).await;
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("recovery_code_used")),
            "[{b}] {json}"
        );
        let (status, json) =
            login(&t, "finance01", json!({"recovery_code": "zzzz-zzzz-zzzz"})).await;
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("recovery_code_invalid")),
            "[{b}] {json}"
        );
        // Another account's code is no code of this one.
        let (_, gm_codes) = enrol(&t, &clock, "gm01").await;
        let (_, json) = login(&t, "finance01", json!({"recovery_code": gm_codes[0]})).await;
        assert_eq!(
            json["error"]["code"], "recovery_code_invalid",
            "[{b}] {json}"
        );
        // Down to two: the answer counts them.
        for (i, code) in codes[1..8].iter().enumerate() {
            let (status, json) = login(&t, "finance01", json!({"recovery_code": code})).await;
            assert_eq!(status, StatusCode::OK, "[{b}] {json}");
            assert_eq!(
                json["recovery_codes_left"],
                8 - i64::try_from(i).unwrap_or(0),
                "[{b}]"
            );
        }
        // New codes for a current code; the old ones stop working.
        let token = token_of(
            &login(&t, "finance01", json!({"recovery_code": codes[8]}))
                .await
                .1,
        );
        let (status, json, _) = t
            .post(
                "/api/v1/auth/mfa/recovery-codes",
                Some(&token),
                json!({"code": "123"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");
        let (status, renewed, _) = t
            .post(
                "/api/v1/auth/mfa/recovery-codes",
                Some(&token),
                json!({"code": code_at(&secret, clock.now_ms())}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {renewed}");
        let (_, mine, _) = t.get("/api/v1/auth/mfa", Some(&token)).await;
        assert_eq!(mine["recovery_codes_left"], 10, "[{b}] {mine}");
        let (_, json) = login(&t, "finance01", json!({"recovery_code": codes[9]})).await;
        assert_eq!(
            json["error"]["code"], "recovery_code_invalid",
            "[{b}] {json}"
        );
        let new = renewed["recovery_codes"][0].as_str().expect("a code");
        assert_eq!(
            login(&t, "finance01", json!({"recovery_code": new}))
                .await
                .0,
            StatusCode::OK,
            "[{b}]"
        );

        let (used, raw) = events(&t, "auth.mfa_recovery_used").await;
        assert_eq!(used.len(), 10, "[{b}] every recovery code used is recorded");
        assert!(used.iter().all(|e| e["actor"] == "finance01"), "[{b}]");
        assert!(
            !raw.contains(&codes[0]) && !raw.contains(new),
            "[{b}] never the code"
        );
        let (renewals, _) = events(&t, "auth.mfa_recovery_regenerate").await;
        assert_eq!(
            renewals
                .iter()
                .map(|e| e["outcome"].as_str().unwrap_or_default())
                .collect::<Vec<_>>(),
            ["allowed", "failed"],
            "[{b}]"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn wrong_codes_count_toward_the_lock() {
    on_a_manual_clock(|t, clock| async move {
        let b = t.backend();
        let (secret, _) = enrol(&t, &clock, "salesmgr01").await;
        let right = code_at(&secret, clock.now_ms());
        let wrong = if right == "000000" {
            "111111"
        } else {
            "000000"
        };
        let threshold = AppConfig::default().lockout_threshold;
        for _ in 1..threshold {
            let (status, json) = login(&t, "salesmgr01", json!({"totp_code": wrong})).await;
            assert_eq!(
                (status, json["error"]["code"].as_str()),
                (StatusCode::UNAUTHORIZED, Some("totp_invalid")),
                "[{b}] {json}"
            );
        }
        let (status, json) = login(&t, "salesmgr01", json!({"totp_code": wrong})).await;
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (StatusCode::TOO_MANY_REQUESTS, Some("account_locked")),
            "[{b}] {json}"
        );
        let (status, json) = login(&t, "salesmgr01", json!({"totp_code": right})).await;
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (StatusCode::TOO_MANY_REQUESTS, Some("account_locked")),
            "[{b}] locked is locked: {json}"
        );
        // The lock ends; the right code then works (it was never spent).
        clock.advance_ms(AppConfig::default().lockout_ms + 1);
        let (status, json) = login(
            &t,
            "salesmgr01",
            json!({"totp_code": code_at(&secret, clock.now_ms())}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        t
    })
    .await;
}

#[tokio::test]
async fn after_the_grace_period_a_session_may_only_enrol() {
    on_a_manual_clock(|t, clock| async move {
        let b = t.backend();
        // The administrator allows 10 days instead of 7; the range is 0 to 30.
        let admin = t.login("admin").await;
        let (status, json, _) = t
            .with_json_put(
                "/api/v1/settings",
                Some(&admin),
                json!({"mfa_grace_days": 31}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");
        assert_eq!(
            json["error"]["fields"][0]["field"], "mfa_grace_days",
            "[{b}]"
        );
        let (status, json, _) = t
            .with_json_put(
                "/api/v1/settings",
                Some(&admin),
                json!({"mfa_grace_days": 10}),
            )
            .await;
        assert_eq!(
            (status, json["mfa_grace_days"].as_i64()),
            (StatusCode::OK, Some(10)),
            "[{b}] {json}"
        );
        let (edits, _) = events(&t, "settings.edit").await;
        assert_eq!(
            edits[0]["fields"],
            json!(["mfa.grace_days"]),
            "[{b}] {edits:?}"
        );

        // Day 9: still within it.
        clock.advance_ms(9 * DAY);
        let (status, json) = login(&t, "auditor", json!({})).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        assert_eq!(json["mfa_enrol_by"], T0 + 10 * DAY, "[{b}] {json}");
        assert_eq!(json["mfa_enrolment_required"], false, "[{b}]");
        assert_eq!(
            t.get("/api/v1/audit", Some(&token_of(&json))).await.0,
            StatusCode::OK,
            "[{b}]"
        );

        // Day 10 and a second: the session may only enrol.
        clock.advance_ms(DAY + 1000);
        let (status, json) = login(&t, "auditor", json!({})).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        assert_eq!(json["mfa_enrolment_required"], true, "[{b}] {json}");
        let restricted = token_of(&json);
        let (status, json, _) = t.get("/api/v1/audit", Some(&restricted)).await;
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("mfa_enrolment_required")),
            "[{b}] {json}"
        );
        assert_eq!(
            t.get("/api/v1/me", Some(&restricted)).await.0,
            StatusCode::OK,
            "[{b}] me stays open"
        );
        // A role without the mark is not touched.
        let (status, json) = login(&t, "sales01", json!({})).await;
        assert!(
            status == StatusCode::OK && json.get("mfa_enrol_by").is_none(),
            "[{b}] {json}"
        );
        assert_eq!(
            t.get("/api/v1/customers", Some(&token_of(&json))).await.0,
            StatusCode::OK,
            "[{b}]"
        );

        // The page path sends the browser to the enrolment page, whatever it asks for.
        let mut browser = t.browser();
        let signed_in = browser.login("auditor").await;
        assert_eq!(signed_in.location(), "/account/mfa", "[{b}]");
        for path in ["/", "/audit", "/alerts"] {
            let page = browser.get(path).await;
            assert_eq!(
                (page.status, page.location()),
                (StatusCode::SEE_OTHER, "/account/mfa"),
                "[{b}] {path}"
            );
        }
        let page = browser.get("/account/mfa").await;
        assert_eq!(page.status, StatusCode::OK, "[{b}]");
        assert!(
            page.body.contains("请先完成两步验证的设置"),
            "[{b}] says why"
        );
        assert!(
            !page.body.contains("href=\"/audit\""),
            "[{b}] no way around it"
        );

        // Enrolling frees the very same session at once.
        let (status, setup, _) = t
            .post("/api/v1/auth/mfa/setup", Some(&restricted), json!({}))
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {setup}");
        let code = code_at(setup["secret"].as_str().expect("secret"), clock.now_ms());
        let (status, json, _) = t
            .post(
                "/api/v1/auth/mfa/confirm",
                Some(&restricted),
                json!({"code": code}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        assert_eq!(
            t.get("/api/v1/audit", Some(&restricted)).await.0,
            StatusCode::OK,
            "[{b}]"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn the_administrator_resets_a_lost_phone() {
    on_a_manual_clock(|t, clock| async move {
        let b = t.backend();
        let (_, codes) = enrol(&t, &clock, "gm01").await;
        let gm01 = t.user_id("gm01");
        let live = token_of(
            &login(&t, "gm01", json!({"recovery_code": codes[0]}))
                .await
                .1,
        );
        let admin = t.login("admin").await;
        let (status, json, _) = t
            .get(&format!("/api/v1/users/{gm01}/mfa"), Some(&admin))
            .await;
        assert_eq!(
            (status, json["enabled"].as_bool()),
            (StatusCode::OK, Some(true)),
            "[{b}] {json}"
        );

        // Nobody resets their own; nothing to reset is said so; others may not.
        let own = t.user_id("admin");
        let (status, json, _) = t
            .post(
                &format!("/api/v1/users/{own}/mfa/reset"),
                Some(&admin),
                json!({}),
            )
            .await;
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("cannot_change_self")),
            "[{b}]"
        );
        let sales01 = t.user_id("sales01");
        let (status, json, _) = t
            .post(
                &format!("/api/v1/users/{sales01}/mfa/reset"),
                Some(&admin),
                json!({}),
            )
            .await;
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("mfa_not_enabled")),
            "[{b}]"
        );
        let salesmgr = t.login("salesmgr01").await;
        let (status, _, _) = t
            .post(
                &format!("/api/v1/users/{gm01}/mfa/reset"),
                Some(&salesmgr),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{b}]");

        let (status, json, _) = t
            .post(
                &format!("/api/v1/users/{gm01}/mfa/reset"),
                Some(&admin),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "[{b}] {json}");
        assert_eq!(
            t.get("/api/v1/me", Some(&live)).await.0,
            StatusCode::UNAUTHORIZED,
            "[{b}] its sessions end"
        );
        let (_, json, _) = t
            .get(&format!("/api/v1/users/{gm01}/mfa"), Some(&admin))
            .await;
        assert_eq!(
            (
                json["enabled"].as_bool(),
                json["must_enrol"].as_bool(),
                json["recovery_codes_left"].as_i64()
            ),
            (Some(false), Some(true), Some(0)),
            "[{b}] {json}"
        );
        let (resets, _) = events(&t, "user.mfa_reset").await;
        let outcomes: Vec<_> = resets
            .iter()
            .map(|e| {
                (
                    e["actor"].as_str().unwrap_or_default(),
                    e["outcome"].as_str().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            outcomes,
            [("admin", "allowed"), ("salesmgr01", "denied")],
            "[{b}] newest first"
        );
        assert_eq!(
            resets[0]["record_ids"][0].as_str(),
            Some(gm01.as_str()),
            "[{b}]"
        );

        // Still within the role's grace period, yet no new one: enrol first.
        let (status, json) = login(&t, "gm01", json!({})).await;
        assert_eq!(status, StatusCode::OK, "[{b}] the old code is gone: {json}");
        assert_eq!(json["mfa_enrolment_required"], true, "[{b}] {json}");
        let token = token_of(&json);
        let (status, json, _) = t.get("/api/v1/customers", Some(&token)).await;
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("mfa_enrolment_required")),
            "[{b}]"
        );
        let (_, json) = login(&t, "gm01", json!({"recovery_code": codes[1]})).await;
        assert_eq!(
            json["mfa_enrolment_required"], true,
            "[{b}] old recovery codes prove nothing: {json}"
        );

        let (status, setup, _) = t
            .post("/api/v1/auth/mfa/setup", Some(&token), json!({}))
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {setup}");
        let code = code_at(setup["secret"].as_str().expect("secret"), clock.now_ms());
        let (status, _, _) = t
            .post(
                "/api/v1/auth/mfa/confirm",
                Some(&token),
                json!({"code": code}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}]");
        assert_eq!(
            t.get("/api/v1/customers", Some(&token)).await.0,
            StatusCode::OK,
            "[{b}]"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn marking_and_unmarking_a_role_is_a_reviewed_audited_change() {
    on_a_manual_clock(|t, clock| async move {
        let b = t.backend();
        let admin = t.login("admin").await;
        let (_, role, _) = t.get("/api/v1/roles/sales_consultant", Some(&admin)).await;
        assert_eq!(role["requires_mfa"], false, "[{b}] {role}");
        let (_, gm, _) = t.get("/api/v1/roles/general_manager", Some(&admin)).await;
        assert_eq!(gm["requires_mfa"], true, "[{b}] marked by default");

        clock.advance_ms(DAY);
        let admin = t.login("admin").await;
        let marked_at = clock.now_ms();
        let (status, changed, _) = t
            .with_json_put(
                "/api/v1/roles/sales_consultant",
                Some(&admin),
                json!({"version": role["version"], "policy": role["policy"], "requires_mfa": true}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {changed}");
        assert_eq!(changed["differences"], json!([{"item": "mfa", "opens": false, "detail": {"kind": "mfa", "from": false, "to": true}}]), "[{b}]");
        assert_eq!(changed["role"]["requires_mfa"], true, "[{b}]");
        // The grace period counts from the marking, not from the account's creation.
        let (_, json) = login(&t, "sales01", json!({})).await;
        assert_eq!(json["mfa_enrol_by"], marked_at + 7 * DAY, "[{b}] {json}");

        // A holder past the grace period of another marked role… (the administrator and
        // the auditor, who work on after it here, are let off first)
        for code in ["system_admin", "auditor"] {
            let path = format!("/api/v1/roles/{code}");
            let (_, role, _) = t.get(&path, Some(&admin)).await;
            let (status, _, _) = t
                .with_json_put(&path, Some(&admin), json!({"version": role["version"], "policy": role["policy"], "requires_mfa": false}))
                .await;
            assert_eq!(status, StatusCode::OK, "[{b}]");
        }
        clock.advance_ms(7 * DAY);
        let (_, json) = login(&t, "gm01", json!({})).await;
        assert_eq!(json["mfa_enrolment_required"], true, "[{b}] {json}");
        let restricted = token_of(&json);
        // …is free at once when the mark is lifted: an opening.
        let admin = t.login("admin").await;
        let (_, gm, _) = t.get("/api/v1/roles/general_manager", Some(&admin)).await;
        let (status, changed, _) = t
            .with_json_put("/api/v1/roles/general_manager", Some(&admin), json!({"version": gm["version"], "policy": gm["policy"], "requires_mfa": false}))
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {changed}");
        assert_eq!((changed["differences"][0]["item"].as_str(), changed["differences"][0]["opens"].as_bool()), (Some("mfa"), Some(true)), "[{b}]");
        assert_eq!(t.get("/api/v1/customers", Some(&restricted)).await.0, StatusCode::OK, "[{b}]");
        // Absent means unchanged.
        let (_, gm, _) = t.get("/api/v1/roles/general_manager", Some(&admin)).await;
        let (status, same, _) = t
            .with_json_put("/api/v1/roles/general_manager", Some(&admin), json!({"version": gm["version"], "policy": gm["policy"]}))
            .await;
        assert_eq!((status, same["differences"].as_array().map(Vec::len)), (StatusCode::OK, Some(0)), "[{b}] {same}");

        let (edits, _) = events(&t, "role.edit").await;
        let mfa_edits: Vec<_> = edits.iter().filter(|e| e["fields"] == json!(["mfa"])).collect();
        assert_eq!(mfa_edits.len(), 4, "[{b}] {edits:?}");
        t
    })
    .await;
}

#[tokio::test]
async fn the_openapi_document_has_the_two_step_routes() {
    on_a_manual_clock(|t, _clock| async move {
        let b = t.backend();
        let (status, doc, _) = t.get("/api/v1/openapi.json", None).await;
        assert_eq!(status, StatusCode::OK, "[{b}]");
        for (path, method) in [
            ("/api/v1/auth/mfa", "get"),
            ("/api/v1/auth/mfa/setup", "post"),
            ("/api/v1/auth/mfa/confirm", "post"),
            ("/api/v1/auth/mfa/recovery-codes", "post"),
            ("/api/v1/users/{id}/mfa", "get"),
            ("/api/v1/users/{id}/mfa/reset", "post"),
        ] {
            assert!(
                doc["paths"][path][method].is_object(),
                "[{b}] {method} {path}"
            );
        }
        let login = &doc["components"]["schemas"]["LoginRequest"]["properties"];
        assert!(
            login["totp_code"].is_object() && login["recovery_code"].is_object(),
            "[{b}] {login}"
        );
        let answer = &doc["components"]["schemas"]["LoginResponse"]["properties"];
        assert!(answer["mfa_enrol_by"].is_object(), "[{b}] {answer}");
        t
    })
    .await;
}
