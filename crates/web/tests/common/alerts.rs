//! Helpers of the alert suites: more customers for one person, synthetic audit events
//! (for actions no use case produces yet, such as exports), a tiny webhook receiver, and
//! the alert lists of the readers.

use super::TestApp;
use dealervault_app::audit_trail::append_all;
use dealervault_audit::{AuditEvent, Outcome};
use dealervault_domain::customer::CustomerRecord;
use dealervault_domain::ids::CustomerId;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// Gives `owner` `count` more customers (fresh mobiles from `first` on).
pub async fn add_customers(t: &TestApp, owner: &str, first: u64, count: u64) {
    let owner_id = t.org.user(owner).expect("a demo account").clone();
    let (_, store_id, store_code) = t
        .org
        .owners
        .iter()
        .find(|(id, _, _)| *id == owner_id)
        .expect("a salesperson")
        .clone();
    let now = t.app.clock().now_ms();
    let rows = (first..first + count)
        .map(|n| {
            let c = t.fresh_customer(n);
            let r = CustomerRecord {
                id: CustomerId::generate(),
                store_id: store_id.clone(),
                store_code: store_code.clone(),
                owner_id: owner_id.clone(),
                name: c.name,
                mobile: c.mobile,
                id_number: Some(c.id_number),
                email: c.email,
                address: Some(c.address),
                wechat: c.wechat,
                birth_date: Some(c.birth_date),
                gender: c.gender.to_string(),
                source: c.source.to_string(),
                notes: c.notes,
                created_at: now,
                updated_at: now,
            };
            t.app.vault().seal_new(&r).expect("seal")
        })
        .collect::<Vec<_>>();
    let mut tx = t.app.store().write().await.expect("write");
    tx.insert_customers(&rows).await.expect("insert");
    tx.commit().await.expect("commit");
}

/// Appends an event as a use case would (same chain), for actions that no use case
/// produces yet.
pub async fn append_event(
    t: &TestApp,
    username: &str,
    action: &str,
    record_ids: Vec<String>,
    at: i64,
    client_addr: Option<&str>,
) {
    let event = AuditEvent {
        at,
        actor_id: Some(t.user_id(username)),
        actor_username: Some(username.to_string()),
        action: action.to_string(),
        entity: "customer".into(),
        record_ids,
        fields: vec![],
        reason: None,
        outcome: Outcome::Allowed,
        client_addr: client_addr.map(str::to_string),
    };
    let mut tx = t.app.store().write().await.expect("write");
    append_all(&mut tx, vec![event]).await.expect("append");
    tx.commit().await.expect("commit");
}

/// One request the webhook receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub timestamp: String,
    pub signature: String,
    pub body: Vec<u8>,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// A webhook receiver on 127.0.0.1 answering the given statuses in turn (then 200),
/// for a bounded number of requests; each request is sent down the channel.
pub fn webhook_receiver(statuses: Vec<u16>, max: usize) -> (String, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    let (send, recv) = mpsc::channel();
    thread::spawn(move || {
        for (i, stream) in listener.incoming().take(max).enumerate() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut headers = vec![];
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                let line = line.trim_end().to_string();
                if line.is_empty() {
                    break;
                }
                headers.push(line);
            }
            let header = |name: &str| {
                headers
                    .iter()
                    .find_map(|h| {
                        let (k, v) = h.split_once(':')?;
                        k.trim()
                            .eq_ignore_ascii_case(name)
                            .then(|| v.trim().to_string())
                    })
                    .unwrap_or_default()
            };
            let len: usize = header("content-length").parse().unwrap_or(0);
            let mut body = vec![0; len];
            let _ = reader.read_exact(&mut body);
            let status = statuses.get(i).copied().unwrap_or(200);
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = send.send(Received {
                timestamp: header("x-dealervault-timestamp"),
                signature: header("x-dealervault-signature"),
                body,
            });
        }
    });
    (url, recv)
}

/// `sha256=<hex>` computed here, independently of the server's code.
pub fn expected_signature(secret: &str, timestamp: &str, body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// The alerts `token` may read.
pub async fn alerts_of(t: &TestApp, token: &str) -> Vec<Value> {
    let (status, json, _) = t.get("/api/v1/alerts", Some(token)).await;
    assert_eq!(status, 200, "[{}] {json}", t.backend());
    json["items"].as_array().cloned().unwrap_or_default()
}

/// The alerts of `kind` about `username` among `alerts`.
pub fn about<'a>(alerts: &'a [Value], kind: &str, username: &str) -> Vec<&'a Value> {
    alerts
        .iter()
        .filter(|a| a["kind"] == kind && a["subject"]["username"] == username)
        .collect()
}

/// Changes one rule through the administrator's API.
pub async fn set_rule(t: &TestApp, admin: &str, rule: Value) {
    let (status, json, _) = t
        .with_json_put(
            "/api/v1/alert-rules",
            Some(admin),
            json!({ "items": [rule] }),
        )
        .await;
    assert_eq!(status, 200, "[{}] {json}", t.backend());
}

/// Plants a honeytoken through the administrator's API and returns its customer id.
pub async fn plant(t: &TestApp, admin: &str, store: &str, owner: &str) -> String {
    let (status, json, _) = t
        .post(
            "/api/v1/honeytokens",
            Some(admin),
            json!({"store": store, "owner": owner}),
        )
        .await;
    assert_eq!(status, 201, "[{}] {json}", t.backend());
    json["customer_id"].as_str().expect("an id").to_string()
}
