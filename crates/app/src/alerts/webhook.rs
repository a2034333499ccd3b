//! Delivering alerts to a webhook: a JSON body signed with HMAC-SHA256, queued in the
//! `alert_deliveries` outbox in the transaction that raised the alert, and retried with
//! exponential backoff until it is accepted (the loop is in `delivery`, shared with
//! e-mail).
//!
//! Signature: `X-DealerVault-Timestamp: <unix ms>` and
//! `X-DealerVault-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`.
//! A receiver recomputes it over the raw body and rejects old timestamps (replays).

use dealervault_store::AlertRow;
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use std::time::Duration;

pub const TIMESTAMP_HEADER: &str = "X-DealerVault-Timestamp";
pub const SIGNATURE_HEADER: &str = "X-DealerVault-Signature";

/// Attempts before a delivery is given up (the last error stays for the administrator).
pub const MAX_ATTEMPTS: i64 = 12;
const FIRST_RETRY_MS: i64 = 5_000;
const LONGEST_RETRY_MS: i64 = 3_600_000;
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

/// The body a webhook receives.
#[derive(Debug, Clone, Serialize)]
pub struct WebhookPayload {
    pub id: String,
    pub kind: String,
    pub severity: String,
    /// The username the alert is about.
    pub subject: String,
    /// Its store code; null for group-level staff.
    pub store: Option<String>,
    pub created_at: i64,
    pub summary: PayloadSummary,
}

#[derive(Debug, Clone, Serialize)]
pub struct PayloadSummary {
    pub count: i64,
    pub threshold: i64,
    pub window_secs: i64,
    pub action_taken: String,
}

impl WebhookPayload {
    pub fn of(alert: &AlertRow, store_code: Option<String>) -> Self {
        Self {
            id: alert.id.clone(),
            kind: alert.kind.clone(),
            severity: alert.severity.clone(),
            subject: alert.subject_username.clone(),
            store: store_code,
            created_at: alert.created_at,
            summary: PayloadSummary {
                count: alert.event_count,
                threshold: alert.threshold,
                window_secs: alert.window_secs,
                action_taken: alert.action_taken.clone(),
            },
        }
    }
}

/// `sha256=<hex>` of HMAC-SHA256 under `secret` over `timestamp.body`.
pub fn signature(secret: &[u8], timestamp: &str, body: &[u8]) -> String {
    // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
    let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(secret) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Delay before attempt `attempts + 1`: 5 s, 10 s, 20 s ... at most an hour.
pub fn backoff_ms(attempts: i64) -> i64 {
    let shift = attempts.clamp(0, 20) as u32;
    FIRST_RETRY_MS
        .saturating_mul(1_i64 << shift)
        .min(LONGEST_RETRY_MS)
}

/// Posts one signed body; the error is a short description without the body.
pub(crate) fn post(url: &str, secret: &str, timestamp: &str, body: &[u8]) -> Result<(), String> {
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(HTTP_TIMEOUT))
        .http_status_as_error(false)
        .build()
        .new_agent();
    let response = agent
        .post(url)
        .header("Content-Type", "application/json")
        .header(TIMESTAMP_HEADER, timestamp)
        .header(
            SIGNATURE_HEADER,
            &signature(secret.as_bytes(), timestamp, body),
        )
        .send(body)
        .map_err(|e| format!("{e}"))?;
    let status = response.status();
    if status.is_success() {
        Ok(())
    } else {
        Err(format!("HTTP {}", status.as_u16()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_over_timestamp_dot_body() {
        // Computed independently (Python's hmac module) over `1767592980000.{"id":"x"}`.
        assert_eq!(
            signature(b"Jefe", "1767592980000", br#"{"id":"x"}"#),
            "sha256=9b9df3e1ab0dc0bd817e00e57ff05c845769eb5dda2f9671944aa8d3c37a3889",
        );
        let a = signature(b"0123456789abcdef", "1767592980000", b"{}");
        assert!(a.starts_with("sha256=") && a.len() == 7 + 64);
        assert_ne!(a, signature(b"0123456789abcdeX", "1767592980000", b"{}"));
        assert_ne!(a, signature(b"0123456789abcdef", "1767592980001", b"{}"));
    }

    #[test]
    fn https_urls_are_spoken_to_in_tls() {
        use std::io::Read;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let first = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().expect("a connection");
            let mut byte = [0u8; 1];
            stream.read_exact(&mut byte).map(|()| byte[0]).unwrap_or(0)
        });
        // The handshake fails (the listener speaks no TLS); what matters is how it began.
        let _ = post(
            &format!("https://127.0.0.1:{port}/hook"),
            "0123456789abcdef",
            "1",
            b"{}",
        );
        // 0x16: a TLS handshake record, not the `P` of a plain `POST`.
        assert_eq!(first.join().expect("listener"), 0x16);
    }

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(backoff_ms(0), 5_000);
        assert_eq!(backoff_ms(1), 10_000);
        assert_eq!(backoff_ms(3), 40_000);
        assert_eq!(backoff_ms(30), 3_600_000);
    }
}
