//! The vehicle stock through the API and the pages, on every backend: create, list,
//! detail, edit and status moves; refusals that name the field and write nothing;
//! duplicate VINs; another store's vehicle answering like a missing one; the audit
//! events; and the stock-age report.

mod common;

use axum::http::StatusCode;
use common::browser::Browser;
use common::world::MISSING_ID;
use common::{on_every_backend, TestApp};
use dealervault_demo::{demo_vin, VEHICLES_PER_STORE};
use serde_json::{json, Value};

/// A VIN no demo vehicle has, nor its last six characters (demo serials stay small).
fn fresh_vin(n: u32) -> String {
    demo_vin("LFVTEST1", 900_000 + n)
}

/// `vin` with a check digit that does not match.
fn wrong_check_digit(vin: &str) -> String {
    let mut bytes = vin.as_bytes().to_vec();
    bytes[8] = if bytes[8] == b'1' { b'2' } else { b'1' };
    String::from_utf8(bytes).expect("ascii")
}

async fn total(t: &TestApp, token: &str) -> u64 {
    let (status, json, _) = t.get("/api/v1/vehicles", Some(token)).await;
    assert_eq!(status, StatusCode::OK, "[{}] {json}", t.backend());
    json["total"].as_u64().expect("a total")
}

/// The refused fields of a 422, as (field, rule).
fn refused(json: &Value) -> Vec<(String, String)> {
    json["error"]["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["field"].as_str().unwrap_or_default().to_string(),
                f["rule"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The newest events of `action`, read by the auditor.
async fn events(t: &TestApp, action: &str) -> Vec<Value> {
    let auditor = t.login("auditor").await;
    let (_, json, _) = t
        .get(&format!("/api/v1/audit?action={action}"), Some(&auditor))
        .await;
    json["items"].as_array().cloned().unwrap_or_default()
}

async fn create(t: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    let (status, json, _) = t.post("/api/v1/vehicles", Some(token), body).await;
    (status, json)
}

#[tokio::test]
async fn a_vehicle_is_created_listed_shown_edited_and_moved() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let gm = t.login("gm01").await;
        let vin = fresh_vin(1);
        let (status, created) = create(
            &t,
            &gm,
            json!({"vin": vin.to_lowercase(), "model": "大众 帕萨特", "trim": "330TSI 精英版",
                   "colour": "极地白", "list_price": 21_990_000}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "[{backend}] {created}");
        let id = created["id"].as_str().expect("an id").to_string();
        assert_eq!(created["vin"], json!(vin), "[{backend}] VIN normalised");
        assert_eq!(created["status"], "in_stock", "[{backend}]");
        assert_eq!(
            created["list_price"], 21_990_000,
            "[{backend}] fen as an integer"
        );
        assert_eq!(created["days_in_stock"], 0, "[{backend}]");
        assert!(created["arrived_on"].is_string(), "[{backend}] dated today");
        // The general manager sees the cost price (none yet) but may not set it.
        assert!(created["cost_price"].is_null(), "[{backend}] {created}");
        assert_eq!(created["moves"], json!(["reserved"]), "[{backend}]");

        // Listed by whole VIN and by its tail, and shown.
        for q in [vin.clone(), vin[11..].to_string()] {
            let (status, list, _) = t.get(&format!("/api/v1/vehicles?vin={q}"), Some(&gm)).await;
            assert_eq!(status, StatusCode::OK, "[{backend}] {list}");
            assert_eq!(list["total"], 1, "[{backend}] vin={q}: {list}");
            assert_eq!(list["items"][0]["id"], json!(id), "[{backend}]");
        }
        let (status, by_status, _) = t
            .get("/api/v1/vehicles?status=in_transit&per_page=100", Some(&gm))
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}]");
        let items = by_status["items"].as_array().expect("items");
        assert!(
            !items.is_empty() && items.iter().all(|v| v["status"] == "in_transit"),
            "[{backend}] {by_status}"
        );
        let (status, shown, _) = t.get(&format!("/api/v1/vehicles/{id}"), Some(&gm)).await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {shown}");
        assert_eq!(shown["model"], "大众 帕萨特", "[{backend}]");

        // Finance sets the cost; the sales manager reserves it.
        let finance = t.login("finance01").await;
        let (status, costed, _) = t
            .patch(
                &format!("/api/v1/vehicles/{id}"),
                Some(&finance),
                json!({"cost_price": 19_800_000, "supplier_terms": "厂家返利 2%"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {costed}");
        assert_eq!(costed["cost_price"], 19_800_000, "[{backend}]");
        let manager = t.login("salesmgr01").await;
        let path = format!("/api/v1/vehicles/{id}");
        let (status, moved, _) = t
            .patch(&path, Some(&manager), json!({"status": "reserved"}))
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {moved}");
        assert_eq!(moved["status"], "reserved", "[{backend}]");
        assert!(moved.get("cost_price").is_none(), "[{backend}] {moved}");
        assert_eq!(moved["moves"], json!(["in_stock", "sold"]), "[{backend}]");
        // The sales consultant may look but not change.
        let sales = t.login("sales01").await;
        let (status, json, _) = t
            .patch(&path, Some(&sales), json!({"location": "B区-01"}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{backend}] {json}");

        // Each action is on the chain, naming the vehicle and fields, never values.
        for (action, fields) in [
            (
                "vehicle.create",
                vec!["vin", "model", "trim", "colour", "list_price"],
            ),
            ("vehicle.edit", vec!["status"]),
        ] {
            let events = events(&t, action).await;
            let newest = events
                .iter()
                .find(|e| e["outcome"] == "allowed")
                .unwrap_or_else(|| panic!("[{backend}] no {action}"));
            assert_eq!(newest["record_ids"], json!([id]), "[{backend}] {action}");
            assert_eq!(newest["fields"], json!(fields), "[{backend}] {action}");
            assert!(!newest.to_string().contains("帕萨特"), "[{backend}]");
        }
        let edits = events(&t, "vehicle.edit").await;
        assert!(
            edits
                .iter()
                .any(|e| e["fields"] == json!(["cost_price", "supplier_terms"])),
            "[{backend}] {edits:?}"
        );
        assert!(
            edits.iter().any(|e| e["outcome"] == "denied"),
            "[{backend}] the consultant's refused edit is recorded"
        );
        for action in ["vehicle.view", "vehicle.list"] {
            assert!(
                events(&t, action).await.iter().any(|e| e["record_ids"]
                    .as_array()
                    .is_some_and(|ids| ids.contains(&json!(id)))),
                "[{backend}] {action}"
            );
        }
        t
    })
    .await;
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let gm = t.login("gm01").await;
        let before = total(&t, &gm).await;
        let good = fresh_vin(2);
        let wrong_digit = wrong_check_digit(&good);
        let cases = [
            (json!({"vin": wrong_digit, "model": "别克 GL8", "list_price": 1}), vec![("vin", "invalid_vin")]),
            (json!({"vin": &good[..16], "model": "别克 GL8", "list_price": 1}), vec![("vin", "invalid_vin")]),
            (json!({"vin": good, "model": "别克 GL8", "list_price": -1}), vec![("list_price", "invalid_amount")]),
            (json!({"vin": good, "model": "别克 GL8", "list_price": 1.234}), vec![("list_price", "wrong_type")]),
            (json!({"vin": good, "model": "别克 GL8", "list_price": "abc"}), vec![("list_price", "wrong_type")]),
            (
                json!({"vin": "X", "model": "", "list_price": 20_000_000_000_i64, "status": "sold"}),
                vec![
                    ("vin", "invalid_vin"),
                    ("model", "required"),
                    ("list_price", "invalid_amount"),
                    ("status", "not_allowed_now"),
                ],
            ),
            (json!({"vin": good, "model": "白".repeat(61), "list_price": 1}), vec![("model", "too_long")]),
        ];
        for (body, expected) in cases {
            let (status, json) = create(&t, &gm, body.clone()).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}] {body}: {json}");
            assert_eq!(json["error"]["code"], "invalid_input", "[{backend}]");
            let expected: Vec<(String, String)> = expected
                .iter()
                .map(|(f, r)| ((*f).to_string(), (*r).to_string()))
                .collect();
            assert_eq!(refused(&json), expected, "[{backend}] {body}");
        }
        assert_eq!(total(&t, &gm).await, before, "[{backend}] nothing written");

        // A move the status does not allow: 422 naming the status, nothing changed.
        let (_, list, _) = t.get("/api/v1/vehicles?status=in_stock&per_page=1", Some(&gm)).await;
        let vehicle = list["items"][0].clone();
        let path = format!("/api/v1/vehicles/{}", vehicle["id"].as_str().expect("id"));
        let (status, json, _) = t
            .patch(&path, Some(&gm), json!({"status": "sold", "location": "C区-99"}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}] {json}");
        assert_eq!(refused(&json), [("status".to_string(), "not_allowed_now".to_string())]);
        let (_, after, _) = t.get(&path, Some(&gm)).await;
        for field in ["status", "location", "updated_at"] {
            assert_eq!(after[field], vehicle[field], "[{backend}] {field} unchanged");
        }
        let failed = events(&t, "vehicle.edit").await;
        assert!(
            failed.iter().any(|e| e["outcome"] == "failed" && e["fields"] == json!(["status"])),
            "[{backend}] the refused move is recorded"
        );
        // A vehicle keeps its VIN; a page of nonsense is refused, not a 500.
        let (status, json, _) = t.patch(&path, Some(&gm), json!({"vin": good})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{backend}] {json}");
        let (status, _, _) = t.get("/api/v1/vehicles?status=lost&sort=x", Some(&gm)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}]");
        t
    })
    .await;
}

