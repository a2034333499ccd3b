//! Test drives through the API, on every backend: booking and its refusals (overlap,
//! stock, licence, time — each writing nothing), completion with the signed waiver
//! moving the lead on, cancellation and no-show, the store's day, the licence masked
//! below the clear level and sealed at rest, and a lead's erased key taking its drives
//! with it.

mod common;

use axum::http::StatusCode;
use common::{assert_error_shape, on_every_backend, TestApp};
use dealervault_demo::demo_vin;
use dealervault_domain::access::{RowBound, RowFilter};
use dealervault_domain::ids::TestDriveId;
use dealervault_store::{DataKeyTable, VehicleQuery};
use serde_json::{json, Value};

/// The day the tests book on, far ahead so that nothing else is on the calendar.
const DAY: &str = "2030-01-02";

/// A lead of `owner`'s, made through the API; its id.
async fn lead_of(t: &TestApp, token: &str, n: u64) -> String {
    let body = json!({
        "name": "试驾测试",
        "mobile": t.fresh_customer(n).mobile,
        "source": "walk_in",
        "intended_model": "途观L",
    });
    let (status, json, _) = t.post("/api/v1/leads?assign=me", Some(token), body).await;
    assert_eq!(status, StatusCode::CREATED, "[{}] {json}", t.backend());
    json["id"].as_str().expect("id").to_string()
}

/// The ids of vehicles of `store` in `status`, read beneath the gate.
async fn vehicles(t: &TestApp, store: &str, status: &str) -> Vec<String> {
    let mut tx = t.app.store().read().await.expect("read");
    let query = VehicleQuery {
        status: Some(status.to_string()),
        limit: 1000,
        ..VehicleQuery::default()
    };
    let all = RowFilter::decided(RowBound::Group, None);
    let page = tx.vehicles(&all, &query).await.expect("vehicles");
    page.items
        .into_iter()
        .filter(|v| v.store_code == store)
        .map(|v| v.id.to_string())
        .collect()
}

fn booking(vehicle: &str, starts_at: &str, licence: &str) -> Value {
    json!({"vehicle_id": vehicle, "starts_at": starts_at, "licence_number": licence})
}

async fn book(t: &TestApp, token: &str, lead: &str, body: Value) -> (StatusCode, Value) {
    let (status, json, _) = t
        .post(
            &format!("/api/v1/leads/{lead}/test-drives"),
            Some(token),
            body,
        )
        .await;
    (status, json)
}

async fn drives_of(t: &TestApp, token: &str, lead: &str) -> Vec<Value> {
    let (status, json, _) = t
        .get(&format!("/api/v1/leads/{lead}/test-drives"), Some(token))
        .await;
    assert_eq!(status, StatusCode::OK, "[{}] {json}", t.backend());
    json.as_array().expect("a list").clone()
}

/// `1***************2X`: the ID-number rule, first one and last two kept.
fn assert_masked(b: &str, shown: &Value, clear: &str) {
    let shown = shown.as_str().unwrap_or_else(|| panic!("[{b}] no licence"));
    assert_ne!(shown, clear, "[{b}]");
    assert_eq!(shown.chars().count(), 18, "[{b}] {shown}");
    assert_eq!(shown.matches('*').count(), 15, "[{b}] {shown}");
    assert_eq!(&shown[..1], &clear[..1], "[{b}]");
    assert_eq!(&shown[16..], &clear[16..], "[{b}]");
}

fn refused_field(b: &str, status: StatusCode, json: &Value) -> String {
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");
    assert_eq!(assert_error_shape(b, status, json), "invalid_input");
    json["error"]["fields"][0]["field"]
        .as_str()
        .expect("a field")
        .to_string()
}

