//! The authorization matrix, generated: every demo account (so every default role) ×
//! every customer × every governed field × every action, through the JSON API on every
//! backend. The expected answer of each cell comes from the role's policy and the
//! record's place, decided grant by grant; the named cases of the SPEC are asserted too.

mod common;

use axum::http::StatusCode;
use common::world::{subject_of, world, World, MISSING_ID};
use common::{on_every_backend, TestApp};
use dealervault_demo::DEMO_ACCOUNTS;
use dealervault_domain::access::RecordPlace;
use dealervault_domain::catalog::{governed_fields, Entity};
use dealervault_domain::customer::CustomerRecord;
use dealervault_domain::ids::UserId;
use dealervault_policy::{default_roles, Action, FieldLevel, RolePolicy};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// A valid new value for each governed field (the mobile and ID number are unused).
fn new_value(t: &TestApp, field: &str, n: u64) -> Value {
    let fresh = t.fresh_customer(n);
    json!(match field {
        "name" => "矩阵测试".to_string(),
        "mobile" => fresh.mobile,
        "id_number" => fresh.id_number,
        "email" => format!("matrix{n}@example.com"),
        "address" => "上海市浦东新区测试路1号".to_string(),
        "wechat" => format!("wx_matrix{n}"),
        "birth_date" => "1990-01-01".to_string(),
        "gender" => "female".to_string(),
        "source" => "referral".to_string(),
        "notes" => "矩阵测试备注".to_string(),
        other => panic!("no test value for {other}"),
    })
}

/// Checks one shown customer object against the record and the role's field levels.
fn check_fields(
    backend: &str,
    who: &str,
    policy: &RolePolicy,
    shown: &Value,
    record: &CustomerRecord,
) {
    for spec in governed_fields(Entity::Customer) {
        let level = policy.field_level(Entity::Customer, spec.name);
        let got = shown.get(spec.name);
        let stored = record.governed(spec.name);
        let cell = format!("[{backend}] {who} × {} × view", spec.name);
        match level {
            FieldLevel::Hidden => assert!(got.is_none(), "{cell}: hidden field present: {shown}"),
            FieldLevel::Masked => {
                let got = got.unwrap_or_else(|| panic!("{cell}: masked field absent"));
                match stored {
                    None => assert!(got.is_null(), "{cell}"),
                    Some(value) => {
                        let masked = got
                            .as_str()
                            .unwrap_or_else(|| panic!("{cell}: not a string"));
                        assert!(masked.contains('*'), "{cell}: not masked");
                        assert_ne!(masked, value, "{cell}: shown in clear");
                        let kept = masked.chars().filter(|c| c.is_alphanumeric()).count();
                        assert!(
                            kept <= spec.mask.max_kept(),
                            "{cell}: keeps {kept} characters"
                        );
                    }
                }
            }
            FieldLevel::Clear | FieldLevel::Editable => {
                let got = got.unwrap_or_else(|| panic!("{cell}: clear field absent"));
                assert_eq!(got.as_str(), stored, "{cell}");
            }
        }
    }
}

