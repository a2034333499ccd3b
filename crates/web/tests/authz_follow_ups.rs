//! The authorization matrix of follow-ups, generated: every demo account (so every
//! default role) × a follow-up on each salesperson's lead × its governed fields × list,
//! create and complete, through the JSON API on every backend. Each cell's expected
//! answer comes from the role's policy and the follow-up's place
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

const SELLERS: [&str; 4] = ["sales01", "sales02", "sales03", "sales11"];

/// A salesperson's lead and its open follow-up, with where both sit.
struct Planned {
    owner: &'static str,
    lead: String,
    follow_up: String,
    notes: String,
    place: RecordPlace,
}

fn tomorrow() -> String {
    let now = time::OffsetDateTime::now_utc() + time::Duration::hours(8 + 24);
    format!("{}T10:00", now.date())
}

/// Plans a follow-up on the lead as its owner; its id.
async fn plan(t: &TestApp, owner: &str, lead: &str, notes: &str) -> String {
    let token = t.login(owner).await;
    let body =
        json!({"kind": "call", "due_at": tomorrow(), "notes": notes, "next_step": "邀约试驾"});
    let (status, json, _) = t
        .post(
            &format!("/api/v1/leads/{lead}/follow-ups"),
            Some(&token),
            body,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "[{}] {json}", t.backend());
    json["id"].as_str().expect("id").to_string()
}

async fn planned(t: &TestApp) -> Vec<Planned> {
    let mut out = Vec::new();
    for (n, owner) in SELLERS.into_iter().enumerate() {
        let token = t.login(owner).await;
        let lead = json!({
            "name": format!("跟进矩阵{n}"),
            "mobile": t.fresh_customer(700 + n as u64).mobile,
            "source": "phone",
        });
        let (status, lead, _) = t.post("/api/v1/leads?assign=me", Some(&token), lead).await;
        assert_eq!(status, StatusCode::CREATED, "[{}] {lead}", t.backend());
        let lead = lead["id"].as_str().expect("id").to_string();
        let notes = format!("矩阵跟进记录{n}");
        out.push(Planned {
            owner,
            follow_up: plan(t, owner, &lead, &notes).await,
            lead,
            notes,
            place: place_of(t, owner).await,
        });
    }
    out
}

fn check_fields(cell: &str, policy: &RolePolicy, shown: &Value, p: &Planned) {
    for spec in governed_fields(Entity::FollowUp) {
        let stored = if spec.name == "notes" {
            p.notes.as_str()
        } else {
            "邀约试驾"
        };
        let got = shown.get(spec.name);
        let cell = format!("{cell} × {}", spec.name);
        match policy.field_level(Entity::FollowUp, spec.name) {
            FieldLevel::Hidden => assert!(got.is_none(), "{cell}: hidden field present: {shown}"),
            FieldLevel::Masked => {
                let got = got.and_then(Value::as_str).unwrap_or_default();
                assert_ne!(got, stored, "{cell}: not masked");
            }
            FieldLevel::Clear | FieldLevel::Editable => {
                assert_eq!(got.and_then(Value::as_str), Some(stored), "{cell}: {shown}");
            }
        }
    }
}

#[tokio::test]
async fn every_role_sees_and_works_follow_ups_exactly_as_its_policy_says() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let mut plans = planned(&t).await;
        let mut cells = 0;
        for (username, ..) in DEMO_ACCOUNTS {
            let (policy, subject) = subject_of(&t, username).await;
            let token = t.login(username).await;

            // The open list: exactly the follow-ups the view grants reach.
            let (status, list, _) = t.get("/api/v1/follow-ups?when=open", Some(&token)).await;
            if !policy.may(Entity::FollowUp, Action::View) {
                assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] {username}: {list}");
            } else {
                assert_eq!(status, StatusCode::OK, "[{b}] {username}: {list}");
                for p in &plans {
                    let cell = format!("[{b}] {username} × {}'s follow-up", p.owner);
                    let shown = list
                        .as_array()
                        .expect("list")
                        .iter()
                        .find(|f| f["id"] == p.follow_up.as_str());
                    let reaches =
                        policy.allows_record(Entity::FollowUp, Action::View, &subject, &p.place);
                    assert_eq!(shown.is_some(), reaches, "{cell}");
                    if let Some(shown) = shown {
                        check_fields(&cell, &policy, shown, p);
                    }
                    cells += 1;
                }
            }

            for p in &mut plans {
                // Completing one: the edit grants decide. When it works, the owner plans
                // the next, so every account meets an open one.
                let cell = format!("[{b}] {username} × {}'s follow-up × complete", p.owner);
                let (status, json, _) = t
                    .post(
                        &format!("/api/v1/follow-ups/{}/complete", p.follow_up),
                        Some(&token),
                        json!({}),
                    )
                    .await;
                let want = expected_status(
                    &policy,
                    &subject,
                    Entity::FollowUp,
                    Action::Edit,
                    &p.place,
                    StatusCode::OK,
                );
                assert_eq!(status, want, "{cell}: {json}");
                if status == StatusCode::OK {
                    p.follow_up = plan(&t, p.owner, &p.lead, &p.notes).await;
                } else {
                    assert_error_shape(b, status, &json);
                }

                // Logging a call on the lead: follow-up create, then the lead's edit
                // grants, then the notes' field level.
                let cell = format!("[{b}] {username} × {}'s lead × follow-up", p.owner);
                let (status, json, _) = t
                    .post(
                        &format!("/api/v1/leads/{}/follow-ups", p.lead),
                        Some(&token),
                        json!({"kind": "call", "done": true, "notes": "矩阵电话"}),
                    )
                    .await;
                let want = if !policy.may(Entity::FollowUp, Action::Create)
                    || !policy.may(Entity::Lead, Action::Edit)
                {
                    StatusCode::FORBIDDEN
                } else if !policy.allows_record(Entity::Lead, Action::Edit, &subject, &p.place) {
                    StatusCode::NOT_FOUND
                } else if policy.field_level(Entity::FollowUp, "notes") < FieldLevel::Editable {
                    StatusCode::FORBIDDEN
                } else {
                    StatusCode::CREATED
                };
                assert_eq!(status, want, "{cell}: {json}");
                cells += 2;
            }
        }
        assert!(cells > 100, "[{b}] only {cells} cells");
        t
    })
    .await;
}
