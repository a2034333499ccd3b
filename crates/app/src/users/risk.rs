//! The departure-risk report: what a person viewed, revealed and exported in the last 30
//! and 90 days, against the average of their peers (the same role in the same store).
//! Counts from the audit log, never a record or a value; for the store's manager (their
//! staff) and the auditor (anyone).

use crate::actor::Actor;
use crate::audit_trail::{event, record};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_policy::Action;
use dealervault_store::{EventCount, Tx, UserRow};

const DAY_MS: i64 = 86_400_000;
/// The windows the report looks back over, in days.
pub const RISK_WINDOWS: [i64; 2] = [30, 90];

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RiskReport {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    /// Others of the same role in the same store, whose average is the comparison.
    pub peers: u32,
    pub windows: Vec<RiskWindow>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RiskWindow {
    pub days: i64,
    pub person: ActivityCounts,
    /// The peers' average, one decimal.
    pub peer_average: PeerCounts,
}

/// Events of the person in the window, from the audit log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ActivityCounts {
    /// Customer detail views (`customer.view`).
    pub views: i64,
    /// Different customers seen in lists and details.
    pub customers_seen: i64,
    /// Reveals of a masked value (`customer.reveal`).
    pub reveals: i64,
    /// Export requests (`export.request`).
    pub export_requests: i64,
    /// Different customers in the files they exported (`customer.export`).
    pub customers_exported: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct PeerCounts {
    pub views: f64,
    pub customers_seen: f64,
    pub reveals: f64,
    pub export_requests: f64,
    pub customers_exported: f64,
}

impl App {
    pub async fn risk_report(&self, actor: &Actor, user_id: &str) -> Result<RiskReport, AppError> {
        let verb = "user.risk_report";
        let mut tx = self.store().read().await?;
        let auditor = actor.may(Entity::AuditLog, Action::View);
        let found = match self.staff_in_reach(&mut tx, actor, user_id).await? {
            // The report is about customer access, not the administrator's business.
            Some(user) if !actor.may(Entity::User, Action::Edit) => Some(user),
            _ if auditor => match dealervault_domain::ids::UserId::parse(user_id) {
                Some(id) => tx.user_by_id(&id).await?,
                None => None,
            },
            _ => None,
        };
        let Some(user) = found else {
            drop(tx);
            return Err(if auditor || actor.manages_store() {
                self.not_found(actor, verb, Entity::User, Some(user_id.to_string()))
                    .await
            } else {
                self.out_of_reach(actor, verb, user_id).await
            });
        };
        let role = tx.role_by_id(&user.role_id).await?;
        let peers: Vec<UserRow> = tx
            .users()
            .await?
            .into_iter()
            .filter(|u| u.id != user.id && u.role_id == user.role_id && u.store_id == user.store_id)
            .collect();
        let now = self.clock().now_ms();
        let mut windows = Vec::new();
        for days in RISK_WINDOWS {
            let since = now - days * DAY_MS;
            let person = counts(&mut tx, user.id.as_str(), since, now).await?;
            let mut sum = ActivityCounts::default();
            for peer in &peers {
                let c = counts(&mut tx, peer.id.as_str(), since, now).await?;
                sum.views += c.views;
                sum.customers_seen += c.customers_seen;
                sum.reveals += c.reveals;
                sum.export_requests += c.export_requests;
                sum.customers_exported += c.customers_exported;
            }
            let average = |n: i64| {
                if peers.is_empty() {
                    0.0
                } else {
                    (n as f64 / peers.len() as f64 * 10.0).round() / 10.0
                }
            };
            windows.push(RiskWindow {
                days,
                person,
                peer_average: PeerCounts {
                    views: average(sum.views),
                    customers_seen: average(sum.customers_seen),
                    reveals: average(sum.reveals),
                    export_requests: average(sum.export_requests),
                    customers_exported: average(sum.customers_exported),
                },
            });
        }
        drop(tx);
        let mut ev = event(self, actor, verb, Entity::User, Outcome::Allowed);
        ev.record_ids = vec![user.id.to_string()];
        record(self, ev).await?;
        Ok(RiskReport {
            user_id: user.id.to_string(),
            username: user.username,
            display_name: user.display_name,
            role: role.map(|r| r.code).unwrap_or_default(),
            peers: u32::try_from(peers.len()).unwrap_or(u32::MAX),
            windows,
        })
    }
}

async fn counts(
    tx: &mut Tx,
    actor: &str,
    since: i64,
    until: i64,
) -> Result<ActivityCounts, AppError> {
    const ALLOWED: &[&str] = &["allowed"];
    let q = |actions: &'static [&'static str]| EventCount {
        actor_id: actor,
        actions,
        outcomes: ALLOWED,
        since,
        until,
    };
    Ok(ActivityCounts {
        views: tx.count_events(&q(&["customer.view"])).await?,
        customers_seen: tx
            .count_distinct_records(&q(&["customer.list", "customer.view"]))
            .await?,
        reveals: tx.count_events(&q(&["customer.reveal"])).await?,
        export_requests: tx.count_events(&q(&["export.request"])).await?,
        customers_exported: tx.count_distinct_records(&q(&["customer.export"])).await?,
    })
}
