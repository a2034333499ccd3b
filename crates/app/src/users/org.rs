//! Growing the organisation: a store, a department in a store, a team in a department.
//! Accounts are then put there (`AccountChange::Move`); scopes follow the new places.

use super::units::{resolve, OrgUnit};
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event};
use crate::error::AppError;
use crate::setup::{add_department, add_store, add_team};
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::account::{role_name, store_code, RoleCode};
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::FieldError;
use dealervault_policy::Action;

/// A place to add, as typed; also the API's body: `{"kind": "store", "code", "name_zh",
/// "name_en"}`, `{"kind": "department", "store": KEY, "code", "name_zh", "name_en"}` or
/// `{"kind": "team", "department": KEY, "name"}`.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum NewUnit {
    Store {
        code: String,
        name_zh: String,
        name_en: String,
    },
    /// In the store an `OrgUnit` key names.
    Department {
        store: String,
        code: String,
        name_zh: String,
        name_en: String,
    },
    /// In the department an `OrgUnit` key names.
    Team { department: String, name: String },
}

fn all_or_refusals<T>(results: Vec<Result<T, FieldError>>) -> Result<Vec<T>, AppError> {
    let (ok, refused): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    if refused.is_empty() {
        Ok(ok.into_iter().flatten().collect())
    } else {
        Err(AppError::Invalid(
            refused.into_iter().filter_map(Result::err).collect(),
        ))
    }
}

impl App {
    /// Adds a store, department or team; its key is returned. A code (or a team's name)
    /// already used in the same place answers `unit_exists`.
    pub async fn add_org_unit(&self, actor: &Actor, new: &NewUnit) -> Result<String, AppError> {
        self.permit(
            actor,
            Entity::Organisation,
            Action::Create,
            "organisation.create",
        )
        .await?;
        let mut tx = self.store().write().await?;
        let key = match new {
            NewUnit::Store {
                code,
                name_zh,
                name_en,
            } => {
                let v = all_or_refusals(vec![
                    store_code(code),
                    role_name("name_zh", name_zh),
                    role_name("name_en", name_en),
                ])?;
                if tx.store_by_code(&v[0]).await?.is_some() {
                    return Err(AppError::Conflict("unit_exists"));
                }
                format!("store:{}", add_store(&mut tx, &v[0], &v[1], &v[2]).await?)
            }
            NewUnit::Department {
                store,
                code,
                name_zh,
                name_en,
            } => {
                // A store's key, not a department's or team's.
                let store_id = resolve(&mut tx, store)
                    .await
                    .ok()
                    .filter(|p| p.department_id.is_none())
                    .and_then(|p| p.store_id);
                let mut checks = vec![
                    RoleCode::parse(code).map(|c| c.as_str().to_string()),
                    role_name("name_zh", name_zh),
                    role_name("name_en", name_en),
                ];
                if store_id.is_none() {
                    checks.push(Err(FieldError::new("store", Rule::UnknownValue)));
                }
                let v = all_or_refusals(checks)?;
                let Some(store_id) = store_id else {
                    return Err(AppError::invalid("store", Rule::UnknownValue));
                };
                let taken = tx
                    .departments()
                    .await?
                    .iter()
                    .any(|d| d.store_id == store_id && d.code == v[0]);
                if taken {
                    return Err(AppError::Conflict("unit_exists"));
                }
                let id = add_department(&mut tx, &store_id, &v[0], &v[1], &v[2]).await?;
                format!("department:{id}")
            }
            NewUnit::Team { department, name } => {
                let name = role_name("name", name).map_err(|e| AppError::Invalid(vec![e]))?;
                let place = resolve(&mut tx, department)
                    .await
                    .map_err(|_| AppError::invalid("department", Rule::UnknownValue))?;
                let (Some(store_id), Some(department_id), None) =
                    (place.store_id, place.department_id, place.team_id)
                else {
                    return Err(AppError::invalid("department", Rule::UnknownValue));
                };
                let taken = tx
                    .teams()
                    .await?
                    .iter()
                    .any(|t| t.department_id == department_id && t.name == name);
                if taken {
                    return Err(AppError::Conflict("unit_exists"));
                }
                format!(
                    "team:{}",
                    add_team(&mut tx, &store_id, &department_id, &name).await?
                )
            }
        };
        let mut ev = event(
            self,
            actor,
            "organisation.create",
            Entity::Organisation,
            Outcome::Allowed,
        );
        ev.record_ids = vec![key.clone()];
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await?;
        Ok(key)
    }

    /// Every place with how many accounts sit exactly there.
    pub async fn org_chart(&self, actor: &Actor) -> Result<Vec<(OrgUnit, usize)>, AppError> {
        let units = self.org_units(actor).await?;
        let users = self.list_users(actor).await?;
        Ok(units
            .into_iter()
            .map(|u| {
                let n = users.iter().filter(|a| a.unit == u.key).count();
                (u, n)
            })
            .collect())
    }
}
