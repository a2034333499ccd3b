//! Test drives (试驾): a stock vehicle of the lead's store booked for a slot, the
//! driver's licence number, the signed waiver and the feedback. The licence number and
//! the feedback are sealed under the lead's data key, so erasing the lead erases them.
//! A drive done moves the lead to `test_drive` and counts as work on it.

mod book;
mod close;
mod list;
mod view;

pub use book::TestDriveBooking;
pub use close::{TestDriveCancel, TestDriveOutcome};
pub use list::TestDriveDayQuery;
pub use view::{TestDriveDetail, TestDriveView};

use crate::actor::Actor;
use crate::audit_trail::{event, refuse};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::TestDriveId;

pub(crate) const ENTITY: &str = "test_drive";

impl App {
    /// A missing or out-of-scope test drive: recorded, and answered like a missing one.
    async fn test_drive_not_found(&self, actor: &Actor, verb: &str, id: &str) -> AppError {
        let mut ev = event(self, actor, verb, Entity::TestDrive, Outcome::Denied);
        ev.record_ids = TestDriveId::parse(id)
            .map(|id| vec![id.to_string()])
            .unwrap_or_default();
        refuse(self, ev, AppError::NotFound).await
    }
}
