//! Leads under the key operations, on every backend: a KEK rotation rewraps their data
//! keys, a blind-index rebuild re-indexes their mobiles with the customers', and erasing a
//! customer crypto-erases the person's leads: converted into it, or with its mobile in any store.

mod common;

use axum::http::StatusCode;
use common::{assert_error_shape, on_every_backend, TestApp};
use dealervault_domain::ids::{CustomerId, LeadId};
use dealervault_store::DataKeyTable;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

/// Lead `n`'s personal values besides its name: mobile, WeChat, notes, and the notes of
/// the visit logged on it. Each lead's are its own, so an answer can be searched for them.
fn personal(t: &TestApp, n: u64) -> [String; 4] {
    [
        t.fresh_customer(n).mobile,
        format!("lin_weekend_{n}"),
        format!("周末带家人来看途观L（{n}）"),
        format!("试驾后想要白色（{n}）"),
    ]
}

/// Lead `n` with every personal field, for a fresh mobile.
fn lead_input(t: &TestApp, n: u64) -> Value {
    let [mobile, wechat, notes, _] = personal(t, n);
    json!({
        "name": "林先生",
        "mobile": mobile,
        "wechat": wechat,
        "source": "autohome",
        "notes": notes,
    })
}

/// The visit logged on lead `n`.
fn visit(t: &TestApp, n: u64) -> Value {
    let [_, _, _, notes] = personal(t, n);
    json!({"kind": "visit", "done": true, "notes": notes})
}

/// Creates a lead for the caller and logs `visit` on it; returns the lead's id.
async fn lead_with_follow_up(t: &TestApp, token: &str, body: Value, visit: Value) -> String {
    let b = t.backend();
    let (status, lead, _) = t.post("/api/v1/leads?assign=me", Some(token), body).await;
    assert_eq!(status, StatusCode::CREATED, "[{b}] {lead}");
    let id = lead["id"].as_str().expect("id").to_string();
    let (status, json, _) = t
        .post(
            &format!("/api/v1/leads/{id}/follow-ups"),
            Some(token),
            visit,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "[{b}] {json}");
    id
}

async fn lead_detail(t: &TestApp, token: &str, id: &str) -> (StatusCode, Value) {
    let (status, json, _) = t.get(&format!("/api/v1/leads/{id}"), Some(token)).await;
    (status, json)
}

