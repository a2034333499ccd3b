//! Blind-index keys rotate by rebuilding: every index is computed again under the next
//! version, and exact search and duplicate detection keep working across the switch.

mod common;

use axum::http::StatusCode;
use common::on_every_backend;
use dealervault_domain::ids::CustomerId;
use serde_json::json;

/// The blind indexes stored for a customer.
async fn stored(t: &common::TestApp, id: &str) -> (Vec<u8>, Option<Vec<u8>>) {
    let id = CustomerId::parse(id).expect("id");
    let mut tx = t.app.store().read().await.expect("read");
    let c = tx
        .sealed_customer_unscoped(&id)
        .await
        .expect("query")
        .expect("row");
    (c.mobile_index, c.id_number_index)
}

#[tokio::test]
async fn a_rebuild_rekeys_every_index_and_search_still_finds() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let token = t.login("sales01").await;
        let first = t.first_customer(&token).await;
        let id = first["id"].as_str().expect("id").to_string();
        let reveal = |field: &'static str| {
            let (t, token, id) = (&t, &token, &id);
            async move {
                let body = json!({"field": field, "reason": "核对"});
                let (_, v, _) = t
                    .post(&format!("/api/v1/customers/{id}/reveal"), Some(token), body)
                    .await;
                v["value"].as_str().expect("value").to_string()
            }
        };
        let (mobile, id_number) = (reveal("mobile").await, reveal("id_number").await);
        let before = stored(&t, &id).await;

        let version = t
            .app
            .rebuild_blind_indexes(|_, _| {})
            .await
            .expect("rebuild");
        assert_eq!(version, 2, "[{b}]");
        let after = stored(&t, &id).await;
        assert_ne!(
            before.0, after.0,
            "[{b}] the mobile index is under new keys"
        );
        assert_ne!(
            before.1, after.1,
            "[{b}] the ID number index is under new keys"
        );

        for (field, value) in [("mobile", &mobile), ("id_number", &id_number)] {
            let (status, found, _) = t
                .get(&format!("/api/v1/customers?{field}={value}"), Some(&token))
                .await;
            assert_eq!(status, StatusCode::OK, "[{b}] {found}");
            assert_eq!(
                found["items"][0]["id"],
                id.as_str(),
                "[{b}] {field} search after the rebuild"
            );
        }
        let (status, json, _) = t
            .post(
                "/api/v1/customers",
                Some(&token),
                json!({"name": "重复", "mobile": mobile}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::CONFLICT,
            "[{b}] duplicates are still caught: {json}"
        );
        t
    })
    .await;
}
