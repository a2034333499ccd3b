//! The stock's authorization matrix, generated: every demo account (so every default
//! role) × every vehicle × every governed vehicle field × list, view, create and edit,
//! through the JSON API and the pages, on every backend. Expected answers come from the
//! role's policy (`may`, `row_filter`, `field_level`) and the vehicle's store, read from
//! the store beneath the gate; nothing is written out by hand but the named cases of
//! the brief, asserted at the end.

mod common;

use axum::http::StatusCode;
use common::world::subject_of;
use common::{on_every_backend, TestApp};
use dealervault_demo::{demo_vin, DEMO_ACCOUNTS};
use dealervault_domain::access::{RowBound, RowFilter};
use dealervault_domain::catalog::{field, governed_fields, Entity};
use dealervault_domain::ids::StoreId;
use dealervault_domain::values::Fen;
use dealervault_policy::{default_roles, Action, FieldLevel, RolePolicy, Subject};
use dealervault_store::{VehicleQuery, VehicleRow};
use serde_json::{json, Value};

/// Every vehicle, read beneath the gate.
async fn stock(t: &TestApp) -> Vec<VehicleRow> {
    let mut tx = t.app.store().read().await.expect("read");
    let all = RowFilter::decided(RowBound::Group, None);
    let query = VehicleQuery {
        limit: 1000,
        ..VehicleQuery::default()
    };
    tx.vehicles(&all, &query).await.expect("vehicles").items
}

/// Whether `filter` reaches a vehicle of `store`: vehicles have no owner, so only a
/// store or group bound does.
fn reaches(bound: &RowBound, store: &StoreId) -> bool {
    match bound {
        RowBound::Group => true,
        RowBound::Store(s) => s == store,
        RowBound::Owner(_) | RowBound::Team(_) | RowBound::Department(_) => false,
    }
}

fn in_scope(policy: &RolePolicy, subject: &Subject, action: Action, v: &VehicleRow) -> bool {
    policy
        .row_filter(Entity::Vehicle, action, subject)
        .is_ok_and(|f| {
            reaches(f.within(), &v.store_id) && !f.except().is_some_and(|e| reaches(e, &v.store_id))
        })
}

/// The stored value of a governed field as the API shows it in clear.
fn stored(v: &VehicleRow, name: &str) -> Value {
    let text = |s: &str| if s.is_empty() { Value::Null } else { json!(s) };
    match name {
        "model" => text(&v.model),
        "trim" => text(&v.trim),
        "colour" => text(&v.colour),
        "location" => text(&v.location),
        "list_price" => json!(v.list_price),
        "cost_price" => json!(v.cost_price),
        "supplier_terms" => json!(v.supplier_terms),
        other => panic!("no field {other}"),
    }
}

/// The stored value as a page shows it (amounts in yuan), if it has one.
fn shown_on_page(v: &VehicleRow, name: &str) -> Option<String> {
    match name {
        "list_price" => Some(format!("¥{}", Fen::from_fen(v.list_price)?)),
        "cost_price" => Some(format!("¥{}", Fen::from_fen(v.cost_price?)?)),
        _ => stored(v, name).as_str().map(str::to_string),
    }
}

/// A valid new value of each governed field.
fn new_value(name: &str) -> Value {
    match name {
        "model" => json!("矩阵车型"),
        "trim" => json!("矩阵配置"),
        "colour" => json!("矩阵白"),
        "location" => json!("矩阵-01"),
        "list_price" => json!(12_345_600),
        "cost_price" => json!(11_000_000),
        "supplier_terms" => json!("矩阵条款"),
        other => panic!("no field {other}"),
    }
}

/// One shown vehicle against the stored one and the role's levels.
fn check_fields(cell: &str, policy: &RolePolicy, shown: &Value, v: &VehicleRow) {
    for spec in governed_fields(Entity::Vehicle) {
        let got = shown.get(spec.name);
        let cell = format!("{cell} × {}", spec.name);
        match policy.field_level(Entity::Vehicle, spec.name) {
            FieldLevel::Hidden => assert!(got.is_none(), "{cell}: hidden field present: {shown}"),
            FieldLevel::Masked => {
                let got = got.unwrap_or_else(|| panic!("{cell}: masked field absent"));
                assert!(got.is_null() || got == "******", "{cell}: {got}");
            }
            FieldLevel::Clear | FieldLevel::Editable => {
                assert_eq!(got, Some(&stored(v, spec.name)), "{cell}");
            }
        }
    }
}

/// What a write of `fields` by `policy` should answer: 403 without the action, 403
/// `field_not_editable` for a field below editable, else `ok`.
fn expected_write(
    policy: &RolePolicy,
    action: Action,
    fields: &[&str],
    ok: StatusCode,
) -> (StatusCode, &'static str) {
    if !policy.may(Entity::Vehicle, action) {
        (StatusCode::FORBIDDEN, "forbidden")
    } else if fields
        .iter()
        .any(|f| policy.field_level(Entity::Vehicle, f) < FieldLevel::Editable)
    {
        (StatusCode::FORBIDDEN, "field_not_editable")
    } else {
        (ok, "")
    }
}

