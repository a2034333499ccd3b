//! The authorization matrix of the sales floor's leads, generated: every demo account
//! (so every default role) × every lead (owned by each salesperson, and one in the
//! pool) × every governed field × view, edit and reveal, through the JSON API on every
//! backend. Each cell's expected answer comes from the role's policy and the lead's
//! place, decided grant by grant (`RolePolicy::allows_record`), never written by hand.

mod common;

use axum::http::StatusCode;
use common::world::{place_of, subject_of};
use common::{on_every_backend, TestApp};
use dealervault_demo::DEMO_ACCOUNTS;
use dealervault_domain::access::{RecordPlace, RowBound};
use dealervault_domain::catalog::{governed_fields, Entity, Sensitivity};
use dealervault_domain::ids::StoreId;
use dealervault_policy::{Action, FieldLevel, RolePolicy, Subject};
use serde_json::{json, Value};

/// A lead made for the matrix: its id, its values in clear and where it sits.
struct Lead {
    id: String,
    values: Value,
    /// `None`: in the pool of `store`.
    place: Option<RecordPlace>,
    store: StoreId,
}

fn values(t: &TestApp, n: u64) -> Value {
    json!({
        "name": format!("矩阵{n}号"),
        "mobile": t.fresh_customer(100 + n).mobile,
        "wechat": format!("wx_lead{n:04}"),
        "source": "dongchedi",
        "intended_model": "帕萨特",
        "budget": "180000.00",
        "notes": format!("矩阵备注{n}"),
    })
}

/// A valid new value for each governed field (the mobile unused so far).
fn new_value(t: &TestApp, field: &str, n: u64) -> Value {
    json!(match field {
        "name" => "改名测试".to_string(),
        "mobile" => t.fresh_customer(500 + n).mobile,
        "wechat" => format!("wx_edit{n:04}"),
        "source" => "referral".to_string(),
        "intended_model" => "ID.4".to_string(),
        "budget" => "200000.00".to_string(),
        "notes" => "改备注".to_string(),
        other => panic!("no test value for {other}"),
    })
}

/// The leads: one per salesperson (made by themselves) and one in SH01's pool.
async fn leads(t: &TestApp) -> Vec<Lead> {
    let mut out = Vec::new();
    for (n, owner) in ["sales01", "sales02", "sales03", "sales11"]
        .into_iter()
        .enumerate()
    {
        let token = t.login(owner).await;
        let v = values(t, n as u64);
        let (status, json, _) = t.post("/api/v1/leads", Some(&token), v.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "[{}] {json}", t.backend());
        let place = place_of(t, owner).await;
        out.push(Lead {
            id: json["id"].as_str().expect("id").into(),
            values: v,
            store: place.store_id.clone(),
            place: Some(place),
        });
    }
    let gm = t.login("gm01").await;
    let v = values(t, 9);
    let (status, json, _) = t
        .post("/api/v1/leads?assign=pool", Some(&gm), v.clone())
        .await;
    assert_eq!(status, StatusCode::CREATED, "[{}] {json}", t.backend());
    out.push(Lead {
        id: json["id"].as_str().expect("id").into(),
        values: v,
        place: None,
        store: place_of(t, "sales01").await.store_id,
    });
    out
}

/// Whether `action`'s grants reach the lead: grant by grant for an owned one; for a
/// pool lead, only a store or group bound covers a record without an owner.
fn reaches(policy: &RolePolicy, subject: &Subject, action: Action, lead: &Lead) -> bool {
    match &lead.place {
        Some(place) => policy.allows_record(Entity::Lead, action, subject, place),
        None => policy
            .row_filter(Entity::Lead, action, subject)
            .is_ok_and(|f| {
                let covers = |b: &RowBound| match b {
                    RowBound::Group => true,
                    RowBound::Store(s) => s == &lead.store,
                    _ => false,
                };
                covers(f.within()) && !f.except().is_some_and(covers)
            }),
    }
}

