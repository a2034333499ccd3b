//! Ciphertext is bound to its place: an envelope copied into another customer's row, or
//! into another field of the same row, does not decrypt. The answer is a clear integrity
//! error that carries no data.

mod common;

use axum::http::StatusCode;
use common::on_every_backend;
use serde_json::Value;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// Collects what the app logs during a test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn no_customer_data(body: &Value, names: &[&str]) -> bool {
    let text = body.to_string();
    names.iter().all(|n| !text.contains(n))
}

#[tokio::test]
async fn a_moved_ciphertext_fails_its_integrity_check_and_shows_nothing() {
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _logging = tracing::subscriber::set_default(subscriber);
    let log = &log;
    on_every_backend(|t| async move {
        let b = t.backend();
        let gm = t.login("gm01").await;
        let (_, list, _) = t.get("/api/v1/customers?per_page=3", Some(&gm)).await;
        let ids: Vec<String> = list["items"].as_array().expect("items").iter().map(|c| c["id"].as_str().expect("id").to_string()).collect();
        let names: Vec<String> = list["items"].as_array().expect("items").iter().map(|c| c["name"].as_str().expect("name").to_string()).collect();
        let (victim, donor, shuffled) = (&ids[0], &ids[1], &ids[2]);

        // Another row's envelope, and another field's envelope of the same row.
        let sql = format!(
            "UPDATE customers SET name = (SELECT name FROM customers WHERE id = '{donor}') WHERE id = '{victim}';
             UPDATE customers SET address = name WHERE id = '{shuffled}';"
        );
        let mut tx = t.app.store().write().await.expect("write");
        tx.execute_for_test(&sql).await.expect("move ciphertexts");
        tx.commit().await.expect("commit");

        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        for id in [victim, shuffled] {
            let (status, body, _) = t.get(&format!("/api/v1/customers/{id}"), Some(&gm)).await;
            assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "[{b}] {body}");
            assert_eq!(body["error"]["code"], "integrity_error", "[{b}]");
            assert!(no_customer_data(&body, &names), "[{b}] the error carries no data: {body}");
        }
        // The failure is logged, with the record's id and never its data.
        let logged = String::from_utf8(log.0.lock().expect("log buffer").clone()).expect("utf-8");
        assert!(logged.contains("integrity") && logged.contains(victim.as_str()), "[{b}] not logged: {logged}");
        assert!(no_customer_data(&Value::String(logged), &names), "[{b}] the log carries no data");
        // The donor itself is untouched and still reads.
        let (status, donor_view, _) = t.get(&format!("/api/v1/customers/{donor}"), Some(&gm)).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {donor_view}");
        t
    })
    .await;
}
