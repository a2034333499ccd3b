//! Whatever a client sends, the API answers in the SPEC's error shape with a 4xx status,
//! names the offending field without echoing its value, and writes nothing.

mod common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::{assert_error_shape, on_every_backend, TestApp, CUSTOMERS_PER_SALESPERSON};
use serde_json::{json, Value};

/// `(field, rule)` pairs of an `invalid_input`/`bad_request` answer.
fn issues(json: &Value) -> Vec<(String, String)> {
    json["error"]["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .map(|f| {
                    let text = |k: &str| f[k].as_str().unwrap_or_default().to_string();
                    (text("field"), text("rule"))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn has_issue(json: &Value, field: &str, rule: &str) -> bool {
    issues(json).iter().any(|(f, r)| f == field && r == rule)
}

/// Sends a raw body to `path` and checks the answer is an error of the SPEC shape
/// with `status` and `code`.
async fn refused(
    t: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    content_type: Option<&str>,
    body: impl Into<Body>,
    expected: (StatusCode, &str),
) -> Value {
    let b = t.backend();
    let r = t
        .raw(method.clone(), path, Some(token), content_type, body)
        .await;
    assert_eq!(
        r.status,
        expected.0,
        "[{b}] {method} {path}: {}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(
        r.header("content-type"),
        Some("application/json"),
        "[{b}] {method} {path}"
    );
    assert_eq!(
        assert_error_shape(b, r.status, &r.json),
        expected.1,
        "[{b}] {method} {path}: {}",
        r.json
    );
    r.json
}

const JSON: Option<&str> = Some("application/json");

#[tokio::test]
async fn malformed_and_misshapen_bodies_are_refused_and_write_nothing() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let token = t.login("sales01").await;
        let before = t.customer_total(&token).await;
        let fresh = t.fresh_customer(1);
        let create = "/api/v1/customers";
        let bad = (StatusCode::BAD_REQUEST, "bad_request");
        let invalid = (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");

        for body in [
            "{",
            "",
            "{} x",
            "{\"name\": \"张三\",}",
            "\u{feff}{}",
            "[1,2",
            "{\"name\": \"张",
        ] {
            refused(&t, Method::POST, create, &token, JSON, body, bad).await;
        }

        let wrong_type = json!({"name": 5, "mobile": fresh.mobile}).to_string();
        let j = refused(&t, Method::POST, create, &token, JSON, wrong_type, invalid).await;
        assert!(has_issue(&j, "name", "wrong_type"), "[{b}] {j}");
        let nested = json!({"name": "张三", "mobile": {"number": fresh.mobile}}).to_string();
        let j = refused(&t, Method::POST, create, &token, JSON, nested, invalid).await;
        assert!(has_issue(&j, "mobile", "wrong_type"), "[{b}] {j}");
        assert!(
            !j.to_string().contains(&fresh.mobile),
            "[{b}] the value is echoed: {j}"
        );
        let j = refused(&t, Method::POST, create, &token, JSON, "[]", invalid).await;
        assert!(has_issue(&j, "body", "wrong_type"), "[{b}] {j}");

        let unknown =
            json!({"name": "张三", "mobile": fresh.mobile, "owner_id": "someone"}).to_string();
        let j = refused(&t, Method::POST, create, &token, JSON, unknown, invalid).await;
        assert!(has_issue(&j, "owner_id", "unknown_field"), "[{b}] {j}");
        assert!(
            j["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("owner_id")),
            "[{b}] {j}"
        );

        let form = format!("name=x&mobile={}", fresh.mobile);
        let unsupported = (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
        refused(
            &t,
            Method::POST,
            create,
            &token,
            Some("application/x-www-form-urlencoded"),
            form,
            unsupported,
        )
        .await;
        refused(&t, Method::POST, create, &token, None, "{}", unsupported).await;

        let huge = json!({"name": "张三", "mobile": fresh.mobile, "notes": "备".repeat(40_000)})
            .to_string();
        assert!(huge.len() > 64 * 1024);
        refused(
            &t,
            Method::POST,
            create,
            &token,
            JSON,
            huge,
            (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
        )
        .await;

        assert_eq!(
            t.customer_total(&token).await,
            before,
            "[{b}] a refused request wrote a customer"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn invalid_mobile_and_id_number_are_named_on_create_and_patch() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let token = t.login("sales01").await;
        let fresh = t.fresh_customer(2);
        let invalid = (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
        let create = "/api/v1/customers";

        let cases = [
            (
                json!({"name": "张三", "mobile": "12345"}),
                "mobile",
                "invalid_mobile",
                "12345",
            ),
            (
                json!({"name": "张三", "mobile": "23800138000"}),
                "mobile",
                "invalid_mobile",
                "23800138000",
            ),
            (
                json!({"name": "张三", "mobile": fresh.mobile, "id_number": "110101199003071234"}),
                "id_number",
                "invalid_id_number",
                "110101199003071234",
            ),
            (json!({"name": "张三"}), "mobile", "required", "张三"),
            (
                json!({"name": "张三", "mobile": fresh.mobile, "gender": "robot"}),
                "gender",
                "unknown_value",
                "robot",
            ),
        ];
        for (body, field, rule, value) in &cases {
            let j = refused(
                &t,
                Method::POST,
                create,
                &token,
                JSON,
                body.to_string(),
                invalid,
            )
            .await;
            assert!(has_issue(&j, field, rule), "[{b}] {body} → {j}");
            let message = j["error"]["message"].as_str().unwrap_or_default();
            assert!(
                message.contains(field),
                "[{b}] the message names the field: {message}"
            );
            assert!(
                !j.to_string().contains(value),
                "[{b}] the value is echoed: {j}"
            );
        }
        assert_eq!(
            t.customer_total(&token).await,
            CUSTOMERS_PER_SALESPERSON,
            "[{b}] nothing written"
        );

        let own = t.first_customer(&token).await;
        let path = format!("/api/v1/customers/{}", own["id"].as_str().expect("id"));
        let patches = [
            (
                json!({"id_number": "110101199003071234"}),
                "id_number",
                "invalid_id_number",
            ),
            (json!({"name": ""}), "name", "required"),
            (
                json!({"birth_date": "1990-02-30"}),
                "birth_date",
                "invalid_date",
            ),
        ];
        for (body, field, rule) in &patches {
            let j = refused(
                &t,
                Method::PATCH,
                &path,
                &token,
                JSON,
                body.to_string(),
                invalid,
            )
            .await;
            assert!(has_issue(&j, field, rule), "[{b}] {body} → {j}");
        }
        let j = refused(
            &t,
            Method::PATCH,
            &path,
            &token,
            JSON,
            json!({"mobile": "12345"}).to_string(),
            invalid,
        )
        .await;
        assert!(has_issue(&j, "mobile", "invalid_mobile"), "[{b}] {j}");
        let j = refused(
            &t,
            Method::PATCH,
            &path,
            &token,
            JSON,
            json!({"colour": "red"}).to_string(),
            invalid,
        )
        .await;
        assert!(has_issue(&j, "colour", "unknown_field"), "[{b}] {j}");
        refused(
            &t,
            Method::PATCH,
            &path,
            &token,
            JSON,
            "{\"notes\": ",
            (StatusCode::BAD_REQUEST, "bad_request"),
        )
        .await;

        let (_, after, _) = t.get(&path, Some(&token)).await;
        assert_eq!(
            after["updated_at"], own["updated_at"],
            "[{b}] a refused PATCH changed the customer"
        );
        assert_eq!(after["birth_date"], own["birth_date"], "[{b}]");
        t
    })
    .await;
}

#[tokio::test]
async fn bad_query_parameters_are_400_in_the_error_shape() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let token = t.login("sales01").await;
        let bad = (StatusCode::BAD_REQUEST, "bad_request");
        for (query, field) in [
            ("page=abc", "page"),
            ("per_page=-1", "per_page"),
            ("page=1e3", "page"),
        ] {
            let path = format!("/api/v1/customers?{query}");
            let j = refused(&t, Method::GET, &path, &token, None, Body::empty(), bad).await;
            assert!(has_issue(&j, field, "not_a_number"), "[{b}] {query} → {j}");
        }
        let j = refused(
            &t,
            Method::GET,
            "/api/v1/customers?sort=sideways",
            &token,
            None,
            Body::empty(),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
        )
        .await;
        assert!(has_issue(&j, "sort", "unknown_value"), "[{b}] {j}");
        let j = refused(
            &t,
            Method::GET,
            "/api/v1/customers?mobile=123",
            &token,
            None,
            Body::empty(),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
        )
        .await;
        assert!(has_issue(&j, "mobile", "invalid_mobile"), "[{b}] {j}");
        let long = format!("/api/v1/customers?q={}", "%E7%8E%8B".repeat(51));
        refused(
            &t,
            Method::GET,
            &long,
            &token,
            None,
            Body::empty(),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
        )
        .await;
        t
    })
    .await;
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_the_error_shape() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let token = t.login("sales01").await;
        let (_, _, missing_customer) = t
            .get(
                "/api/v1/customers/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
                Some(&token),
            )
            .await;
        for path in [
            "/api",
            "/api/",
            "/api/v1",
            "/api/v2/customers",
            "/api/v1/customers/",
            "/api/v1/customers/x/y/z",
        ] {
            let r = t
                .raw(Method::GET, path, Some(&token), None, Body::empty())
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "[{b}] {path}");
            assert_eq!(
                assert_error_shape(b, r.status, &r.json),
                "not_found",
                "[{b}] {path}"
            );
            assert_eq!(
                r.body, missing_customer,
                "[{b}] {path}: one 404 body everywhere"
            );
        }
        let r = t
            .raw(
                Method::DELETE,
                "/api/v1/customers",
                Some(&token),
                None,
                Body::empty(),
            )
            .await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "[{b}]");
        assert_eq!(
            assert_error_shape(b, r.status, &r.json),
            "method_not_allowed",
            "[{b}]"
        );
        assert!(r.header("allow").is_some(), "[{b}]");
        t
    })
    .await;
}

