//! Exports through the API, on every backend: SH01's chain (the sales manager, then the
//! general manager) with each refusal it knows, rejection and expiry on a manual clock,
//! downloads limited and audited, the notice period, bad requests that store nothing, and
//! leak tracing of the files the exports produced.

mod common;

use axum::http::{Method, StatusCode};
use common::{assert_error_shape, is_masked_mobile, on_every_backend, TestApp};
use dealervault_app::Clock;
use dealervault_exportfile::read_leaked;
use dealervault_store::testing::TestDb;
use serde_json::{json, Value};

fn request_body(fields: &[&str]) -> Value {
    json!({
        "entity": "customers",
        "filter": {},
        "fields": fields,
        "format": "csv",
        "purpose": "季度回访 quarterly calls",
    })
}

async fn request(t: &TestApp, token: &str, body: Value) -> Value {
    let (status, json, _) = t.post("/api/v1/exports", Some(token), body).await;
    assert_eq!(status, StatusCode::CREATED, "[{}] {json}", t.backend());
    json
}

async fn decide(t: &TestApp, token: &str, id: &str, verb: &str) -> (StatusCode, Value) {
    let path = format!("/api/v1/exports/{id}/{verb}");
    let (status, json, _) = t.post(&path, Some(token), json!({"comment": "同意"})).await;
    (status, json)
}

async fn download(t: &TestApp, token: &str, id: &str) -> (StatusCode, Vec<u8>) {
    let path = format!("/api/v1/exports/{id}/download");
    let r = t
        .raw(
            Method::GET,
            &path,
            Some(token),
            None,
            axum::body::Body::empty(),
        )
        .await;
    (r.status, r.body.to_vec())
}

/// `sales01` asks, `salesmgr01` and `gm01` approve: the export's id.
async fn approved_export(t: &TestApp, fields: &[&str]) -> String {
    let sales01 = t.login("sales01").await;
    let id = request(t, &sales01, request_body(fields)).await["id"]
        .as_str()
        .expect("id")
        .to_string();
    for approver in ["salesmgr01", "gm01"] {
        let token = t.login(approver).await;
        let (status, json) = decide(t, &token, &id, "approve").await;
        assert_eq!(status, StatusCode::OK, "[{}] {json}", t.backend());
    }
    id
}

