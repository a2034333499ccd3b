//! In-process API and page tests: a [`TestApp`] holds the demo organisation on a
//! throwaway database and answers requests through the real router with
//! `tower::ServiceExt::oneshot` — no sockets, no ports. [`browser`] plays a browser over
//! it (cookies, forms, CSRF); [`world`] reads the ground truth the authorization checks
//! compare against. Only the browser suite leaves the process: [`webdriver`] serves the
//! router on a loopback socket to a headless Chromium.
//!
//! Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

pub mod alerts;
pub mod browser;
pub mod csp;
pub mod webdriver;
pub mod world;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use dealervault_app::{App, AppConfig, Clock, KeyPaths, Vault};
use dealervault_demo::fake::{self, FakeCustomer};
use dealervault_demo::{load_customers, seed_organisation, DemoOrg, DEMO_PASSWORD};
use dealervault_store::testing::TestDb;
use dealervault_web::{router, WebConfig};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::sync::Arc;
use tower::ServiceExt;

/// Each demo salesperson owns this many customers in a test organisation.
pub const CUSTOMERS_PER_SALESPERSON: u64 = 3;
/// The seed of the synthetic customers; indexes past the loaded ones give fresh,
/// never-used mobile numbers for creating customers.
pub const SEED: u64 = 20_260_101;

/// An answer, with the body both parsed (JSON or `Null`) and raw.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub json: Value,
    pub body: Bytes,
}

impl TestResponse {
    /// `error.code` of an error answer, or `""`.
    pub fn error_code(&self) -> &str {
        self.json["error"]["code"].as_str().unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

#[derive(Debug)]
pub struct TestApp {
    db: TestDb,
    /// The installation's key files; removed with the app.
    pub keys: tempfile::TempDir,
    pub app: App,
    pub router: Router,
    pub org: DemoOrg,
    customers_loaded: u64,
}

impl TestApp {
    /// The demo organisation and `CUSTOMERS_PER_SALESPERSON` customers for each
    /// salesperson on `db`.
    pub async fn spawn(db: TestDb) -> TestApp {
        Self::spawn_with_clock(db, Clock::system()).await
    }

    /// The same, on `clock` (a manual one moves only when the test says so).
    pub async fn spawn_with_clock(db: TestDb, clock: Clock) -> TestApp {
        Self::spawn_with(db, clock, AppConfig::default()).await
    }

    /// The same, with `config` (login limits, say).
    pub async fn spawn_with(db: TestDb, clock: Clock, config: AppConfig) -> TestApp {
        let keys = tempfile::tempdir().expect("key dir");
        let vault = Vault::create(
            &KeyPaths::for_master_key(keys.path().join("master.key")),
            None,
        )
        .expect("keys");
        let org = seed_organisation(db.store(), &clock, &vault)
            .await
            .expect("seed the demo organisation");
        let customers_loaded = CUSTOMERS_PER_SALESPERSON * org.owners.len() as u64;
        load_customers(
            &vault,
            db.store(),
            &clock,
            &org,
            customers_loaded,
            SEED,
            |_| {},
        )
        .await
        .expect("load customers");
        let app = App::new(db.store().clone(), Arc::new(vault), clock, config);
        let router = router(
            app.clone(),
            WebConfig {
                secure_cookies: false,
            },
        );
        TestApp {
            db,
            keys,
            app,
            router,
            org,
            customers_loaded,
        }
    }

    /// `"sqlite"` or `"postgres"`, for assertion messages.
    pub fn backend(&self) -> &'static str {
        self.db.label()
    }

    pub fn user_id(&self, username: &str) -> String {
        self.org.user(username).expect("a demo account").to_string()
    }

    /// A synthetic customer never loaded into this app: its mobile is unused.
    pub fn fresh_customer(&self, n: u64) -> FakeCustomer {
        fake::customer(SEED, self.customers_loaded + n)
    }

    /// Logs a demo account in through the API and returns its bearer token.
    pub async fn login(&self, username: &str) -> String {
        let body = json!({"username": username, "password": DEMO_PASSWORD});
        let (status, json, _) = self.post("/api/v1/auth/login", None, body).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "[{}] login {username}: {json}",
            self.backend()
        );
        json["token"].as_str().expect("a token").to_string()
    }

    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("read the body")
            .to_bytes();
        let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
        TestResponse {
            status,
            headers,
            json,
            body,
        }
    }

    /// A request with any method, content type and raw body.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: impl Into<Body>,
    ) -> TestResponse {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        self.send(request.body(body.into()).expect("a valid request"))
            .await
    }

    async fn with_json(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        json: Value,
    ) -> (StatusCode, Value, Bytes) {
        let body = serde_json::to_vec(&json).expect("serialise the body");
        let r = self
            .raw(method, path, token, Some("application/json"), body)
            .await;
        (r.status, r.json, r.body)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value, Bytes) {
        let r = self
            .raw(Method::GET, path, token, None, Body::empty())
            .await;
        (r.status, r.json, r.body)
    }

    pub async fn post(
        &self,
        path: &str,
        token: Option<&str>,
        json: Value,
    ) -> (StatusCode, Value, Bytes) {
        self.with_json(Method::POST, path, token, json).await
    }

    pub async fn patch(
        &self,
        path: &str,
        token: Option<&str>,
        json: Value,
    ) -> (StatusCode, Value, Bytes) {
        self.with_json(Method::PATCH, path, token, json).await
    }

    pub async fn with_json_put(
        &self,
        path: &str,
        token: Option<&str>,
        json: Value,
    ) -> (StatusCode, Value, Bytes) {
        self.with_json(Method::PUT, path, token, json).await
    }

    /// `total` of the caller's customer list.
    pub async fn customer_total(&self, token: &str) -> u64 {
        let (status, json, _) = self.get("/api/v1/customers", Some(token)).await;
        assert_eq!(status, StatusCode::OK, "[{}] {json}", self.backend());
        json["total"].as_u64().expect("a total")
    }

    /// The first customer of the caller's list.
    pub async fn first_customer(&self, token: &str) -> Value {
        let (status, json, _) = self.get("/api/v1/customers?per_page=1", Some(token)).await;
        assert_eq!(status, StatusCode::OK, "[{}] {json}", self.backend());
        json["items"][0].clone()
    }

    /// Lifts the default two-step marks (managers, finance, the administrator, the
    /// auditor), for a test whose clock runs past the grace period without being about
    /// sign-in (`tests/mfa.rs` covers the marks).
    pub async fn lift_mfa_marks(&self) {
        let mut tx = self.app.store().write().await.expect("write");
        for role in dealervault_app::auth::MFA_ROLES_BY_DEFAULT {
            let row = tx.role_by_code(role).await.expect("read").expect("role");
            tx.set_role_mfa(&row.id, None, row.updated_at + 1)
                .await
                .expect("lift the mark");
        }
        tx.commit().await.expect("commit");
    }

    pub async fn teardown(self) {
        drop(self.router);
        drop(self.app);
        self.db.teardown().await;
    }
}

