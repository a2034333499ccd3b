use dealervault_domain::access::{Position, RowBound, ScopeLevel};
use dealervault_domain::ids::UserId;

/// The person a decision is about: who they are and where they sit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub user_id: UserId,
    pub position: Position,
}

/// Which way to round when the subject lacks the unit a scope names (a salesperson with
/// no team asking for team scope): allows round down, denies round up, so a gap in the
/// organisation never grants more or denies less than the role says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rounding {
    Narrower,
    Wider,
}

impl Subject {
    pub(crate) fn bound(&self, level: ScopeLevel, rounding: Rounding) -> Option<RowBound> {
        let p = &self.position;
        let exact = match level {
            ScopeLevel::Own => Some(RowBound::Owner(self.user_id.clone())),
            ScopeLevel::Team => p.team_id.clone().map(RowBound::Team),
            ScopeLevel::Department => p.department_id.clone().map(RowBound::Department),
            ScopeLevel::Store => p.store_id.clone().map(RowBound::Store),
            ScopeLevel::Group => Some(RowBound::Group),
        };
        if exact.is_some() {
            return exact;
        }
        let next = match rounding {
            Rounding::Narrower => ScopeLevel::ALL.iter().rev().find(|l| **l < level),
            Rounding::Wider => ScopeLevel::ALL.iter().find(|l| **l > level),
        };
        next.and_then(|l| self.bound(*l, rounding))
    }
}
