//! The organisation's names as answers show them: a role's code and names, and where an
//! account sits (store, department, team). Read once per answer, for the staff pages and
//! the access reviews alike.

use crate::error::AppError;
use dealervault_domain::ids::{DepartmentId, RoleId, StoreId, TeamId};
use dealervault_store::{DepartmentRow, RoleRow, StoreRow, TeamRow, Tx};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RoleRef {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

impl RoleRef {
    /// The role's name in the reader's language.
    pub fn name(&self, zh: bool) -> &str {
        if zh {
            &self.name_zh
        } else {
            &self.name_en
        }
    }
}

/// Where an account sits: store, department, team (each absent when it has none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PlaceView {
    pub store_code: Option<String>,
    pub store_zh: Option<String>,
    pub store_en: Option<String>,
    pub department_zh: Option<String>,
    pub department_en: Option<String>,
    pub team: Option<String>,
}

/// Roles, stores, departments and teams, to name them.
pub(crate) struct OrgNames {
    pub(crate) roles: Vec<RoleRow>,
    stores: Vec<StoreRow>,
    departments: Vec<DepartmentRow>,
    teams: Vec<TeamRow>,
}

impl OrgNames {
    pub(crate) async fn load(tx: &mut Tx) -> Result<Self, AppError> {
        Ok(Self {
            roles: tx.roles().await?,
            stores: tx.stores().await?,
            departments: tx.departments().await?,
            teams: tx.teams().await?,
        })
    }

    pub(crate) fn role(&self, id: &RoleId) -> RoleRef {
        let row = self.roles.iter().find(|r| &r.id == id);
        RoleRef {
            code: row.map(|r| r.code.clone()).unwrap_or_default(),
            name_zh: row.map(|r| r.name_zh.clone()).unwrap_or_default(),
            name_en: row.map(|r| r.name_en.clone()).unwrap_or_default(),
        }
    }

    pub(crate) fn store(&self, id: Option<&StoreId>) -> Option<&StoreRow> {
        id.and_then(|id| self.stores.iter().find(|s| &s.id == id))
    }

    pub(crate) fn place(
        &self,
        store: Option<&StoreId>,
        department: Option<&DepartmentId>,
        team: Option<&TeamId>,
    ) -> PlaceView {
        let store = self.store(store);
        let department = department.and_then(|id| self.departments.iter().find(|d| &d.id == id));
        PlaceView {
            store_code: store.map(|s| s.code.clone()),
            store_zh: store.map(|s| s.name_zh.clone()),
            store_en: store.map(|s| s.name_en.clone()),
            department_zh: department.map(|d| d.name_zh.clone()),
            department_en: department.map(|d| d.name_en.clone()),
            team: team
                .and_then(|id| self.teams.iter().find(|t| &t.id == id))
                .map(|t| t.name.clone()),
        }
    }
}
