//! The sales floor's vocabulary: where a lead stands in the funnel, how a vehicle moves
//! through stock, what a follow-up is and how a test drive is booked. Each state machine
//! says which moves it allows, so that a request for any other gets a clear refusal and
//! writes nothing.

mod deal;
mod follow_up;
mod lead;
mod lead_input;
mod test_drive;
mod vehicle;

pub use deal::{
    ContractNumber, DealAmounts, DealState, Financing, InsurancePlan, PaymentKind, PaymentMethod,
    LOAN_TERMS,
};
pub use follow_up::{FollowUpKind, FollowUpPurpose};
pub use lead::{LeadStatus, LostReason, Milestone};
pub use lead_input::{LeadChanges, LeadInput};
pub use test_drive::{DrivingLicence, Slot, TestDriveState, SLOT_MINUTES};
pub use vehicle::VehicleStatus;
