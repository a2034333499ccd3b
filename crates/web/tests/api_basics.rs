//! The JSON API's main paths, on every backend: login, me, the scoped and masked list,
//! detail, create and duplicate detection, reveal, the audit log, administration, the
//! OpenAPI document and the security headers.

mod common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::{assert_error_shape, is_masked_mobile, on_every_backend, CUSTOMERS_PER_SALESPERSON};
use serde_json::{json, Value};

#[tokio::test]
async fn login_then_me_describes_the_account() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let (status, json, _) = t
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": "sales01", "password": "Demo#2026"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        assert!(
            json["token"].as_str().is_some_and(|s| s.len() >= 22),
            "[{b}] {json}"
        );
        assert!(
            json["expires_at"]
                .as_i64()
                .is_some_and(|ms| ms > 1_700_000_000_000),
            "[{b}] {json}"
        );
        let token = json["token"].as_str().expect("token").to_string();

        let (status, me, _) = t.get("/api/v1/me", Some(&token)).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {me}");
        assert_eq!(me["id"], t.user_id("sales01"), "[{b}]");
        assert_eq!(me["username"], "sales01", "[{b}]");
        assert_eq!(me["display_name"], "王丽", "[{b}]");
        assert_eq!(me["role"], "sales_consultant", "[{b}]");
        assert_eq!(me["role_name_zh"], "销售顾问", "[{b}]");
        assert_eq!(me["role_name_en"], "Sales consultant", "[{b}]");
        assert_eq!(me["store_code"], "SH01", "[{b}]");

        let (_, admin, _) = t.get("/api/v1/me", Some(&t.login("admin").await)).await;
        assert_eq!(admin["role"], "system_admin", "[{b}]");
        assert_eq!(admin["store_code"], Value::Null, "[{b}]");
        t
    })
    .await;
}

#[tokio::test]
async fn logout_ends_the_token() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let token = t.login("sales01").await;
        let r = t
            .raw(
                Method::POST,
                "/api/v1/auth/logout",
                Some(&token),
                None,
                Body::empty(),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "[{b}] {}", r.json);
        let (status, json, _) = t.get("/api/v1/me", Some(&token)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "[{b}] {json}");
        assert_eq!(assert_error_shape(b, status, &json), "unauthenticated");
        t
    })
    .await;
}

#[tokio::test]
async fn a_salesperson_lists_only_own_customers_masked() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let token = t.login("sales01").await;
        let (status, page, _) = t.get("/api/v1/customers", Some(&token)).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {page}");
        assert_eq!(page["total"], CUSTOMERS_PER_SALESPERSON, "[{b}]");
        assert_eq!(page["page"], 1, "[{b}]");
        assert_eq!(page["per_page"], 20, "[{b}]");
        let items = page["items"].as_array().expect("items");
        assert_eq!(items.len() as u64, CUSTOMERS_PER_SALESPERSON, "[{b}]");
        let me = t.user_id("sales01");
        for item in items {
            assert_eq!(
                item["owner_id"], me,
                "[{b}] someone else's customer: {}",
                item["id"]
            );
            assert_eq!(item["store_code"], "SH01", "[{b}]");
            let mobile = item["mobile"].as_str().expect("a masked mobile");
            assert!(
                mobile.contains('*') && is_masked_mobile(mobile),
                "[{b}] not masked 3+4: {mobile}"
            );
            let id_number = item["id_number"].as_str().expect("a masked ID number");
            assert!(id_number.contains('*'), "[{b}] ID number not masked");
            assert!(
                item["name"].as_str().is_some_and(|n| !n.contains('*')),
                "[{b}] own name is editable"
            );
        }

        // Paging and the SPEC's empty parameters.
        let (status, page, _) = t
            .get(
                "/api/v1/customers?q=&mobile=&id_number=&page=&per_page=",
                Some(&token),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {page}");
        assert_eq!(page["total"], CUSTOMERS_PER_SALESPERSON, "[{b}]");
        let (_, page2, _) = t
            .get("/api/v1/customers?page=2&per_page=2", Some(&token))
            .await;
        assert_eq!(
            page2["items"].as_array().map(Vec::len),
            Some(1),
            "[{b}] {page2}"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn detail_answers_out_of_scope_exactly_like_missing() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let sales01 = t.login("sales01").await;
        let sales02 = t.login("sales02").await;
        let own = t.first_customer(&sales01).await;
        let id = own["id"].as_str().expect("id");

        let (status, detail, _) = t
            .get(&format!("/api/v1/customers/{id}"), Some(&sales01))
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {detail}");
        assert_eq!(detail["id"], id, "[{b}]");
        assert!(
            detail["mobile"].as_str().is_some_and(is_masked_mobile),
            "[{b}]"
        );
        assert!(
            detail["masked"]
                .as_array()
                .is_some_and(|m| m.contains(&json!("mobile"))),
            "[{b}]"
        );

        let (s1, _, foreign) = t
            .get(&format!("/api/v1/customers/{id}"), Some(&sales02))
            .await;
        let (s2, _, missing) = t
            .get(
                "/api/v1/customers/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
                Some(&sales02),
            )
            .await;
        let (s3, _, garbage) = t.get("/api/v1/customers/not-an-id", Some(&sales02)).await;
        assert_eq!(
            (s1, s2, s3),
            (
                StatusCode::NOT_FOUND,
                StatusCode::NOT_FOUND,
                StatusCode::NOT_FOUND
            ),
            "[{b}]"
        );
        assert_eq!(
            foreign, missing,
            "[{b}] out of scope must look exactly like missing"
        );
        assert_eq!(foreign, garbage, "[{b}]");
        let (_, foreign_patch, _) = t
            .patch(
                &format!("/api/v1/customers/{id}"),
                Some(&sales02),
                json!({"notes": "x"}),
            )
            .await;
        assert_eq!(foreign_patch["error"]["code"], "not_found", "[{b}]");
        t
    })
    .await;
}

