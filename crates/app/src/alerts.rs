//! Anomaly alerts over the audit log (`engine`), their rules (`rules`), who reads them
//! (`inbox`), what the administrator configures (`config`), how they leave the building
//! (`delivery`, through a `webhook` or by `email`), the decoy customers whose every opening raises one (`honeytokens`), and
//! the loops that run it all in the server (`background`).
//!
//! An alert holds opaque ids and counts, never personal data.

mod background;
mod config;
mod delivery;
pub mod email;
mod email_text;
mod engine;
mod honeytokens;
mod inbox;
pub mod rules;
pub mod webhook;

pub use background::{run_alert_delivery, run_alert_engine};
pub use config::{AlertRuleUpdate, AlertRuleView, StoreAlertSettingsView, WebhookView};
pub use email::{EmailUpdate, EmailView, MailLang, SmtpSecurity};
pub use engine::{DEFAULT_CLOSE_MINUTE, DEFAULT_OPEN_MINUTE};
pub use honeytokens::HoneytokenView;
pub use inbox::{AlertComment, AlertDetail, AlertSubject, AlertSummary, AlertView};

use crate::audit_trail::append;
use crate::error::AppError;
use crate::App;
use dealervault_audit::{AuditEvent, Outcome};
use dealervault_store::{AlertRow, DeliveryRow, Tx, UserRow};
use engine::Rule;
use rules::RuleAction;

/// Site settings of the webhook channel. The secret is write-only.
pub const WEBHOOK_URL: &str = "alerts.webhook_url";
pub const WEBHOOK_SECRET: &str = "alerts.webhook_secret";

/// What the engine decided to raise.
pub(crate) struct Raise<'a> {
    pub rule: &'a Rule,
    pub subject: &'a UserRow,
    pub count: i64,
    pub record_ids: Vec<String>,
    pub last_seq: i64,
}

/// An event of the alert machinery itself: no person behind it.
pub(crate) fn system_alert_event(
    at: i64,
    action: &str,
    entity: &str,
    record_ids: Vec<String>,
    reason: Option<String>,
) -> AuditEvent {
    AuditEvent {
        at,
        actor_id: None,
        actor_username: Some("system".into()),
        action: action.into(),
        entity: entity.into(),
        record_ids,
        fields: vec![],
        reason,
        outcome: Outcome::Allowed,
        client_addr: None,
    }
}

/// Raises an alert of `kind` about `subject` from outside the engine — a sweep that
/// finds what no event of the log shows — when its rule is enabled; its id, or `None`
/// for a disabled rule.
pub(crate) async fn raise_kind(
    app: &App,
    tx: &mut Tx,
    kind: rules::RuleKind,
    subject: &UserRow,
    record_ids: Vec<String>,
    last_seq: i64,
) -> Result<Option<String>, AppError> {
    let rule = tx
        .alert_rules()
        .await?
        .iter()
        .filter(|r| r.enabled && r.kind == kind.code())
        .find_map(Rule::from_row);
    let Some(rule) = rule else {
        return Ok(None);
    };
    let count = i64::try_from(record_ids.len()).unwrap_or(i64::MAX);
    let raise_it = Raise {
        rule: &rule,
        subject,
        count,
        record_ids,
        last_seq,
    };
    raise(app, tx, raise_it).await.map(Some)
}

/// Raises one alert in `tx`: takes the rule's action on the person at once, stores the
/// alert, records `alert.raise`, and queues its delivery to the webhook when one is
/// configured, and by e-mail when e-mail is configured for its severity.
pub(crate) async fn raise(app: &App, tx: &mut Tx, r: Raise<'_>) -> Result<String, AppError> {
    let id = uuid::Uuid::now_v7().to_string();
    let now = app.clock().now_ms();
    let subject = r.subject;
    match r.rule.action {
        RuleAction::None => {}
        RuleAction::RequireRelogin => {
            tx.delete_user_sessions(&subject.id).await?;
        }
        RuleAction::Freeze => {
            tx.set_user_status(&subject.id, "disabled", now).await?;
            tx.delete_user_sessions(&subject.id).await?;
        }
    }
    let row = AlertRow {
        id: id.clone(),
        kind: r.rule.kind.code().to_string(),
        severity: r.rule.severity.clone(),
        subject_user_id: subject.id.clone(),
        subject_username: subject.username.clone(),
        store_id: subject.store_id.clone(),
        department_id: subject.department_id.as_ref().map(|d| d.to_string()),
        event_count: r.count,
        threshold: r.rule.threshold,
        window_secs: r.rule.window_ms / 1000,
        record_ids: r.record_ids,
        last_seq: r.last_seq,
        action_taken: r.rule.action.code().to_string(),
        created_at: now,
        status: "open".into(),
        acknowledged_by: None,
        acknowledged_at: None,
    };
    tx.insert_alert(&row).await?;
    let reason = format!("{} {}", row.kind, row.action_taken);
    append(
        tx,
        system_alert_event(
            now,
            "alert.raise",
            "alert",
            vec![id.clone(), subject.id.to_string()],
            Some(reason),
        ),
    )
    .await?;
    if r.rule.action == RuleAction::Freeze {
        let mut ev = system_alert_event(
            now,
            "user.edit",
            "user",
            vec![subject.id.to_string()],
            Some(format!("alert {id}")),
        );
        ev.fields = vec!["status".into()];
        append(tx, ev).await?;
    }
    let mut channels = vec![];
    if tx.setting(WEBHOOK_URL).await?.is_some() {
        channels.push("webhook");
    }
    if email::configured(tx)
        .await?
        .is_some_and(|c| c.mails(&row.severity))
    {
        channels.push("email");
    }
    for channel in channels {
        tx.insert_delivery(&DeliveryRow {
            id: uuid::Uuid::now_v7().to_string(),
            alert_id: id.clone(),
            channel: channel.into(),
            attempts: 0,
            next_attempt_at: now,
            last_error: None,
            delivered_at: None,
            created_at: now,
        })
        .await?;
    }
    tracing::warn!(alert = %id, kind = %row.kind, severity = %row.severity, "alert raised");
    Ok(id)
}
