//! Where people and records sit in the organisation, and the row filter that the policy
//! resolves for one person and the store turns into SQL.

use crate::ids::{DepartmentId, StoreId, TeamId, UserId};
use serde::{Deserialize, Serialize};

/// An employee's place: group-level staff (administrator, auditor) have no store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Position {
    pub store_id: Option<StoreId>,
    pub department_id: Option<DepartmentId>,
    pub team_id: Option<TeamId>,
}

/// How far a grant reaches, from the narrowest to the widest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeLevel {
    Own,
    Team,
    Department,
    Store,
    Group,
}

impl ScopeLevel {
    pub const ALL: [ScopeLevel; 5] = [
        ScopeLevel::Own,
        ScopeLevel::Team,
        ScopeLevel::Department,
        ScopeLevel::Store,
        ScopeLevel::Group,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ScopeLevel::Own => "own",
            ScopeLevel::Team => "team",
            ScopeLevel::Department => "department",
            ScopeLevel::Store => "store",
            ScopeLevel::Group => "group",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The facts about one record that row scopes are decided on: its owner's current place
/// and the store it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordPlace {
    pub owner_id: UserId,
    pub owner_team_id: Option<TeamId>,
    pub owner_department_id: Option<DepartmentId>,
    pub store_id: StoreId,
}

/// One bound of a row filter, already resolved to the actor's ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowBound {
    Owner(UserId),
    Team(TeamId),
    Department(DepartmentId),
    Store(StoreId),
    Group,
}

impl RowBound {
    pub fn contains(&self, place: &RecordPlace) -> bool {
        match self {
            RowBound::Owner(u) => &place.owner_id == u,
            RowBound::Team(t) => place.owner_team_id.as_ref() == Some(t),
            RowBound::Department(d) => place.owner_department_id.as_ref() == Some(d),
            RowBound::Store(s) => &place.store_id == s,
            RowBound::Group => true,
        }
    }
}

/// Rows `within` the bound and not inside `except` (deny wins). Only `policy` builds one,
/// from a role's grants; the store turns it into SQL so out-of-scope rows are never loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowFilter {
    within: RowBound,
    except: Option<RowBound>,
}

impl RowFilter {
    /// For `policy` (and store tests): a filter built anywhere else bypasses the grants.
    pub fn decided(within: RowBound, except: Option<RowBound>) -> Self {
        Self { within, except }
    }

    pub fn within(&self) -> &RowBound {
        &self.within
    }

    pub fn except(&self) -> Option<&RowBound> {
        self.except.as_ref()
    }
}
