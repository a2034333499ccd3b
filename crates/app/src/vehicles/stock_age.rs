use crate::actor::Actor;
use crate::audit_trail::{event, record};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_policy::{Action, FieldLevel};
use serde::Serialize;
use time::Duration;

/// The report's buckets of days since arrival: 0–30, 31–60, 61–90, more than 90.
pub const AGE_BUCKETS: [&str; 4] = ["0-30", "31-60", "61-90", "90+"];

/// How long the vehicles on the lot (in stock or reserved) have been there: counts per
/// bucket, in all and per model. Aggregates only: no VIN, no price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StockAge {
    /// The local date the ages are counted to.
    pub as_of: String,
    /// The bucket names, in the order of every `counts`.
    pub buckets: Vec<String>,
    pub counts: [u64; 4],
    /// Per model, for roles that see the model (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub models: Option<Vec<StockAgeModel>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StockAgeModel {
    pub model: String,
    pub counts: [u64; 4],
}

impl StockAge {
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

impl App {
    pub async fn stock_age(&self, actor: &Actor) -> Result<StockAge, AppError> {
        let filter = self
            .row_filter(actor, Entity::Vehicle, Action::View, "vehicle.report")
            .await?;
        let mut tx = self.store().read().await?;
        let plan = FieldPlan::of(actor, Entity::Vehicle, &self.settings(&mut tx).await?);
        let today = self.today();
        let since = [30, 60, 90].map(|days| (today - Duration::days(days)).to_string());
        let rows = tx
            .stock_age(&filter, [&since[0], &since[1], &since[2]])
            .await?;
        drop(tx);
        let mut counts = [0; 4];
        for row in &rows {
            for (sum, n) in counts.iter_mut().zip(row.buckets) {
                *sum += n;
            }
        }
        let by_model = plan.level("model") > FieldLevel::Hidden;
        let mut ev = event(
            self,
            actor,
            "vehicle.report",
            Entity::Vehicle,
            Outcome::Allowed,
        );
        ev.fields = if by_model {
            vec!["model".to_string(), "arrived_on".to_string()]
        } else {
            vec!["arrived_on".to_string()]
        };
        record(self, ev).await?;
        Ok(StockAge {
            as_of: today.to_string(),
            buckets: AGE_BUCKETS.iter().map(|b| (*b).to_string()).collect(),
            counts,
            models: by_model.then(|| {
                rows.into_iter()
                    .map(|r| StockAgeModel {
                        model: r.model,
                        counts: r.buckets,
                    })
                    .collect()
            }),
        })
    }
}