async fn check_account(t: &TestApp, stock: &[VehicleRow], username: &str, role: &str, n: &mut u32) {
    let backend = t.backend();
    let policy = default_roles()
        .into_iter()
        .find(|r| r.code == role)
        .expect("a default role")
        .policy;
    let (_, subject) = subject_of(t, username).await;
    let token = t.login(username).await;
    let cell = |what: &str| format!("[{backend}] {username} × {what}");

    // List.
    let (status, list, _) = t.get("/api/v1/vehicles?per_page=100", Some(&token)).await;
    let visible: Vec<&VehicleRow> = stock
        .iter()
        .filter(|v| in_scope(&policy, &subject, Action::View, v))
        .collect();
    if policy.may(Entity::Vehicle, Action::View) {
        assert_eq!(status, StatusCode::OK, "{}", cell("list"));
        assert_eq!(list["total"], visible.len(), "{}", cell("list total"));
        for shown in list["items"].as_array().expect("items") {
            let v = visible
                .iter()
                .find(|v| shown["id"] == v.id.as_str())
                .unwrap_or_else(|| {
                    panic!("{}: {shown}", cell("list shows a vehicle out of scope"))
                });
            check_fields(&cell("list"), &policy, shown, v);
        }
    } else {
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", cell("list"));
    }

    // View, and edit of each field, of every vehicle.
    for v in stock {
        let path = format!("/api/v1/vehicles/{}", v.id.as_str());
        let (status, shown, _) = t.get(&path, Some(&token)).await;
        let what = cell(&format!("{} view", v.vin));
        if !policy.may(Entity::Vehicle, Action::View) {
            assert_eq!(status, StatusCode::FORBIDDEN, "{what}");
        } else if in_scope(&policy, &subject, Action::View, v) {
            assert_eq!(status, StatusCode::OK, "{what}");
            check_fields(&what, &policy, &shown, v);
        } else {
            assert_eq!(status, StatusCode::NOT_FOUND, "{what}");
        }
    }
    let own: Vec<&VehicleRow> = stock
        .iter()
        .filter(|v| in_scope(&policy, &subject, Action::Edit, v))
        .collect();
    let target = own.first().copied().unwrap_or(&stock[0]);
    for spec in governed_fields(Entity::Vehicle) {
        let path = format!("/api/v1/vehicles/{}", target.id.as_str());
        let body = json!({ spec.name: new_value(spec.name) });
        let (status, json, _) = t.patch(&path, Some(&token), body).await;
        let what = cell(&format!("{} edit", spec.name));
        let (want, code) = if own.is_empty() && policy.may(Entity::Vehicle, Action::Edit) {
            (StatusCode::NOT_FOUND, "not_found")
        } else {
            expected_write(&policy, Action::Edit, &[spec.name], StatusCode::OK)
        };
        assert_eq!(status, want, "{what}: {json}");
        if want == StatusCode::OK {
            assert_eq!(json[spec.name], new_value(spec.name), "{what}");
        } else {
            assert_eq!(json["error"]["code"], code, "{what}");
        }
    }
    // Another store's vehicle is missing to an editor.
    if let Some(other) = stock
        .iter()
        .find(|v| !in_scope(&policy, &subject, Action::Edit, v))
    {
        if policy.may(Entity::Vehicle, Action::Edit) {
            let (status, _, _) = t
                .patch(
                    &format!("/api/v1/vehicles/{}", other.id.as_str()),
                    Some(&token),
                    json!({"location": "X"}),
                )
                .await;
            assert_eq!(
                status,
                StatusCode::NOT_FOUND,
                "{}",
                cell("edit out of scope")
            );
        }
    }

    // Create, with each field in turn beside the required ones.
    for spec in governed_fields(Entity::Vehicle) {
        *n += 1;
        let mut body =
            json!({"vin": demo_vin("LFVMATRX", *n), "model": "矩阵车型", "list_price": 100});
        body[spec.name] = new_value(spec.name);
        let (status, json, _) = t.post("/api/v1/vehicles", Some(&token), body).await;
        let what = cell(&format!("{} create", spec.name));
        let (want, code) = expected_write(
            &policy,
            Action::Create,
            &["model", "list_price", spec.name],
            StatusCode::CREATED,
        );
        assert_eq!(status, want, "{what}: {json}");
        if want != StatusCode::CREATED {
            assert_eq!(json["error"]["code"], code, "{what}");
        }
    }

    check_pages(t, &policy, username, &visible).await;
}