/// Runs `test` once on every backend in `TestDb::all()` (SQLite always, PostgreSQL when
/// reachable), each on a fresh `TestApp`.
pub async fn on_every_backend<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = TestApp>,
{
    for db in TestDb::all().await {
        let app = TestApp::spawn(db).await;
        let app = test(app).await;
        app.teardown().await;
    }
}

/// Asserts the SPEC error shape and returns the code.
pub fn assert_error_shape(backend: &str, status: StatusCode, json: &Value) -> String {
    assert!(
        status.is_client_error() || status == StatusCode::SERVICE_UNAVAILABLE,
        "[{backend}] expected an error status, got {status}: {json}"
    );
    let error = json
        .get("error")
        .unwrap_or_else(|| panic!("[{backend}] no `error` in {json}"));
    let code = error["code"]
        .as_str()
        .unwrap_or_else(|| panic!("[{backend}] no error.code in {json}"));
    let message = error["message"]
        .as_str()
        .unwrap_or_else(|| panic!("[{backend}] no error.message in {json}"));
    assert!(
        !code.is_empty() && !message.is_empty(),
        "[{backend}] {json}"
    );
    code.to_string()
}

/// `138****1234`: three digits, four stars, four digits.
pub fn is_masked_mobile(value: &str) -> bool {
    let chars: Vec<char> = value.chars().collect();
    chars.len() == 11
        && chars[..3].iter().all(char::is_ascii_digit)
        && chars[3..7].iter().all(|c| *c == '*')
        && chars[7..].iter().all(char::is_ascii_digit)
}