/// One shown lead against its values and the levels the role has (capped in the pool).
fn check_fields(cell: &str, policy: &RolePolicy, shown: &Value, lead: &Lead, pool: bool) {
    for spec in governed_fields(Entity::Lead) {
        let mut level = policy.field_level(Entity::Lead, spec.name);
        if pool {
            let cap = if spec.sensitivity >= Sensitivity::Personal {
                FieldLevel::Masked
            } else {
                FieldLevel::Clear
            };
            level = level.min(cap);
        }
        let got = shown.get(spec.name);
        let stored = lead.values[spec.name].as_str().expect("a value");
        let cell = format!("{cell} × {}", spec.name);
        match level {
            FieldLevel::Hidden => assert!(got.is_none(), "{cell}: hidden field present: {shown}"),
            FieldLevel::Masked => {
                let got = got
                    .and_then(Value::as_str)
                    .unwrap_or_else(|| panic!("{cell}: absent"));
                assert!(
                    got.contains('*') && got != stored,
                    "{cell}: not masked: {got}"
                );
                let kept = got.chars().filter(|c| *c != '*').count();
                assert!(
                    kept < stored.chars().count(),
                    "{cell}: keeps too much: {got}"
                );
            }
            FieldLevel::Clear | FieldLevel::Editable => {
                assert_eq!(got.and_then(Value::as_str), Some(stored), "{cell}: {shown}");
            }
        }
    }
}