async fn check_account(t: &TestApp, world: &World, username: &str, n: &mut u64) {
    let backend = t.backend();
    let token = t.login(username).await;
    let (policy, subject) = subject_of(t, username).await;
    let allowed = |action: Action, place: &RecordPlace| {
        policy.allows_record(Entity::Customer, action, &subject, place)
    };
    let (_, _, missing_detail) = t
        .get(&format!("/api/v1/customers/{MISSING_ID}"), Some(&token))
        .await;

    // List: exactly the records in scope, each shown at the role's field levels.
    let (status, list, _) = t.get("/api/v1/customers?per_page=100", Some(&token)).await;
    let expected: BTreeSet<String> = world
        .customers
        .iter()
        .filter(|(_, p)| allowed(Action::View, p))
        .map(|(r, _)| r.id.to_string())
        .collect();
    if policy.may(Entity::Customer, Action::View) {
        assert_eq!(
            status,
            StatusCode::OK,
            "[{backend}] {username} list: {list}"
        );
        let got: BTreeSet<String> = list["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|c| c["id"].as_str().expect("id").to_string())
            .collect();
        assert_eq!(got, expected, "[{backend}] {username} × list");
        for item in list["items"].as_array().expect("items") {
            let (record, _) = world
                .customers
                .iter()
                .find(|(r, _)| r.id.as_str() == item["id"])
                .expect("known");
            check_fields(backend, username, &policy, item, record);
        }
    } else {
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "[{backend}] {username} list must be refused"
        );
        assert!(expected.is_empty());
    }

    for (record, place) in &world.customers {
        let id = record.id.as_str();
        let path = format!("/api/v1/customers/{id}");
        let cell = |action: &str| format!("[{backend}] {username} × {id} × {action}");

        // Detail: in scope → 200; out of scope → the very bytes of a missing id.
        let (status, shown, body) = t.get(&path, Some(&token)).await;
        if !policy.may(Entity::Customer, Action::View) {
            assert_eq!(status, StatusCode::FORBIDDEN, "{}", cell("view"));
        } else if allowed(Action::View, place) {
            assert_eq!(status, StatusCode::OK, "{}", cell("view"));
            check_fields(backend, username, &policy, &shown, record);
        } else {
            assert_eq!(status, StatusCode::NOT_FOUND, "{}", cell("view"));
            assert_eq!(
                body,
                missing_detail,
                "{}: out of scope must read as missing",
                cell("view")
            );
        }

        // Exact search (blind index) by mobile and by ID number finds the record in scope
        // and never one out of scope; a role that cannot see the field may not search it.
        let searches = [
            ("mobile", Some(record.mobile.clone())),
            ("id_number", record.id_number.clone()),
        ];
        for (field, value) in searches {
            let Some(value) = value else { continue };
            if !policy.may(Entity::Customer, Action::View) {
                continue;
            }
            let (status, found, _) = t
                .get(&format!("/api/v1/customers?{field}={value}"), Some(&token))
                .await;
            let cell = cell(&format!("search by {field}"));
            if policy.field_level(Entity::Customer, field) == FieldLevel::Hidden {
                assert_eq!(status, StatusCode::FORBIDDEN, "{cell}: {found}");
                continue;
            }
            assert_eq!(status, StatusCode::OK, "{cell}: {found}");
            let hits: Vec<&str> = found["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|c| c["id"].as_str().expect("id"))
                .collect();
            let expected: Vec<&str> = if allowed(Action::View, place) {
                vec![record.id.as_str()]
            } else {
                vec![]
            };
            assert_eq!(hits, expected, "{cell}");
        }

        // Reveal each governed field.
        for spec in governed_fields(Entity::Customer) {
            let body = json!({"field": spec.name, "reason": "矩阵测试"});
            let (status, revealed, raw) = t
                .post(&format!("{path}/reveal"), Some(&token), body.clone())
                .await;
            let cell = cell(&format!("{} × reveal", spec.name));
            if !policy.may(Entity::Customer, Action::Reveal) {
                assert_eq!(status, StatusCode::FORBIDDEN, "{cell}");
            } else if !allowed(Action::Reveal, place) {
                let (_, _, missing) = t
                    .post(
                        &format!("/api/v1/customers/{MISSING_ID}/reveal"),
                        Some(&token),
                        body,
                    )
                    .await;
                assert_eq!(status, StatusCode::NOT_FOUND, "{cell}");
                assert_eq!(raw, missing, "{cell}: out of scope must read as missing");
            } else if policy.field_level(Entity::Customer, spec.name) == FieldLevel::Hidden {
                assert_eq!(status, StatusCode::FORBIDDEN, "{cell}: {revealed}");
            } else {
                assert_eq!(status, StatusCode::OK, "{cell}: {revealed}");
                assert_eq!(
                    revealed["value"].as_str(),
                    record.governed(spec.name),
                    "{cell}"
                );
            }
        }
    }

    // Edit each governed field, on one record in scope and one out of scope (if any).
    let in_scope = world
        .customers
        .iter()
        .find(|(_, p)| allowed(Action::Edit, p));
    let out_of_scope = world
        .customers
        .iter()
        .find(|(_, p)| !allowed(Action::Edit, p));
    for spec in governed_fields(Entity::Customer) {
        for (target, inside) in [(in_scope, true), (out_of_scope, false)] {
            let Some((record, _)) = target else { continue };
            *n += 1;
            let body = json!({ spec.name: new_value(t, spec.name, *n) });
            let (status, answer, raw) = t
                .patch(
                    &format!("/api/v1/customers/{}", record.id),
                    Some(&token),
                    body.clone(),
                )
                .await;
            let cell = format!(
                "[{backend}] {username} × {} × {} × edit",
                record.id, spec.name
            );
            if !policy.may(Entity::Customer, Action::Edit) {
                assert_eq!(status, StatusCode::FORBIDDEN, "{cell}: {answer}");
            } else if !inside {
                let (_, _, missing) = t
                    .patch(
                        &format!("/api/v1/customers/{MISSING_ID}"),
                        Some(&token),
                        body,
                    )
                    .await;
                assert_eq!(status, StatusCode::NOT_FOUND, "{cell}");
                assert_eq!(raw, missing, "{cell}: out of scope must read as missing");
            } else if policy.field_level(Entity::Customer, spec.name) == FieldLevel::Editable {
                assert_eq!(status, StatusCode::OK, "{cell}: {answer}");
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{cell}: {answer}");
            }
        }
    }

    // Create.
    *n += 1;
    let fresh = t.fresh_customer(*n);
    let (status, answer, _) = t
        .post(
            "/api/v1/customers",
            Some(&token),
            json!({"name": fresh.name, "mobile": fresh.mobile}),
        )
        .await;
    let expected = if policy.may(Entity::Customer, Action::Create) {
        StatusCode::CREATED
    } else {
        StatusCode::FORBIDDEN
    };
    assert_eq!(
        status, expected,
        "[{backend}] {username} × create: {answer}"
    );
}

#[tokio::test]
async fn every_role_field_and_action_answers_as_its_policy_says() {
    on_every_backend(|t| async move {
        let mut n = 0;
        // Every default role has a demo account, so the matrix covers every role.
        let roles: BTreeSet<_> = DEMO_ACCOUNTS.iter().map(|a| a.2).collect();
        assert_eq!(roles.len(), default_roles().len());
        for (username, ..) in DEMO_ACCOUNTS {
            // Earlier accounts' edits changed records: read them afresh.
            let world = world(&t).await;
            check_account(&t, &world, username, &mut n).await;
        }
        t
    })
    .await;
}

/// Ids of the customers an account's list shows.
async fn seen(t: &TestApp, username: &str) -> BTreeSet<String> {
    let token = t.login(username).await;
    let (_, json, _) = t.get("/api/v1/customers?per_page=100", Some(&token)).await;
    json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_string())
        .collect()
}

