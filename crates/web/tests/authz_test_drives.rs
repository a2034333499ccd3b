//! The authorization matrix of test drives, generated: every demo account (so every
//! default role) × a test drive owned by each salesperson × every governed field ×
//! book, view (detail and the day's list) and complete, through the JSON API on every
//! backend. Each cell's expected answer comes from the role's policy and the drive's
//! place (`RolePolicy::allows_record`, `row_filter`, `field_level`), never written by
//! hand.

mod common;

use axum::http::StatusCode;
use common::world::subject_of;
use common::{on_every_backend, TestApp};
use dealervault_demo::DEMO_ACCOUNTS;
use dealervault_domain::access::{RecordPlace, RowBound, RowFilter};
use dealervault_domain::catalog::{governed_fields, Entity};
use dealervault_policy::{Action, FieldLevel, RolePolicy, Subject};
use dealervault_store::VehicleQuery;
use serde_json::{json, Value};

const OWNERS: [&str; 4] = ["sales01", "sales02", "sales03", "sales11"];

/// A salesperson's lead, the place its drives take and a car of its store.
struct Seat {
    owner: &'static str,
    token: String,
    lead: String,
    place: RecordPlace,
    car: String,
    licence: String,
}

async fn seats(t: &TestApp) -> Vec<Seat> {
    let mut out = Vec::new();
    for (n, owner) in OWNERS.into_iter().enumerate() {
        let token = t.login(owner).await;
        let body = json!({"name": format!("矩阵试驾{n}"), "mobile": t.fresh_customer(300 + n as u64).mobile, "source": "walk_in"});
        let (status, lead, _) = t.post("/api/v1/leads?assign=me", Some(&token), body).await;
        assert_eq!(status, StatusCode::CREATED, "[{}] {lead}", t.backend());
        let (_, subject) = subject_of(t, owner).await;
        let place = RecordPlace {
            owner_id: subject.user_id.clone(),
            owner_team_id: subject.position.team_id.clone(),
            owner_department_id: subject.position.department_id.clone(),
            store_id: subject.position.store_id.clone().expect("a store"),
        };
        let mut tx = t.app.store().read().await.expect("read");
        let query = VehicleQuery {
            status: Some("in_stock".into()),
            limit: 1000,
            ..VehicleQuery::default()
        };
        let all = RowFilter::decided(RowBound::Group, None);
        let car = tx
            .vehicles(&all, &query)
            .await
            .expect("stock")
            .items
            .into_iter()
            .find(|v| v.store_id == place.store_id)
            .expect("a car in stock");
        drop(tx);
        out.push(Seat {
            owner,
            token,
            lead: lead["id"].as_str().expect("id").into(),
            place,
            car: car.id.to_string(),
            licence: t.fresh_customer(300 + n as u64).id_number,
        });
    }
    out
}

/// Slot `k` of the matrix: half an hour each, one after the other, so none overlap.
fn slot(k: u32) -> String {
    format!(
        "2031-03-{:02}T{:02}:{:02}",
        1 + k / 48,
        (k % 48) / 2,
        (k % 2) * 30
    )
}

/// Whether `action`'s scope reaches a record at `place` of `entity`; `None` when the
/// role has no such grant at all (403 rather than 404).
fn reach(
    policy: &RolePolicy,
    subject: &Subject,
    entity: Entity,
    action: Action,
    place: &RecordPlace,
) -> Option<bool> {
    policy.row_filter(entity, action, subject).ok()?;
    Some(policy.allows_record(entity, action, subject, place))
}

/// What a booking by the account on the seat's lead answers.
fn expected_booking(policy: &RolePolicy, subject: &Subject, seat: &Seat) -> StatusCode {
    let vehicle_place = RecordPlace {
        owner_id: dealervault_domain::ids::UserId::from_stored(String::new()),
        owner_team_id: None,
        owner_department_id: None,
        store_id: seat.place.store_id.clone(),
    };
    let lead = reach(policy, subject, Entity::Lead, Action::Edit, &seat.place);
    let vehicles = reach(
        policy,
        subject,
        Entity::Vehicle,
        Action::View,
        &vehicle_place,
    );
    match (
        policy.may(Entity::TestDrive, Action::Create),
        lead,
        vehicles,
    ) {
        (false, ..) | (_, None, _) | (_, _, None) => StatusCode::FORBIDDEN,
        (true, Some(false), _) => StatusCode::NOT_FOUND,
        _ if policy.field_level(Entity::TestDrive, "licence_number") == FieldLevel::Hidden => {
            StatusCode::FORBIDDEN
        }
        // A car the account's stock scope does not reach is no car to it.
        (true, Some(true), Some(false)) => StatusCode::UNPROCESSABLE_ENTITY,
        (true, Some(true), Some(true)) => StatusCode::CREATED,
    }
}

