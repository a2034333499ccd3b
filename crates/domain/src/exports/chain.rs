//! A store's approval chain and the decisions taken along it.

use super::status::ExportStatus;
use crate::ids::{DepartmentId, StoreId, UserId};

/// One step of a chain: its approvers hold `role` (a role code) in the requester's store
/// — and, when `same_department`, in the requester's department (a department head) —
/// and it applies to exports of at least `min_rows` rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalStep {
    pub role: String,
    pub same_department: bool,
    pub min_rows: u64,
}

/// A store's chain: an export of up to `direct_up_to` rows needs no approval (0: every
/// export does); a larger one goes through the steps that apply to its size, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApprovalChain {
    pub direct_up_to: u64,
    pub steps: Vec<ApprovalStep>,
}

/// A request as a decision needs it.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub requested_by: &'a UserId,
    pub store: &'a StoreId,
    pub department: Option<&'a DepartmentId>,
    pub status: ExportStatus,
    pub rows: u64,
    /// Unix milliseconds after which no decision is taken.
    pub expires_at: i64,
    /// Who approved so far, one per step, in order.
    pub approved_by: &'a [UserId],
}

/// Who wants to decide, with their role and seat now.
#[derive(Debug, Clone, Copy)]
pub struct Approver<'a> {
    pub user: &'a UserId,
    pub role: &'a str,
    pub store: Option<&'a StoreId>,
    pub department: Option<&'a DepartmentId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
}

/// Why a decision is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Nobody decides their own request.
    OwnRequest,
    /// The request waits for another step's approver.
    NotTheApprover,
    /// One person approves one step of a request, not two.
    AlreadyApproved,
    /// Its time ran out undecided.
    Expired,
    /// It is approved, rejected or expired already.
    AlreadyDecided,
}

impl ApprovalStep {
    fn seats(&self, request: &Request, approver: &Approver) -> bool {
        approver.role == self.role
            && approver.store == Some(request.store)
            && (!self.same_department
                || (request.department.is_some() && approver.department == request.department))
    }
}

impl ApprovalChain {
    /// The steps an export of `rows` rows goes through, in order; none for a direct one.
    pub fn steps_for(&self, rows: u64) -> Vec<&ApprovalStep> {
        if rows <= self.direct_up_to {
            return Vec::new();
        }
        self.steps.iter().filter(|s| rows >= s.min_rows).collect()
    }

    /// A new request's status: approved at once when no step applies to its size.
    pub fn initial_status(&self, rows: u64) -> ExportStatus {
        if self.steps_for(rows).is_empty() {
            ExportStatus::Approved
        } else {
            ExportStatus::Pending
        }
    }

    /// The step a pending request waits for.
    pub fn waiting_for(&self, request: &Request) -> Option<&ApprovalStep> {
        (request.status == ExportStatus::Pending)
            .then(|| self.steps_for(request.rows))
            .and_then(|steps| steps.get(request.approved_by.len()).copied())
    }

