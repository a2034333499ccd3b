//! Roles, for the system administrator: reading them, the permission editor's save with
//! what it opens up, new roles, and a preview of a sample customer as a role would see
//! it. None of it touches a real customer.

mod edit;
mod preview;
mod read;
mod sample;

use dealervault_policy::change::Difference;
use dealervault_policy::RolePolicy;
use dealervault_store::RoleRow;
use serde::Serialize;

pub use edit::NewRole;
pub use preview::RolePreview;
pub(crate) use read::role_summaries;

/// A role as the administration screens offer it: its code and its names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RoleSummary {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// A role with its rights, for the permission editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleDetail {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Created by `init` (its code cannot change; its rights can).
    pub builtin: bool,
    /// Accounts holding the role.
    pub members: i64,
    /// Changes whenever the rights are saved: a save names the version it was made
    /// from, so that two administrators cannot overwrite each other unseen.
    pub version: i64,
    pub policy: RolePolicy,
    /// Holders must sign in with a second step (TOTP). Beside the policy, not in it:
    /// it is about signing in, not about data.
    pub requires_mfa: bool,
}

impl RoleDetail {
    fn of(row: RoleRow, members: i64) -> Self {
        Self {
            // A policy that does not parse grants nothing (fail closed), as at sign-in.
            policy: RolePolicy::from_json(&row.policy).unwrap_or_default(),
            code: row.code,
            name_zh: row.name_zh,
            name_en: row.name_en,
            builtin: row.builtin,
            members,
            version: row.updated_at,
            requires_mfa: row.requires_mfa,
        }
    }
}

/// A saved change: the role as it is now, and every difference from before.
#[derive(Debug, Clone)]
pub struct RoleSaved {
    pub role: RoleDetail,
    pub differences: Vec<Difference>,
}