fn check_fields(cell: &str, policy: &RolePolicy, shown: &Value, clear: &[(&str, &str)]) {
    for spec in governed_fields(Entity::TestDrive) {
        let level = policy.field_level(Entity::TestDrive, spec.name);
        let cell = format!("{cell} × {}", spec.name);
        let got = shown.get(spec.name);
        let stored = clear.iter().find(|(f, _)| *f == spec.name).map(|(_, v)| *v);
        match (level, stored) {
            (FieldLevel::Hidden, _) => {
                assert!(got.is_none(), "{cell}: hidden field present: {shown}")
            }
            (_, None) => assert_eq!(got, Some(&Value::Null), "{cell}: {shown}"),
            (FieldLevel::Masked, Some(stored)) => {
                let got = got
                    .and_then(Value::as_str)
                    .unwrap_or_else(|| panic!("{cell}: absent"));
                assert!(
                    got.contains('*') && got != stored,
                    "{cell}: not masked: {got}"
                );
                let kept = got.chars().filter(|c| *c != '*').count();
                assert!(kept <= 3, "{cell}: keeps too much: {got}");
            }
            (FieldLevel::Clear | FieldLevel::Editable, Some(stored)) => {
                assert_eq!(got.and_then(Value::as_str), Some(stored), "{cell}: {shown}");
            }
        }
    }
}

#[tokio::test]
async fn every_role_books_sees_and_completes_exactly_what_its_policy_says() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let seats = seats(&t).await;
        let mut k = 0;
        let mut cells = 0;
        for (username, ..) in DEMO_ACCOUNTS {
            let (policy, subject) = subject_of(&t, username).await;
            let token = t.login(username).await;
            for seat in &seats {
                let cell = format!("[{b}] {username} × {}'s drive", seat.owner);
                // Booking, by the account itself.
                let body = json!({"vehicle_id": seat.car, "starts_at": slot(k), "licence_number": seat.licence});
                k += 1;
                let path = format!("/api/v1/leads/{}/test-drives", seat.lead);
                let (status, json, _) = t.post(&path, Some(&token), body.clone()).await;
                assert_eq!(status, expected_booking(&policy, &subject, seat), "{cell} × book: {json}");
                // The owner's own drive, for the view and completion cells.
                let body = json!({"vehicle_id": seat.car, "starts_at": slot(k), "licence_number": seat.licence});
                k += 1;
                let (status, drive, _) = t.post(&path, Some(&seat.token), body).await;
                assert_eq!(status, StatusCode::CREATED, "{cell}: {drive}");
                let id = drive["id"].as_str().expect("id").to_string();

                let view = reach(&policy, &subject, Entity::TestDrive, Action::View, &seat.place);
                let (status, json, _) = t.get(&format!("/api/v1/test-drives/{id}"), Some(&token)).await;
                let expected = match view {
                    None => StatusCode::FORBIDDEN,
                    Some(false) => StatusCode::NOT_FOUND,
                    Some(true) => StatusCode::OK,
                };
                assert_eq!(status, expected, "{cell} × view: {json}");
                if status == StatusCode::OK {
                    check_fields(&cell, &policy, &json["test_drive"], &[("licence_number", &seat.licence)]);
                    assert!(!json.to_string().contains(&seat.licence[1..16]) || policy.field_level(Entity::TestDrive, "licence_number") >= FieldLevel::Clear, "{cell}: licence leaked");
                }

                // Completion with feedback: the edit scope, then the feedback's level.
                let feedback = format!("矩阵反馈{k}");
                let complete = format!("/api/v1/test-drives/{id}/complete");
                let edit = reach(&policy, &subject, Entity::TestDrive, Action::Edit, &seat.place);
                let writes = policy.field_level(Entity::TestDrive, "feedback") == FieldLevel::Editable;
                let expected = match edit {
                    None => StatusCode::FORBIDDEN,
                    Some(false) => StatusCode::NOT_FOUND,
                    Some(true) if !writes => StatusCode::FORBIDDEN,
                    Some(true) => StatusCode::OK,
                };
                let (status, json, _) = t.post(&complete, Some(&token), json!({"feedback": feedback, "waiver_signed": true})).await;
                assert_eq!(status, expected, "{cell} × complete: {json}");
                if status == StatusCode::OK {
                    check_fields(&cell, &policy, &json, &[("licence_number", &seat.licence), ("feedback", &feedback)]);
                }
                cells += 1;
            }
            // The day's list (the matrix's days): exactly the drives the view scope reaches.
            let (status, list, _) = t.get("/api/v1/test-drives?day=2031-03-01", Some(&token)).await;
            if !policy.may(Entity::TestDrive, Action::View) {
                assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] {username} list");
            } else {
                assert_eq!(status, StatusCode::OK, "[{b}] {username} list: {list}");
                for shown in list.as_array().expect("list") {
                    let seat = seats.iter().find(|s| shown["lead_id"] == s.lead.as_str()).expect("a matrix drive");
                    assert_eq!(reach(&policy, &subject, Entity::TestDrive, Action::View, &seat.place), Some(true), "[{b}] {username} lists {shown}");
                }
            }
        }
        assert_eq!(cells, DEMO_ACCOUNTS.len() * OWNERS.len(), "[{b}]");
        t
    })
    .await;
}
