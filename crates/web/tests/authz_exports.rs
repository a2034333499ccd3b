//! The authorization matrix of exports, generated: every demo account (so every default
//! role) × every customer × every governed field, through the export path on every
//! backend. Each account asks for everything its role may export; the file it gets must
//! hold exactly the customers its export grant reaches (`RolePolicy::allows_record`),
//! exactly the fields its role marks exportable and shows, each at the role's level — a
//! masked field masked in every row, never in clear — and an account without the right
//! gets no request at all. The stores export directly here (no approval step), so the
//! chain cannot hide a leak behind a refusal.

mod common;

use axum::http::{Method, StatusCode};
use common::world::{subject_of, world};
use common::{on_every_backend, TestApp};
use dealervault_demo::DEMO_ACCOUNTS;
use dealervault_domain::catalog::{governed_fields, Entity, FieldSpec};
use dealervault_domain::mask::MaskRule;
use dealervault_exportfile::read_leaked;
use dealervault_policy::{Action, ExportRight, FieldLevel, FieldRule, RolePolicy};
use dealervault_store::ExportChainRow;
use serde_json::json;

/// Every store exports up to a million rows without approval.
async fn direct_exports(t: &TestApp) {
    let mut tx = t.app.store().write().await.expect("write");
    for store in tx.stores().await.expect("stores") {
        tx.save_export_chain(&ExportChainRow {
            store_id: store.id,
            direct_up_to: 1_000_000,
            decide_hours: 72,
            download_hours: 24,
            max_downloads: 3,
            steps: vec![],
            updated_at: 1,
        })
        .await
        .expect("chain");
    }
    tx.commit().await.expect("commit");
}

/// The fields the role's file must have, in catalog order, with the level each is
/// written at: the role's, but clear where its export right says so.
fn expected_fields(policy: &RolePolicy) -> Vec<(&'static FieldSpec, FieldLevel)> {
    governed_fields(Entity::Customer)
        .filter(|f| f.exportable)
        .filter_map(|f| {
            let level = policy.field_level(Entity::Customer, f.name);
            let right = policy
                .field_rule(Entity::Customer, f.name)
                .map_or(ExportRight::None, FieldRule::export_right);
            match right {
                _ if level == FieldLevel::Hidden => None,
                ExportRight::None => None,
                ExportRight::AsShown => Some((f, level)),
                ExportRight::Clear => Some((f, level.max(FieldLevel::Clear))),
            }
        })
        .collect()
}

fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{2063}'
    )
}

/// A cell as the customer's value is expected in it.
fn expected_cell(spec: &FieldSpec, level: FieldLevel, value: &str) -> Option<String> {
    match level {
        FieldLevel::Masked if matches!(spec.mask, MaskRule::IdNumber { .. }) => None,
        FieldLevel::Masked => Some(spec.mask.apply(value)),
        _ => Some(value.to_string()),
    }
}

