//! The delivery loop over the `alert_deliveries` outbox, for every channel: claims due
//! rows with an optimistic lease, sends each on the blocking pool (`ureq` for the
//! webhook, `lettre` for e-mail), and records the outcome, retrying failures with
//! backoff. Rows of a channel that is not configured stay queued.

use super::email::{self, EmailConfig, EMAIL_PASSWORD};
use super::webhook::{backoff_ms, post, WebhookPayload, MAX_ATTEMPTS};
use super::{WEBHOOK_SECRET, WEBHOOK_URL};
use crate::error::AppError;
use crate::App;
use dealervault_store::StoreError;
use secrecy::ExposeSecret;

/// How long one server holds a delivery it is attempting.
const LEASE_MS: i64 = 60_000;
const PER_RUN: u32 = 20;

impl App {
    /// Attempts every due delivery once; returns how many were delivered.
    pub async fn deliver_alerts(&self) -> Result<usize, AppError> {
        let now = self.clock().now_ms();
        let (webhook, mail, due) = {
            let mut tx = self.store().read().await?;
            let webhook = match (
                tx.setting(WEBHOOK_URL).await?,
                tx.setting(WEBHOOK_SECRET).await?,
            ) {
                (Some(url), Some(sealed)) => {
                    let secret = self.vault().open_secret(WEBHOOK_SECRET, &sealed)?;
                    Some((url, secret.expose_secret().to_string()))
                }
                _ => None,
            };
            let mail: Option<(EmailConfig, Option<String>)> =
                match email::configured(&mut tx).await? {
                    Some(config) => {
                        let password = match tx.setting(EMAIL_PASSWORD).await? {
                            Some(sealed) => Some(
                                self.vault()
                                    .open_secret(EMAIL_PASSWORD, &sealed)?
                                    .expose_secret()
                                    .to_string(),
                            ),
                            None => None,
                        };
                        Some((config, password))
                    }
                    None => None,
                };
            let mut channels = vec![];
            if webhook.is_some() {
                channels.push("webhook");
            }
            if mail.is_some() {
                channels.push("email");
            }
            let due = tx.due_deliveries(now, &channels, PER_RUN).await?;
            (webhook, mail, due)
        };
        let mut delivered = 0;
        for d in due {
            let (alert, store_code, display_name) = {
                let mut tx = self.store().write().await?;
                if !tx
                    .claim_delivery(&d.id, d.next_attempt_at, now + LEASE_MS)
                    .await?
                {
                    continue;
                }
                let alert = tx.alert_for_delivery(&d.alert_id).await?;
                let code = match alert.as_ref().and_then(|a| a.store_id.clone()) {
                    Some(id) => tx.store_code(&id).await?,
                    None => None,
                };
                let name = match &alert {
                    Some(a) if d.channel == "email" => tx
                        .user_by_id(&a.subject_user_id)
                        .await?
                        .map(|u| u.display_name),
                    _ => None,
                };
                tx.commit().await?;
                (alert, code, name)
            };
            let Some(alert) = alert else { continue };
            let task = match (d.channel.as_str(), &webhook, &mail) {
                ("webhook", Some((url, secret)), _) => {
                    let body = serde_json::to_vec(&WebhookPayload::of(&alert, store_code))
                        .map_err(|e| AppError::Storage(StoreError::Other(e.to_string())))?;
                    let timestamp = self.clock().now_ms().to_string();
                    let (u, s) = (url.clone(), secret.clone());
                    tokio::task::spawn_blocking(move || post(&u, &s, &timestamp, &body))
                }
                ("email", _, Some((config, password))) => {
                    let message = email::compose_for(
                        config,
                        &alert,
                        display_name.as_deref(),
                        store_code.as_deref(),
                    );
                    let (c, p) = (config.clone(), password.clone());
                    tokio::task::spawn_blocking(move || email::send(&c, p.as_deref(), &message))
                }
                _ => continue,
            };
            let result = task
                .await
                .unwrap_or_else(|e| Err(format!("delivery task failed: {e}")));
            let attempts = d.attempts + 1;
            let done_at = self.clock().now_ms();
            let mut tx = self.store().write().await?;
            match result {
                Ok(()) => {
                    tx.record_delivery_attempt(&d.id, attempts, done_at, None, Some(done_at))
                        .await?;
                    delivered += 1;
                }
                Err(error) => {
                    tracing::warn!(
                        alert = %alert.id,
                        channel = %d.channel,
                        attempts,
                        %error,
                        "alert delivery failed"
                    );
                    let next = if attempts >= MAX_ATTEMPTS {
                        i64::MAX
                    } else {
                        done_at + backoff_ms(attempts)
                    };
                    tx.record_delivery_attempt(&d.id, attempts, next, Some(&error), None)
                        .await?;
                }
            }
            tx.commit().await?;
        }
        Ok(delivered)
    }
}