/// The SPEC's named cases, asserted by name so a wrong default role cannot hide behind
/// a matrix generated from it.
#[tokio::test]
async fn the_named_scopes_hold() {
    on_every_backend(|t| async move {
        let world = world(&t).await;
        let owner_of = |username: &str| t.org.user(username).expect("account").clone();
        let store_of = |record: &CustomerRecord| record.store_code.clone();
        let ids = |pred: &dyn Fn(&CustomerRecord) -> bool| -> BTreeSet<String> {
            world
                .customers
                .iter()
                .filter(|(r, _)| pred(r))
                .map(|(r, _)| r.id.to_string())
                .collect()
        };

        let sales01 = owner_of("sales01");
        assert_eq!(
            seen(&t, "sales01").await,
            ids(&|r| r.owner_id == sales01),
            "sales01: own only"
        );
        let sh01_sales: Vec<UserId> = ["sales01", "sales02", "sales03"]
            .iter()
            .map(|u| owner_of(u))
            .collect();
        assert_eq!(
            seen(&t, "salesmgr01").await,
            ids(&|r| sh01_sales.contains(&r.owner_id)),
            "salesmgr01: the SH01 sales department"
        );
        let gm01 = seen(&t, "gm01").await;
        assert_eq!(gm01, ids(&|r| store_of(r) == "SH01"), "gm01: all of SH01");
        assert!(
            ids(&|r| store_of(r) == "SH02").is_disjoint(&gm01),
            "gm01: nothing of SH02"
        );
        let sales11 = seen(&t, "sales11").await;
        assert_eq!(
            sales11,
            ids(&|r| r.owner_id == owner_of("sales11")),
            "sales11: own only"
        );
        assert!(
            ids(&|r| store_of(r) == "SH01").is_disjoint(&sales11),
            "sales11: nothing of SH01"
        );

        for username in ["admin", "auditor"] {
            let token = t.login(username).await;
            let some = world.customers[0].0.id.to_string();
            let answers = [
                t.get("/api/v1/customers", Some(&token)).await.0,
                t.get(&format!("/api/v1/customers/{some}"), Some(&token))
                    .await
                    .0,
                t.post(
                    "/api/v1/customers",
                    Some(&token),
                    json!({"name": "张三", "mobile": "13900000000"}),
                )
                .await
                .0,
                t.patch(
                    &format!("/api/v1/customers/{some}"),
                    Some(&token),
                    json!({"notes": "x"}),
                )
                .await
                .0,
                t.post(
                    &format!("/api/v1/customers/{some}/reveal"),
                    Some(&token),
                    json!({"field": "mobile", "reason": "x"}),
                )
                .await
                .0,
            ];
            assert!(
                answers.iter().all(|s| *s == StatusCode::FORBIDDEN),
                "{username}: {answers:?}"
            );
        }
        t
    })
    .await;
}