#[tokio::test]
async fn create_then_duplicate_names_only_the_owner() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let sales01 = t.login("sales01").await;
        let sales02 = t.login("sales02").await;
        let fresh = t.fresh_customer(1);
        let body = json!({"name": fresh.name, "mobile": fresh.mobile, "id_number": fresh.id_number, "gender": fresh.gender});

        let r = t
            .raw(Method::POST, "/api/v1/customers", Some(&sales01), Some("application/json"), body.to_string())
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "[{b}] {}", r.json);
        let id = r.json["id"].as_str().expect("id").to_string();
        assert_eq!(r.header("location"), Some(format!("/api/v1/customers/{id}").as_str()), "[{b}]");
        assert_eq!(r.json["owner_id"], t.user_id("sales01"), "[{b}]");
        assert_eq!(r.json["name"], fresh.name.as_str(), "[{b}]");
        assert!(r.json["mobile"].as_str().is_some_and(is_masked_mobile), "[{b}] {}", r.json);
        assert_eq!(t.customer_total(&sales01).await, CUSTOMERS_PER_SALESPERSON + 1, "[{b}]");

        // Same mobile, typed differently, by a colleague.
        let typed = format!("+86 {} {} {}", &fresh.mobile[..3], &fresh.mobile[3..7], &fresh.mobile[7..]);
        let (status, json, raw) =
            t.post("/api/v1/customers", Some(&sales02), json!({"name": "另一个名字", "mobile": typed})).await;
        assert_eq!(status, StatusCode::CONFLICT, "[{b}] {json}");
        assert_eq!(assert_error_shape(b, status, &json), "customer_exists");
        let message = json["error"]["message"].as_str().expect("message");
        assert!(message.contains("王丽"), "[{b}] the owner is named: {message}");
        let text = String::from_utf8_lossy(&raw);
        for secret in [&fresh.mobile[..], &fresh.mobile[7..], &fresh.name[..], &fresh.id_number[..], &id[..]] {
            assert!(!text.contains(secret), "[{b}] the answer leaks customer data: {text}");
        }
        assert_eq!(t.customer_total(&sales02).await, CUSTOMERS_PER_SALESPERSON, "[{b}] nothing written");

        // Editing a field the role may change.
        let (status, edited, _) =
            t.patch(&format!("/api/v1/customers/{id}"), Some(&sales01), json!({"notes": "周末试驾"})).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {edited}");
        assert_eq!(edited["notes"], "周末试驾", "[{b}]");
        // ...and one it may not (mobile is masked for salespeople).
        let (status, json, _) =
            t.patch(&format!("/api/v1/customers/{id}"), Some(&sales01), json!({"mobile": "13900001111"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] {json}");
        assert_eq!(json["error"]["code"], "field_not_editable", "[{b}]");
        assert!(json["error"]["message"].as_str().is_some_and(|m| m.contains("mobile")), "[{b}] {json}");
        t
    })
    .await;
}

