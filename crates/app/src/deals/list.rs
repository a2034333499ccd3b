//! Reading deals: one, a lead's, or the actor's list by state.

use super::view::DealView;
use crate::actor::Actor;
use crate::audit_trail::{self, event};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::{DealId, LeadId};
use dealervault_domain::sales::DealState;
use dealervault_policy::Action;
use dealervault_store::DealQuery;

/// The most deals a list returns: a store's open orders fit, and a lead has a handful.
const LIST_LIMIT: u32 = 200;

/// Which deals to list.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DealListQuery {
    /// `quoted`, `ordered`, `delivered` or `cancelled`.
    #[serde(default)]
    pub state: Option<String>,
    /// Only this lead's deals.
    #[serde(default)]
    pub lead_id: Option<String>,
}

impl App {
    /// One deal. Out of scope and missing answer the same `NotFound`.
    pub async fn deal(&self, actor: &Actor, id: &str) -> Result<DealView, AppError> {
        let filter = self
            .row_filter(actor, Entity::Deal, Action::View, "deal.view")
            .await?;
        let Some(deal_id) = DealId::parse(id) else {
            return Err(self.deal_not_found(actor, "deal.view", id).await);
        };
        let mut tx = self.store().read().await?;
        let plan = FieldPlan::of(actor, Entity::Deal, &self.settings(&mut tx).await?);
        let Some(row) = tx.deal(&filter, &deal_id).await? else {
            drop(tx);
            return Err(self.deal_not_found(actor, "deal.view", id).await);
        };
        let payments = tx.payments(&deal_id).await?;
        drop(tx);
        let view = plan.render_deal(&row, &payments, actor.may(Entity::Deal, Action::Edit));
        let mut ev = event(self, actor, "deal.view", Entity::Deal, Outcome::Allowed);
        ev.record_ids = vec![view.id.clone(), view.lead_id.clone()];
        ev.fields = plan.visible();
        audit_trail::record(self, ev).await?;
        Ok(view)
    }

    /// The deals within the actor's view scope, latest changed first.
    pub async fn deals(
        &self,
        actor: &Actor,
        query: &DealListQuery,
    ) -> Result<Vec<DealView>, AppError> {
        let filter = self
            .row_filter(actor, Entity::Deal, Action::View, "deal.list")
            .await?;
        let mut errors = Vec::new();
        let state = match query.state.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => DealState::parse("state", s)
                .map(|s| Some(s.code().to_string()))
                .map_err(|e| errors.push(e))
                .ok()
                .flatten(),
            None => None,
        };
        let lead = match query.lead_id.as_deref().filter(|s| !s.is_empty()) {
            Some(id) => LeadId::parse(id).or_else(|| {
                errors.push(dealervault_domain::FieldError::new(
                    "lead_id",
                    dealervault_domain::error::Rule::UnknownValue,
                ));
                None
            }),
            None => None,
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let mut tx = self.store().read().await?;
        let plan = FieldPlan::of(actor, Entity::Deal, &self.settings(&mut tx).await?);
        let rows = tx
            .deals(
                &filter,
                &DealQuery {
                    lead,
                    state,
                    limit: LIST_LIMIT,
                },
            )
            .await?;
        let mut views = Vec::with_capacity(rows.len());
        let may_edit = actor.may(Entity::Deal, Action::Edit);
        for row in &rows {
            let payments = tx.payments(&row.id).await?;
            views.push(plan.render_deal(row, &payments, may_edit));
        }
        drop(tx);
        let mut ev = event(self, actor, "deal.list", Entity::Deal, Outcome::Allowed);
        ev.record_ids = views.iter().map(|v| v.id.clone()).collect();
        ev.fields = plan.visible();
        audit_trail::record(self, ev).await?;
        Ok(views)
    }
}
