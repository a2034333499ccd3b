//! The authorization matrix of deals (quotes and orders), generated: every demo account
//! (so every default role) × a deal quoted by each salesperson × every governed field
//! × view, list, edit and create, through the JSON API on every backend. Each cell's
//! expected answer comes from the role's policy and the deal's place
//! (`RolePolicy::allows_record`), never written by hand.

mod common;

use axum::http::StatusCode;
use common::world::{expected_status, place_of, subject_of};
use common::{assert_error_shape, on_every_backend, TestApp};
use dealervault_demo::DEMO_ACCOUNTS;
use dealervault_domain::access::RecordPlace;
use dealervault_domain::catalog::{governed_fields, Entity};
use dealervault_policy::{Action, FieldLevel, RolePolicy};
use serde_json::{json, Value};

/// A deal made for the matrix: its id, its lead, the values it was quoted with (as the
/// API answers them) and where it sits.
struct Deal {
    id: String,
    lead: String,
    values: Value,
    place: RecordPlace,
}

fn quote(n: i64) -> Value {
    json!({
        "model": format!("矩阵车型{n}"),
        "price": 20_000_000 + n,
        "discount": 100_000,
        "accessories": "矩阵附件",
        "accessories_price": 200_000,
        "insurance_plan": "compulsory",
        "insurance_premium": 95_000,
        "financing": "loan",
        "loan_amount": 8_000_000,
        "loan_term_months": 24,
        "trade_in": "矩阵旧车",
        "trade_in_value": 1_000_000,
    })
}

/// The values a quote is shown with: as sent, plus what the quote computes.
fn expected_values(n: i64) -> Value {
    let mut v = quote(n);
    v["total"] = json!(20_000_000 + n - 100_000 + 200_000 + 95_000 - 1_000_000);
    v["paid"] = json!(0);
    v
}

/// One quoted deal per salesperson, on a lead of their own.
async fn deals(t: &TestApp) -> Vec<Deal> {
    let mut out = Vec::new();
    for (n, owner) in ["sales01", "sales02", "sales03", "sales11"]
        .into_iter()
        .enumerate()
    {
        let n = n as i64;
        let token = t.login(owner).await;
        let lead = json!({
            "name": format!("矩阵{n}号"),
            "mobile": t.fresh_customer(300 + n as u64).mobile,
            "source": "website",
        });
        let (status, lead, _) = t.post("/api/v1/leads?assign=me", Some(&token), lead).await;
        assert_eq!(status, StatusCode::CREATED, "[{}] {lead}", t.backend());
        let lead = lead["id"].as_str().expect("id").to_string();
        let (status, deal, _) = t
            .post(
                &format!("/api/v1/leads/{lead}/quotes"),
                Some(&token),
                quote(n),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "[{}] {deal}", t.backend());
        out.push(Deal {
            id: deal["id"].as_str().expect("id").to_string(),
            lead,
            values: expected_values(n),
            place: place_of(t, owner).await,
        });
    }
    out
}

/// One shown deal against its values and the role's levels.
fn check_fields(cell: &str, policy: &RolePolicy, shown: &Value, deal: &Deal) {
    for spec in governed_fields(Entity::Deal) {
        let got = shown.get(spec.name);
        let cell = format!("{cell} × {}", spec.name);
        let stored = deal.values.get(spec.name).cloned().unwrap_or(Value::Null);
        match policy.field_level(Entity::Deal, spec.name) {
            FieldLevel::Hidden => assert!(got.is_none(), "{cell}: hidden field present: {shown}"),
            FieldLevel::Masked => {
                let got = got.unwrap_or_else(|| panic!("{cell}: masked field absent"));
                assert!(got.is_null() || got == "******", "{cell}: {got}");
            }
            FieldLevel::Clear | FieldLevel::Editable => {
                assert_eq!(got, Some(&stored), "{cell}: {shown}");
            }
        }
    }
    let payments = shown.get("payments").is_some();
    let sees_paid = policy.field_level(Entity::Deal, "paid") > FieldLevel::Hidden;
    assert_eq!(payments, sees_paid, "{cell} × payments");
}

#[tokio::test]
async fn every_role_sees_and_works_deals_exactly_as_its_policy_says() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let deals = deals(&t).await;
        let mut cells = 0;
        for (username, ..) in DEMO_ACCOUNTS {
            let (policy, subject) = subject_of(&t, username).await;
            let token = t.login(username).await;

            // The list: exactly the deals the view grants reach, fields as the levels say.
            let (status, list, _) = t.get("/api/v1/deals", Some(&token)).await;
            if !policy.may(Entity::Deal, Action::View) {
                assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] {username}: {list}");
            } else {
                assert_eq!(status, StatusCode::OK, "[{b}] {username}: {list}");
                for deal in &deals {
                    let cell = format!("[{b}] {username} × deal {} × list", deal.id);
                    let shown = list
                        .as_array()
                        .expect("list")
                        .iter()
                        .find(|d| d["id"] == deal.id.as_str());
                    let reaches =
                        policy.allows_record(Entity::Deal, Action::View, &subject, &deal.place);
                    assert_eq!(shown.is_some(), reaches, "{cell}");
                    if let Some(shown) = shown {
                        check_fields(&cell, &policy, shown, deal);
                    }
                    cells += 1;
                }
            }

            for deal in &deals {
                // One deal.
                let cell = format!("[{b}] {username} × deal {}", deal.id);
                let (status, shown, _) = t
                    .get(&format!("/api/v1/deals/{}", deal.id), Some(&token))
                    .await;
                let want = expected_status(
                    &policy,
                    &subject,
                    Entity::Deal,
                    Action::View,
                    &deal.place,
                    StatusCode::OK,
                );
                assert_eq!(status, want, "{cell} × view: {shown}");
                if status == StatusCode::OK {
                    check_fields(&format!("{cell} × view"), &policy, &shown, deal);
                }
                // Edit, without changing anything: allocating to a quote passes the
                // gate and is then refused for the deal's state.
                let (status, json, _) = t
                    .post(
                        &format!("/api/v1/deals/{}/allocate", deal.id),
                        Some(&token),
                        json!({"vehicle_id": "0190a3b4-0000-7000-8000-000000000000"}),
                    )
                    .await;
                let want = expected_status(
                    &policy,
                    &subject,
                    Entity::Deal,
                    Action::Edit,
                    &deal.place,
                    StatusCode::UNPROCESSABLE_ENTITY,
                );
                assert_eq!(status, want, "{cell} × edit: {json}");
                assert_error_shape(b, status, &json);
                cells += 2;
            }
        }

        // Create: a quote on each lead, by each account, last (it writes). The lead's
        // edit grants decide which leads a quote may go on.
        for (username, ..) in DEMO_ACCOUNTS {
            let (policy, subject) = subject_of(&t, username).await;
            let token = t.login(username).await;
            for deal in &deals {
                let cell = format!("[{b}] {username} × lead {} × quote", deal.lead);
                let (status, json, _) = t
                    .post(
                        &format!("/api/v1/leads/{}/quotes", deal.lead),
                        Some(&token),
                        json!({"model": "ID.4", "price": 100_000}),
                    )
                    .await;
                let want = if !policy.may(Entity::Deal, Action::Create) {
                    StatusCode::FORBIDDEN
                } else if !policy.allows_record(Entity::Lead, Action::Edit, &subject, &deal.place) {
                    StatusCode::NOT_FOUND
                } else {
                    StatusCode::CREATED
                };
                assert_eq!(status, want, "{cell}: {json}");
                cells += 1;
            }
        }
        assert!(cells > 100, "[{b}] only {cells} cells");
        t
    })
    .await;
}