/// Gives sales consultants the mobile in clear in their exports (their level stays
/// masked): the right a store grants for the list it hands its SMS provider.
async fn consultants_export_mobiles_in_clear(t: &TestApp) {
    let mut tx = t.app.store().write().await.expect("write");
    let role = tx
        .role_by_code("sales_consultant")
        .await
        .expect("query")
        .expect("role");
    let mut policy = RolePolicy::from_json(&role.policy).expect("policy");
    for rule in policy.fields.iter_mut().filter(|r| r.field == "mobile") {
        rule.export_clear = true;
    }
    tx.update_role_policy(&role.id, &policy.normalised().to_json(), 2)
        .await
        .expect("update");
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn every_role_exports_exactly_its_rows_and_fields_at_its_levels() {
    matrix(false).await;
}

#[tokio::test]
async fn an_export_right_in_clear_opens_only_its_field() {
    matrix(true).await;
}

async fn matrix(mobile_in_clear: bool) {
    on_every_backend(|t| async move {
        let b = t.backend();
        direct_exports(&t).await;
        if mobile_in_clear {
            consultants_export_mobiles_in_clear(&t).await;
        }
        let w = world(&t).await;
        for (username, ..) in DEMO_ACCOUNTS {
            let (policy, subject) = subject_of(&t, username).await;
            let token = t.login(username).await;
            let body = json!({"entity": "customers", "fields": [], "format": "csv", "purpose": "矩阵检查"});
            let (status, created, _) = t.post("/api/v1/exports", Some(&token), body).await;
            if !policy.may(Entity::Customer, Action::Export) {
                assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] {username}: {created}");
                continue;
            }
            let fields = expected_fields(&policy);
            if fields.is_empty() {
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {username}: nothing to export");
                continue;
            }
            assert_eq!(status, StatusCode::CREATED, "[{b}] {username}: {created}");
            let id = created["id"].as_str().expect("id");
            let names: Vec<&str> = fields.iter().map(|(f, _)| f.name).collect();
            assert_eq!(created["fields"], json!(names), "[{b}] {username}");

            let r = t
                .raw(Method::GET, &format!("/api/v1/exports/{id}/download"), Some(&token), None, axum::body::Body::empty())
                .await;
            assert_eq!(r.status, StatusCode::OK, "[{b}] {username}");
            let file = read_leaked(&r.body).expect("the file reads back");
            let rows: Vec<Vec<String>> = file
                .rows
                .iter()
                .filter(|row| !row.iter().any(|c| c.contains(id)))
                .map(|row| row.iter().map(|c| c.chars().filter(|ch| !invisible(*ch)).collect()).collect())
                .collect();
            let header: Vec<String> = fields
                .iter()
                .map(|(f, _)| format!("{} {}", f.label_zh, f.label_en))
                .collect();
            assert_eq!(rows[0], header, "[{b}] {username}: exactly the exportable fields");

            let mut expected: Vec<Vec<Option<String>>> = w
                .customers
                .iter()
                .filter(|(_, place)| policy.allows_record(Entity::Customer, Action::Export, &subject, place))
                .map(|(record, _)| {
                    fields
                        .iter()
                        .map(|(f, level)| expected_cell(f, *level, record.governed(f.name).unwrap_or_default()))
                        .collect()
                })
                .collect();
            let mut found: Vec<Vec<String>> = rows[1..].to_vec();
            assert_eq!(found.len(), expected.len(), "[{b}] {username}: the rows its grant reaches");
            // Compare row by row, in one order; an ID number masked by the site's rule is
            // checked for its mask only.
            let key = |cells: &[Option<String>]| cells.iter().map(|c| c.clone().unwrap_or_default()).collect::<Vec<_>>();
            expected.sort_by_key(|r| key(r));
            found.sort();
            let mut matched = 0;
            for want in &expected {
                let hit = found.iter().position(|got| {
                    got.iter().zip(want).all(|(g, w)| match w {
                        Some(w) => g == w,
                        None => g.is_empty() || g.contains('*'),
                    })
                });
                if let Some(i) = hit {
                    found.remove(i);
                    matched += 1;
                }
            }
            assert_eq!(matched, expected.len(), "[{b}] {username}: every row as the role sees it");
            for (col, (f, level)) in fields.iter().enumerate() {
                if *level == FieldLevel::Masked {
                    for row in &rows[1..] {
                        assert!(row[col].is_empty() || row[col].contains('*'), "[{b}] {username}: {} in clear: {}", f.name, row[col]);
                    }
                }
            }
            // No mobile in clear anywhere in the file of a role that exports it masked;
            // a role that exports it in clear has it in every row.
            let mobile = fields.iter().find(|(f, _)| f.name == "mobile").map(|(_, l)| *l);
            if mobile_in_clear && policy.field_level(Entity::Customer, "mobile") == FieldLevel::Masked {
                assert_eq!(
                    mobile == Some(FieldLevel::Clear),
                    username.starts_with("sales0") || *username == "sales11",
                    "[{b}] {username}: only consultants export the mobile in clear"
                );
            }
            if mobile == Some(FieldLevel::Masked) {
                // Every customer's real mobile, looked for in the whole file (an export id
                // or a time may hold eleven digits in a row by chance; a mobile may not).
                let text = String::from_utf8_lossy(&r.body);
                let leaked = w.customers.iter().find_map(|(record, _)| {
                    record.governed("mobile").filter(|m| !m.is_empty() && text.contains(m))
                });
                assert!(leaked.is_none(), "[{b}] {username}: a clear mobile in the file");
            }
        }
        t
    })
    .await;
}