#[tokio::test]
async fn sh01_exports_need_the_sales_manager_then_the_general_manager() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let sales01 = t.login("sales01").await;
        let salesmgr01 = t.login("salesmgr01").await;
        let gm01 = t.login("gm01").await;
        let own = t.customer_total(&sales01).await;
        let created = request(&t, &sales01, request_body(&["name", "mobile"])).await;
        let id = created["id"].as_str().expect("id").to_string();
        assert_eq!(created["status"], "pending", "[{b}] {created}");
        assert_eq!(
            created["row_count"].as_u64(),
            Some(own),
            "[{b}] its own customers"
        );
        let roles: Vec<&str> = created["approvals"]
            .as_array()
            .expect("approvals")
            .iter()
            .map(|a| a["role"].as_str().expect("role"))
            .collect();
        assert_eq!(roles, ["sales_manager", "general_manager"], "[{b}]");

        // Nobody decides their own; the general manager waits for the sales manager.
        let (status, json) = decide(&t, &sales01, &id, "approve").await;
        assert_eq!(assert_error_shape(b, status, &json), "own_request");
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, json) = decide(&t, &gm01, &id, "approve").await;
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("not_the_approver")),
            "[{b}]"
        );
        // Outside the chain the request does not exist.
        for outsider in ["sales02", "sales11", "finance01", "auditor", "admin"] {
            let token = t.login(outsider).await;
            let (status, _, _) = t.get(&format!("/api/v1/exports/{id}"), Some(&token)).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "[{b}] {outsider}");
        }
        // The sales manager is told, and previews masked rows.
        let (_, list, _) = t.get("/api/v1/exports", Some(&salesmgr01)).await;
        assert_eq!(list["awaiting_me"][0]["id"], id.as_str(), "[{b}] {list}");
        let (_, seen, _) = t
            .get(&format!("/api/v1/exports/{id}"), Some(&salesmgr01))
            .await;
        assert_eq!(seen["awaiting_you"], true, "[{b}]");
        let sample = seen["sample"].as_array().expect("sample");
        assert!(!sample.is_empty(), "[{b}] {seen}");
        for row in sample {
            assert!(
                is_masked_mobile(row["mobile"].as_str().expect("mobile")),
                "[{b}] {row}"
            );
            assert!(
                row["name"].as_str().expect("name").contains('*'),
                "[{b}] {row}"
            );
        }

        let (status, json) = decide(&t, &salesmgr01, &id, "approve").await;
        assert_eq!(
            (status, json["status"].as_str()),
            (StatusCode::OK, Some("pending")),
            "[{b}] {json}"
        );
        let (status, json) = decide(&t, &salesmgr01, &id, "approve").await;
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("already_approved")),
            "[{b}]"
        );
        let (_, list, _) = t.get("/api/v1/exports", Some(&gm01)).await;
        assert_eq!(
            list["awaiting_me"][0]["id"],
            id.as_str(),
            "[{b}] the next approver is told"
        );
        let (status, json) = decide(&t, &gm01, &id, "approve").await;
        assert_eq!(
            (status, json["status"].as_str()),
            (StatusCode::OK, Some("approved")),
            "[{b}] {json}"
        );
        let (status, json) = decide(&t, &gm01, &id, "reject").await;
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("export_decided")),
            "[{b}]"
        );

        // Only the requester downloads, three times.
        let (status, _) = download(&t, &gm01, &id).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{b}]");
        let (status, file) = download(&t, &sales01, &id).await;
        assert_eq!(status, StatusCode::OK, "[{b}]");
        assert!(file.starts_with(b"\xEF\xBB\xBF"), "[{b}] a BOM for Excel");
        let read = read_leaked(&file).expect("the file reads back");
        assert_eq!(
            read.export_ids,
            std::slice::from_ref(&id),
            "[{b}] the watermark names the export"
        );
        assert_eq!(read.fingerprints.len(), 1, "[{b}] one fingerprint");
        let text = String::from_utf8_lossy(&file);
        assert!(
            text.contains("机密") && text.contains("王丽 (sales01)"),
            "[{b}] {text}"
        );
        let data: Vec<&Vec<String>> = read.rows.iter().skip(2).filter(|r| r.len() == 2).collect();
        assert_eq!(
            data.len() as u64,
            own,
            "[{b}] every own customer, nobody else's"
        );
        for row in data {
            assert!(
                is_masked_mobile(&row[1]),
                "[{b}] the mobile stays masked: {}",
                row[1]
            );
        }
        let (_, json, _) = t
            .get(&format!("/api/v1/exports/{id}"), Some(&sales01))
            .await;
        assert_eq!(
            (json["status"].as_str(), json["downloads_left"].as_u64()),
            (Some("ready"), Some(2)),
            "[{b}]"
        );
        for _ in 0..2 {
            assert_eq!(download(&t, &sales01, &id).await.0, StatusCode::OK, "[{b}]");
        }
        let (status, _) = download(&t, &sales01, &id).await;
        assert_eq!(status, StatusCode::CONFLICT, "[{b}] downloads used up");
        let (_, json, _) = t
            .get(&format!("/api/v1/exports/{id}"), Some(&sales01))
            .await;
        assert_eq!(json["status"], "downloaded", "[{b}]");

        // Every step is in the audit log: request, approvals, the export itself, downloads.
        let auditor = t.login("auditor").await;
        let (_, log, _) = t.get("/api/v1/audit?per_page=200", Some(&auditor)).await;
        let actions: Vec<&str> = log["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|e| {
                e["record_ids"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|x| x == id.as_str()))
                    || e["action"] == "customer.export"
            })
            .map(|e| e["action"].as_str().unwrap_or_default())
            .collect();
        for action in [
            "export.request",
            "export.approve",
            "customer.export",
            "export.download",
        ] {
            assert!(actions.contains(&action), "[{b}] {action} in {actions:?}");
        }
        t
    })
    .await;
}