#[tokio::test]
async fn every_role_sees_and_changes_exactly_what_its_policy_says() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let mut leads = leads(&t).await;
        let mut n = 0;
        for (username, ..) in DEMO_ACCOUNTS {
            let (policy, subject) = subject_of(&t, username).await;
            let token = t.login(username).await;
            // The list: exactly the leads the view grants reach.
            let (status, list, _) = t.get("/api/v1/leads?per_page=100", Some(&token)).await;
            if !policy.may(Entity::Lead, Action::View) {
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "[{b}] {username} list: {list}"
                );
            } else {
                assert_eq!(status, StatusCode::OK, "[{b}] {username} list: {list}");
                for lead in &leads {
                    let cell = format!("[{b}] {username} × lead {} × list", lead.id);
                    let shown = list["items"]
                        .as_array()
                        .expect("items")
                        .iter()
                        .find(|l| l["id"] == lead.id.as_str());
                    assert_eq!(
                        shown.is_some(),
                        reaches(&policy, &subject, Action::View, lead),
                        "{cell}"
                    );
                    if let Some(shown) = shown {
                        check_fields(&cell, &policy, shown, lead, false);
                    }
                }
            }
            // The pool: for those with a claim right, the unowned leads it reaches, capped.
            let (status, pool, _) = t.get("/api/v1/leads/pool", Some(&token)).await;
            if !policy.may(Entity::Lead, Action::Claim) {
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "[{b}] {username} pool: {pool}"
                );
            } else {
                assert_eq!(status, StatusCode::OK, "[{b}] {username} pool");
                for lead in &leads {
                    let shown = pool["items"]
                        .as_array()
                        .expect("items")
                        .iter()
                        .find(|l| l["id"] == lead.id.as_str());
                    let expected =
                        lead.place.is_none() && reaches(&policy, &subject, Action::Claim, lead);
                    let cell = format!("[{b}] {username} × lead {} × pool", lead.id);
                    assert_eq!(shown.is_some(), expected, "{cell}");
                    if let Some(shown) = shown {
                        check_fields(&cell, &policy, shown, lead, true);
                    }
                }
            }
            for lead in leads.iter_mut() {
                let sees = reaches(&policy, &subject, Action::View, lead);
                let in_pool_view =
                    lead.place.is_none() && reaches(&policy, &subject, Action::Claim, lead);
                // The detail answers like the list; anything else is the one 404.
                let (status, detail, _) = t
                    .get(&format!("/api/v1/leads/{}", lead.id), Some(&token))
                    .await;
                let cell = format!("[{b}] {username} × lead {} × view", lead.id);
                let expected = if sees || in_pool_view {
                    StatusCode::OK
                } else {
                    StatusCode::NOT_FOUND
                };
                assert_eq!(status, expected, "{cell}: {detail}");
                if status == StatusCode::OK {
                    check_fields(&cell, &policy, &detail["lead"], lead, !sees);
                }
                // Each field's edit: no grant 403; out of scope 404; not editable 403.
                let editable_scope = reaches(&policy, &subject, Action::Edit, lead);
                for spec in governed_fields(Entity::Lead) {
                    n += 1;
                    let body = json!({ spec.name: new_value(&t, spec.name, n) });
                    let (status, json, _) = t
                        .patch(
                            &format!("/api/v1/leads/{}", lead.id),
                            Some(&token),
                            body.clone(),
                        )
                        .await;
                    let cell =
                        format!("[{b}] {username} × lead {} × {} × edit", lead.id, spec.name);
                    let expected = if !policy.may(Entity::Lead, Action::Edit) {
                        (StatusCode::FORBIDDEN, "forbidden")
                    } else if !editable_scope {
                        (StatusCode::NOT_FOUND, "not_found")
                    } else if policy.field_level(Entity::Lead, spec.name) < FieldLevel::Editable {
                        (StatusCode::FORBIDDEN, "field_not_editable")
                    } else {
                        (StatusCode::OK, "")
                    };
                    assert_eq!(status, expected.0, "{cell}: {json}");
                    if status == StatusCode::OK {
                        lead.values[spec.name] = body[spec.name].clone();
                    } else {
                        assert_eq!(json["error"]["code"], expected.1, "{cell}: {json}");
                    }
                }
                // Revealing the mobile: only within the reveal scope, never from the pool.
                let (status, json, _) = t
                    .post(
                        &format!("/api/v1/leads/{}/reveal", lead.id),
                        Some(&token),
                        json!({"field": "mobile", "reason": "矩阵测试"}),
                    )
                    .await;
                let cell = format!("[{b}] {username} × lead {} × mobile × reveal", lead.id);
                let expected = if !policy.may(Entity::Lead, Action::Reveal) {
                    StatusCode::FORBIDDEN
                } else if !reaches(&policy, &subject, Action::Reveal, lead) {
                    StatusCode::NOT_FOUND
                } else if policy.field_level(Entity::Lead, "mobile") == FieldLevel::Hidden {
                    StatusCode::FORBIDDEN
                } else {
                    StatusCode::OK
                };
                assert_eq!(status, expected, "{cell}: {json}");
            }
        }
        // Before and after claiming: the pool lead is the claimer's, in its own levels.
        let pool_lead = leads
            .iter()
            .find(|l| l.place.is_none())
            .expect("a pool lead");
        let sales03 = t.login("sales03").await;
        let (status, _, _) = t
            .post(
                &format!("/api/v1/leads/{}/claim", pool_lead.id),
                Some(&sales03),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "[{b}] claim");
        let (policy, _) = subject_of(&t, "sales03").await;
        let (status, detail, _) = t
            .get(&format!("/api/v1/leads/{}", pool_lead.id), Some(&sales03))
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}]");
        assert_eq!(detail["in_pool"], false, "[{b}] {detail}");
        let claimed = Lead {
            id: pool_lead.id.clone(),
            values: pool_lead.values.clone(),
            place: Some(place_of(&t, "sales03").await),
            store: pool_lead.store.clone(),
        };
        check_fields(
            &format!("[{b}] sales03 × claimed lead"),
            &policy,
            &detail["lead"],
            &claimed,
            false,
        );
        let sales01 = t.login("sales01").await;
        let (status, _, _) = t
            .get(&format!("/api/v1/leads/{}", pool_lead.id), Some(&sales01))
            .await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "[{b}] out of the pool, out of sight"
        );
        t
    })
    .await;
}
