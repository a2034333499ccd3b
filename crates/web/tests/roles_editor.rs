//! The permission editor, end to end on every backend: the administrator changes a role
//! in the matrix (pages and API), the review lists what the change opens up, the change
//! applies to the holders' next request and is audited by item; separation of duties,
//! self-lockout, a stale version, missing CSRF tokens and other roles are refused; the
//! preview shows an invented customer, never a real one.

mod common;

use axum::http::StatusCode;
use common::browser::{shows, Browser, Page};
use common::world::world;
use common::{is_masked_mobile, on_every_backend, TestApp};
use serde_json::{json, Value};

async fn signed_in<'a>(t: &'a TestApp, username: &str) -> Browser<'a> {
    let mut b = t.browser();
    b.login(username).await;
    b
}

/// The editor's inputs as the page renders them: every selected option, checked radio
/// and checked box, plus the hidden inputs.
fn editor_inputs(page: &Page) -> Vec<(String, String)> {
    let body = &page.body;
    let attr = |tag: &str, name: &str| -> Option<String> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[at..].split('"').next()?.to_string())
    };
    let mut out = Vec::new();
    let form_start = body.find("class=\"role-editor\"").expect("the editor form");
    let form = &body[form_start
        ..body[form_start..]
            .find("</form>")
            .map_or(body.len(), |e| form_start + e)];
    // Hidden inputs, radios and checkboxes.
    for piece in form.split("<input").skip(1) {
        let tag = &piece[..piece.find('>').unwrap_or(piece.len())];
        let (Some(name), Some(value)) = (attr(tag, "name"), attr(tag, "value")) else {
            continue;
        };
        let kind = attr(tag, "type").unwrap_or_default();
        if kind == "hidden" || tag.contains(" checked") {
            out.push((name, value));
        }
    }
    // Selects: the selected option (none selected: the first).
    for piece in form.split("<select").skip(1) {
        let tag = &piece[..piece.find('>').unwrap_or(piece.len())];
        let Some(name) = attr(tag, "name") else {
            continue;
        };
        let options = &piece[..piece.find("</select>").unwrap_or(piece.len())];
        let mut chosen = None;
        for option in options.split("<option").skip(1) {
            let otag = &option[..option.find('>').unwrap_or(option.len())];
            let value = attr(otag, "value").unwrap_or_default();
            if chosen.is_none() || otag.contains(" selected") {
                chosen = Some((value, otag.contains(" selected")));
            }
            if otag.contains(" selected") {
                break;
            }
        }
        out.push((name, chosen.map(|(v, _)| v).unwrap_or_default()));
    }
    out
}

fn set(inputs: &mut Vec<(String, String)>, name: &str, value: &str) {
    inputs.retain(|(k, _)| k != name);
    inputs.push((name.to_string(), value.to_string()));
}

