//! What the system administrator configures: the rules, the webhook, each store's
//! business hours and networks. Needs the right to view or edit settings; none of it
//! reads an alert or a customer.

use super::engine::{DEFAULT_CLOSE_MINUTE, DEFAULT_OPEN_MINUTE};
use super::rules::{Cidr, RuleAction, RuleKind, Severity};
use super::{WEBHOOK_SECRET, WEBHOOK_URL};
use crate::actor::Actor;
use crate::audit_trail::{append, event};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_policy::Action;
use dealervault_store::StoreAlertSettingsRow;
use serde::{Deserialize, Serialize};

/// Bounds of a rule's numbers: a window of a minute to thirty days.
pub const WINDOW_MIN_SECS: i64 = 60;
pub const WINDOW_MAX_SECS: i64 = 30 * 24 * 3600;
pub const THRESHOLD_MAX: i64 = 1_000_000;
pub const SECRET_MIN: usize = 16;
pub const URL_MAX: usize = 500;
pub const NETWORKS_MAX: usize = 50;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlertRuleView {
    pub kind: String,
    pub enabled: bool,
    pub threshold: i64,
    pub window_secs: i64,
    pub severity: String,
    pub action: String,
}

/// A change to one rule; fields left out keep their value.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertRuleUpdate {
    pub kind: String,
    pub enabled: Option<bool>,
    pub threshold: Option<i64>,
    pub window_secs: Option<i64>,
    pub severity: Option<String>,
    pub action: Option<String>,
}

/// The webhook as shown back: the URL, and only whether a secret is set.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WebhookView {
    pub url: Option<String>,
    pub secret_set: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StoreAlertSettingsView {
    pub store: String,
    /// `HH:MM` in the store's zone.
    pub open: String,
    pub close: String,
    pub timezone: String,
    pub networks: Vec<String>,
}

fn hhmm(minute: i64) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// `HH:MM` (24:00 allowed as the end of the day) to minutes.
pub fn parse_hhmm(s: &str) -> Option<i64> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    let minute = h * 60 + m;
    ((0..60).contains(&m) && (0..=1440).contains(&minute)).then_some(minute)
}

impl App {
    pub async fn alert_rules(&self, actor: &Actor) -> Result<Vec<AlertRuleView>, AppError> {
        self.permit(actor, Entity::Settings, Action::View, "alert.configure")
            .await?;
        let mut tx = self.store().read().await?;
        let rows = tx.alert_rules().await?;
        Ok(RuleKind::ALL
            .iter()
            .filter_map(|k| rows.iter().find(|r| r.kind == k.code()))
            .map(|r| AlertRuleView {
                kind: r.kind.clone(),
                enabled: r.enabled,
                threshold: r.threshold,
                window_secs: r.window_secs,
                severity: r.severity.clone(),
                action: r.action.clone(),
            })
            .collect())
    }

    /// Applies rule changes together (all or none) and returns every rule.
    pub async fn update_alert_rules(
        &self,
        actor: &Actor,
        updates: &[AlertRuleUpdate],
    ) -> Result<Vec<AlertRuleView>, AppError> {
        self.permit(actor, Entity::Settings, Action::Edit, "alert.configure")
            .await?;
        let now = self.clock().now_ms();
        let mut tx = self.store().write().await?;
        let rows = tx.alert_rules().await?;
        let mut changed = vec![];
        for u in updates {
            let mut row = rows
                .iter()
                .find(|r| r.kind == u.kind)
                .cloned()
                .ok_or(AppError::invalid("kind", Rule::UnknownValue))?;
            if let Some(enabled) = u.enabled {
                row.enabled = enabled;
            }
            if let Some(t) = u.threshold {
                if !(1..=THRESHOLD_MAX).contains(&t) {
                    return Err(AppError::invalid("threshold", Rule::UnknownValue));
                }
                row.threshold = t;
            }
            if let Some(w) = u.window_secs {
                if !(WINDOW_MIN_SECS..=WINDOW_MAX_SECS).contains(&w) {
                    return Err(AppError::invalid("window_secs", Rule::UnknownValue));
                }
                row.window_secs = w;
            }
            if let Some(s) = &u.severity {
                Severity::parse(s).ok_or(AppError::invalid("severity", Rule::UnknownValue))?;
                row.severity = s.clone();
            }
            if let Some(a) = &u.action {
                let action =
                    RuleAction::parse(a).ok_or(AppError::invalid("action", Rule::UnknownValue))?;
                // Failed logins are made by whoever types the username: acting on the
                // account would let anyone lock any account out, the administrator's too.
                if row.kind == RuleKind::FailedLogins.code() && action != RuleAction::None {
                    return Err(AppError::invalid("action", Rule::NotAllowed));
                }
                // An overdue access review is the reviewer's lapse, not a sign that the
                // account's holder misbehaves: nothing is done to anyone's account.
                if row.kind == RuleKind::AccessReviewOverdue.code() && action != RuleAction::None {
                    return Err(AppError::invalid("action", Rule::NotAllowed));
                }
                row.action = a.clone();
            }
            row.updated_at = now;
            tx.update_alert_rule(&row).await?;
            changed.push(row.kind);
        }
        let mut ev = event(
            self,
            actor,
            "alert.configure",
            Entity::Settings,
            Outcome::Allowed,
        );
        ev.fields = changed.iter().map(|k| format!("rule.{k}")).collect();
        append(&mut tx, ev).await?;
        tx.commit().await?;
        self.alert_rules(actor).await
    }

