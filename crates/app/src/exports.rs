//! Exports (导出): a person with an export right asks for a file of customers; the
//! store's approval chain decides (`domain::exports`); the file is generated at the first
//! download, as the requester sees the rows then — their scope, their field levels, the
//! fields their role may export — with a visible watermark and an invisible fingerprint
//! (`dealervault-exportfile`), sealed in chunks at rest, downloadable a few times within
//! a window, every download audited; its manifest stays for leak tracing (`trace.rs`).

mod chain;
mod decide;
mod download;
mod generate;
mod input;
mod lapse;
mod list;
mod pages;
mod request;
mod sample;
mod trace;
mod view;

pub use chain::{ExportRules, ExportStepRule, MAX_STEPS};
pub use download::ExportDownload;
pub use input::{DecisionInput, ExportFilterInput, ExportInput};
pub use lapse::run_export_lapses;
pub use trace::{TraceCandidate, TraceReport};
pub use view::{ApprovalView, ExportList, ExportView};

use crate::actor::Actor;
use crate::error::AppError;
use crate::App;
use dealervault_domain::exports::{Approver, ExportStatus, Refusal, Request};
use dealervault_domain::ids::{ExportId, UserId};
use dealervault_store::{ApprovalRow, ExportRow, Tx};
use std::collections::{BTreeMap, HashMap};
use view::ViewContext;

/// The actor as the approval chain sees them.
fn approver(actor: &Actor) -> Approver<'_> {
    Approver {
        user: &actor.user_id,
        role: &actor.role_code,
        store: actor.subject.position.store_id.as_ref(),
        department: actor.subject.position.department_id.as_ref(),
    }
}

/// A request's own steps and approvals, in the chain's terms.
struct Steps {
    steps: Vec<dealervault_domain::exports::ApprovalStep>,
    approved_by: Vec<UserId>,
}

impl Steps {
    fn of(approvals: &[ApprovalRow]) -> Self {
        Self {
            steps: approvals
                .iter()
                .map(|a| dealervault_domain::exports::ApprovalStep {
                    role: a.role_code.clone(),
                    same_department: a.same_department,
                    min_rows: 0,
                })
                .collect(),
            approved_by: approvals
                .iter()
                .filter(|a| a.decision.as_deref() == Some("approved"))
                .filter_map(|a| a.decided_by.clone())
                .collect(),
        }
    }

    fn request<'a>(&'a self, row: &'a ExportRow, status: ExportStatus) -> Request<'a> {
        Request {
            requested_by: &row.requested_by,
            store: &row.store_id,
            department: row.department_id.as_ref(),
            status,
            steps: &self.steps,
            expires_at: row.decide_by,
            approved_by: &self.approved_by,
        }
    }
}

/// The status as of `now`: a request whose time ran out reads `expired` even before
/// the sweep (`lapse.rs`) has written it.
fn status_at(row: &ExportRow, now: i64) -> ExportStatus {
    let stored = ExportStatus::parse("status", &row.status).unwrap_or(ExportStatus::Expired);
    let lapsed = match stored {
        ExportStatus::Pending => now >= row.decide_by,
        ExportStatus::Approved | ExportStatus::Ready => {
            row.download_until.is_some_and(|until| now >= until)
        }
        _ => false,
    };
    if lapsed {
        ExportStatus::Expired
    } else {
        stored
    }
}

/// Whether the actor may see the request at all: they asked for it, or they sit where
/// one of its steps' approvers sit.
fn may_see(actor: &Actor, row: &ExportRow, steps: &Steps) -> bool {
    let me = approver(actor);
    row.requested_by == actor.user_id
        || steps
            .steps
            .iter()
            .any(|s| s.seats(&row.store_id, row.department_id.as_ref(), &me))
}

fn refusal(r: Refusal) -> AppError {
    match r {
        Refusal::OwnRequest => AppError::Refused("own_request"),
        Refusal::NotTheApprover => AppError::Refused("not_the_approver"),
        Refusal::AlreadyApproved => AppError::Conflict("already_approved"),
        Refusal::Expired => AppError::Conflict("export_expired"),
        Refusal::AlreadyDecided => AppError::Conflict("export_decided"),
    }
}

impl App {
    /// The request if it exists and the actor may see it; `NotFound` (recorded as
    /// `verb`) otherwise, the same for both.
    async fn visible_export(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        id: &str,
        verb: &str,
    ) -> Result<(ExportRow, Vec<ApprovalRow>), AppError> {
        let entity = dealervault_domain::catalog::Entity::Customer;
        let Some(export_id) = ExportId::parse(id) else {
            return Err(self.not_found(actor, verb, entity, None).await);
        };
        if let Some(row) = tx.export(&export_id).await? {
            let approvals = tx.export_approvals(&export_id).await?;
            if may_see(actor, &row, &Steps::of(&approvals)) {
                return Ok((row, approvals));
            }
        }
        Err(self
            .not_found(actor, verb, entity, Some(export_id.to_string()))
            .await)
    }

    /// Views of `rows` for `actor`, with the names they show.
    async fn export_views(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        rows: Vec<(ExportRow, Vec<ApprovalRow>)>,
    ) -> Result<Vec<ExportView>, AppError> {
        let mut people: Vec<UserId> = rows.iter().map(|(r, _)| r.requested_by.clone()).collect();
        people.extend(
            rows.iter()
                .flat_map(|(_, a)| a.iter().filter_map(|s| s.decided_by.clone())),
        );
        let names: HashMap<UserId, String> = tx.user_display_names(&people).await?;
        let roles: BTreeMap<String, (String, String)> = tx
            .roles()
            .await?
            .into_iter()
            .map(|r| (r.code, (r.name_zh, r.name_en)))
            .collect();
        let now = self.clock().now_ms();
        let me = approver(actor);
        Ok(rows
            .iter()
            .map(|(row, approvals)| {
                let status = status_at(row, now);
                let steps = Steps::of(approvals);
                let ctx = ViewContext {
                    names: &names,
                    roles: &roles,
                    awaiting_you: steps.request(row, status).waits_for(&me),
                    can_download: row.requested_by == actor.user_id
                        && matches!(status, ExportStatus::Approved | ExportStatus::Ready),
                    status: status.code(),
                };
                view::render(row, approvals, &ctx)
            })
            .collect())
    }
}
