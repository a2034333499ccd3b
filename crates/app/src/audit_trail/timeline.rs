//! One employee's activity, day by day, for the auditor: how much they listed, viewed,
//! revealed, changed and were refused, so that a spike stands out against their usual.

use super::{event, record, AuditRow};
use crate::actor::Actor;
use crate::clock::{to_local, CHINA_OFFSET_MS};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_policy::Action;
use dealervault_store::{ActivityCount, AuditQuery};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
pub const MAX_TIMELINE_DAYS: u32 = 366;
/// The latest events listed under the day-by-day figures.
pub const RECENT_EVENTS: u32 = 50;

/// One local day (Asia/Shanghai) of one person's events.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ActivityDay {
    /// `YYYY-MM-DD`; empty for the totals.
    pub date: String,
    /// List pages opened.
    pub lists: i64,
    /// Customer details opened.
    pub views: i64,
    pub reveals: i64,
    /// Customers created or edited.
    pub changes: i64,
    pub exports: i64,
    pub logins: i64,
    /// Attempts refused or failed, of any kind.
    pub refused: i64,
    pub total: i64,
}

impl ActivityDay {
    /// Counts `c` in its column; every event counts in the total, including kinds
    /// without a column of their own (reading the audit log, password changes).
    fn add(&mut self, c: &ActivityCount) {
        let n = c.events;
        self.total += n;
        if c.outcome != Outcome::Allowed.code() {
            self.refused += n;
            return;
        }
        match c.action.as_str() {
            "customer.list" => self.lists += n,
            "customer.view" => self.views += n,
            "customer.reveal" => self.reveals += n,
            "customer.create" | "customer.edit" => self.changes += n,
            "customer.export" => self.exports += n,
            "auth.login" => self.logins += n,
            _ => {}
        }
    }
}

/// The day-by-day figures of one person.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ActivitySummary {
    pub username: String,
    pub display_name: String,
    pub days_covered: u32,
    /// Days with any event, newest first.
    pub days: Vec<ActivityDay>,
    pub totals: ActivityDay,
}

#[derive(Debug, Clone)]
pub struct Timeline {
    pub summary: ActivitySummary,
    /// The latest events of the person, newest first.
    pub recent: Vec<AuditRow>,
}

impl App {
    /// `username`'s activity over the last `days` local days, for roles that read the
    /// audit log. An unknown username answers `NotFound`; reading it is recorded.
    pub async fn activity_timeline(
        &self,
        actor: &Actor,
        username: &str,
        days: u32,
    ) -> Result<Timeline, AppError> {
        const VERB: &str = "audit.view";
        self.permit(actor, Entity::AuditLog, Action::View, VERB)
            .await?;
        if !(1..=MAX_TIMELINE_DAYS).contains(&days) {
            return Err(AppError::invalid(
                "days",
                Rule::OutOfRange {
                    min: 1,
                    max: MAX_TIMELINE_DAYS as usize,
                },
            ));
        }
        let now = self.clock().now_ms();
        let today = (now + CHINA_OFFSET_MS).div_euclid(DAY_MS);
        let first_day = today - i64::from(days) + 1;
        let since = first_day * DAY_MS - CHINA_OFFSET_MS;

        let mut tx = self.store().read().await?;
        let Some(person) = tx.user_by_username(username).await? else {
            return Err(AppError::NotFound);
        };
        let counts = tx
            .audit_activity(person.id.as_str(), since, CHINA_OFFSET_MS)
            .await?;
        let recent = tx
            .audit_events(&AuditQuery {
                actor_id: Some(person.id.to_string()),
                limit: RECENT_EVENTS,
                ..AuditQuery::default()
            })
            .await?;
        drop(tx);

        let mut days_seen: Vec<ActivityDay> = Vec::new();
        let mut totals = ActivityDay::default();
        for c in &counts {
            let date = to_local(c.day * DAY_MS - CHINA_OFFSET_MS)
                .date()
                .to_string();
            if days_seen.last().map(|d| &d.date) != Some(&date) {
                days_seen.push(ActivityDay {
                    date,
                    ..ActivityDay::default()
                });
            }
            if let Some(day) = days_seen.last_mut() {
                day.add(c);
            }
            totals.add(c);
        }
        days_seen.reverse();

        let mut ev = event(self, actor, VERB, Entity::User, Outcome::Allowed);
        ev.record_ids = vec![person.id.to_string()];
        record(self, ev).await?;
        Ok(Timeline {
            summary: ActivitySummary {
                username: person.username,
                display_name: person.display_name,
                days_covered: days,
                days: days_seen,
                totals,
            },
            recent,
        })
    }
}
