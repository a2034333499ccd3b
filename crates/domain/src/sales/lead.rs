use crate::error::{FieldError, Rule};
use crate::values::choice;

choice!(
    /// A lead's place in the funnel, in funnel order; `lost` ends it early.
    LeadStatus {
        New = "new",
        Contacted = "contacted",
        Visited = "visited",
        TestDrive = "test_drive",
        Quoted = "quoted",
        Ordered = "ordered",
        Delivered = "delivered",
        Lost = "lost",
    }
);

choice!(
    /// Why a lead was lost: what a sales manager reviews each week.
    LostReason {
        BoughtElsewhere = "bought_elsewhere",
        Price = "price",
        NotInterested = "not_interested",
        Unreachable = "unreachable",
        Financing = "financing",
        Other = "other",
    }
);

/// What happened that moves a lead along by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Milestone {
    /// A follow-up reached the person (a call or a message).
    Contacted,
    /// They came to the showroom.
    Visited,
    TestDriven,
    Quoted,
    Ordered,
    Delivered,
}

impl LeadStatus {
    /// The funnel's stages in order: every status but `lost`, which is not a stage but
    /// the end of the road at whatever stage the lead had reached.
    pub const STAGES: [LeadStatus; 7] = [
        LeadStatus::New,
        LeadStatus::Contacted,
        LeadStatus::Visited,
        LeadStatus::TestDrive,
        LeadStatus::Quoted,
        LeadStatus::Ordered,
        LeadStatus::Delivered,
    ];

    /// Position in the funnel: `new` is 0, `delivered` 6 (`lost`, after them all, is
    /// never compared as a stage: see [`LeadStatus::reached_after`]).
    pub fn rank(self) -> u8 {
        match self {
            LeadStatus::New => 0,
            LeadStatus::Contacted => 1,
            LeadStatus::Visited => 2,
            LeadStatus::TestDrive => 3,
            LeadStatus::Quoted => 4,
            LeadStatus::Ordered => 5,
            LeadStatus::Delivered => 6,
            LeadStatus::Lost => 7,
        }
    }

    /// The furthest stage reached once a lead that had reached `self` is set to `now`:
    /// the further of the two, and a lost lead keeps what it had reached, so that the
    /// funnel still counts it at the stage where it was lost.
    pub fn reached_after(self, now: LeadStatus) -> LeadStatus {
        match now {
            LeadStatus::Lost => self,
            now if now.rank() > self.rank() || self == LeadStatus::Lost => now,
            _ => self,
        }
    }

    /// Still being worked: a lead can be followed up, driven, quoted or lost.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            LeadStatus::Ordered | LeadStatus::Delivered | LeadStatus::Lost
        )
    }

    /// The statuses a salesperson may set by hand from this one: forward through the
    /// open stages, `lost` from any open stage, and a lost lead back to `contacted`.
    /// `ordered` and `delivered` come only from an order and its delivery.
    pub fn manual_moves(self) -> Vec<LeadStatus> {
        use LeadStatus::*;
        match self {
            Lost => vec![Contacted],
            open if open.is_open() => [Contacted, Visited, TestDrive, Quoted]
                .into_iter()
                .filter(|s| s.rank() > open.rank())
                .chain([Lost])
                .collect(),
            _ => vec![],
        }
    }

    /// A hand-set move, or a refusal naming the `status` field.
    pub fn move_to(self, to: LeadStatus) -> Result<LeadStatus, FieldError> {
        if self.manual_moves().contains(&to) {
            Ok(to)
        } else {
            Err(FieldError::new("status", Rule::NotAllowedNow))
        }
    }

    /// The status after `milestone`: a lead only moves forward, and a lost or finished
    /// lead is not moved by a follow-up or a test drive. An order or a delivery on a lost
    /// lead wins it back.
    pub fn after(self, milestone: Milestone) -> LeadStatus {
        use LeadStatus::*;
        let reached = match milestone {
            Milestone::Contacted => Contacted,
            Milestone::Visited => Visited,
            Milestone::TestDriven => TestDrive,
            Milestone::Quoted => Quoted,
            Milestone::Ordered => Ordered,
            Milestone::Delivered => Delivered,
        };
        match self {
            Lost if matches!(milestone, Milestone::Ordered | Milestone::Delivered) => reached,
            Lost => Lost,
            current if reached.rank() > current.rank() => reached,
            current => current,
        }
    }
}

impl LeadStatus {
    /// The status once the lead's last live order is called off: back to negotiating
    /// on the quote. Any other status stays as it is.
    pub fn after_order_cancelled(self) -> LeadStatus {
        match self {
            LeadStatus::Ordered => LeadStatus::Quoted,
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LeadStatus::*;

    #[test]
    fn hand_moves_go_forward_through_open_stages() {
        assert_eq!(
            New.manual_moves(),
            vec![Contacted, Visited, TestDrive, Quoted, Lost]
        );
        assert_eq!(Quoted.manual_moves(), vec![Lost]);
        assert_eq!(Lost.manual_moves(), vec![Contacted]);
        assert!(Ordered.manual_moves().is_empty());
        assert!(Delivered.manual_moves().is_empty());
    }

    #[test]
    fn refused_moves_name_the_status_field() {
        for (from, to) in [
            (Visited, Contacted),
            (New, Ordered),
            (Quoted, Delivered),
            (Delivered, Lost),
            (Lost, Quoted),
            (New, New),
        ] {
            assert_eq!(
                from.move_to(to),
                Err(FieldError::new("status", Rule::NotAllowedNow)),
                "{from:?} -> {to:?}"
            );
        }
        assert_eq!(New.move_to(Visited), Ok(Visited));
    }

    #[test]
    fn the_furthest_stage_reached_survives_a_loss_and_a_win_back() {
        assert_eq!(New.reached_after(Quoted), Quoted);
        assert_eq!(Quoted.reached_after(Lost), Quoted);
        assert_eq!(Quoted.reached_after(Contacted), Quoted);
        assert_eq!(Quoted.reached_after(Ordered), Ordered);
        assert_eq!(Delivered.reached_after(Lost), Delivered);
        // `lost` is never a stage reached: a stored one is taken over by any stage.
        assert_eq!(Lost.reached_after(Contacted), Contacted);
        assert_eq!(
            LeadStatus::STAGES.map(LeadStatus::rank),
            [0, 1, 2, 3, 4, 5, 6]
        );
    }

    #[test]
    fn milestones_only_move_forward() {
        assert_eq!(New.after(Milestone::Quoted), Quoted);
        assert_eq!(Quoted.after(Milestone::Contacted), Quoted);
        assert_eq!(Lost.after(Milestone::TestDriven), Lost);
        assert_eq!(Lost.after(Milestone::Ordered), Ordered);
        assert_eq!(Ordered.after(Milestone::Delivered), Delivered);
        assert_eq!(Delivered.after(Milestone::Quoted), Delivered);
        assert_eq!(Ordered.after_order_cancelled(), Quoted);
        assert_eq!(Delivered.after_order_cancelled(), Delivered);
    }
}
