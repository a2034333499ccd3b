//! The funnel conversion report: of the leads created in a period within the actor's
//! scope, how many reached each stage — in all, per source and per salesperson. Counts
//! and staff names only: no lead is read, no customer named.

use super::funnel_counts::{FunnelCounts, Tally};
use crate::actor::Actor;
use crate::audit_trail::{event, record};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::UserId;
use dealervault_domain::sales::LeadStatus;
use dealervault_domain::values::{Period, Source};
use dealervault_policy::{Action, FieldLevel};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A report request as it arrives; every part optional.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FunnelQuery {
    /// First day of creation, `YYYY-MM-DD` in China time (default: 29 days before `to`).
    pub from: Option<String>,
    /// Last day of creation, included (default: today). At most 366 days in all.
    pub to: Option<String>,
    /// Only this store (its code), for those whose scope covers several.
    pub store: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Funnel {
    pub from: String,
    pub to: String,
    pub total: FunnelCounts,
    /// Per source, in the catalog's order; absent for roles that do not see the source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_source: Option<Vec<SourceFunnel>>,
    /// Per owner by name, the pool last.
    pub by_owner: Vec<OwnerFunnel>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SourceFunnel {
    /// The source's code.
    pub source: String,
    pub funnel: FunnelCounts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OwnerFunnel {
    /// `null`: leads in the pool (公海).
    pub owner_id: Option<String>,
    /// The salesperson's display name; `null` for the pool.
    pub owner_name: Option<String>,
    pub funnel: FunnelCounts,
}

/// A store code as a report filter: letters, digits, `-` and `_`, as codes are made.
fn store_code(given: Option<&str>) -> Result<Option<&str>, AppError> {
    match given.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(code)
            if code.len() <= 32
                && code
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            Ok(Some(code))
        }
        Some(_) => Err(AppError::invalid("store", Rule::UnknownValue)),
    }
}

impl App {
    pub async fn funnel(&self, actor: &Actor, query: &FunnelQuery) -> Result<Funnel, AppError> {
        let filter = self
            .row_filter(actor, Entity::Lead, Action::View, "lead.report")
            .await?;
        let today = self.clock().local_now().date();
        let period = Period::parse(query.from.as_deref(), query.to.as_deref(), today)
            .map_err(AppError::Invalid)?;
        let store = store_code(query.store.as_deref())?;
        let (from_ms, to_ms) = period.bounds_ms();

        let mut tx = self.store().read().await?;
        let plan = FieldPlan::of(actor, Entity::Lead, &self.settings(&mut tx).await?);
        let rows = tx.lead_funnel(&filter, from_ms, to_ms, store).await?;
        let owners: Vec<UserId> = rows.iter().filter_map(|r| r.owner_id.clone()).collect();
        let names = tx.user_display_names(&owners).await?;
        drop(tx);

        let mut total = Tally::default();
        // Keyed by the source's place in the catalog, then its code: the catalog's order.
        let mut sources: BTreeMap<(usize, &str), Tally> = BTreeMap::new();
        let mut by_owner: BTreeMap<Option<UserId>, Tally> = BTreeMap::new();
        for row in &rows {
            // The column is CHECKed to the stages; anything else is not a stage to count.
            let Ok(reached) = LeadStatus::parse("reached", &row.reached) else {
                continue;
            };
            total.add(reached, row.leads, row.lost);
            let place = Source::ALL
                .iter()
                .position(|s| s.code() == row.source)
                .unwrap_or(Source::ALL.len());
            sources
                .entry((place, &row.source))
                .or_default()
                .add(reached, row.leads, row.lost);
            by_owner
                .entry(row.owner_id.clone())
                .or_default()
                .add(reached, row.leads, row.lost);
        }

        let by_source = plan.level("source") > FieldLevel::Hidden;
        let mut ev = event(self, actor, "lead.report", Entity::Lead, Outcome::Allowed);
        ev.fields = ["status", "owner_id", "created_at"]
            .into_iter()
            .chain(by_source.then_some("source"))
            .map(String::from)
            .collect();
        record(self, ev).await?;

        let mut owners: Vec<OwnerFunnel> = by_owner
            .into_iter()
            .map(|(id, tally)| OwnerFunnel {
                owner_name: id
                    .as_ref()
                    .map(|id| names.get(id).cloned().unwrap_or_default()),
                owner_id: id.map(|id| id.to_string()),
                funnel: tally.counts(),
            })
            .collect();
        owners.sort_by(|a, b| {
            (a.owner_id.is_none(), &a.owner_name).cmp(&(b.owner_id.is_none(), &b.owner_name))
        });
        Ok(Funnel {
            from: period.from().to_string(),
            to: period.to().to_string(),
            total: total.counts(),
            by_source: by_source.then(|| {
                sources
                    .into_iter()
                    .map(|((_, source), tally)| SourceFunnel {
                        source: source.to_string(),
                        funnel: tally.counts(),
                    })
                    .collect()
            }),
            by_owner: owners,
        })
    }
}
