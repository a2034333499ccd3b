//! "Who can see what" (谁能看到什么): for every role, the level of each customer field
//! (hidden, masked, clear, editable) and how it may leave in an export, the widest rows
//! it reaches for each entity × action, and how many active accounts hold it in each
//! store. Generated from the roles' policies as stored — the very ones the gate decides
//! with — so a changed role changes the report. No customer data: the administrator and
//! the auditor read it.

use super::oversees;
use super::rights::{row_scopes, RowScope};
use crate::actor::Actor;
use crate::audit_trail::{event, record, refuse};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::{governed_fields, Entity};
use dealervault_domain::error::Rule;
use dealervault_policy::RolePolicy;
use serde::Serialize;

/// `GET /api/v1/access-report`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccessReport {
    pub generated_at: i64,
    /// The store the counts are narrowed to (`?store=`), if any.
    pub store: Option<String>,
    /// Every store, for choosing one.
    pub stores: Vec<ReportStore>,
    /// The places `holders` counts, in order: the chosen store, or every store and the
    /// group (`code` absent: accounts of no store).
    pub columns: Vec<ReportStore>,
    /// The customer fields of the catalog, in order.
    pub fields: Vec<ReportField>,
    pub roles: Vec<RoleAccess>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReportStore {
    pub code: Option<String>,
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReportField {
    pub field: String,
    pub label_zh: String,
    pub label_en: String,
}

/// One role: its holders, its customer fields and its row scopes.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoleAccess {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Active accounts holding it, over `columns`.
    pub accounts: i64,
    /// Per column of the report, in its order.
    pub holders: Vec<Holders>,
    /// Each customer field, in the catalog's order.
    pub fields: Vec<FieldAccess>,
    /// Every entity × action it may take, at its widest.
    pub rows: Vec<RowScope>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Holders {
    pub store_code: Option<String>,
    pub accounts: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldAccess {
    pub field: String,
    /// `hidden`, `masked`, `clear` or `editable`.
    pub level: String,
    /// How it may leave in an export: `none`, `as_shown` or `clear`.
    pub export: String,
}

fn field_access(policy: &RolePolicy) -> Vec<FieldAccess> {
    governed_fields(Entity::Customer)
        .map(|spec| {
            let rule = policy.field_rule(Entity::Customer, spec.name);
            FieldAccess {
                field: spec.name.to_string(),
                level: policy
                    .field_level(Entity::Customer, spec.name)
                    .code()
                    .to_string(),
                export: rule
                    .map_or(dealervault_policy::ExportRight::None, |r| r.export_right())
                    .code()
                    .to_string(),
            }
        })
        .collect()
}

impl App {
    /// The report, narrowed to one store's holders when `store` names one (a code).
    /// For the administrator and the auditor; recorded as `access_report.view` (with
    /// `csv` among its fields for a download), refusals too.
    pub async fn access_report(
        &self,
        actor: &Actor,
        store: Option<&str>,
        download: bool,
    ) -> Result<AccessReport, AppError> {
        let mut ev = event(
            self,
            actor,
            "access_report.view",
            Entity::Role,
            Outcome::Denied,
        );
        if download {
            ev.fields = vec!["csv".into()];
        }
        if !oversees(actor) {
            return Err(refuse(self, ev, AppError::Forbidden).await);
        }
        let mut tx = self.store().read().await?;
        let stores = tx.stores().await?;
        let store = store.map(str::trim).filter(|s| !s.is_empty());
        let chosen = match store {
            None => None,
            Some(code) => match stores.iter().find(|s| s.code == code) {
                Some(s) => Some(s),
                None => {
                    drop(tx);
                    let e = AppError::invalid("store", Rule::UnknownValue);
                    return Err(refuse(self, ev, e).await);
                }
            },
        };
        let named = |s: &dealervault_store::StoreRow| ReportStore {
            code: Some(s.code.clone()),
            name_zh: Some(s.name_zh.clone()),
            name_en: Some(s.name_en.clone()),
        };
        let columns: Vec<(Option<dealervault_domain::ids::StoreId>, ReportStore)> = match chosen {
            Some(s) => vec![(Some(s.id.clone()), named(s))],
            None => stores
                .iter()
                .map(|s| (Some(s.id.clone()), named(s)))
                .chain(std::iter::once((
                    None,
                    ReportStore {
                        code: None,
                        name_zh: None,
                        name_en: None,
                    },
                )))
                .collect(),
        };
        let users = tx.users().await?;
        let roles = tx
            .roles()
            .await?
            .into_iter()
            .map(|role| {
                // A policy that does not parse grants nothing, as at sign-in.
                let policy = RolePolicy::from_json(&role.policy).unwrap_or_default();
                let holders: Vec<Holders> = columns
                    .iter()
                    .map(|(id, column)| Holders {
                        store_code: column.code.clone(),
                        accounts: users
                            .iter()
                            .filter(|u| {
                                u.status == "active" && u.role_id == role.id && &u.store_id == id
                            })
                            .count() as i64,
                    })
                    .collect();
                RoleAccess {
                    accounts: holders.iter().map(|h| h.accounts).sum(),
                    holders,
                    fields: field_access(&policy),
                    rows: row_scopes(&policy),
                    code: role.code,
                    name_zh: role.name_zh,
                    name_en: role.name_en,
                }
            })
            .collect();
        drop(tx);
        ev.outcome = Outcome::Allowed;
        ev.reason = chosen.map(|s| format!("store {}", s.code));
        record(self, ev).await?;
        Ok(AccessReport {
            generated_at: self.clock().now_ms(),
            store: chosen.map(|s| s.code.clone()),
            stores: stores.iter().map(named).collect(),
            columns: columns.into_iter().map(|(_, c)| c).collect(),
            fields: governed_fields(Entity::Customer)
                .map(|f| ReportField {
                    field: f.name.to_string(),
                    label_zh: f.label_zh.to_string(),
                    label_en: f.label_en.to_string(),
                })
                .collect(),
            roles,
        })
    }
}