#[tokio::test]
async fn booking_refuses_overlaps_stock_and_bad_input_writing_nothing() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let sales01 = t.login("sales01").await;
        let lead = lead_of(&t, &sales01, 1).await;
        let stock = vehicles(&t, "SH01", "in_stock").await;
        let car = stock[0].clone();
        let licence = t.fresh_customer(1).id_number;

        let (status, first) = book(&t, &sales01, &lead, booking(&car, &format!("{DAY}T10:00"), &licence)).await;
        assert_eq!(status, StatusCode::CREATED, "[{b}] {first}");
        assert_eq!(first["state"], "booked");
        assert_eq!(first["ends_at"].as_i64().unwrap_or(0) - first["starts_at"].as_i64().unwrap_or(0), 30 * 60_000);
        assert_eq!(first["owner_id"], t.user_id("sales01"));
        assert_masked(b, &first["licence_number"], &licence);

        // The same car a quarter of an hour later overlaps: 409 naming the start time.
        let (status, json) = book(&t, &sales01, &lead, booking(&car, &format!("{DAY}T10:15"), &licence)).await;
        assert_eq!(status, StatusCode::CONFLICT, "[{b}] {json}");
        assert_eq!(assert_error_shape(b, status, &json), "test_drive_slot_taken");
        assert!(json["error"]["message"].as_str().unwrap_or("").contains("starts_at"), "[{b}] {json}");
        // Touching slots and another car at the same time are fine.
        let mut hour = booking(&car, &format!("{DAY}T10:30"), &licence);
        hour["duration_minutes"] = json!(60);
        let (status, json) = book(&t, &sales01, &lead, hour).await;
        assert_eq!(status, StatusCode::CREATED, "[{b}] {json}");
        let (status, json) = book(&t, &sales01, &lead, booking(&stock[1], &format!("{DAY}T10:15"), &licence)).await;
        assert_eq!(status, StatusCode::CREATED, "[{b}] {json}");

        // Refusals, each naming its field, none writing anything.
        let gm = t.login("gm01").await;
        let transit = json!({"vin": demo_vin("LFVTDRVX", 1), "model": "途观L", "list_price": 100, "status": "in_transit"});
        let (status, on_its_way, _) = t.post("/api/v1/vehicles", Some(&gm), transit).await;
        assert_eq!(status, StatusCode::CREATED, "[{b}] {on_its_way}");
        let on_its_way = on_its_way["id"].as_str().expect("id").to_string();
        let elsewhere = vehicles(&t, "SH02", "in_stock").await[0].clone();
        let at = format!("{DAY}T15:00");
        let mut long = booking(&car, &at, &licence);
        long["duration_minutes"] = json!(45);
        for (body, field) in [
            (booking(&on_its_way, &at, &licence), "vehicle_id"),
            (booking(&elsewhere, &at, &licence), "vehicle_id"),
            (booking("not-an-id", &at, &licence), "vehicle_id"),
            (booking(&car, &at, "110105194912310020"), "licence_number"),
            (booking(&car, &at, ""), "licence_number"),
            (booking(&car, "2030-01-02 25:00", &licence), "starts_at"),
            (booking(&car, "tomorrow", &licence), "starts_at"),
            (long, "duration_minutes"),
        ] {
            let (status, json) = book(&t, &sales01, &lead, body.clone()).await;
            assert_eq!(refused_field(b, status, &json), field, "[{b}] {body}");
            assert!(!json.to_string().contains(&licence[2..16]), "[{b}] the licence echoed: {json}");
        }
        let (status, json) = book(&t, &sales01, &lead, json!({"vehicle_id": car, "starts_at": at, "licence_number": licence, "duration_minutes": "half an hour"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");
        assert_eq!(drives_of(&t, &sales01, &lead).await.len(), 3, "[{b}] refusals wrote nothing");

        // Another salesperson's lead answers like a missing one.
        let sales02 = t.login("sales02").await;
        let (status, json) = book(&t, &sales02, &lead, booking(&car, &at, &licence)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "[{b}] {json}");
        // Roles without test drives are refused outright.
        let finance = t.login("finance01").await;
        let (status, json) = book(&t, &finance, &lead, booking(&car, &at, &licence)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] {json}");
        t
    })
    .await;
}

