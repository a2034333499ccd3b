//! Quarterly access reviews (权限复核) and the "who can see what" report.
//!
//! Once a quarter — started by the administrator or the auditor, or by the sweep on the
//! quarter's first day — every active account gets an item: its role, its place and a
//! snapshot of its rights, for its direct manager to keep or remove (`reviewers.rs`
//! says who that is). Removing freezes the account at once and hands its book over, as
//! a dismissal does (`users/leaving.rs`). An item undecided past its due date goes to
//! the store's manager, and when nobody is left to take it the auditor is alerted
//! (`escalate.rs`). The report lists, from the roles' policies, what each role sees of
//! customers and who holds it where (`report.rs`). None of it reads a customer: the
//! administrator and the auditor run it without customer data.

mod decide;
mod escalate;
mod quarter;
mod read;
mod report;
mod reviewers;
mod rights;
mod start;

pub use decide::ReviewDecisionInput;
pub use escalate::run_access_reviews;
pub use report::{AccessReport, FieldAccess, Holders, ReportField, ReportStore, RoleAccess};
pub use rights::{RightsSnapshot, RowScope};
pub use start::StartReviewInput;

use crate::actor::Actor;
use crate::error::AppError;
use crate::org_names::OrgNames;
pub use crate::org_names::{PlaceView, RoleRef};
use crate::users::HandedOver;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::{DepartmentId, RoleId, StoreId, TeamId, UserId};
use dealervault_policy::{Action, RolePolicy};
use dealervault_store::{StoreRow, Tx};
use reviewers::{Org, Staff};
use serde::Serialize;

/// The administrator and the auditor: who start campaigns, follow their progress and
/// read the report. Decided here rather than by a grant, like letting someone go: both
/// roles are kept away from customers, and neither needs more rights for this. Pages
/// ask it too, for what they offer.
pub fn oversees(actor: &Actor) -> bool {
    actor.may(Entity::User, Action::Edit) || actor.may(Entity::AuditLog, Action::View)
}

/// A campaign with its counts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewView {
    pub id: String,
    /// `2026-Q4`.
    pub quarter: String,
    pub started_at: i64,
    /// Who started it; absent when the sweep did, on the quarter's first day.
    pub started_by: Option<String>,
    /// The last day for decisions (`YYYY-MM-DD`, the stores' calendar).
    pub due_on: String,
    /// Counts over the items the caller may see.
    pub progress: Progress,
    /// The same per store (`store_code` absent: group-level accounts); for the
    /// administrator and the auditor only.
    pub stores: Vec<StoreProgress>,
}

/// How far a campaign (or a store's part of it) has come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Progress {
    pub total: i64,
    pub decided: i64,
    pub open: i64,
    pub removed: i64,
    /// Handed to the store's manager after their due date.
    pub escalated: i64,
    /// Overdue with nobody left to escalate to: the auditor was alerted.
    pub overdue: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StoreProgress {
    pub store_code: Option<String>,
    pub store_zh: Option<String>,
    pub store_en: Option<String>,
    #[serde(flatten)]
    pub progress: Progress,
}

/// `GET /api/v1/access-reviews`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewList {
    pub items: Vec<ReviewView>,
}

/// `GET /api/v1/access-reviews/{id}`: the campaign and its items in the caller's reach.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewDetail {
    #[serde(flatten)]
    pub review: ReviewView,
    pub items: Vec<ReviewItemView>,
}

/// An account, as reviews name people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AccountRef {
    pub id: String,
    pub username: String,
    pub display_name: String,
}

/// What changed since the snapshot was taken.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ChangedSince {
    /// The account holds another role now.
    pub role: bool,
    /// The account sits in another store, department or team now.
    pub place: bool,
    /// The account's rights differ now (another role, or its role was edited).
    pub rights: bool,
}

/// One account's item.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewItemView {
    pub id: String,
    pub review_id: String,
    pub quarter: String,
    pub account: AccountRef,
    /// The account's status now: `active`, `disabled` or `frozen`.
    pub account_status: String,
    /// The role at the snapshot.
    pub role: RoleRef,
    /// The place at the snapshot.
    pub place: PlaceView,
    pub rights: RightsSnapshot,
    /// Who decides it now; absent when nobody can (no auditor for an administrator).
    pub reviewer: Option<AccountRef>,
    pub due_on: String,
    pub overdue: bool,
    pub escalated_at: Option<i64>,
    /// `open`, `kept` or `removed`.
    pub status: String,
    pub comment: String,
    pub decided_by: Option<AccountRef>,
    pub decided_at: Option<i64>,
    pub changed: ChangedSince,
    /// The caller decides it now.
    pub may_decide: bool,
    /// What a removal handed over (in the answer to the decision only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handed_over: Option<HandedOver>,
}

/// The organisation as reviews read it: every account with its role's rights, and the
/// names of roles and places.
pub(crate) struct Directory {
    org: Org,
    names: OrgNames,
}

impl Directory {
    pub(crate) async fn load(tx: &mut Tx) -> Result<Self, AppError> {
        let names = OrgNames::load(tx).await?;
        let policy = |id: &RoleId| {
            names
                .roles
                .iter()
                .find(|r| &r.id == id)
                // A policy that does not parse grants nothing (fail closed), as at sign-in.
                .and_then(|r| RolePolicy::from_json(&r.policy).ok())
                .unwrap_or_default()
        };
        let staff = tx
            .users()
            .await?
            .into_iter()
            .map(|user| Staff {
                policy: policy(&user.role_id),
                user,
            })
            .collect();
        Ok(Self {
            org: Org::new(staff),
            names,
        })
    }

    fn account(&self, id: &UserId) -> AccountRef {
        let staff = self.org.get(id);
        AccountRef {
            id: id.to_string(),
            username: staff.map(|s| s.user.username.clone()).unwrap_or_default(),
            display_name: staff
                .map(|s| s.user.display_name.clone())
                .unwrap_or_default(),
        }
    }

    fn role(&self, id: &RoleId) -> RoleRef {
        self.names.role(id)
    }

    fn store(&self, id: Option<&StoreId>) -> Option<&StoreRow> {
        self.names.store(id)
    }

    fn place(
        &self,
        store: Option<&StoreId>,
        department: Option<&DepartmentId>,
        team: Option<&TeamId>,
    ) -> PlaceView {
        self.names.place(store, department, team)
    }
}

/// Which items the actor may see: the administrator and the auditor every item; a store
/// manager every item of their store; anyone else the items they review, reviewed first
/// or decided.
pub(crate) fn in_reach(actor: &Actor, item: &dealervault_store::ReviewItemRow) -> bool {
    let me = Some(&actor.user_id);
    oversees(actor)
        || item.reviewer_id.as_ref() == me
        || item.first_reviewer_id.as_ref() == me
        || item.decided_by.as_ref() == me
        || (actor.manages_store() && item.store_id == actor.subject.position.store_id)
}
