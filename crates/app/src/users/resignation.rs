//! A resignation (辞职): the store manager records the last day and how the person's book
//! is to be handed over. Until then the notice period runs — exports refused, fewer
//! reveals, the alert rule watching; at the store's closing time on the last day the
//! account freezes by itself and the book goes by the recorded rule (`departures`).

use super::handover::{heirs, HandoverInput};
use super::leaving::freeze_and_hand_over;
use super::{summary, UserSummary};
use crate::actor::Actor;
use crate::alerts::rules::zone_offset;
use crate::alerts::DEFAULT_CLOSE_MINUTE;
use crate::audit_trail::{append, commit, system_event};
use crate::error::AppError;
use crate::followers::every_minute;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::values::parse_date_within;
use tokio::sync::watch;

/// `POST /api/v1/users/{id}/resignation`.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResignationInput {
    /// The last working day, `YYYY-MM-DD` in the store's calendar: today or within a year.
    pub last_day: String,
    pub handover: HandoverInput,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Resignation {
    pub account: UserSummary,
    pub last_day: String,
}

/// A notice period is at most this long.
const MAX_NOTICE_DAYS: i64 = 365;
const MINUTE_MS: i64 = 60_000;

impl App {
    pub async fn record_resignation(
        &self,
        actor: &Actor,
        user_id: &str,
        input: &ResignationInput,
    ) -> Result<Resignation, AppError> {
        let (mut tx, user, mut ev) = self
            .staff_to_change(actor, user_id, "user.resign", "cannot_change_self")
            .await?;
        let today = self.clock().local_now().date();
        let latest = today + time::Duration::days(MAX_NOTICE_DAYS);
        let last_day = match parse_date_within("last_day", &input.last_day, today, latest) {
            Ok(day) => day.to_string(),
            Err(e) => return Err(self.abandon(tx, ev, AppError::Invalid(vec![e])).await),
        };
        // The colleague named must be able to take over now; the team is asked again on
        // the last day.
        if let Err(e) = heirs(&mut tx, &user, &input.handover).await {
            return Err(self.abandon(tx, ev, e).await);
        }
        let (rule, to) = match &input.handover {
            HandoverInput::ToUser { to_user_id } => (
                "to_user",
                dealervault_domain::ids::UserId::parse(to_user_id),
            ),
            // `heirs` refused a one-by-one handover above: it is done now, not recorded.
            HandoverInput::RoundRobinTeam | HandoverInput::OneByOne { .. } => {
                ("round_robin_team", None)
            }
        };
        let now = self.clock().now_ms();
        tx.set_resignation(&user.id, &last_day, rule, to.as_ref(), now)
            .await?;
        ev.outcome = Outcome::Allowed;
        ev.fields = vec!["leaving_on".into(), "handover".into()];
        let seq = append(&mut tx, ev).await?;
        let after = tx.user_by_id(&user.id).await?.ok_or(AppError::Integrity)?;
        let account = summary(&mut tx, &after).await?;
        commit(self, tx, seq).await?;
        Ok(Resignation { account, last_day })
    }

    /// Freezes every account whose last day has reached its store's closing time, and
    /// hands its book over by the recorded rule; returns how many. Recorded as the
    /// system's `user.freeze`. A book nobody can take (no colleague left in the team)
    /// stays with the frozen account for the manager to hand over by hand; the freeze
    /// does not wait for it.
    pub async fn freeze_departed(&self) -> Result<usize, AppError> {
        let now = self.clock().now_ms();
        let mut tx = self.store().write().await?;
        // Tomorrow in the application's zone covers a store in a zone ahead of it; each
        // store's own closing instant is checked below.
        let horizon = (self.clock().local_now().date() + time::Duration::days(1)).to_string();
        let due = tx.departures_due(&horizon).await?;
        let stores = tx.stores().await?;
        let hours = tx.store_alert_settings().await?;
        let mut frozen = Vec::new();
        for (id, last_day, rule, to) in due {
            let Some(user) = tx.user_by_id(&id).await? else {
                continue;
            };
            let store = stores
                .iter()
                .find(|s| Some(&s.id) == user.store_id.as_ref());
            let offset = zone_offset(store.map_or("", |s| s.timezone.as_str()));
            let close = hours
                .iter()
                .find(|h| Some(&h.store_id) == user.store_id.as_ref())
                .map_or(DEFAULT_CLOSE_MINUTE, |h| h.close_minute);
            let Ok(day) = time::Date::parse(
                &last_day,
                time::macros::format_description!("[year]-[month]-[day]"),
            ) else {
                continue;
            };
            let midnight = day.midnight().assume_offset(offset).unix_timestamp() * 1000;
            if now < midnight + close * MINUTE_MS {
                continue;
            }
            let rule = match (rule.as_deref(), to) {
                (Some("to_user"), Some(to)) => HandoverInput::ToUser {
                    to_user_id: to.to_string(),
                },
                _ => HandoverInput::RoundRobinTeam,
            };
            let heirs = match heirs(&mut tx, &user, &rule).await {
                Ok(h) => h,
                // The colleague named left too: the team takes over.
                Err(_) => heirs(&mut tx, &user, &HandoverInput::RoundRobinTeam)
                    .await
                    .unwrap_or_default(),
            };
            let moved = freeze_and_hand_over(&mut tx, &user, "last day", &heirs, None, now).await?;
            frozen.push(user.id.to_string());
            frozen.extend(moved.record_ids);
        }
        let count = frozen.len();
        if count > 0 {
            let mut ev = system_event(now, "user.freeze", "user", frozen);
            ev.fields = vec!["status".into(), "owner_id".into()];
            ev.reason = Some("last day".into());
            let seq = append(&mut tx, ev).await?;
            commit(self, tx, seq).await?;
        } else {
            tx.rollback().await?;
        }
        Ok(count)
    }
}

/// Runs [`App::freeze_departed`] once a minute until `stop` turns true.
pub async fn run_departures(app: App, stop: watch::Receiver<bool>) {
    every_minute(stop, "accounts frozen on their last day", move || {
        let app = app.clone();
        async move { app.freeze_departed().await }
    })
    .await;
}
