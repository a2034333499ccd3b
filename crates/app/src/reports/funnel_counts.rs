//! One funnel's figures from the leads' furthest stages: how many reached each stage
//! and what share of the first and of the previous stage that is.

use dealervault_domain::sales::LeadStatus;
use serde::Serialize;

/// The funnel of a set of leads. A lead counts at every stage up to the furthest it
/// reached, lost or not: a lead lost after a quote was contacted, visited, test-driven
/// and quoted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
pub struct FunnelCounts {
    /// Every stage in funnel order, `new` first (the number of leads).
    pub stages: Vec<StageCount>,
    /// Of these leads, how many are lost now (each also counted at its stage).
    pub lost: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StageCount {
    /// The stage's status code.
    pub stage: String,
    pub reached: u64,
    /// Per mille of the leads that reached this stage, rounded (`625` is 62.5%); null
    /// when there were none.
    pub of_first_permille: Option<u64>,
    /// Per mille of the previous stage's leads; null for the first stage and when the
    /// previous stage had none.
    pub of_previous_permille: Option<u64>,
}

/// `part` of `whole` in per mille, rounded half up: integer arithmetic, no float.
pub(crate) fn permille(part: u64, whole: u64) -> Option<u64> {
    (whole > 0).then(|| (part * 1000 + whole / 2) / whole)
}

/// Leads counted by the furthest stage they reached, and lost ones among them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    /// Indexed by `LeadStatus::rank`.
    at: [u64; LeadStatus::STAGES.len()],
    lost: u64,
}

impl Tally {
    pub(crate) fn add(&mut self, reached: LeadStatus, leads: u64, lost: u64) {
        if let Some(n) = self.at.get_mut(usize::from(reached.rank())) {
            *n += leads;
            self.lost += lost;
        }
    }

    pub(crate) fn counts(&self) -> FunnelCounts {
        // Reaching a stage means reaching every stage before it: sum from the end.
        let mut reached = self.at;
        for i in (0..reached.len().saturating_sub(1)).rev() {
            reached[i] += reached[i + 1];
        }
        let first = reached[0];
        let stages = LeadStatus::STAGES
            .iter()
            .zip(0..)
            .map(|(stage, i): (&LeadStatus, usize)| StageCount {
                stage: stage.code().to_string(),
                reached: reached[i],
                of_first_permille: permille(reached[i], first),
                of_previous_permille: i
                    .checked_sub(1)
                    .and_then(|p| permille(reached[i], reached[p])),
            })
            .collect();
        FunnelCounts {
            stages,
            lost: self.lost,
        }
    }
}

impl FunnelCounts {
    /// The number of leads: every lead reached the first stage.
    pub fn leads(&self) -> u64 {
        self.stages.first().map_or(0, |s| s.reached)
    }

    /// The stage with this status code, if it is one.
    pub fn stage(&self, code: &str) -> Option<&StageCount> {
        self.stages.iter().find(|s| s.stage == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LeadStatus::*;

    #[test]
    fn leads_count_at_every_stage_up_to_the_furthest() {
        let mut t = Tally::default();
        t.add(New, 4, 1);
        t.add(Quoted, 3, 2);
        t.add(Delivered, 1, 0);
        let c = t.counts();
        let reached: Vec<u64> = c.stages.iter().map(|s| s.reached).collect();
        assert_eq!(reached, [8, 4, 4, 4, 4, 1, 1]);
        assert_eq!((c.leads(), c.lost), (8, 3));
        let quoted = c.stage("quoted").expect("a stage");
        assert_eq!(quoted.of_first_permille, Some(500));
        assert_eq!(quoted.of_previous_permille, Some(1000));
        let ordered = c.stage("ordered").expect("a stage");
        assert_eq!(ordered.of_previous_permille, Some(250));
        assert_eq!(c.stages[0].of_previous_permille, None);
    }

    #[test]
    fn shares_round_half_up_and_are_null_without_leads() {
        assert_eq!(permille(1, 3), Some(333));
        assert_eq!(permille(2, 3), Some(667));
        assert_eq!(permille(1, 8), Some(125));
        assert_eq!(permille(0, 0), None);
        let empty = Tally::default().counts();
        assert_eq!(empty.leads(), 0);
        assert!(empty.stages.iter().all(|s| s.of_first_permille.is_none()));
    }
}
