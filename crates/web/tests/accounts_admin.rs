//! Account administration, end to end on every backend: creating an account on a
//! one-time password (pages and API), resetting a password, moving an account to
//! another department — each applying on the next request and audited — and nobody
//! changing their own account.

mod common;

use axum::http::StatusCode;
use common::browser::{Browser, Page};
use common::{on_every_backend, TestApp};
use serde_json::{json, Value};

async fn signed_in<'a>(t: &'a TestApp, username: &str) -> Browser<'a> {
    let mut b = t.browser();
    b.login(username).await;
    b
}

/// The one-time password shown on its page.
fn shown_password(page: &Page) -> String {
    let marker = "id=\"one-time-password\">";
    let at = page.body.find(marker).expect("the password") + marker.len();
    page.body[at..]
        .split('<')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The key of a place, found by store code and department name.
async fn unit_key(t: &TestApp, token: &str, store: &str, department: Option<&str>) -> String {
    let (status, units, _) = t.get("/api/v1/org-units", Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{units}");
    units["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|u| {
            u["store_code"] == store
                && u["department_zh"].as_str() == department
                && u["team"].is_null()
        })
        .and_then(|u| u["key"].as_str())
        .expect("the unit")
        .to_string()
}

async fn sign_in_with(t: &TestApp, username: &str, password: &str) -> (StatusCode, Value) {
    let (status, json, _) = t
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": username, "password": password}),
        )
        .await;
    (status, json)
}

async fn events(t: &TestApp, action: &str) -> Vec<Value> {
    let auditor = t.login("auditor").await;
    let (_, json, _) = t
        .get(&format!("/api/v1/audit?action={action}"), Some(&auditor))
        .await;
    json["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn an_account_is_created_on_a_one_time_password_shown_once() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let token = t.login("admin").await;
        let unit = unit_key(&t, &token, "SH01", Some("销售部")).await;
        let mut admin = signed_in(&t, "admin").await;
        let list = admin.get("/admin/users").await;
        assert!(list.body.contains("href=\"/admin/users/new\""), "[{backend}]");
        let form = admin.get("/admin/users/new").await;
        assert_eq!(form.status, StatusCode::OK, "[{backend}]");
        let csrf = form.csrf();

        // Every refused input is named beside it, and what was typed stays.
        let bad = admin
            .post(
                "/admin/users",
                &[("csrf", &csrf), ("username", "1x"), ("display_name", "赵六"), ("role", ""), ("unit", "store:nowhere")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}]");
        for id in ["f-username-error", "f-role-error", "f-unit-error"] {
            assert!(bad.body.contains(id), "[{backend}] {id}");
        }
        assert!(bad.body.contains("value=\"赵六\""), "[{backend}]");

        let made = admin
            .post(
                "/admin/users",
                &[("csrf", &csrf), ("username", "Sales21"), ("display_name", "赵六"), ("role", "sales_consultant"), ("unit", &unit)],
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "[{backend}] {}", made.body);
        assert_eq!(made.header("cache-control"), Some("no-store"));
        let password = shown_password(&made);
        assert_eq!(password.chars().count(), 16, "[{backend}]");
        // The same username (any case) cannot be taken twice.
        let again = admin
            .post(
                "/admin/users",
                &[("csrf", &csrf), ("username", "sales21"), ("display_name", "x"), ("role", "sales_consultant"), ("unit", &unit)],
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "[{backend}]");

        // The new account signs in with it, and must choose its own password first.
        let (status, login) = sign_in_with(&t, "sales21", &password).await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {login}");
        let fresh = login["token"].as_str().expect("token");
        let (status, body, _) = t.get("/api/v1/customers", Some(fresh)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{backend}] {body}");
        assert_eq!(body["error"]["code"], "password_change_required");

        let created = events(&t, "user.create").await;
        assert!(
            created.iter().any(|e| e["actor"] == "admin"),
            "[{backend}] {created:?}"
        );
        let text = serde_json::to_string(&created).unwrap_or_default();
        assert!(!text.contains(&password), "[{backend}] no password in the log");

        // Through the API too, with each bad field named.
        let (status, body, _) = t
            .post(
                "/api/v1/users",
                Some(&token),
                json!({"username": "x", "display_name": "", "role": "pilot", "unit": "group"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}] {body}");
        let fields: Vec<_> = body["error"]["fields"].as_array().expect("fields").iter().map(|f| f["field"].as_str().unwrap_or("").to_string()).collect();
        assert_eq!(fields, ["username", "display_name", "role"], "[{backend}]");
        let (status, body, _) = t
            .post(
                "/api/v1/users",
                Some(&token),
                json!({"username": "auditor2", "display_name": "审计员二", "role": "auditor", "unit": "group"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "[{backend}] {body}");
        assert_eq!(body["user"]["must_change_password"], true);
        assert_eq!(body["one_time_password"].as_str().map(str::len), Some(16));
        t
    })
    .await;
}

#[tokio::test]
async fn a_reset_ends_the_sessions_and_issues_a_new_one_time_password() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let live = t.login("sales02").await;
        let mut admin = signed_in(&t, "admin").await;
        let id = t.user_id("sales02");
        let detail = admin.get(&format!("/admin/users/{id}")).await;
        assert_eq!(detail.status, StatusCode::OK, "[{backend}]");
        let reset = admin
            .post(
                &format!("/admin/users/{id}/password"),
                &[("csrf", &detail.csrf())],
            )
            .await;
        assert_eq!(reset.status, StatusCode::OK, "[{backend}] {}", reset.body);
        let password = shown_password(&reset);

        let (status, _, _) = t.get("/api/v1/me", Some(&live)).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "[{backend}] the old session ended"
        );
        let (status, _) = sign_in_with(&t, "sales02", dealervault_demo::DEMO_PASSWORD).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "[{backend}] the old password is gone"
        );
        let (status, _) = sign_in_with(&t, "sales02", &password).await;
        assert_eq!(status, StatusCode::OK, "[{backend}]");
        let edits = events(&t, "user.edit").await;
        assert!(
            edits.iter().any(|e| e["fields"] == json!(["password"])),
            "[{backend}]"
        );

        // Not one's own, by page or API.
        let own = t.user_id("admin");
        let refused = admin
            .post(
                &format!("/admin/users/{own}/password"),
                &[("csrf", &detail.csrf())],
            )
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "[{backend}]");
        let token = t.login("admin").await;
        let (status, body, _) = t
            .post(
                &format!("/api/v1/users/{own}/reset-password"),
                Some(&token),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "[{backend}] {body}");
        // Without the token, nothing happens.
        let refused = admin
            .post(&format!("/admin/users/{id}/password"), &[])
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "[{backend}]");
        t
    })
    .await;
}