#[tokio::test]
async fn credentials_are_checked_before_anything_else() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let login = "/api/v1/auth/login";
        let (status, json, raw) = t
            .post(
                login,
                None,
                json!({"username": "sales02", "password": "wrong#2026"}),
            )
            .await;
        assert_eq!(assert_error_shape(b, status, &json), "bad_credentials");
        assert_eq!(status, StatusCode::UNAUTHORIZED, "[{b}]");
        assert!(
            !String::from_utf8_lossy(&raw).contains("wrong#2026"),
            "[{b}]"
        );
        let (status, json, _) = t
            .post(
                login,
                None,
                json!({"username": "nobody", "password": "Demo#2026"}),
            )
            .await;
        assert_eq!(
            (status, assert_error_shape(b, status, &json)),
            (StatusCode::UNAUTHORIZED, "bad_credentials".into())
        );
        let (status, json, _) = t.post(login, None, json!({"username": "sales02"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");
        assert!(has_issue(&json, "password", "required"), "[{b}] {json}");
        let (status, json, _) = t
            .post(login, None, json!({"username": "sales02", "password": 12}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");

        let before = {
            let token = t.login("sales01").await;
            t.customer_total(&token).await
        };
        for (auth, path) in [
            (None, "/api/v1/me"),
            (None, "/api/v1/customers"),
            (Some("Bearer not-a-token"), "/api/v1/customers"),
            (Some("Bearer "), "/api/v1/me"),
            (Some("Basic c2FsZXMwMTpEZW1vIzIwMjY="), "/api/v1/me"),
            (None, "/api/v1/audit"),
            (None, "/api/v1/users"),
        ] {
            let mut request = axum::http::Request::builder().uri(path);
            if let Some(auth) = auth {
                request = request.header("authorization", auth);
            }
            let r = t.send(request.body(Body::empty()).expect("request")).await;
            assert_eq!(
                r.status,
                StatusCode::UNAUTHORIZED,
                "[{b}] {path} with {auth:?}"
            );
            assert_eq!(
                assert_error_shape(b, r.status, &r.json),
                "unauthenticated",
                "[{b}]"
            );
        }
        // Without a token even a well-formed create is refused, and a malformed one is
        // refused as unauthenticated before its body is read.
        let fresh = t.fresh_customer(3);
        let (status, _, _) = t
            .post(
                "/api/v1/customers",
                None,
                json!({"name": "张三", "mobile": fresh.mobile}),
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "[{b}]");
        let r = t
            .raw(Method::POST, "/api/v1/customers", None, JSON, "{")
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "[{b}]");
        let token = t.login("sales01").await;
        assert_eq!(t.customer_total(&token).await, before, "[{b}]");
        t
    })
    .await;
}
