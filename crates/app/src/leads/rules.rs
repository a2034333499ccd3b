//! A store's lead rules: how new leads are handed out (manual, round-robin, by model
//! line), how many pool leads a person may claim a day, and after how many days
//! without work a lead returns to the pool. Set by whoever may assign leads store-wide
//! (by default the general manager), for their own store.

use super::assignment::lead_workers;
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event, refuse};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::{StoreId, UserId};
use dealervault_domain::values::Label;
use dealervault_domain::FieldError;
use dealervault_policy::Action;
use serde::{Deserialize, Serialize};

/// Leads for a model line go to one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ModelLine {
    pub model: String,
    pub user_id: String,
}

/// A store's rules, with the people leads may go to.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LeadRules {
    /// `manual`, `round_robin` or `by_model`.
    pub assignment: String,
    pub model_lines: Vec<ModelLine>,
    pub claims_per_day: i64,
    pub return_after_days: i64,
    /// (user id, display name) of the people who work leads of their own.
    pub workers: Vec<(String, String)>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadRulesUpdate {
    pub assignment: String,
    #[serde(default)]
    pub model_lines: Vec<ModelLine>,
    pub claims_per_day: i64,
    pub return_after_days: i64,
}

const ASSIGNMENTS: [&str; 3] = ["manual", "round_robin", "by_model"];

impl App {
    pub async fn lead_rules(&self, actor: &Actor) -> Result<LeadRules, AppError> {
        let store = self.rules_store(actor, "lead.rules").await?;
        let mut tx = self.store().read().await?;
        let row = tx.store_sales_settings(&store).await?;
        let workers = lead_workers(&mut tx, &store)
            .await?
            .into_iter()
            .map(|w| (w.id.to_string(), w.display_name))
            .collect();
        Ok(LeadRules {
            assignment: row.assignment,
            model_lines: serde_json::from_str(&row.model_lines).unwrap_or_default(),
            claims_per_day: row.claims_per_day,
            return_after_days: row.return_after_days,
            workers,
        })
    }

    pub async fn save_lead_rules(
        &self,
        actor: &Actor,
        update: &LeadRulesUpdate,
    ) -> Result<(), AppError> {
        let store = self.rules_store(actor, "lead.rules").await?;
        let mut tx = self.store().write().await?;
        let workers = lead_workers(&mut tx, &store).await?;
        let mut errors = Vec::new();
        if !ASSIGNMENTS.contains(&update.assignment.as_str()) {
            errors.push(FieldError::new("assignment", Rule::UnknownValue));
        }
        if !(0..=1000).contains(&update.claims_per_day) {
            errors.push(FieldError::new(
                "claims_per_day",
                Rule::OutOfRange { min: 0, max: 1000 },
            ));
        }
        if !(1..=365).contains(&update.return_after_days) {
            errors.push(FieldError::new(
                "return_after_days",
                Rule::OutOfRange { min: 1, max: 365 },
            ));
        }
        let mut lines = Vec::new();
        for line in &update.model_lines {
            let model = Label::parse("model_lines", &line.model);
            let user = UserId::parse(&line.user_id).filter(|u| workers.iter().any(|w| &w.id == u));
            match (model, user) {
                (Ok(model), Some(user)) => lines.push(ModelLine {
                    model: model.as_str().to_string(),
                    user_id: user.to_string(),
                }),
                (Err(e), _) => errors.push(e),
                (_, None) => errors.push(FieldError::new("model_lines", Rule::UnknownValue)),
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let mut row = tx.store_sales_settings(&store).await?;
        row.assignment.clone_from(&update.assignment);
        row.model_lines = serde_json::to_string(&lines).unwrap_or_else(|_| "[]".into());
        row.claims_per_day = update.claims_per_day;
        row.return_after_days = update.return_after_days;
        tx.save_store_sales_settings(&store, &row, self.clock().now_ms())
            .await?;
        let mut ev = event(self, actor, "lead.rules", Entity::Lead, Outcome::Allowed);
        ev.record_ids = vec![store.to_string()];
        ev.fields = vec![
            "assignment".into(),
            "model_lines".into(),
            "claims_per_day".into(),
            "return_after_days".into(),
        ];
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await
    }

    /// The actor's store, when it may assign leads store-wide.
    async fn rules_store(&self, actor: &Actor, verb: &str) -> Result<StoreId, AppError> {
        let wide = actor.may_store_wide(Entity::Lead, Action::Assign);
        match (&actor.subject.position.store_id, wide) {
            (Some(store), true) => Ok(store.clone()),
            _ => {
                let ev = event(self, actor, verb, Entity::Lead, Outcome::Denied);
                Err(refuse(self, ev, AppError::Forbidden).await)
            }
        }
    }
}