    /// The request's status after `approver` takes `decision` at `now`, or why they may
    /// not.
    pub fn decide(
        &self,
        request: &Request,
        approver: &Approver,
        decision: Decision,
        now: i64,
    ) -> Result<ExportStatus, Refusal> {
        if request.status != ExportStatus::Pending {
            return Err(Refusal::AlreadyDecided);
        }
        if now >= request.expires_at {
            return Err(Refusal::Expired);
        }
        if approver.user == request.requested_by {
            return Err(Refusal::OwnRequest);
        }
        if request.approved_by.contains(approver.user) {
            return Err(Refusal::AlreadyApproved);
        }
        let step = self.waiting_for(request).ok_or(Refusal::AlreadyDecided)?;
        if !step.seats(request, approver) {
            return Err(Refusal::NotTheApprover);
        }
        let last = request.approved_by.len() + 1 == self.steps_for(request.rows).len();
        Ok(match decision {
            Decision::Reject => ExportStatus::Rejected,
            Decision::Approve if last => ExportStatus::Approved,
            Decision::Approve => ExportStatus::Pending,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{DepartmentId, StoreId, UserId};

    struct Seats {
        sh01: StoreId,
        sh02: StoreId,
        sales: DepartmentId,
        service: DepartmentId,
        requester: UserId,
        manager: UserId,
        gm: UserId,
        other: UserId,
    }

    fn seats() -> Seats {
        Seats {
            sh01: StoreId::generate(),
            sh02: StoreId::generate(),
            sales: DepartmentId::generate(),
            service: DepartmentId::generate(),
            requester: UserId::generate(),
            manager: UserId::generate(),
            gm: UserId::generate(),
            other: UserId::generate(),
        }
    }

    /// The department head for every export above 20 rows, the general manager above 500.
    fn chain() -> ApprovalChain {
        ApprovalChain {
            direct_up_to: 20,
            steps: vec![
                ApprovalStep {
                    role: "sales_manager".into(),
                    same_department: true,
                    min_rows: 0,
                },
                ApprovalStep {
                    role: "general_manager".into(),
                    same_department: false,
                    min_rows: 500,
                },
            ],
        }
    }

    fn request<'a>(s: &'a Seats, rows: u64, approved_by: &'a [UserId]) -> Request<'a> {
        Request {
            requested_by: &s.requester,
            store: &s.sh01,
            department: Some(&s.sales),
            status: ExportStatus::Pending,
            rows,
            expires_at: 1_000,
            approved_by,
        }
    }

    fn manager(s: &Seats) -> Approver<'_> {
        Approver {
            user: &s.manager,
            role: "sales_manager",
            store: Some(&s.sh01),
            department: Some(&s.sales),
        }
    }

    fn gm(s: &Seats) -> Approver<'_> {
        Approver {
            user: &s.gm,
            role: "general_manager",
            store: Some(&s.sh01),
            department: None,
        }
    }

    #[test]
    fn the_size_decides_the_steps() {
        let c = chain();
        assert!(c.steps_for(20).is_empty());
        assert_eq!(c.initial_status(20), ExportStatus::Approved);
        assert_eq!(c.steps_for(21).len(), 1);
        assert_eq!(c.steps_for(500).len(), 2);
        assert_eq!(c.initial_status(500), ExportStatus::Pending);
        assert_eq!(
            ApprovalChain::default().initial_status(1),
            ExportStatus::Approved,
            "a store without steps exports directly"
        );
    }

    #[test]
    fn a_large_export_needs_the_head_then_the_general_manager() {
        let s = seats();
        let c = chain();
        let none = [];
        let fresh = request(&s, 800, &none);
        assert_eq!(
            c.decide(&fresh, &gm(&s), Decision::Approve, 0),
            Err(Refusal::NotTheApprover),
            "not before the department head"
        );
        assert_eq!(
            c.decide(&fresh, &manager(&s), Decision::Approve, 0),
            Ok(ExportStatus::Pending)
        );
        let one = [s.manager.clone()];
        let halfway = request(&s, 800, &one);
        assert_eq!(
            c.decide(&halfway, &manager(&s), Decision::Approve, 0),
            Err(Refusal::AlreadyApproved)
        );
        assert_eq!(
            c.decide(&halfway, &gm(&s), Decision::Approve, 0),
            Ok(ExportStatus::Approved)
        );
        let small = request(&s, 100, &none);
        assert_eq!(
            c.decide(&small, &manager(&s), Decision::Approve, 0),
            Ok(ExportStatus::Approved),
            "one step below 500 rows"
        );
    }

    #[test]
    fn refusals_name_why() {
        let s = seats();
        let c = chain();
        let none = [];
        let fresh = request(&s, 800, &none);
        // The requester is a sales manager too: still not their own request.
        let own = Approver {
            user: &s.requester,
            ..manager(&s)
        };
        assert_eq!(
            c.decide(&fresh, &own, Decision::Approve, 0),
            Err(Refusal::OwnRequest)
        );
        for wrong in [
            Approver {
                user: &s.other,
                store: Some(&s.sh02),
                ..manager(&s)
            },
            Approver {
                user: &s.other,
                department: Some(&s.service),
                ..manager(&s)
            },
            Approver {
                user: &s.other,
                role: "sales_consultant",
                ..manager(&s)
            },
        ] {
            assert_eq!(
                c.decide(&fresh, &wrong, Decision::Approve, 0),
                Err(Refusal::NotTheApprover),
                "{wrong:?}"
            );
        }
        assert_eq!(
            c.decide(&fresh, &manager(&s), Decision::Approve, 1_000),
            Err(Refusal::Expired)
        );
        assert_eq!(
            c.decide(&fresh, &manager(&s), Decision::Reject, 0),
            Ok(ExportStatus::Rejected)
        );
        let rejected = Request {
            status: ExportStatus::Rejected,
            ..fresh
        };
        assert_eq!(
            c.decide(&rejected, &manager(&s), Decision::Approve, 0),
            Err(Refusal::AlreadyDecided)
        );
    }
}