#[tokio::test]
async fn a_move_changes_scopes_on_the_next_request() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let manager = t.login("salesmgr01").await;
        let before = t.customer_total(&manager).await;
        let owned = t.customer_total(&t.login("sales01").await).await;
        assert!(owned > 0);

        let token = t.login("admin").await;
        let aftersales = unit_key(&t, &token, "SH01", Some("售后服务部")).await;
        let mut admin = signed_in(&t, "admin").await;
        let id = t.user_id("sales01");
        let detail = admin.get(&format!("/admin/users/{id}")).await;
        assert!(
            detail.body.contains(&format!("value=\"{aftersales}\"")),
            "[{backend}]"
        );
        let moved = admin
            .post(
                &format!("/admin/users/{id}/unit"),
                &[("csrf", &detail.csrf()), ("unit", &aftersales)],
            )
            .await;
        assert_eq!(
            moved.status,
            StatusCode::SEE_OTHER,
            "[{backend}] {}",
            moved.body
        );
        let after = admin.get(moved.location()).await;
        assert!(after.body.contains("售后服务部"), "[{backend}]");

        // The sales manager's department no longer holds sales01's customers.
        assert_eq!(
            t.customer_total(&manager).await,
            before - owned,
            "[{backend}]"
        );
        let edits = events(&t, "user.edit").await;
        assert!(
            edits.iter().any(|e| e["fields"] == json!(["position"])),
            "[{backend}]"
        );

        // An unknown place is refused; so is moving oneself or re-roling oneself.
        let bad = admin
            .post(
                &format!("/admin/users/{id}/unit"),
                &[("csrf", &detail.csrf()), ("unit", "team:nowhere")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}]");
        let own = t.user_id("admin");
        for body in [
            json!({"role": "general_manager"}),
            json!({"unit": aftersales}),
        ] {
            let (status, json, _) = t
                .patch(&format!("/api/v1/users/{own}"), Some(&token), body)
                .await;
            assert_eq!(status, StatusCode::CONFLICT, "[{backend}] {json}");
            assert_eq!(json["error"]["code"], "cannot_change_self");
        }
        // Role and place together, in one change.
        let sales03 = t.user_id("sales03");
        let (status, json, _) = t
            .patch(
                &format!("/api/v1/users/{sales03}"),
                Some(&token),
                json!({"role": "sales_manager", "unit": aftersales}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {json}");
        assert_eq!(json["role"], "sales_manager");
        assert_eq!(json["unit"], aftersales.as_str());
        let (status, _, _) = t
            .patch(&format!("/api/v1/users/{sales03}"), Some(&token), json!({}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}]");

        // Other roles have none of it.
        for username in ["gm01", "auditor"] {
            let mut b = signed_in(&t, username).await;
            assert_eq!(
                b.get("/admin/users/new").await.status,
                StatusCode::FORBIDDEN,
                "[{backend}] {username}"
            );
            assert_eq!(
                b.get(&format!("/admin/users/{id}")).await.status,
                StatusCode::FORBIDDEN,
                "[{backend}] {username}"
            );
        }
        t
    })
    .await;
}