fn pairs(inputs: &[(String, String)]) -> Vec<(&str, &str)> {
    inputs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// The `role.edit` events as the auditor reads them.
async fn role_events(t: &TestApp) -> Vec<Value> {
    let auditor = t.login("auditor").await;
    let (status, json, _) = t
        .get("/api/v1/audit?action=role.edit", Some(&auditor))
        .await;
    assert_eq!(status, StatusCode::OK, "{json}");
    json["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_change_in_the_matrix_applies_on_the_next_request_and_is_audited() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        // sales01 sees its customers' mobiles masked, and its session stays open.
        let sales = t.login("sales01").await;
        let before = t.first_customer(&sales).await;
        let id = before["id"].as_str().expect("id").to_string();
        assert!(
            is_masked_mobile(before["mobile"].as_str().unwrap_or("")),
            "[{backend}]"
        );

        let mut admin = signed_in(&t, "admin").await;
        let list = admin.get("/admin/roles").await;
        assert_eq!(list.status, StatusCode::OK, "[{backend}] {}", list.body);
        assert!(
            list.body.contains("id=\"role-sales_consultant\""),
            "[{backend}]"
        );
        let editor = admin.get("/admin/roles/sales_consultant").await;
        assert_eq!(editor.status, StatusCode::OK, "[{backend}]");
        // The preview shows the invented sample, masked as the role sees it.
        assert!(
            editor.body.contains("138****8000"),
            "[{backend}] masked sample"
        );
        assert!(
            !editor.body.contains("13800138000"),
            "[{backend}] clear sample"
        );

        // Mobile in clear for sales consultants: the review says what that opens.
        let mut inputs = editor_inputs(&editor);
        set(&mut inputs, "level.customer.mobile", "clear");
        let review = admin
            .post("/admin/roles/sales_consultant/review", &pairs(&inputs))
            .await;
        assert_eq!(review.status, StatusCode::OK, "[{backend}] {}", review.body);
        assert!(
            review.body.contains("本次修改将开放"),
            "[{backend}] {}",
            review.body
        );
        assert!(review.body.contains("客户 · 手机号"), "[{backend}]");
        assert!(!review.body.contains("本次修改将收回"), "[{backend}]");
        // Nothing is saved by the review.
        assert!(is_masked_mobile(
            t.first_customer(&sales).await["mobile"]
                .as_str()
                .unwrap_or("")
        ));

        // Confirming posts the review's hidden inputs.
        let confirm_form = &review.body[review
            .body
            .find("action=\"/admin/roles/sales_consultant\"")
            .expect("confirm form")..];
        let mut confirm = Vec::new();
        for piece in confirm_form[..confirm_form.find("</form>").unwrap_or(confirm_form.len())]
            .split("<input type=\"hidden\" name=\"")
            .skip(1)
        {
            let name = piece.split('"').next().unwrap_or_default().to_string();
            let value = piece
                .split("value=\"")
                .nth(1)
                .and_then(|v| v.split('"').next())
                .unwrap_or_default()
                .to_string();
            confirm.push((name, value));
        }
        let saved = admin
            .post("/admin/roles/sales_consultant", &pairs(&confirm))
            .await;
        assert_eq!(
            saved.status,
            StatusCode::SEE_OTHER,
            "[{backend}] {}",
            saved.body
        );
        assert_eq!(saved.location(), "/admin/roles/sales_consultant?saved=1");

        // sales01's very next request shows the mobile in clear; nothing was cached.
        let (status, after, _) = t
            .get(&format!("/api/v1/customers/{id}"), Some(&sales))
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}]");
        let w = world(&t).await;
        let record = &w
            .customers
            .iter()
            .find(|(c, _)| c.id.to_string() == id)
            .expect("customer")
            .0;
        assert_eq!(
            after["mobile"].as_str(),
            Some(record.mobile.as_str()),
            "[{backend}]"
        );

        // Audited by item, never by value.
        let events = role_events(&t).await;
        let allowed: Vec<_> = events
            .iter()
            .filter(|e| e["outcome"] == "allowed")
            .collect();
        assert_eq!(allowed.len(), 1, "[{backend}] {events:?}");
        assert_eq!(allowed[0]["actor"], "admin");
        assert_eq!(
            allowed[0]["fields"],
            json!(["field:customer.mobile"]),
            "[{backend}]"
        );

        // The same save again (same version) is now stale.
        let again = admin
            .post("/admin/roles/sales_consultant", &pairs(&confirm))
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "[{backend}]");
        assert!(again.body.contains("其他人已修改了这个角色"), "[{backend}]");
        t
    })
    .await;
}

#[tokio::test]
async fn separation_of_duties_and_self_lockout_are_refused_and_recorded() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let mut admin = signed_in(&t, "admin").await;
        let editor = admin.get("/admin/roles/system_admin").await;
        assert_eq!(editor.status, StatusCode::OK, "[{backend}]");
        let original = editor_inputs(&editor);

        // The administrator's role gets customer view: refused at the review already…
        let mut inputs = original.clone();
        set(&mut inputs, "allow.customer.view", "own");
        let review = admin
            .post("/admin/roles/system_admin/review", &pairs(&inputs))
            .await;
        assert_eq!(review.status, StatusCode::CONFLICT, "[{backend}]");
        assert!(
            review.body.contains("职责分离"),
            "[{backend}] {}",
            review.body
        );
        // …and at the save, posted straight.
        let saved = admin
            .post("/admin/roles/system_admin", &pairs(&inputs))
            .await;
        assert_eq!(saved.status, StatusCode::CONFLICT, "[{backend}]");
        // A visible customer field is customer data too.
        let mut field_only = original.clone();
        set(&mut field_only, "level.customer.name", "masked");
        let saved = admin
            .post("/admin/roles/system_admin", &pairs(&field_only))
            .await;
        assert_eq!(saved.status, StatusCode::CONFLICT, "[{backend}]");
        // The auditor's role cannot be given customers either (API).
        let token = t.login("admin").await;
        let (_, auditor_role, _) = t.get("/api/v1/roles/auditor", Some(&token)).await;
        let mut policy = auditor_role["policy"].clone();
        policy["grants"].as_array_mut().expect("grants").push(
            json!({"entity": "customer", "action": "view", "scope": "group", "effect": "allow"}),
        );
        let (status, body, _) = t
            .with_json_put(
                "/api/v1/roles/auditor",
                Some(&token),
                json!({"version": auditor_role["version"], "policy": policy}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "[{backend}] {body}");
        assert_eq!(body["error"]["code"], "separation_of_duties");

        // Taking "roles · edit" from one's own role would lock everyone out.
        let mut lockout = original.clone();
        set(&mut lockout, "allow.role.edit", "");
        let saved = admin
            .post("/admin/roles/system_admin", &pairs(&lockout))
            .await;
        assert_eq!(saved.status, StatusCode::CONFLICT, "[{backend}]");
        assert!(saved.body.contains("不能取消自己角色"), "[{backend}]");

        // Nothing changed; every refusal left a denied trace.
        let (_, after, _) = t.get("/api/v1/roles/system_admin", Some(&token)).await;
        assert_eq!(
            after["policy"],
            json!(editor_policy(&t, &token, "system_admin").await)
        );
        let events = role_events(&t).await;
        assert!(
            events.iter().all(|e| e["outcome"] == "denied"),
            "[{backend}] {events:?}"
        );
        // The review refused before anything was sent to the use case; the four saves
        // reached it.
        assert_eq!(events.len(), 4, "[{backend}] {events:?}");
        t
    })
    .await;
}