#[tokio::test]
async fn a_duplicate_vin_is_a_conflict_and_another_stores_vehicle_is_missing() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let gm = t.login("gm01").await;
        let body = json!({"vin": fresh_vin(3), "model": "丰田 凯美瑞", "list_price": 17_980_000});
        let (status, first) = create(&t, &gm, body.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "[{backend}] {first}");
        let before = total(&t, &gm).await;
        let (status, json) = create(&t, &gm, body).await;
        assert_eq!(status, StatusCode::CONFLICT, "[{backend}] {json}");
        assert_eq!(json["error"]["code"], "vehicle_exists", "[{backend}]");
        assert_eq!(total(&t, &gm).await, before, "[{backend}]");

        // SH02's consultant: SH01's vehicle answers exactly like no vehicle at all.
        let other = t.login("sales11").await;
        let id = first["id"].as_str().expect("id");
        let (_, list, _) = t.get("/api/v1/vehicles?per_page=100", Some(&other)).await;
        assert_eq!(
            list["total"], VEHICLES_PER_STORE,
            "[{backend}] own store only"
        );
        assert!(
            list["items"]
                .as_array()
                .expect("items")
                .iter()
                .all(|v| v["store_code"] == "SH02"),
            "[{backend}]"
        );
        let (s1, _, out_of_scope) = t.get(&format!("/api/v1/vehicles/{id}"), Some(&other)).await;
        let (s2, _, missing) = t
            .get(&format!("/api/v1/vehicles/{MISSING_ID}"), Some(&other))
            .await;
        let (s3, _, garbage) = t.get("/api/v1/vehicles/not-an-id", Some(&other)).await;
        assert_eq!(
            (s1, s2, s3),
            (
                StatusCode::NOT_FOUND,
                StatusCode::NOT_FOUND,
                StatusCode::NOT_FOUND
            )
        );
        assert_eq!(out_of_scope, missing, "[{backend}]");
        assert_eq!(out_of_scope, garbage, "[{backend}]");
        // The same for a write by someone who could edit in their own store.
        let finance = t.login("finance01").await;
        let (_, sh02, _) = t.get("/api/v1/vehicles?per_page=1", Some(&other)).await;
        let theirs = sh02["items"][0]["id"].as_str().expect("id");
        let (status, _, body) = t
            .patch(
                &format!("/api/v1/vehicles/{theirs}"),
                Some(&finance),
                json!({"cost_price": 1}),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "[{backend}]");
        assert_eq!(body, missing, "[{backend}]");
        t
    })
    .await;
}