/// The pages show what the API shows: a hidden field is neither labelled nor valued.
async fn check_pages(t: &TestApp, policy: &RolePolicy, username: &str, visible: &[&VehicleRow]) {
    let backend = t.backend();
    let mut b = t.browser();
    b.login(username).await;
    let home = b.get("/").await;
    let may_view = policy.may(Entity::Vehicle, Action::View);
    assert_eq!(
        home.body.contains("href=\"/vehicles\""),
        may_view,
        "[{backend}] {username}: stock link on the home page"
    );
    let mut pages = vec![b.get("/vehicles").await, b.get("/reports/stock-age").await];
    for v in visible {
        pages.push(b.get(&format!("/vehicles/{}", v.id.as_str())).await);
    }
    if let Some(v) = visible.first() {
        pages.push(b.get(&format!("/vehicles/{}/edit", v.id.as_str())).await);
    }
    // Positive control: a field the role sees is labelled on some page.
    for spec in governed_fields(Entity::Vehicle) {
        if may_view
            && !visible.is_empty()
            && policy.field_level(Entity::Vehicle, spec.name) > FieldLevel::Hidden
        {
            let label = field(Entity::Vehicle, spec.name).expect("catalog").label_zh;
            assert!(
                pages.iter().any(|p| p.body.contains(label)),
                "[{backend}] {username}: {} never shown",
                spec.name
            );
        }
    }
    for (i, page) in pages.iter().enumerate() {
        let what = format!("[{backend}] {username} × page {i}");
        if !may_view {
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{what}");
            continue;
        }
        if page.status != StatusCode::OK {
            // Only the edit form may be refused, to a role that edits nothing.
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{what}");
            continue;
        }
        for spec in governed_fields(Entity::Vehicle) {
            if policy.field_level(Entity::Vehicle, spec.name) > FieldLevel::Hidden {
                continue;
            }
            let label = field(Entity::Vehicle, spec.name).expect("catalog");
            assert!(
                !page.body.contains(label.label_zh)
                    && !page.body.contains(&format!("data-field=\"{}\"", spec.name)),
                "{what}: hidden {} labelled",
                spec.name
            );
            for v in visible {
                if let Some(value) = shown_on_page(v, spec.name) {
                    assert!(
                        !page.body.contains(&value),
                        "{what}: hidden {} shown",
                        spec.name
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn every_account_sees_and_changes_exactly_what_its_role_allows() {
    on_every_backend(|t| async move {
        let stock = stock(&t).await;
        assert!(stock.len() >= 40, "the demo stock is loaded");
        let mut n = 0;
        for (username, _, role, _) in DEMO_ACCOUNTS {
            // Writes change the stock: every account is checked against a fresh reading.
            let now = self::stock(&t).await;
            check_account(&t, &now, username, role, &mut n).await;
        }
        t
    })
    .await;
}

/// The brief's named cases, on top of the generated ones.
#[tokio::test]
async fn the_named_cases_hold() {
    let roles = default_roles();
    let level = |role: &str, f: &str| {
        roles
            .iter()
            .find(|r| r.code == role)
            .expect("role")
            .policy
            .field_level(Entity::Vehicle, f)
    };
    let may = |role: &str, a: Action| {
        roles
            .iter()
            .find(|r| r.code == role)
            .expect("role")
            .policy
            .may(Entity::Vehicle, a)
    };
    for r in &roles {
        for f in ["cost_price", "supplier_terms"] {
            let sees = level(r.code, f) > FieldLevel::Hidden;
            assert_eq!(
                sees,
                matches!(r.code, "finance" | "general_manager"),
                "{} {f}",
                r.code
            );
        }
    }
    assert!(may("sales_consultant", Action::View) && !may("sales_consultant", Action::Edit));
    for duty in ["system_admin", "auditor"] {
        for a in [Action::View, Action::Create, Action::Edit] {
            assert!(!may(duty, a), "{duty} {a:?}");
        }
    }
    on_every_backend(|t| async move {
        let backend = t.backend();
        let id = stock(&t).await[0].id.as_str().to_string();
        for who in ["admin", "auditor"] {
            let token = t.login(who).await;
            for (method, path) in [
                ("GET", "/api/v1/vehicles".to_string()),
                ("GET", format!("/api/v1/vehicles/{id}")),
                ("GET", "/api/v1/reports/stock-age".to_string()),
                ("POST", "/api/v1/vehicles".to_string()),
                ("PATCH", format!("/api/v1/vehicles/{id}")),
            ] {
                let body = json!({"location": "X"});
                let (status, _, _) = match method {
                    "GET" => t.get(&path, Some(&token)).await,
                    "POST" => t.post(&path, Some(&token), body).await,
                    _ => t.patch(&path, Some(&token), body).await,
                };
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "[{backend}] {who} {method} {path}"
                );
            }
            let mut b = t.browser();
            b.login(who).await;
            let home = b.get("/").await;
            assert!(
                !home.body.contains("/vehicles"),
                "[{backend}] {who} sees no stock link"
            );
            for path in ["/vehicles", "/vehicles/new", "/reports/stock-age"] {
                assert_eq!(
                    b.get(path).await.status,
                    StatusCode::FORBIDDEN,
                    "[{backend}] {who} {path}"
                );
            }
        }
        t
    })
    .await;
}