    pub async fn alert_webhook(&self, actor: &Actor) -> Result<WebhookView, AppError> {
        self.permit(actor, Entity::Settings, Action::View, "alert.configure")
            .await?;
        let mut tx = self.store().read().await?;
        Ok(WebhookView {
            url: tx.setting(WEBHOOK_URL).await?,
            secret_set: tx.setting(WEBHOOK_SECRET).await?.is_some(),
        })
    }

    /// Sets the webhook (`url` blank turns it off). A new URL needs a secret unless one
    /// is already set; the secret is never shown back.
    pub async fn set_alert_webhook(
        &self,
        actor: &Actor,
        url: &str,
        secret: Option<&str>,
    ) -> Result<WebhookView, AppError> {
        self.permit(actor, Entity::Settings, Action::Edit, "alert.configure")
            .await?;
        let url = url.trim();
        let secret = secret.map(str::trim).filter(|s| !s.is_empty());
        if !url.is_empty() {
            if url.chars().count() > URL_MAX {
                return Err(AppError::invalid("url", Rule::TooLong { max: URL_MAX }));
            }
            let rest = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"))
                .ok_or(AppError::invalid("url", Rule::UnknownValue))?;
            if rest.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(AppError::invalid("url", Rule::InvalidCharacters));
            }
        }
        if let Some(s) = secret {
            if s.chars().count() < SECRET_MIN {
                return Err(AppError::invalid(
                    "secret",
                    Rule::TooShort { min: SECRET_MIN },
                ));
            }
            if s.chars().count() > 200 {
                return Err(AppError::invalid("secret", Rule::TooLong { max: 200 }));
            }
        }
        let mut tx = self.store().write().await?;
        let mut fields = vec![];
        if url.is_empty() {
            tx.delete_setting(WEBHOOK_URL).await?;
            tx.delete_setting(WEBHOOK_SECRET).await?;
            fields.push("webhook.url".to_string());
        } else {
            if secret.is_none() && tx.setting(WEBHOOK_SECRET).await?.is_none() {
                return Err(AppError::invalid("secret", Rule::Required));
            }
            tx.put_setting(WEBHOOK_URL, url).await?;
            fields.push("webhook.url".to_string());
            if let Some(s) = secret {
                let sealed = self.vault().seal_secret(WEBHOOK_SECRET, s)?;
                tx.put_setting(WEBHOOK_SECRET, &sealed).await?;
                fields.push("webhook.secret".to_string());
            }
        }
        let mut ev = event(
            self,
            actor,
            "alert.configure",
            Entity::Settings,
            Outcome::Allowed,
        );
        ev.fields = fields;
        append(&mut tx, ev).await?;
        tx.commit().await?;
        self.alert_webhook(actor).await
    }

    pub async fn store_alert_settings(
        &self,
        actor: &Actor,
    ) -> Result<Vec<StoreAlertSettingsView>, AppError> {
        self.permit(actor, Entity::Settings, Action::View, "alert.configure")
            .await?;
        let mut tx = self.store().read().await?;
        let own = tx.store_alert_settings().await?;
        Ok(tx
            .stores()
            .await?
            .into_iter()
            .map(|s| {
                let o = own.iter().find(|o| o.store_id == s.id);
                StoreAlertSettingsView {
                    store: s.code,
                    open: hhmm(o.map_or(DEFAULT_OPEN_MINUTE, |o| o.open_minute)),
                    close: hhmm(o.map_or(DEFAULT_CLOSE_MINUTE, |o| o.close_minute)),
                    timezone: s.timezone,
                    networks: o.map(|o| o.networks.clone()).unwrap_or_default(),
                }
            })
            .collect())
    }

    /// Sets a store's business hours (`HH:MM`) and allowed networks (CIDRs).
    pub async fn set_store_alert_settings(
        &self,
        actor: &Actor,
        store_code: &str,
        open: &str,
        close: &str,
        networks: &[String],
    ) -> Result<Vec<StoreAlertSettingsView>, AppError> {
        self.permit(actor, Entity::Settings, Action::Edit, "alert.configure")
            .await?;
        let open = parse_hhmm(open)
            .filter(|m| *m < 1440)
            .ok_or(AppError::invalid("open", Rule::UnknownValue))?;
        let close = parse_hhmm(close).ok_or(AppError::invalid("close", Rule::UnknownValue))?;
        if networks.len() > NETWORKS_MAX {
            return Err(AppError::invalid(
                "networks",
                Rule::TooLong { max: NETWORKS_MAX },
            ));
        }
        let mut nets = vec![];
        for n in networks.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            Cidr::parse(n).ok_or(AppError::invalid("networks", Rule::UnknownValue))?;
            nets.push(n.to_string());
        }
        let mut tx = self.store().write().await?;
        let store = tx
            .store_by_code(store_code.trim())
            .await?
            .ok_or(AppError::invalid("store", Rule::UnknownValue))?;
        tx.put_store_alert_settings(&StoreAlertSettingsRow {
            store_id: store.id.clone(),
            open_minute: open,
            close_minute: close,
            networks: nets,
        })
        .await?;
        let mut ev = event(
            self,
            actor,
            "alert.configure",
            Entity::Settings,
            Outcome::Allowed,
        );
        ev.record_ids = vec![store.id.to_string()];
        ev.fields = vec!["store.hours".into(), "store.networks".into()];
        append(&mut tx, ev).await?;
        tx.commit().await?;
        self.store_alert_settings(actor).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_parse_and_print() {
        assert_eq!(parse_hhmm("08:30"), Some(510));
        assert_eq!(parse_hhmm("24:00"), Some(1440));
        assert_eq!(parse_hhmm("24:01"), None);
        assert_eq!(parse_hhmm("8:60"), None);
        assert_eq!(parse_hhmm("x"), None);
        assert_eq!(hhmm(510), "08:30");
    }
}
