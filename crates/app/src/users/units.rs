//! The places an account can sit: the group, a store, a department or a team. A team
//! implies its department and store, a department its store, so one key says it all.

use crate::actor::Actor;
use crate::error::AppError;
use crate::setup::Place;
use crate::App;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::{DepartmentId, StoreId, TeamId};
use dealervault_policy::Action;
use dealervault_store::{Tx, UserRow};
use serde::Serialize;

/// One place in the organisation, with the names of everything above it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OrgUnit {
    /// `group`, `store:ID`, `department:ID` or `team:ID`.
    pub key: String,
    /// 0 the group, 1 a store, 2 a department, 3 a team.
    pub depth: u8,
    pub store_code: Option<String>,
    pub store_zh: Option<String>,
    pub store_en: Option<String>,
    pub department_zh: Option<String>,
    pub department_en: Option<String>,
    pub team: Option<String>,
}

pub const GROUP_KEY: &str = "group";

/// The key of the place an account sits in.
pub(super) fn key_of(user: &UserRow) -> String {
    match (&user.team_id, &user.department_id, &user.store_id) {
        (Some(t), _, _) => format!("team:{t}"),
        (None, Some(d), _) => format!("department:{d}"),
        (None, None, Some(s)) => format!("store:{s}"),
        (None, None, None) => GROUP_KEY.to_string(),
    }
}

/// Every place, the group first, each store followed by its departments and teams.
async fn all(tx: &mut Tx) -> Result<Vec<OrgUnit>, AppError> {
    let (stores, departments, teams) = (
        tx.stores().await?,
        tx.departments().await?,
        tx.teams().await?,
    );
    let mut out = vec![OrgUnit {
        key: GROUP_KEY.into(),
        depth: 0,
        store_code: None,
        store_zh: None,
        store_en: None,
        department_zh: None,
        department_en: None,
        team: None,
    }];
    for s in &stores {
        let store = OrgUnit {
            key: format!("store:{}", s.id),
            depth: 1,
            store_code: Some(s.code.clone()),
            store_zh: Some(s.name_zh.clone()),
            store_en: Some(s.name_en.clone()),
            ..out[0].clone()
        };
        out.push(store.clone());
        for d in departments.iter().filter(|d| d.store_id == s.id) {
            let department = OrgUnit {
                key: format!("department:{}", d.id),
                depth: 2,
                department_zh: Some(d.name_zh.clone()),
                department_en: Some(d.name_en.clone()),
                ..store.clone()
            };
            out.push(department.clone());
            for t in teams.iter().filter(|t| t.department_id == d.id) {
                out.push(OrgUnit {
                    key: format!("team:{}", t.id),
                    depth: 3,
                    team: Some(t.name.clone()),
                    ..department.clone()
                });
            }
        }
    }
    Ok(out)
}

/// The account place a key names; an unknown key is refused as `field`'s input.
pub(super) async fn resolve(tx: &mut Tx, key: &str) -> Result<Place, AppError> {
    let unknown = || AppError::invalid("unit", Rule::UnknownValue);
    if key == GROUP_KEY {
        return Ok(Place::default());
    }
    let (kind, id) = key.split_once(':').ok_or_else(unknown)?;
    match kind {
        "store" => {
            let id = StoreId::parse(id).ok_or_else(unknown)?;
            let known = tx.stores().await?.into_iter().any(|s| s.id == id);
            known
                .then(|| Place {
                    store_id: Some(id),
                    ..Place::default()
                })
                .ok_or_else(unknown)
        }
        "department" => {
            let id = DepartmentId::parse(id).ok_or_else(unknown)?;
            let d = tx
                .departments()
                .await?
                .into_iter()
                .find(|d| d.id == id)
                .ok_or_else(unknown)?;
            Ok(Place {
                store_id: Some(d.store_id),
                department_id: Some(d.id),
                team_id: None,
            })
        }
        "team" => {
            let id = TeamId::parse(id).ok_or_else(unknown)?;
            let t = tx
                .teams()
                .await?
                .into_iter()
                .find(|t| t.id == id)
                .ok_or_else(unknown)?;
            Ok(Place {
                store_id: Some(t.store_id),
                department_id: Some(t.department_id),
                team_id: Some(t.id),
            })
        }
        _ => Err(unknown()),
    }
}

impl App {
    /// The places an account can be put: for the account forms.
    pub async fn org_units(&self, actor: &Actor) -> Result<Vec<OrgUnit>, AppError> {
        self.permit(actor, Entity::User, Action::View, "user.list")
            .await?;
        let mut tx = self.store().read().await?;
        all(&mut tx).await
    }
}
