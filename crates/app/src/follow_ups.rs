//! Follow-ups (跟进/回访): calls, visits and messages on a lead, planned and done. What
//! was said is sealed under the lead's data key. Doing one moves the lead along the
//! funnel and counts as work on it (so it stays out of the pool's automatic return).

mod create;
mod list;
mod view;

pub(crate) use create::{collect, status_after, text};
pub use create::{FollowUpInput, FollowUpOutcome};
pub use list::FollowUpListQuery;
pub use view::FollowUpView;

use crate::actor::Actor;
use crate::audit_trail::{event, refuse};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::FollowUpId;

pub(crate) const ENTITY: &str = "follow_up";

impl App {
    async fn follow_up_not_found(&self, actor: &Actor, verb: &str, id: &str) -> AppError {
        let mut ev = event(self, actor, verb, Entity::FollowUp, Outcome::Denied);
        ev.record_ids = FollowUpId::parse(id)
            .map(|id| vec![id.to_string()])
            .unwrap_or_default();
        refuse(self, ev, AppError::NotFound).await
    }
}
