//! A store's approval chain and the decisions taken along it.
//!
//! A request keeps the steps it was given when it was made (a later change of the
//! store's chain does not move requests already waiting), so decisions are taken on the
//! request's own steps.

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
    /// The steps given to it when it was made, in order.
    pub steps: &'a [ApprovalStep],
    /// Unix milliseconds after which no decision is taken.
    pub expires_at: i64,
    /// Who approved so far, one per step, in order.
    pub approved_by: &'a [UserId],
}

/// A person with their role and seat now: an approver, or the requester whose seat
/// decides which steps their own request skips.
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
    /// Whether `person` sits where this step's approver sits for a request made in
    /// `store` and `department`.
    pub fn seats(
        &self,
        store: &StoreId,
        department: Option<&DepartmentId>,
        person: &Approver,
    ) -> bool {
        person.role == self.role
            && person.store == Some(store)
            && (!self.same_department || (department.is_some() && person.department == department))
    }
}

impl ApprovalChain {
    /// The steps an export of `rows` rows by `requester` goes through, in order; none for
    /// a direct one. The chain climbs: when the requester holds the seat of a step, that
    /// step and those below it are skipped — a department head's own export goes to the
    /// level above — but never the last one, so an export that needs approval always has
    /// someone else decide it (the top of the chain's own export waits for another
    /// holder of that role).
    pub fn steps_for(&self, rows: u64, requester: &Approver) -> Vec<ApprovalStep> {
        if rows <= self.direct_up_to {
            return Vec::new();
        }
        let sized: Vec<&ApprovalStep> = self.steps.iter().filter(|s| rows >= s.min_rows).collect();
        let held = requester.store.and_then(|store| {
            sized
                .iter()
                .rposition(|s| s.seats(store, requester.department, requester))
        });
        let from = match held {
            Some(i) => (i + 1).min(sized.len() - 1),
            None => 0,
        };
        sized[from..].iter().map(|s| (*s).clone()).collect()
    }
}