#[tokio::test]
async fn completing_needs_the_signed_waiver_and_moves_the_lead_to_test_drive() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let sales01 = t.login("sales01").await;
        let lead = lead_of(&t, &sales01, 2).await;
        let car = vehicles(&t, "SH01", "in_stock").await[2].clone();
        let licence = t.fresh_customer(2).id_number;
        let (_, drive) = book(
            &t,
            &sales01,
            &lead,
            booking(&car, &format!("{DAY}T09:00"), &licence),
        )
        .await;
        let id = drive["id"].as_str().expect("id").to_string();
        let complete = format!("/api/v1/test-drives/{id}/complete");

        for body in [
            json!({"feedback": "很满意"}),
            json!({"feedback": "很满意", "waiver_signed": false}),
        ] {
            let (status, json, _) = t.post(&complete, Some(&sales01), body).await;
            assert_eq!(refused_field(b, status, &json), "waiver_signed");
        }
        let (_, detail, _) = t
            .get(&format!("/api/v1/leads/{lead}"), Some(&sales01))
            .await;
        assert_eq!(detail["lead"]["status"], "new", "[{b}] nothing moved");

        let body = json!({"feedback": "动力好，后排略窄，倾向顶配", "waiver_signed": true});
        let (status, done, _) = t.post(&complete, Some(&sales01), body.clone()).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {done}");
        assert_eq!(done["state"], "done");
        assert_eq!(done["waiver_signed"], true);
        assert_eq!(done["feedback"], "动力好，后排略窄，倾向顶配");
        let (_, detail, _) = t
            .get(&format!("/api/v1/leads/{lead}"), Some(&sales01))
            .await;
        assert_eq!(detail["lead"]["status"], "test_drive", "[{b}] {detail}");
        let (status, json, _) = t.post(&complete, Some(&sales01), body).await;
        assert_eq!(refused_field(b, status, &json), "state");

        // A booking ahead cannot be missed yet, but can be cancelled once.
        let (_, later) = book(
            &t,
            &sales01,
            &lead,
            booking(&car, &format!("{DAY}T11:00"), &licence),
        )
        .await;
        let cancel = format!(
            "/api/v1/test-drives/{}/cancel",
            later["id"].as_str().expect("id")
        );
        let (status, json, _) = t
            .post(&cancel, Some(&sales01), json!({"no_show": true}))
            .await;
        assert_eq!(refused_field(b, status, &json), "no_show");
        let (status, json, _) = t.post(&cancel, Some(&sales01), json!({})).await;
        assert_eq!(
            (status, json["state"].as_str()),
            (StatusCode::OK, Some("cancelled")),
            "[{b}] {json}"
        );
        let (status, json, _) = t.post(&cancel, Some(&sales01), json!({})).await;
        assert_eq!(refused_field(b, status, &json), "state");
        // The cancelled slot is free again.
        let (status, json) = book(
            &t,
            &sales01,
            &lead,
            booking(&car, &format!("{DAY}T11:00"), &licence),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "[{b}] {json}");

        // A drive in the past may be recorded as missed.
        let (_, past) = book(
            &t,
            &sales01,
            &lead,
            booking(&car, "2021-03-01T10:00", &licence),
        )
        .await;
        let missed = format!(
            "/api/v1/test-drives/{}/cancel",
            past["id"].as_str().expect("id")
        );
        let (status, json, _) = t
            .post(&missed, Some(&sales01), json!({"no_show": true}))
            .await;
        assert_eq!(
            (status, json["state"].as_str()),
            (StatusCode::OK, Some("no_show")),
            "[{b}] {json}"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn the_licence_is_masked_below_clear_hidden_from_care_and_sealed_at_rest() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let sales01 = t.login("sales01").await;
        let lead = lead_of(&t, &sales01, 3).await;
        let car = vehicles(&t, "SH01", "in_stock").await[3].clone();
        let licence = t.fresh_customer(3).id_number;
        let (_, drive) = book(
            &t,
            &sales01,
            &lead,
            booking(&car, &format!("{DAY}T14:00"), &licence),
        )
        .await;
        let id = drive["id"].as_str().expect("id").to_string();
        let feedback = "试驾反馈：想要七座";
        let body = json!({"feedback": feedback, "waiver_signed": true});
        let (status, json, _) = t
            .post(
                &format!("/api/v1/test-drives/{id}/complete"),
                Some(&sales01),
                body,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");

        for user in ["sales01", "salesmgr01", "gm01"] {
            let token = t.login(user).await;
            let (status, json, _) = t
                .get(&format!("/api/v1/test-drives/{id}"), Some(&token))
                .await;
            assert_eq!(status, StatusCode::OK, "[{b}] {user}: {json}");
            assert_masked(b, &json["test_drive"]["licence_number"], &licence);
            assert_eq!(json["may_edit"], true, "[{b}] {user}");
        }
        // Customer care reads how it went, never the licence, and changes nothing.
        let crm = t.login("crm01").await;
        let (status, json, _) = t
            .get(&format!("/api/v1/test-drives?day={DAY}"), Some(&crm))
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        let seen = json
            .as_array()
            .expect("list")
            .iter()
            .find(|d| d["id"] == id.as_str())
            .cloned()
            .expect("care sees the store's drives");
        assert!(seen.get("licence_number").is_none(), "[{b}] {seen}");
        assert_eq!(seen["feedback"], feedback);
        assert!(!json.to_string().contains(&licence), "[{b}]");
        // Another store's salesperson sees nothing of it.
        let sales11 = t.login("sales11").await;
        let (status, _, _) = t
            .get(&format!("/api/v1/test-drives/{id}"), Some(&sales11))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "[{b}]");

        // At rest: envelopes, neither value in clear.
        let all = RowFilter::decided(RowBound::Group, None);
        let drive_id = TestDriveId::parse(&id).expect("id");
        let mut tx = t.app.store().read().await.expect("read");
        let row = tx
            .test_drive(&all, &drive_id)
            .await
            .expect("read")
            .expect("row");
        drop(tx);
        for (clear, sealed) in [
            (licence.as_bytes(), row.licence_number.as_slice()),
            (
                feedback.as_bytes(),
                row.feedback.as_deref().unwrap_or_default(),
            ),
        ] {
            assert!(sealed.len() > clear.len(), "[{b}] sealed");
            assert!(
                !sealed.windows(clear.len()).any(|w| w == clear),
                "[{b}] clear at rest"
            );
        }

        // Erasing the lead's key erases its drives: they answer like missing ones.
        let mut w = t.app.store().write().await.expect("write");
        assert!(
            w.delete_data_key(DataKeyTable::Leads, &lead)
                .await
                .expect("delete"),
            "[{b}]"
        );
        w.commit().await.expect("commit");
        let (status, _, _) = t
            .get(&format!("/api/v1/test-drives/{id}"), Some(&sales01))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "[{b}]");
        let (_, json, _) = t
            .get(&format!("/api/v1/test-drives?day={DAY}"), Some(&crm))
            .await;
        assert!(!json.to_string().contains(&id), "[{b}] {json}");
        t
    })
    .await;
}

