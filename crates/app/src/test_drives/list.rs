//! Reading test drives: one drive, a lead's drives, and the store's day by vehicle.

use super::view::{TestDriveDetail, TestDriveView};
use crate::actor::Actor;
use crate::audit_trail::{event, record};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::access::RowFilter;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::{LeadId, TestDriveId, VehicleId};
use dealervault_domain::values::parse_local_minute;
use dealervault_domain::FieldError;
use dealervault_policy::Action;
use dealervault_store::TestDriveQuery;
use time::Time;

/// Which day's drives: `day` is `YYYY-MM-DD` in the store's time (today when absent),
/// optionally of one vehicle.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct TestDriveDayQuery {
    pub day: Option<String>,
    pub vehicle_id: Option<String>,
}

/// A list shows at most this many, by start time.
const LIMIT: u32 = 200;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

impl App {
    /// The store's (or the actor's scope's) drives of one day, by start time.
    pub async fn test_drive_day(
        &self,
        actor: &Actor,
        query: &TestDriveDayQuery,
    ) -> Result<Vec<TestDriveView>, AppError> {
        let filter = self
            .row_filter(actor, Entity::TestDrive, Action::View, "test_drive.list")
            .await?;
        let mut errors = Vec::new();
        // A day is its local midnight: China keeps no daylight saving, so it lasts 24 h.
        let from = match query
            .day
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            Some(day) => parse_local_minute("day", &format!("{day}T00:00"))
                .map_err(|e| errors.push(e))
                .ok(),
            None => {
                let midnight = self.clock().local_now().replace_time(Time::MIDNIGHT);
                Some((midnight.unix_timestamp_nanos() / 1_000_000) as i64)
            }
        };
        let vehicle = match query.vehicle_id.as_deref().map(str::trim) {
            Some(v) if !v.is_empty() => {
                let id = VehicleId::parse(v);
                if id.is_none() {
                    errors.push(FieldError::new("vehicle_id", Rule::UnknownValue));
                }
                id
            }
            _ => None,
        };
        let Some(from) = from.filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let search = TestDriveQuery {
            vehicle,
            starts_within: Some((from, from + DAY_MS)),
            ..TestDriveQuery::default()
        };
        self.list_and_record(actor, &filter, &search, vec![]).await
    }

    /// The drives of a lead the actor may see (404 for any other lead).
    pub async fn lead_test_drives(
        &self,
        actor: &Actor,
        lead_id: &str,
    ) -> Result<Vec<TestDriveView>, AppError> {
        const VERB: &str = "test_drive.list";
        let filter = self
            .row_filter(actor, Entity::TestDrive, Action::View, VERB)
            .await?;
        let lead_filter = actor
            .policy
            .row_filter(Entity::Lead, Action::View, &actor.subject);
        let Some(id) = LeadId::parse(lead_id) else {
            return Err(self
                .lead_missing(actor, Entity::TestDrive, VERB, lead_id)
                .await);
        };
        let mut tx = self.store().read().await?;
        let seen = match &lead_filter {
            Ok(f) => tx.lead(f, &id, false).await?.is_some(),
            Err(_) => false,
        };
        drop(tx);
        if !seen {
            return Err(self
                .lead_missing(actor, Entity::TestDrive, VERB, lead_id)
                .await);
        }
        let search = TestDriveQuery {
            lead: Some(id.clone()),
            ..TestDriveQuery::default()
        };
        self.list_and_record(actor, &filter, &search, vec![id.to_string()])
            .await
    }

    /// Reads and renders the drives `search` finds within `filter`, and records which
    /// were shown (`also`: the lead they were listed for).
    async fn list_and_record(
        &self,
        actor: &Actor,
        filter: &RowFilter,
        search: &TestDriveQuery,
        also: Vec<String>,
    ) -> Result<Vec<TestDriveView>, AppError> {
        let mut tx = self.store().read().await?;
        let rows = tx.test_drives(filter, search, LIMIT).await?;
        let items = self.render_test_drives(&mut tx, actor, &rows).await?;
        drop(tx);
        let mut ev = event(
            self,
            actor,
            "test_drive.list",
            Entity::TestDrive,
            Outcome::Allowed,
        );
        ev.record_ids = items.iter().map(|t| t.id.clone()).chain(also).collect();
        ev.fields = items
            .first()
            .map(|t| t.fields.keys().map(|k| k.to_string()).collect())
            .unwrap_or_default();
        record(self, ev).await?;
        Ok(items)
    }

    /// One drive in the actor's scope, and whether the actor may complete or cancel it.
    pub async fn test_drive(&self, actor: &Actor, id: &str) -> Result<TestDriveDetail, AppError> {
        const VERB: &str = "test_drive.view";
        let filter = self
            .row_filter(actor, Entity::TestDrive, Action::View, VERB)
            .await?;
        let Some(drive_id) = TestDriveId::parse(id) else {
            return Err(self.test_drive_not_found(actor, VERB, id).await);
        };
        let mut tx = self.store().read().await?;
        let Some(row) = tx.test_drive(&filter, &drive_id).await? else {
            drop(tx);
            return Err(self.test_drive_not_found(actor, VERB, id).await);
        };
        let Some(view) = self
            .render_test_drives(&mut tx, actor, std::slice::from_ref(&row))
            .await?
            .pop()
        else {
            drop(tx);
            return Err(self.test_drive_not_found(actor, VERB, id).await);
        };
        let may_edit =
            match actor
                .policy
                .row_filter(Entity::TestDrive, Action::Edit, &actor.subject)
            {
                Ok(edit) => tx.test_drive(&edit, &drive_id).await?.is_some(),
                Err(_) => false,
            };
        drop(tx);
        let mut ev = event(self, actor, VERB, Entity::TestDrive, Outcome::Allowed);
        ev.record_ids = vec![view.id.clone(), view.lead_id.clone()];
        ev.fields = view.fields.keys().map(|k| k.to_string()).collect();
        record(self, ev).await?;
        Ok(TestDriveDetail {
            test_drive: view,
            may_edit,
        })
    }
}