#[tokio::test]
async fn the_stock_age_report_counts_every_bucket() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let gm = t.login("gm01").await;
        let (status, report, _) = t.get("/api/v1/reports/stock-age", Some(&gm)).await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {report}");
        let counts: Vec<u64> = report["counts"]
            .as_array()
            .expect("counts")
            .iter()
            .map(|n| n.as_u64().expect("a count"))
            .collect();
        assert!(counts.iter().all(|n| *n > 0), "[{backend}] {report}");
        let (_, on_lot_a, _) = t
            .get("/api/v1/vehicles?status=in_stock&per_page=1", Some(&gm))
            .await;
        let (_, on_lot_b, _) = t
            .get("/api/v1/vehicles?status=reserved&per_page=1", Some(&gm))
            .await;
        let on_lot = on_lot_a["total"].as_u64().unwrap_or_default()
            + on_lot_b["total"].as_u64().unwrap_or_default();
        assert_eq!(
            counts.iter().sum::<u64>(),
            on_lot,
            "[{backend}] in stock and reserved"
        );
        assert!(
            !report.to_string().contains("LSV"),
            "[{backend}] no VIN in a report"
        );
        for who in ["admin", "auditor", "service01"] {
            let token = t.login(who).await;
            let (status, _, _) = t.get("/api/v1/reports/stock-age", Some(&token)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "[{backend}] {who}");
        }
        t
    })
    .await;
}

async fn signed_in<'a>(t: &'a TestApp, username: &str) -> Browser<'a> {
    let mut b = t.browser();
    b.login(username).await;
    b
}