#[tokio::test]
async fn a_manager_s_own_export_goes_to_the_general_manager() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let salesmgr01 = t.login("salesmgr01").await;
        let created = request(&t, &salesmgr01, request_body(&[])).await;
        let roles: Vec<&str> = created["approvals"]
            .as_array()
            .expect("approvals")
            .iter()
            .map(|a| a["role"].as_str().expect("role"))
            .collect();
        assert_eq!(roles, ["general_manager"], "[{b}] {created}");
        assert!(
            created["fields"].as_array().is_some_and(|f| f.len() >= 5),
            "[{b}] every exportable field by default"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn rejected_and_expired_requests_give_no_file() {
    for db in TestDb::all().await {
        let clock = Clock::manual(Clock::system().now_ms());
        let t = TestApp::spawn_with_clock(db, clock.clone()).await;
        let b = t.backend();
        let sales01 = t.login("sales01").await;
        let salesmgr01 = t.login("salesmgr01").await;

        let rejected = request(&t, &sales01, request_body(&["name"])).await["id"]
            .as_str()
            .expect("id")
            .to_string();
        let (status, json) = decide(&t, &salesmgr01, &rejected, "reject").await;
        assert_eq!(
            (status, json["status"].as_str()),
            (StatusCode::OK, Some("rejected")),
            "[{b}] {json}"
        );
        assert_eq!(json["approvals"][0]["comment"], "同意", "[{b}]");
        let (status, _) = download(&t, &sales01, &rejected).await;
        assert_eq!(status, StatusCode::CONFLICT, "[{b}]");
        let (status, json) = decide(&t, &salesmgr01, &rejected, "approve").await;
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("export_decided")),
            "[{b}]"
        );

        let late = request(&t, &sales01, request_body(&["name"])).await["id"]
            .as_str()
            .expect("id")
            .to_string();
        clock.advance_ms(72 * 3_600_000);
        let salesmgr01 = t.login("salesmgr01").await;
        let (status, json) = decide(&t, &salesmgr01, &late, "approve").await;
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("export_expired")),
            "[{b}]"
        );
        let sales01 = t.login("sales01").await;
        let (_, json, _) = t
            .get(&format!("/api/v1/exports/{late}"), Some(&sales01))
            .await;
        assert_eq!(
            json["status"], "expired",
            "[{b}] read as expired before the sweep"
        );
        assert!(t.app.expire_exports().await.expect("sweep") >= 1, "[{b}]");
        let mut tx = t.app.store().read().await.expect("read");
        let id = dealervault_domain::ids::ExportId::parse(&late).expect("id");
        let row = tx.export(&id).await.expect("row").expect("kept");
        assert_eq!(row.status, "expired", "[{b}] written by the sweep");
        drop(tx);

        // An approved file not fetched within its window expires and is forgotten.
        let unfetched = approved_export(&t, &["name"]).await;
        clock.advance_ms(24 * 3_600_000);
        t.app.expire_exports().await.expect("sweep");
        let sales01 = t.login("sales01").await;
        let (status, json) = {
            let r = download(&t, &sales01, &unfetched).await;
            (
                r.0,
                serde_json::from_slice::<Value>(&r.1).unwrap_or(Value::Null),
            )
        };
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("export_expired")),
            "[{b}]"
        );
        t.teardown().await;
    }
}

#[tokio::test]
async fn bad_requests_are_refused_by_field_and_store_nothing() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let sales01 = t.login("sales01").await;
        let cases = [
            (json!({"entity": "payroll", "fields": ["name"], "format": "csv", "purpose": "x"}), "entity"),
            (json!({"entity": "customers", "fields": ["salary"], "format": "csv", "purpose": "x"}), "fields"),
            (json!({"entity": "customers", "fields": ["name"], "format": "pdf", "purpose": "x"}), "format"),
            (json!({"entity": "customers", "fields": ["name"], "format": "csv", "purpose": ""}), "purpose"),
            (json!({"entity": "customers", "fields": ["name"], "format": "csv", "purpose": "打给 13812345678"}), "purpose"),
            (json!({"entity": "customers", "fields": ["name"], "format": "csv", "purpose": "x", "filter": {"owner": "nobody"}}), "filter.owner"),
        ];
        for (body, field) in cases {
            let (status, json, _) = t.post("/api/v1/exports", Some(&sales01), body).await;
            assert_eq!(assert_error_shape(b, status, &json), "invalid_input", "[{b}] {field}");
            let named: Vec<&str> = json["error"]["fields"].as_array().expect("fields").iter().map(|f| f["field"].as_str().unwrap_or_default()).collect();
            assert!(named.contains(&field), "[{b}] {field}: {json}");
        }
        let (status, json, _) = t.post("/api/v1/exports", Some(&sales01), json!({"entity": 7})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");
        let (_, list, _) = t.get("/api/v1/exports", Some(&sales01)).await;
        assert_eq!(list["mine"].as_array().map(Vec::len), Some(0), "[{b}] nothing stored");
        for who in ["finance01", "service01", "auditor", "admin"] {
            let token = t.login(who).await;
            let (status, _, _) = t.post("/api/v1/exports", Some(&token), request_body(&["name"])).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] {who} has no export right");
        }
        t
    })
    .await;
}