impl Request<'_> {
    /// A new request's status: approved at once when it has no step.
    pub fn initial_status(steps: &[ApprovalStep]) -> ExportStatus {
        if steps.is_empty() {
            ExportStatus::Approved
        } else {
            ExportStatus::Pending
        }
    }

    /// The step a pending request waits for.
    pub fn waiting_for(&self) -> Option<&ApprovalStep> {
        (self.status == ExportStatus::Pending)
            .then(|| self.steps.get(self.approved_by.len()))
            .flatten()
    }

    /// Whether `person` is the one the request waits for now.
    pub fn waits_for(&self, person: &Approver) -> bool {
        person.user != self.requested_by
            && !self.approved_by.contains(person.user)
            && self
                .waiting_for()
                .is_some_and(|s| s.seats(self.store, self.department, person))
    }

    /// The request's status after `approver` takes `decision` at `now`, or why they may
    /// not.
    pub fn decide(
        &self,
        approver: &Approver,
        decision: Decision,
        now: i64,
    ) -> Result<ExportStatus, Refusal> {
        if self.status != ExportStatus::Pending {
            return Err(Refusal::AlreadyDecided);
        }
        if now >= self.expires_at {
            return Err(Refusal::Expired);
        }
        if approver.user == self.requested_by {
            return Err(Refusal::OwnRequest);
        }
        if self.approved_by.contains(approver.user) {
            return Err(Refusal::AlreadyApproved);
        }
        let step = self.waiting_for().ok_or(Refusal::AlreadyDecided)?;
        if !step.seats(self.store, self.department, approver) {
            return Err(Refusal::NotTheApprover);
        }
        let last = self.approved_by.len() + 1 == self.steps.len();
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

    fn consultant(s: &Seats) -> Approver<'_> {
        Approver {
            user: &s.requester,
            role: "sales_consultant",
            store: Some(&s.sh01),
            department: Some(&s.sales),
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

    fn request<'a>(
        s: &'a Seats,
        steps: &'a [ApprovalStep],
        approved_by: &'a [UserId],
    ) -> Request<'a> {
        Request {
            requested_by: &s.requester,
            store: &s.sh01,
            department: Some(&s.sales),
            status: Request::initial_status(steps),
            steps,
            expires_at: 1_000,
            approved_by,
        }
    }

    fn roles(steps: &[ApprovalStep]) -> Vec<&str> {
        steps.iter().map(|s| s.role.as_str()).collect()
    }

    #[test]
    fn the_size_decides_the_steps() {
        let s = seats();
        let c = chain();
        let by = consultant(&s);
        assert!(c.steps_for(20, &by).is_empty());
        assert_eq!(
            Request::initial_status(&c.steps_for(20, &by)),
            ExportStatus::Approved
        );
        assert_eq!(roles(&c.steps_for(21, &by)), ["sales_manager"]);
        assert_eq!(
            roles(&c.steps_for(500, &by)),
            ["sales_manager", "general_manager"]
        );
        assert_eq!(
            Request::initial_status(&c.steps_for(500, &by)),
            ExportStatus::Pending
        );
        assert!(
            ApprovalChain::default().steps_for(1, &by).is_empty(),
            "a store without steps exports directly"
        );
    }

    #[test]
    fn a_managers_own_export_goes_to_the_level_above() {
        let s = seats();
        let c = chain();
        assert_eq!(roles(&c.steps_for(800, &manager(&s))), ["general_manager"]);
        assert_eq!(
            roles(&c.steps_for(100, &manager(&s))),
            ["sales_manager"],
            "the last step stays: another department head decides"
        );
        assert_eq!(roles(&c.steps_for(800, &gm(&s))), ["general_manager"]);
        let gm_steps = ApprovalChain {
            direct_up_to: 0,
            steps: vec![
                ApprovalStep {
                    min_rows: 0,
                    ..chain().steps[0].clone()
                },
                ApprovalStep {
                    min_rows: 0,
                    ..chain().steps[1].clone()
                },
            ],
        }
        .steps_for(10, &gm(&s));
        assert_eq!(
            roles(&gm_steps),
            ["general_manager"],
            "the store manager skips the department head below them"
        );
    }

    #[test]
    fn a_large_export_needs_the_head_then_the_general_manager() {
        let s = seats();
        let steps = chain().steps_for(800, &consultant(&s));
        let none = [];
        let fresh = request(&s, &steps, &none);
        assert!(fresh.waits_for(&manager(&s)));
        assert!(!fresh.waits_for(&gm(&s)));
        assert_eq!(
            fresh.decide(&gm(&s), Decision::Approve, 0),
            Err(Refusal::NotTheApprover),
            "not before the department head"
        );
        assert_eq!(
            fresh.decide(&manager(&s), Decision::Approve, 0),
            Ok(ExportStatus::Pending)
        );
        let one = [s.manager.clone()];
        let halfway = request(&s, &steps, &one);
        assert!(halfway.waits_for(&gm(&s)));
        assert!(!halfway.waits_for(&manager(&s)));
        assert_eq!(
            halfway.decide(&manager(&s), Decision::Approve, 0),
            Err(Refusal::AlreadyApproved)
        );
        assert_eq!(
            halfway.decide(&gm(&s), Decision::Approve, 0),
            Ok(ExportStatus::Approved)
        );
        let small_steps = chain().steps_for(100, &consultant(&s));
        let small = request(&s, &small_steps, &none);
        assert_eq!(
            small.decide(&manager(&s), Decision::Approve, 0),
            Ok(ExportStatus::Approved),
            "one step below 500 rows"
        );
    }

    #[test]
    fn refusals_name_why() {
        let s = seats();
        let steps = chain().steps_for(800, &consultant(&s));
        let none = [];
        let fresh = request(&s, &steps, &none);
        // The requester holding the approver's role is still not deciding their own.
        let own = Approver {
            user: &s.requester,
            ..manager(&s)
        };
        assert_eq!(
            fresh.decide(&own, Decision::Approve, 0),
            Err(Refusal::OwnRequest)
        );
        assert!(!fresh.waits_for(&own));
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
                fresh.decide(&wrong, Decision::Approve, 0),
                Err(Refusal::NotTheApprover),
                "{wrong:?}"
            );
        }
        assert_eq!(
            fresh.decide(&manager(&s), Decision::Approve, 1_000),
            Err(Refusal::Expired)
        );
        assert_eq!(
            fresh.decide(&manager(&s), Decision::Reject, 0),
            Ok(ExportStatus::Rejected)
        );
        for decided in [
            ExportStatus::Rejected,
            ExportStatus::Approved,
            ExportStatus::Expired,
        ] {
            let request = Request {
                status: decided,
                ..fresh
            };
            assert_eq!(
                request.decide(&manager(&s), Decision::Approve, 0),
                Err(Refusal::AlreadyDecided)
            );
            assert!(!request.waits_for(&manager(&s)));
        }
    }
}