#[tokio::test]
async fn the_organisation_grows_by_store_department_and_team() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let mut admin = signed_in(&t, "admin").await;
        let page = admin.get("/admin/org").await;
        assert_eq!(page.status, StatusCode::OK, "[{backend}]");
        assert!(page.body.contains("销售一组"), "[{backend}]");
        let csrf = page.csrf();
        let bad = admin
            .post("/admin/org", &[("csrf", &csrf), ("kind", "store"), ("code", "3-x"), ("name_zh", "上海嘉定店"), ("name_en", "")])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}]");
        assert!(bad.body.contains("value=\"上海嘉定店\""), "[{backend}] what was typed stays");
        let added = admin
            .post("/admin/org", &[("csrf", &csrf), ("kind", "store"), ("code", "sh03"), ("name_zh", "上海嘉定店"), ("name_en", "Shanghai Jiading")])
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "[{backend}] {}", added.body);
        let again = admin
            .post("/admin/org", &[("csrf", &csrf), ("kind", "store"), ("code", "SH03"), ("name_zh", "x"), ("name_en", "x")])
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "[{backend}]");

        let token = t.login("admin").await;
        let store = unit_key(&t, &token, "SH03", None).await;
        let (status, dept, _) = t
            .post("/api/v1/org-units", Some(&token), json!({"kind": "department", "store": store, "code": "used_cars", "name_zh": "二手车部", "name_en": "Used cars"}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "[{backend}] {dept}");
        let department = dept["key"].as_str().expect("key").to_string();
        let made = admin
            .post("/admin/org", &[("csrf", &csrf), ("kind", "team"), ("parent", &department), ("name", "评估组")])
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "[{backend}]");
        // A team goes into a department, not a store.
        let (status, _, _) = t
            .post("/api/v1/org-units", Some(&token), json!({"kind": "team", "department": store, "name": "x"}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}]");

        // People can be moved there, and the page counts them.
        let (_, units, _) = t.get("/api/v1/org-units", Some(&token)).await;
        let team = units["items"].as_array().expect("items").iter().find(|u| u["team"] == "评估组").and_then(|u| u["key"].as_str()).expect("the team").to_string();
        let sales02 = t.user_id("sales02");
        let (status, _, _) = t.patch(&format!("/api/v1/users/{sales02}"), Some(&token), json!({"unit": team})).await;
        assert_eq!(status, StatusCode::OK, "[{backend}]");
        let page = admin.get("/admin/org").await;
        assert!(page.body.contains("评估组"), "[{backend}]");
        let created = events(&t, "organisation.create").await;
        assert_eq!(created.len(), 3, "[{backend}] {created:?}");

        let mut gm = signed_in(&t, "gm01").await;
        assert_eq!(gm.get("/admin/org").await.status, StatusCode::FORBIDDEN, "[{backend}]");
        t
    })
    .await;
}