/// The mobile of the first customer the caller lists, revealed.
async fn first_customer_mobile(t: &TestApp, token: &str) -> (String, String) {
    let customer = t.first_customer(token).await;
    let id = customer["id"].as_str().expect("id").to_string();
    let (status, json, _) = t
        .post(
            &format!("/api/v1/customers/{id}/reveal"),
            Some(token),
            json!({"field": "mobile", "reason": "核对线索"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "[{}] {json}", t.backend());
    (id, json["value"].as_str().expect("mobile").to_string())
}

async fn stored_mobile_index(t: &TestApp, id: &str) -> Vec<u8> {
    let id = LeadId::parse(id).expect("lead id");
    let mut tx = t.app.store().read().await.expect("read");
    tx.lead_unscoped(&id)
        .await
        .expect("query")
        .expect("the row stays")
        .mobile_index
}

/// Lead keys per KEK version.
async fn lead_keys(t: &TestApp) -> BTreeMap<u32, u64> {
    let status = t.app.key_status().await.expect("key status");
    status
        .data_keys
        .iter()
        .filter_map(|(v, tables)| tables.get(&DataKeyTable::Leads).map(|n| (*v, *n)))
        .collect()
}

#[tokio::test]
async fn a_rotation_rewraps_lead_keys_before_the_old_kek_is_destroyed() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let sales01 = t.login("sales01").await;
        let id = lead_with_follow_up(&t, &sales01, lead_input(&t, 1), visit(&t, 1)).await;
        assert_eq!(lead_keys(&t).await, BTreeMap::from([(1, 1)]), "[{b}]");

        let seen = Mutex::new(Vec::new());
        let active = t
            .app
            .rotate_keys(Duration::ZERO, |done, total| {
                seen.lock().expect("progress").push((done, total));
            })
            .await
            .expect("rotate");
        assert_eq!(active, 2, "[{b}]");
        let status = t.app.key_status().await.expect("key status");
        assert_eq!(
            status.versions.iter().map(|(v, _)| *v).collect::<Vec<_>>(),
            vec![2],
            "[{b}] the old version is destroyed"
        );
        assert_eq!(
            status.data_keys.keys().copied().collect::<Vec<_>>(),
            vec![2],
            "[{b}] every data key is under the new version: {status:?}"
        );
        assert_eq!(lead_keys(&t).await, BTreeMap::from([(2, 1)]), "[{b}]");
        let customers = status.data_keys[&2][&DataKeyTable::Customers];
        assert_eq!(status.wrapped_under(2), customers + 1, "[{b}]");
        let last = *seen
            .into_inner()
            .expect("progress")
            .last()
            .expect("progress was reported");
        assert_eq!(
            last,
            (customers + 1, customers + 1),
            "[{b}] the lead is counted"
        );

        // Still readable, lead and follow-up, with the old KEK gone.
        let (status, detail) = lead_detail(&t, &sales01, &id).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {detail}");
        let [_, _, notes, visited] = personal(&t, 1);
        assert_eq!(detail["lead"]["name"], "林先生", "[{b}] {detail}");
        assert_eq!(detail["lead"]["notes"], notes.as_str(), "[{b}] {detail}");
        assert_eq!(
            detail["follow_ups"][0]["notes"],
            visited.as_str(),
            "[{b}] {detail}"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn a_blind_index_rebuild_keeps_duplicate_checks_and_conversion_working() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let sales01 = t.login("sales01").await;
        let sales02 = t.login("sales02").await;
        let fresh = lead_input(&t, 2);
        let open = lead_with_follow_up(&t, &sales01, fresh.clone(), visit(&t, 2)).await;
        let (customer, mobile) = first_customer_mobile(&t, &sales01).await;
        let known = lead_with_follow_up(
            &t,
            &sales01,
            json!({"name": "老客户", "mobile": mobile, "source": "walk_in"}),
            json!({"kind": "call", "done": true}),
        )
        .await;
        let before = stored_mobile_index(&t, &open).await;

        let version = t
            .app
            .rebuild_blind_indexes(|_, _| {})
            .await
            .expect("rebuild");
        assert_eq!(version, 2, "[{b}]");
        assert_ne!(
            stored_mobile_index(&t, &open).await,
            before,
            "[{b}] the lead's mobile index is under the new key"
        );

        // The same mobile again, by someone else in the store: still a duplicate.
        let (status, json, _) = t.post("/api/v1/leads", Some(&sales02), fresh).await;
        assert_eq!(status, StatusCode::CONFLICT, "[{b}] {json}");
        assert_eq!(assert_error_shape(b, status, &json), "lead_exists");

        // A lead with the mobile of sales01's own customer still converts into it.
        let (status, json, _) = t
            .post(
                &format!("/api/v1/leads/{known}/convert"),
                Some(&sales01),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        assert_eq!(json["linked_existing"], true, "[{b}] {json}");
        assert_eq!(json["customer_id"], customer.as_str(), "[{b}] {json}");
        t
    })
    .await;
}

#[tokio::test]
async fn erasing_a_customer_erases_the_persons_leads_in_every_store() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let sales01 = t.login("sales01").await;
        let gm = t.login("gm01").await;
        let input = lead_input(&t, 3);
        let erased = lead_with_follow_up(&t, &sales01, input.clone(), visit(&t, 3)).await;
        let kept = lead_with_follow_up(&t, &sales01, lead_input(&t, 4), visit(&t, 4)).await;
        // The same person asked the other store too, and was never converted there.
        let sales11 = t.login("sales11").await;
        let elsewhere = lead_with_follow_up(&t, &sales11, input.clone(), visit(&t, 3)).await;
        let (status, json, _) = t
            .post(
                &format!("/api/v1/leads/{erased}/convert"),
                Some(&sales01),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        let customer = CustomerId::parse(json["customer_id"].as_str().expect("customer"))
            .expect("customer id");

        let leads = t
            .app
            .erase_customer_key(&customer, Duration::ZERO)
            .await
            .expect("erase");
        assert_eq!(
            leads, 2,
            "[{b}] the converted lead and the other store's are erased with the customer"
        );
        assert_eq!(
            lead_keys(&t).await,
            BTreeMap::from([(2, 1)]),
            "[{b}] only the other lead has a key, under the new KEK"
        );

        // The erased lead answers like a missing one, for its owner and the manager, and
        // nothing of it or its follow-up is shown anywhere.
        let mut answers = Vec::new();
        for (token, lead) in [(&sales01, &erased), (&gm, &erased), (&sales11, &elsewhere)] {
            let (status, json) = lead_detail(&t, token, lead).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "[{b}] {json}");
            assert_eq!(assert_error_shape(b, status, &json), "not_found");
            answers.push(json);
        }
        let (status, list, _) = t.get("/api/v1/leads", Some(&sales01)).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {list}");
        let listed: Vec<&str> = list["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|l| l["id"].as_str().expect("id"))
            .collect();
        assert!(!listed.contains(&erased.as_str()), "[{b}] {list}");
        assert!(listed.contains(&kept.as_str()), "[{b}] {list}");
        answers.push(list);
        let (status, follow_ups, _) = t.get("/api/v1/follow-ups?when=done", Some(&sales01)).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {follow_ups}");
        let of_lead = |lead: &str| {
            follow_ups
                .as_array()
                .expect("follow-ups")
                .iter()
                .filter(|f| f["lead_id"] == lead)
                .count()
        };
        assert_eq!(of_lead(&erased), 0, "[{b}] {follow_ups}");
        assert_eq!(of_lead(&kept), 1, "[{b}] {follow_ups}");
        answers.push(follow_ups);
        for answer in &answers {
            let text = answer.to_string();
            for value in personal(&t, 3) {
                assert!(!text.contains(&value), "[{b}] shows {value}: {text}");
            }
        }

        // Its mobile index matches nothing: the person may come in as a new lead.
        let (status, json, _) = t.post("/api/v1/leads", Some(&sales01), input).await;
        assert_eq!(
            status,
            StatusCode::CREATED,
            "[{b}] the erased mobile is refused: {json}"
        );
        t
    })
    .await;
}