async fn editor_policy(t: &TestApp, token: &str, code: &str) -> Value {
    let (_, role, _) = t.get(&format!("/api/v1/roles/{code}"), Some(token)).await;
    role["policy"].clone()
}

#[tokio::test]
async fn only_the_administrator_edits_roles_and_every_form_needs_its_token() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        for username in ["gm01", "sales01", "auditor"] {
            let mut b = signed_in(&t, username).await;
            let page = b.get("/admin/roles").await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "[{backend}] {username}");
            assert!(
                !page.body.contains("href=\"/admin/roles\""),
                "[{backend}] {username} nav"
            );
            let token = t.login(username).await;
            let (status, _, _) = t.get("/api/v1/roles", Some(&token)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "[{backend}] {username}");
        }
        let mut admin = signed_in(&t, "admin").await;
        let editor = admin.get("/admin/roles/finance").await;
        let mut inputs = editor_inputs(&editor);
        inputs.retain(|(k, _)| k != "csrf");
        for path in [
            "/admin/roles/finance/preview",
            "/admin/roles/finance/review",
            "/admin/roles/finance",
        ] {
            let refused = admin.post(path, &pairs(&inputs)).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "[{backend}] {path}");
        }
        let mut forged = inputs.clone();
        forged.push(("csrf".into(), "forged".into()));
        let refused = admin
            .post(
                "/admin/roles",
                &[
                    ("csrf", "forged"),
                    ("code", "x_role"),
                    ("name_zh", "x"),
                    ("name_en", "x"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "[{backend}]");
        let refused = admin.post("/admin/roles/finance", &pairs(&forged)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "[{backend}]");
        // Personal-data-free, but still never cached.
        assert_eq!(editor.header("cache-control"), Some("no-store"));
        t
    })
    .await;
}

