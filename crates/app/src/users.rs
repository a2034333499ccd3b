//! Managing accounts: what the system administrator does — list, create with a one-time
//! password, reset a password, disable and enable, change role, move to another unit —
//! and what a store manager does when someone leaves: freeze the account, read the
//! departure-risk report. None of it touches customers.

mod book;
mod change;
mod create;
mod handover;
mod leaving;
mod list;
mod org;
mod resignation;
mod risk;
mod units;

use crate::error::AppError;
use dealervault_store::{Tx, UserRow};
use serde::Serialize;

pub use book::{Colleague, StaffDetail, StaffMember};
pub use change::AccountChange;
pub use create::{CreatedAccount, NewAccount};
pub(crate) use handover::heirs;
pub use handover::{Assignment, HandedOver, HandoverEntity, HandoverInput, MAX_ASSIGNMENTS};
pub(crate) use leaving::freeze_and_hand_over;
pub use leaving::{FreezeInput, Frozen};
pub use org::NewUnit;
pub use resignation::{run_departures, Resignation, ResignationInput};
pub use risk::{ActivityCounts, PeerCounts, RiskReport, RiskWindow, RISK_WINDOWS};
pub use units::OrgUnit;

/// An account as the administration screens and API show it: no password material.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UserSummary {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub store_code: Option<String>,
    /// Where the account sits: `group`, `store:ID`, `department:ID` or `team:ID`
    /// (the keys of `GET /api/v1/org-units`).
    pub unit: String,
    pub status: String,
    /// Signs in with a one-time password that must be changed first.
    pub must_change_password: bool,
}

async fn summary(tx: &mut Tx, user: &UserRow) -> Result<UserSummary, AppError> {
    let role = tx
        .role_by_id(&user.role_id)
        .await?
        .map(|r| r.code)
        .unwrap_or_default();
    let store_code = match &user.store_id {
        Some(id) => tx.store_code(id).await?,
        None => None,
    };
    Ok(UserSummary {
        id: user.id.to_string(),
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role,
        store_code,
        unit: units::key_of(user),
        status: user.status.clone(),
        must_change_password: user.must_change_password,
    })
}