#[tokio::test]
async fn the_pages_list_create_edit_and_move_with_their_errors_beside_the_fields() {
    on_every_backend(|t| async move {
        let backend = t.backend();
        let mut gm = signed_in(&t, "gm01").await;
        let home = gm.get("/").await;
        assert!(
            home.body.contains("href=\"/vehicles\""),
            "[{backend}] nav and card"
        );
        let list = gm.get("/vehicles?status=in_stock").await;
        assert_eq!(list.status, StatusCode::OK, "[{backend}]");
        assert!(list.body.contains("¥"), "[{backend}] amounts in yuan");
        assert!(
            list.body.contains("badge-danger"),
            "[{backend}] a vehicle over 90 days"
        );
        let bad_search = gm.get("/vehicles?vin=1%25").await;
        assert_eq!(
            bad_search.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{backend}]"
        );
        assert!(bad_search.body.contains("field-error"), "[{backend}]");

        // A refused form keeps what was typed and says why beside the field.
        let form = gm.get("/vehicles/new").await;
        assert_eq!(form.status, StatusCode::OK, "[{backend}]");
        let csrf = form.csrf();
        let vin = fresh_vin(4);
        let refused = gm
            .post(
                "/vehicles/new",
                &[
                    ("csrf", &csrf),
                    ("vin", &wrong_check_digit(&vin)),
                    ("status", "in_stock"),
                    ("model", "大众 途观L"),
                    ("list_price", "22.999"),
                ],
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{backend}]"
        );
        assert!(
            refused.body.contains("value=\"大众 途观L\""),
            "[{backend}] typed value kept"
        );
        assert!(
            refused.body.contains("f-vin-error") && refused.body.contains("f-list_price-error"),
            "[{backend}]"
        );
        let created = gm
            .post(
                "/vehicles/new",
                &[
                    ("csrf", &csrf),
                    ("vin", &vin),
                    ("status", "in_stock"),
                    ("model", "大众 途观L"),
                    ("list_price", "229,800"),
                ],
            )
            .await;
        assert_eq!(
            created.status,
            StatusCode::SEE_OTHER,
            "[{backend}] {}",
            created.body
        );
        let path = created
            .location()
            .split('?')
            .next()
            .unwrap_or_default()
            .to_string();
        let detail = gm.get(created.location()).await;
        assert!(detail.body.contains("¥229,800.00"), "[{backend}]");
        assert!(
            detail.body.contains(&format!("action=\"{path}/status\"")),
            "[{backend}] moves"
        );

        // Edit: only changes are sent; a bad amount comes back beside its field.
        let edit = gm.get(&format!("{path}/edit")).await;
        assert_eq!(edit.status, StatusCode::OK, "[{backend}]");
        let csrf = edit.csrf();
        let bad = gm
            .post(
                &format!("{path}/edit"),
                &[
                    ("csrf", &csrf),
                    ("list_price", "-5"),
                    ("orig_list_price", "229,800.00"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "[{backend}]");
        assert!(bad.body.contains("value=\"-5\""), "[{backend}]");
        let saved = gm
            .post(
                &format!("{path}/edit"),
                &[
                    ("csrf", &csrf),
                    ("location", "A区-88"),
                    ("orig_location", ""),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "[{backend}]");

        // Status buttons: an allowed move, a refused one, and one without the token.
        let moved = gm
            .post(
                &format!("{path}/status"),
                &[("csrf", &csrf), ("to", "reserved")],
            )
            .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "[{backend}]");
        let refused = gm
            .post(
                &format!("{path}/status"),
                &[("csrf", &csrf), ("to", "delivered")],
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{backend}]"
        );
        assert!(refused.body.contains("alert-error"), "[{backend}]");
        let forged = gm.post(&format!("{path}/status"), &[("to", "sold")]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "[{backend}]");
        let forged = gm
            .post(
                "/vehicles/new",
                &[("vin", &fresh_vin(5)), ("model", "x"), ("list_price", "1")],
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "[{backend}]");
        let (_, json, _) = t
            .get(&format!("/api/v1{path}"), Some(&t.login("gm01").await))
            .await;
        assert_eq!(json["status"], "reserved", "[{backend}]");

        let report = gm.get("/reports/stock-age").await;
        assert_eq!(report.status, StatusCode::OK, "[{backend}]");
        assert!(
            report.body.contains("<rect") && report.body.contains("width=\""),
            "[{backend}]"
        );
        let mut sales = signed_in(&t, "sales01").await;
        assert_eq!(
            sales.get(&format!("{path}/edit")).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            sales.get("/vehicles/new").await.status,
            StatusCode::FORBIDDEN
        );
        t
    })
    .await;
}