#[tokio::test]
async fn the_stores_day_lists_drives_by_time_and_vehicle() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let sales01 = t.login("sales01").await;
        let sales02 = t.login("sales02").await;
        let lead1 = lead_of(&t, &sales01, 4).await;
        let lead2 = lead_of(&t, &sales02, 5).await;
        let stock = vehicles(&t, "SH01", "in_stock").await;
        let licence = t.fresh_customer(4).id_number;
        for (token, lead, car, at) in [
            (&sales01, &lead1, &stock[4], "T16:00"),
            (&sales02, &lead2, &stock[5], "T09:30"),
            (&sales01, &lead1, &stock[4], "T23:30"),
        ] {
            let (status, json) = book(
                &t,
                token,
                lead,
                booking(car, &format!("{DAY}{at}"), &licence),
            )
            .await;
            assert_eq!(status, StatusCode::CREATED, "[{b}] {json}");
        }
        let day = |token: String, query: String| {
            let t = &t;
            async move {
                let (status, json, _) = t
                    .get(&format!("/api/v1/test-drives?{query}"), Some(&token))
                    .await;
                (status, json)
            }
        };
        let gm = t.login("gm01").await;
        let (status, json) = day(gm.clone(), format!("day={DAY}")).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        let starts: Vec<i64> = json
            .as_array()
            .expect("list")
            .iter()
            .map(|d| d["starts_at"].as_i64().unwrap_or(0))
            .collect();
        assert_eq!(starts.len(), 3, "[{b}] {json}");
        assert!(starts.windows(2).all(|w| w[0] <= w[1]), "[{b}] by time");
        let (_, json) = day(gm.clone(), format!("day={DAY}&vehicle_id={}", stock[4])).await;
        assert_eq!(json.as_array().map(Vec::len), Some(2), "[{b}] {json}");
        // A salesperson sees their own only; the next day is empty.
        let (_, json) = day(sales02.clone(), format!("day={DAY}")).await;
        assert_eq!(json.as_array().map(Vec::len), Some(1), "[{b}] {json}");
        let (_, json) = day(gm.clone(), "day=2030-01-03".into()).await;
        assert_eq!(json.as_array().map(Vec::len), Some(0), "[{b}] {json}");
        for (query, field) in [
            ("day=2030-13-01", "day"),
            ("day=tomorrow", "day"),
            ("vehicle_id=x", "vehicle_id"),
        ] {
            let (status, json) = day(gm.clone(), query.into()).await;
            assert_eq!(refused_field(b, status, &json), field, "[{b}] {query}");
        }
        let admin = t.login("admin").await;
        let (status, _) = day(admin, format!("day={DAY}")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{b}]");
        t
    })
    .await;
}
