//! Who gets a lead: the actor, the pool, a named colleague, or the store's rule (manual:
//! the pool; round-robin over the people who work leads of their own; by model line).

use super::rules::ModelLine;
use crate::actor::Actor;
use crate::error::AppError;
use crate::App;
use dealervault_domain::access::{RecordPlace, ScopeLevel};
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::{StoreId, UserId};
use dealervault_policy::{Action, Effect, RolePolicy};
use dealervault_store::{Tx, UserRow};

/// Who a new (or reassigned) lead goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assignee {
    Me,
    Pool,
    /// The store's assignment rule.
    StoreRule,
    User(String),
}

impl Assignee {
    /// `me` (default), `pool`, `rule`, or a user id.
    pub fn parse(input: Option<&str>) -> Self {
        match input.map(str::trim).filter(|s| !s.is_empty()) {
            None | Some("me") => Assignee::Me,
            Some("pool") => Assignee::Pool,
            Some("rule") => Assignee::StoreRule,
            Some(id) => Assignee::User(id.to_string()),
        }
    }
}

/// The people of `store` who work leads of their own: active accounts whose role sees
/// leads at its own scope. Sorted by id, for a stable round-robin.
pub(super) async fn lead_workers(tx: &mut Tx, store: &StoreId) -> Result<Vec<UserRow>, AppError> {
    let roles = tx.roles().await?;
    let works_leads = |role_id: &dealervault_domain::ids::RoleId| {
        roles
            .iter()
            .find(|r| &r.id == role_id)
            .and_then(|r| RolePolicy::from_json(&r.policy).ok())
            .is_some_and(|p| {
                p.widest(Entity::Lead, Action::View, Effect::Allow) == Some(ScopeLevel::Own)
            })
    };
    let mut people: Vec<UserRow> = tx
        .users()
        .await?
        .into_iter()
        .filter(|u| u.status == "active" && u.store_id.as_ref() == Some(store))
        .filter(|u| works_leads(&u.role_id))
        .collect();
    people.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(people)
}

impl App {
    /// The owner a lead of `store` gets, and the ledger's reason. A named colleague must
    /// work leads in the same store and lie within the actor's `assign` scope.
    pub(super) async fn resolve_owner(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        store: &StoreId,
        assignee: &Assignee,
        intended_model: Option<&str>,
    ) -> Result<(Option<UserId>, &'static str), AppError> {
        match assignee {
            Assignee::Me => Ok((Some(actor.user_id.clone()), "created")),
            Assignee::Pool => Ok((None, "created")),
            Assignee::User(id) => {
                let worker = self.assignable(tx, actor, store, id).await?;
                Ok((Some(worker), "assigned"))
            }
            Assignee::StoreRule => {
                let mut rules = tx.store_sales_settings(store).await?;
                let workers = lead_workers(tx, store).await?;
                let by_model = || {
                    let lines: Vec<ModelLine> =
                        serde_json::from_str(&rules.model_lines).unwrap_or_default();
                    let model = intended_model?.to_lowercase();
                    lines
                        .into_iter()
                        .find(|l| model.contains(&l.model.to_lowercase()))
                        .and_then(|l| UserId::parse(&l.user_id))
                        .filter(|u| workers.iter().any(|w| &w.id == u))
                };
                let chosen = match rules.assignment.as_str() {
                    "by_model" => by_model(),
                    "round_robin" => {
                        let next = workers
                            .iter()
                            .find(|w| {
                                rules
                                    .last_assignee_id
                                    .as_ref()
                                    .is_none_or(|last| &w.id > last)
                            })
                            .or_else(|| workers.first())
                            .map(|w| w.id.clone());
                        rules.last_assignee_id.clone_from(&next);
                        tx.save_store_sales_settings(store, &rules, self.clock().now_ms())
                            .await?;
                        next
                    }
                    _ => None,
                };
                Ok(match chosen {
                    Some(owner) => (Some(owner), "assigned"),
                    None => (None, "created"),
                })
            }
        }
    }

    /// A colleague the actor may give a lead of `store` to.
    pub(super) async fn assignable(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        store: &StoreId,
        id: &str,
    ) -> Result<UserId, AppError> {
        let refuse = || AppError::invalid("owner", Rule::UnknownValue);
        let target = UserId::parse(id).ok_or_else(refuse)?;
        let filter = actor
            .policy
            .row_filter(Entity::Lead, Action::Assign, &actor.subject)
            .map_err(|_| AppError::Forbidden)?;
        let worker = lead_workers(tx, store)
            .await?
            .into_iter()
            .find(|w| w.id == target)
            .ok_or_else(refuse)?;
        let place = RecordPlace {
            owner_id: worker.id.clone(),
            owner_team_id: worker.team_id.clone(),
            owner_department_id: worker.department_id.clone(),
            store_id: store.clone(),
        };
        let within = filter.within().contains(&place)
            && !filter.except().is_some_and(|e| e.contains(&place));
        if within {
            Ok(worker.id)
        } else {
            Err(refuse())
        }
    }
}