#[tokio::test]
async fn nobody_exports_in_their_notice_period() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let last_day = (t.app.clock().local_now().date() + time::Duration::days(10)).to_string();
        let sales02 = dealervault_domain::ids::UserId::parse(&t.user_id("sales02")).expect("id");
        let mut tx = t.app.store().write().await.expect("write");
        tx.set_user_leaving_on(&sales02, Some(&last_day))
            .await
            .expect("leaving");
        tx.commit().await.expect("commit");
        let token = t.login("sales02").await;
        let (status, json, _) = t
            .post("/api/v1/exports", Some(&token), request_body(&["name"]))
            .await;
        assert_eq!(
            assert_error_shape(b, status, &json),
            "notice_period",
            "[{b}]"
        );
        assert_eq!(status, StatusCode::FORBIDDEN);
        t
    })
    .await;
}

/// What the auditor's trace answers for `bytes`.
async fn trace(t: &TestApp, bytes: Vec<u8>) -> (StatusCode, Value) {
    let auditor = t.login("auditor").await;
    let r = t
        .raw(
            Method::POST,
            "/api/v1/exports/trace",
            Some(&auditor),
            Some("application/octet-stream"),
            bytes,
        )
        .await;
    (r.status, r.json)
}

/// A plain CSV of `rows` (no watermark, no fingerprint), as someone retyping a file would
/// save it.
fn resaved(rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| {
                c.chars()
                    .filter(|ch| !('\u{2000}'..='\u{206F}').contains(ch))
                    .collect()
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out.into_bytes()
}

#[tokio::test]
async fn the_auditor_traces_a_leaked_file_to_its_export() {
    on_every_backend(|t| async move {
        let b = t.backend();
        // sales01's customers, with a few more so a partial copy has rows to lose.
        let sales01 = t.login("sales01").await;
        for n in 0..12 {
            let p = t.fresh_customer(n);
            let body = json!({"name": p.name, "mobile": p.mobile, "gender": p.gender});
            let (status, json, _) = t.post("/api/v1/customers", Some(&sales01), body).await;
            assert_eq!(status, StatusCode::CREATED, "[{b}] {json}");
        }
        let mut body = request_body(&["name", "mobile", "source"]);
        body["format"] = json!("xlsx");
        let id = request(&t, &sales01, body).await["id"]
            .as_str()
            .expect("id")
            .to_string();
        for approver in ["salesmgr01", "gm01"] {
            let token = t.login(approver).await;
            assert_eq!(
                decide(&t, &token, &id, "approve").await.0,
                StatusCode::OK,
                "[{b}]"
            );
        }
        // An earlier CSV export of the same customers by the same person, to tell apart.
        let other = approved_export(&t, &["name", "mobile"]).await;
        let (status, xlsx) = download(&t, &sales01, &id).await;
        assert_eq!(status, StatusCode::OK, "[{b}]");
        assert!(xlsx.starts_with(b"PK\x03\x04"), "[{b}] an XLSX file");
        assert_eq!(
            download(&t, &sales01, &other).await.0,
            StatusCode::OK,
            "[{b}]"
        );

        let (status, report) = trace(&t, xlsx.clone()).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {report}");
        let best = &report["candidates"][0];
        assert_eq!(best["export_id"], id.as_str(), "[{b}] {report}");
        assert_eq!(best["requested_by"], "sales01", "[{b}]");
        assert!(
            best["confidence"].as_f64().expect("confidence") >= 0.9,
            "[{b}] {report}"
        );

        // Re-saved as CSV without marks, columns dropped (no source), rows shuffled,
        // mobiles retyped with dashes: the content still leads to sales01's exports.
        let read = read_leaked(&xlsx).expect("reads");
        let mut rows: Vec<Vec<String>> = read
            .rows
            .iter()
            .filter(|r| r.len() == 3 && !r[0].contains(&id))
            .skip(1)
            .map(|r| vec![r[0].clone(), r[1].replacen("****", "-****-", 1)])
            .collect();
        rows.reverse();
        let (status, report) = trace(&t, resaved(&rows)).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {report}");
        let found: Vec<&str> = report["candidates"]
            .as_array()
            .expect("candidates")
            .iter()
            .map(|c| c["export_id"].as_str().unwrap_or_default())
            .collect();
        assert!(
            found.contains(&id.as_str()) && found.contains(&other.as_str()),
            "[{b}] {report}"
        );
        assert_eq!(report["candidates"][0]["watermark"], false, "[{b}]");

        // People nobody exported.
        let strangers: Vec<Vec<String>> = (100..130)
            .map(|n| {
                let p = t.fresh_customer(n);
                vec![p.name, p.mobile]
            })
            .collect();
        let (status, report) = trace(&t, resaved(&strangers)).await;
        assert_eq!(
            (status, report["candidates"].as_array().map(Vec::len)),
            (StatusCode::OK, Some(0)),
            "[{b}] {report}"
        );

        // Unreadable files: a clear refusal naming the file.
        for (bytes, rule) in [
            (Vec::new(), "empty_file"),
            (
                b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
                "unsupported_file",
            ),
            (xlsx[..xlsx.len() / 2].to_vec(), "corrupt_file"),
        ] {
            let (status, json) = trace(&t, bytes).await;
            assert_eq!(
                assert_error_shape(b, status, &json),
                "invalid_input",
                "[{b}] {rule}"
            );
            assert_eq!(json["error"]["fields"][0]["field"], "file", "[{b}]");
            assert_eq!(json["error"]["fields"][0]["rule"], rule, "[{b}] {json}");
        }
        let (status, _) = trace(&t, vec![b'a'; 65 * 1024 * 1024]).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "[{b}] a huge file");
        // Only the auditor traces.
        let (status, _, _) = t
            .post("/api/v1/exports/trace", Some(&sales01), json!({}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{b}]");
        t
    })
    .await;
}

#[tokio::test]
async fn exports_feed_the_alert_rules() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let admin = t.login("admin").await;
        common::alerts::set_rule(&t, &admin, json!({"kind": "large_export", "threshold": 3})).await;
        // Three requests within the day (the default rule) is frequent.
        let sales02 = t.login("sales02").await;
        for _ in 0..3 {
            request(&t, &sales02, request_body(&["name"])).await;
        }
        // An export of three rows or more is large once its file is written.
        let id = approved_export(&t, &["name", "mobile"]).await;
        let sales01 = t.login("sales01").await;
        assert_eq!(download(&t, &sales01, &id).await.0, StatusCode::OK, "[{b}]");
        // Someone in a notice period may not export, and what they still do is watched.
        let last_day = (t.app.clock().local_now().date() + time::Duration::days(3)).to_string();
        let sales03 = dealervault_domain::ids::UserId::parse(&t.user_id("sales03")).expect("id");
        let mut tx = t.app.store().write().await.expect("write");
        tx.set_user_leaving_on(&sales03, Some(&last_day))
            .await
            .expect("leaving");
        tx.commit().await.expect("commit");
        let sales03_token = t.login("sales03").await;
        let (status, _, _) = t
            .post(
                "/api/v1/exports",
                Some(&sales03_token),
                request_body(&["name"]),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{b}]");
        let sales03_customers = t.get("/api/v1/customers", Some(&sales03_token)).await.0;
        assert_eq!(sales03_customers, StatusCode::OK, "[{b}]");

        t.app.evaluate_alerts().await.expect("evaluate");
        let auditor = t.login("auditor").await;
        let all = common::alerts::alerts_of(&t, &auditor).await;
        assert_eq!(
            common::alerts::about(&all, "frequent_exports", "sales02").len(),
            1,
            "[{b}] {all:?}"
        );
        assert_eq!(
            common::alerts::about(&all, "frequent_exports", "sales01").len(),
            0,
            "[{b}]"
        );
        assert_eq!(
            common::alerts::about(&all, "large_export", "sales01").len(),
            1,
            "[{b}]"
        );
        assert_eq!(
            common::alerts::about(&all, "notice_period", "sales03").len(),
            1,
            "[{b}]"
        );
        t
    })
    .await;
}