#[tokio::test]
async fn a_new_role_sees_nothing_until_rights_are_opened() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let mut admin = signed_in(&t, "admin").await;
        let list = admin.get("/admin/roles").await;
        let csrf = list.csrf();
        // Bad input is named next to its input, and keeps what was typed.
        let bad = admin
            .post("/admin/roles", &[("csrf", &csrf), ("code", "Used-Car"), ("name_zh", "二手车顾问"), ("name_en", "")])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}]");
        assert!(bad.body.contains("role-code-error"), "[{backend}]");
        assert!(bad.body.contains("role-name-en-error"), "[{backend}]");
        assert!(bad.body.contains("value=\"二手车顾问\""), "[{backend}]");
        let made = admin
            .post("/admin/roles", &[("csrf", &csrf), ("code", "used_car"), ("name_zh", "二手车顾问"), ("name_en", "Used-car adviser")])
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "[{backend}] {}", made.body);
        let dup = admin
            .post("/admin/roles", &[("csrf", &csrf), ("code", "used_car"), ("name_zh", "x"), ("name_en", "x")])
            .await;
        assert_eq!(dup.status, StatusCode::CONFLICT, "[{backend}]");

        // Give sales02 the new role: default deny, so no customers at all.
        let token = t.login("admin").await;
        let sales02 = t.user_id("sales02");
        let (status, _, _) = t
            .patch(&format!("/api/v1/users/{sales02}"), Some(&token), json!({"role": "used_car"}))
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}]");
        let s2 = t.login("sales02").await;
        let (status, _, _) = t.get("/api/v1/customers", Some(&s2)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{backend}]");

        // Open view (own) and masked names through the API: sales02 sees its customers,
        // names masked, no other field.
        let (_, role, _) = t.get("/api/v1/roles/used_car", Some(&token)).await;
        let policy = json!({
            "grants": [{"entity": "customer", "action": "view", "scope": "own", "effect": "allow"}],
            "fields": [{"entity": "customer", "field": "name", "level": "masked"}],
        });
        let (status, changed, _) = t
            .with_json_put("/api/v1/roles/used_car", Some(&token), json!({"version": role["version"], "policy": policy}))
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {changed}");
        let items: Vec<_> = changed["differences"].as_array().expect("differences").iter().map(|d| (d["item"].as_str().unwrap_or("").to_string(), d["opens"].as_bool())).collect();
        assert_eq!(items, vec![("grant:customer.view".to_string(), Some(true)), ("field:customer.name".to_string(), Some(true))]);
        let (status, page, _) = t.get("/api/v1/customers", Some(&s2)).await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {page}");
        let w = world(&t).await;
        for item in page["items"].as_array().expect("items") {
            let keys: Vec<_> = item.as_object().expect("object").keys().cloned().collect();
            assert!(!keys.contains(&"mobile".to_string()), "[{backend}] {keys:?}");
            let name = item["name"].as_str().expect("a name");
            assert!(name.contains('*'), "[{backend}] {name}");
            let (record, _) = w.customers.iter().find(|(c, _)| c.id.to_string() == item["id"].as_str().unwrap_or("")).expect("known");
            assert_eq!(record.owner_id.to_string(), sales02, "[{backend}] only its own");
        }

        // Unknown actions and fields are refused as input errors.
        let (_, role, _) = t.get("/api/v1/roles/used_car", Some(&token)).await;
        for policy in [
            json!({"grants": [{"entity": "audit_log", "action": "delete", "scope": "group", "effect": "allow"}], "fields": []}),
            json!({"grants": [], "fields": [{"entity": "customer", "field": "salary", "level": "clear"}]}),
        ] {
            let (status, body, _) = t
                .with_json_put("/api/v1/roles/used_car", Some(&token), json!({"version": role["version"], "policy": policy}))
                .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}] {body}");
        }
        t
    })
    .await;
}

#[tokio::test]
async fn the_preview_follows_unsaved_changes_and_shows_only_the_sample() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let mut admin = signed_in(&t, "admin").await;
        let editor = admin.get("/admin/roles/service_advisor").await;
        let mut inputs = editor_inputs(&editor);
        set(&mut inputs, "level.customer.id_number", "masked");
        let fragment = admin
            .send(
                axum::http::Method::POST,
                "/admin/roles/service_advisor/preview",
                Some(&pairs(&inputs)),
            )
            .await;
        assert_eq!(fragment.status, StatusCode::OK, "[{backend}]");
        // Without the script's header: the whole editor, with both previews.
        assert!(fragment.body.contains("<html"), "[{backend}]");
        assert!(fragment.body.contains("修改后"), "[{backend}]");
        assert!(fragment.body.contains("1***************2X"), "[{backend}] {}", fragment.body);
        // No real customer appears in any editor page.
        let w = world(&t).await;
        for (c, _) in &w.customers {
            for page in [&editor.body, &fragment.body] {
                assert!(!shows(page, &c.mobile), "[{backend}]");
                assert!(!shows(page, &c.name) || c.name.chars().count() < 3, "[{backend}]");
            }
        }
        // The API preview renders the same sample.
        let token = t.login("admin").await;
        let (status, body, _) = t
            .post(
                "/api/v1/roles/preview",
                Some(&token),
                json!({"policy": {"grants": [{"entity": "customer", "action": "view", "scope": "store", "effect": "allow"}], "fields": [{"entity": "customer", "field": "mobile", "level": "masked"}]}}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {body}");
        assert_eq!(body["scope"], "store");
        assert_eq!(body["customer"]["mobile"], "138****8000");
        assert!(body["customer"].get("name").is_none(), "[{backend}] hidden is absent");
        t
    })
    .await;
}