#[tokio::test]
async fn reveal_shows_the_clear_value_and_counts_down() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let token = t.login("sales01").await;
        let customer = t.first_customer(&token).await;
        let id = customer["id"].as_str().expect("id");
        let masked = customer["mobile"]
            .as_str()
            .expect("masked mobile")
            .to_string();
        let path = format!("/api/v1/customers/{id}/reveal");

        let (status, json, _) = t
            .post(
                &path,
                Some(&token),
                json!({"field": "mobile", "reason": "回访确认购车意向"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        let value = json["value"].as_str().expect("value");
        assert_eq!(value.len(), 11, "[{b}]");
        assert!(!value.contains('*'), "[{b}]");
        assert_eq!(
            (&value[..3], &value[7..]),
            (&masked[..3], &masked[7..]),
            "[{b}] the mask keeps 3+4"
        );
        assert_eq!(json["remaining_today"], 49, "[{b}] the demo quota is 50");

        let (status, json, _) = t
            .post(&path, Some(&token), json!({"field": "mobile"}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");
        assert_eq!(assert_error_shape(b, status, &json), "invalid_input");
        assert_eq!(
            json["error"]["fields"],
            json!([{"field": "reason", "rule": "required"}]),
            "[{b}]"
        );
        let (status, json, _) = t
            .post(
                &path,
                Some(&token),
                json!({"field": "mobile", "reason": "   "}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");

        let (status, json, _) = t
            .post(
                &path,
                Some(&token),
                json!({"field": "password", "reason": "x"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");
        assert_eq!(json["error"]["fields"][0]["field"], "field", "[{b}]");

        // The reveal is in the audit log, for the auditor only.
        let auditor = t.login("auditor").await;
        let (status, log, _) = t
            .get(
                "/api/v1/audit?action=customer.reveal&actor=sales01",
                Some(&auditor),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {log}");
        let items = log["items"].as_array().expect("items");
        let allowed: Vec<&Value> = items.iter().filter(|e| e["outcome"] == "allowed").collect();
        assert_eq!(allowed.len(), 1, "[{b}] {log}");
        let event = allowed[0];
        assert_eq!(event["actor"], "sales01", "[{b}]");
        assert_eq!(event["entity"], "customer", "[{b}]");
        assert_eq!(event["record_ids"], json!([id]), "[{b}]");
        assert_eq!(event["fields"], json!(["mobile"]), "[{b}]");
        assert_eq!(event["reason"], "回访确认购车意向", "[{b}]");
        for key in ["seq", "at", "hash", "client_addr"] {
            assert!(event.get(key).is_some(), "[{b}] audit item lacks {key}");
        }
        assert!(
            !log.to_string().contains(value),
            "[{b}] the log never carries the value"
        );

        let (status, json, _) = t.get("/api/v1/audit", Some(&token)).await;
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("forbidden")),
            "[{b}]"
        );
        let (status, json, _) = t.get("/api/v1/audit?since=yesterday", Some(&auditor)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "[{b}] {json}");
        assert_eq!(json["error"]["fields"][0]["field"], "since", "[{b}]");
        t
    })
    .await;
}

#[tokio::test]
async fn the_administrator_manages_accounts_and_sees_no_customers() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let admin = t.login("admin").await;
        let (status, users, _) = t.get("/api/v1/users", Some(&admin)).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {users}");
        let items = users["items"].as_array().expect("items");
        assert!(
            items
                .iter()
                .any(|u| u["username"] == "sales03" && u["role"] == "sales_consultant"),
            "[{b}]"
        );
        assert!(
            !users.to_string().contains("argon2"),
            "[{b}] no password material"
        );

        let (status, json, _) = t.get("/api/v1/customers", Some(&admin)).await;
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("forbidden")),
            "[{b}]"
        );

        let sales03 = t.login("sales03").await;
        let (status, _, _) = t.get("/api/v1/users", Some(&sales03)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{b}]");

        let target = t.user_id("sales03");
        let (status, json, _) = t
            .post(
                &format!("/api/v1/users/{target}/disable"),
                Some(&admin),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        assert_eq!(json["status"], "disabled", "[{b}]");
        let (status, json, _) = t.get("/api/v1/me", Some(&sales03)).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "[{b}] disabling ends the session at once: {json}"
        );

        let (status, json, _) = t
            .post(
                &format!("/api/v1/users/{target}/enable"),
                Some(&admin),
                json!({}),
            )
            .await;
        assert_eq!(
            (status, json["status"].as_str()),
            (StatusCode::OK, Some("active")),
            "[{b}] {json}"
        );
        let (status, json, _) = t
            .patch(
                &format!("/api/v1/users/{target}"),
                Some(&admin),
                json!({"role": "sales_manager"}),
            )
            .await;
        assert_eq!(
            (status, json["role"].as_str()),
            (StatusCode::OK, Some("sales_manager")),
            "[{b}] {json}"
        );
        let (status, json, _) = t
            .patch(
                &format!("/api/v1/users/{target}"),
                Some(&admin),
                json!({"role": "king"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");

        let own = t.user_id("admin");
        let (status, json, _) = t
            .post(
                &format!("/api/v1/users/{own}/disable"),
                Some(&admin),
                json!({}),
            )
            .await;
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("cannot_disable_self")),
            "[{b}]"
        );
        let (status, _, _) = t
            .post("/api/v1/users/nobody/disable", Some(&admin), json!({}))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "[{b}]");
        t
    })
    .await;
}

const SPEC_PATHS: &[(&str, &str)] = &[
    ("/api/v1/auth/login", "post"),
    ("/api/v1/auth/logout", "post"),
    ("/api/v1/me", "get"),
    ("/api/v1/customers", "get"),
    ("/api/v1/customers", "post"),
    ("/api/v1/customers/{id}", "get"),
    ("/api/v1/customers/{id}", "patch"),
    ("/api/v1/customers/{id}/reveal", "post"),
    ("/api/v1/audit", "get"),
    ("/api/v1/users", "get"),
    ("/api/v1/users/{id}", "patch"),
    ("/api/v1/users/{id}/disable", "post"),
    ("/api/v1/users/{id}/enable", "post"),
    ("/api/v1/openapi.json", "get"),
];

#[tokio::test]
async fn the_openapi_document_lists_every_route() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let (status, doc, _) = t.get("/api/v1/openapi.json", None).await;
        assert_eq!(status, StatusCode::OK, "[{b}]");
        assert!(
            doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")),
            "[{b}] {}",
            doc["openapi"]
        );
        for (path, method) in SPEC_PATHS {
            assert!(
                doc["paths"][path][method].is_object(),
                "[{b}] {method} {path} missing from the document"
            );
        }
        let scheme = &doc["components"]["securitySchemes"]["bearer"];
        assert_eq!(
            (scheme["type"].as_str(), scheme["scheme"].as_str()),
            (Some("http"), Some("bearer")),
            "[{b}]"
        );
        assert!(
            doc["paths"]["/api/v1/me"]["get"]["security"].is_array(),
            "[{b}]"
        );
        for schema in [
            "CustomerView",
            "CustomerPage",
            "CustomerInput",
            "Revealed",
            "UserSummary",
            "ErrorBody",
        ] {
            assert!(
                doc["components"]["schemas"][schema].is_object(),
                "[{b}] schema {schema} missing"
            );
        }
        let list_params = doc["paths"]["/api/v1/customers"]["get"]["parameters"]
            .as_array()
            .expect("parameters");
        for name in ["q", "mobile", "id_number", "page", "per_page"] {
            assert!(
                list_params.iter().any(|p| p["name"] == name),
                "[{b}] parameter {name} missing"
            );
        }
        t
    })
    .await;
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let token = t.login("sales01").await;
        let answers = [
            t.raw(
                Method::GET,
                "/api/v1/customers",
                Some(&token),
                None,
                Body::empty(),
            )
            .await,
            t.raw(Method::GET, "/api/v1/me", None, None, Body::empty())
                .await,
            t.raw(
                Method::GET,
                "/api/v1/nothing-here",
                None,
                None,
                Body::empty(),
            )
            .await,
            t.raw(Method::GET, "/healthz", None, None, Body::empty())
                .await,
        ];
        for r in &answers {
            let csp = r.header("content-security-policy").unwrap_or_default();
            assert!(
                csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
                "[{b}] csp: {csp}"
            );
            assert_eq!(r.header("x-frame-options"), Some("DENY"), "[{b}]");
            assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "[{b}]");
            assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "[{b}]");
            assert_eq!(
                r.header("cache-control"),
                Some("no-store"),
                "[{b}] {}",
                r.status
            );
        }
        assert_eq!(answers[0].status, StatusCode::OK, "[{b}]");
        assert_eq!(
            answers[1].header("www-authenticate"),
            Some("Bearer"),
            "[{b}]"
        );
        t
    })
    .await;
}
