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

/// One mail the fake SMTP server accepted: the envelope and the raw message.
#[derive(Debug, Clone)]
pub struct SmtpMail {
    pub from: String,
    pub recipients: Vec<String>,
    pub data: String,
}

impl SmtpMail {
    /// The header block, continuation lines unfolded.
    fn headers(&self) -> Vec<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or_default();
        let mut lines: Vec<String> = vec![];
        for line in head.split("\r\n") {
            match lines.last_mut() {
                Some(last) if line.starts_with([' ', '\t']) => last.push_str(line),
                _ => lines.push(line.to_string()),
            }
        }
        lines
    }

    fn header(&self, name: &str) -> Option<String> {
        self.headers().into_iter().find_map(|h| {
            let (k, v) = h.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }

    /// The subject, RFC 2047 words (UTF-8, B or Q) decoded.
    pub fn subject(&self) -> String {
        decode_words(&self.header("subject").unwrap_or_default())
    }

    /// The body, base64 transfer encoding undone.
    pub fn body(&self) -> String {
        let body = self.data.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        let encoding = self
            .header("content-transfer-encoding")
            .unwrap_or_default()
            .to_ascii_lowercase();
        if encoding == "base64" {
            let joined: String = body.chars().filter(|c| !c.is_whitespace()).collect();
            String::from_utf8_lossy(&base64_decode(&joined)).into_owned()
        } else {
            body.to_string()
        }
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = vec![];
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes().take_while(|c| *c != b'=') {
        let Some(v) = ALPHABET.iter().position(|a| *a == c) else {
            continue;
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// Decodes `=?utf-8?b?...?=` and `=?utf-8?q?...?=` words; the white space between two
/// encoded words goes.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut last_encoded = false;
    for (i, token) in value.split(' ').enumerate() {
        let parts: Vec<&str> = token.split('?').collect();
        let encoded = parts.len() == 5 && parts[0] == "=" && parts[4] == "=";
        if i > 0 && !(encoded && last_encoded) {
            out.push(' ');
        }
        if encoded {
            let bytes = if parts[2].eq_ignore_ascii_case("b") {
                base64_decode(parts[3])
            } else {
                let mut bytes = vec![];
                let raw = parts[3].as_bytes();
                let mut j = 0;
                while j < raw.len() {
                    match raw[j] {
                        b'_' => bytes.push(b' '),
                        b'=' if j + 2 < raw.len() => {
                            let hex = std::str::from_utf8(&raw[j + 1..j + 3]).unwrap_or_default();
                            bytes.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                            j += 2;
                        }
                        b => bytes.push(b),
                    }
                    j += 1;
                }
                bytes
            };
            out.push_str(&String::from_utf8_lossy(&bytes));
        } else {
            out.push_str(token);
        }
        last_encoded = encoded;
    }
    out
}

/// A minimal SMTP server on 127.0.0.1 (no TLS, no AUTH) for a bounded number of
/// sessions: the first `refuse_first` sessions answer `MAIL` with a temporary failure
/// (451), the others accept. Each accepted mail is sent down the channel.
pub fn smtp_server(refuse_first: usize, max: usize) -> (u16, mpsc::Receiver<SmtpMail>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (send, recv) = mpsc::channel();
    thread::spawn(move || {
        for (i, stream) in listener.incoming().take(max).enumerate() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let refuse = i < refuse_first;
            let _ = stream.write_all(b"220 fake.test ESMTP\r\n");
            let (mut from, mut recipients, mut data) = (String::new(), vec![], String::new());
            let mut in_data = false;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                if in_data {
                    if line == ".\r\n" {
                        in_data = false;
                        let _ = send.send(SmtpMail {
                            from: from.clone(),
                            recipients: recipients.clone(),
                            data: std::mem::take(&mut data),
                        });
                        let _ = stream.write_all(b"250 2.0.0 queued\r\n");
                    } else {
                        data.push_str(line.strip_prefix('.').unwrap_or(&line));
                    }
                    continue;
                }
                let upper = line.to_ascii_uppercase();
                let arg = |l: &str| {
                    l.split_once(':')
                        .map(|(_, a)| a.trim().trim_start_matches('<'))
                        .and_then(|a| a.split('>').next())
                        .unwrap_or_default()
                        .to_string()
                };
                let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                    b"250 fake.test\r\n"
                } else if upper.starts_with("MAIL") {
                    if refuse {
                        b"451 4.3.0 try again later\r\n"
                    } else {
                        from = arg(&line);
                        b"250 2.1.0 ok\r\n"
                    }
                } else if upper.starts_with("RCPT") {
                    recipients.push(arg(&line));
                    b"250 2.1.5 ok\r\n"
                } else if upper.starts_with("DATA") {
                    in_data = true;
                    b"354 end with <CRLF>.<CRLF>\r\n"
                } else if upper.starts_with("QUIT") {
                    let _ = stream.write_all(b"221 2.0.0 bye\r\n");
                    break;
                } else if upper.starts_with("RSET") || upper.starts_with("NOOP") {
                    b"250 2.0.0 ok\r\n"
                } else {
                    b"500 5.5.2 what\r\n"
                };
                let _ = stream.write_all(reply);
            }
        }
    });
    (port, recv)
}
