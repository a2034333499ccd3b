//! Customers through the gate: list, detail, create, edit and reveal.

mod create;
mod detail;
mod edit;
mod list;
mod reveal;
mod view;

pub use list::{CustomerListQuery, CustomerPage};
pub use reveal::Revealed;
pub use view::CustomerView;

use crate::actor::Actor;
use crate::audit_trail::{event, refuse};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::access::RowFilter;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::CustomerId;
use dealervault_policy::{Action, Forbidden};

impl App {
    /// The actor's row filter for `action` on customers, or a recorded refusal.
    async fn customer_filter(
        &self,
        actor: &Actor,
        action: Action,
        verb: &str,
    ) -> Result<RowFilter, AppError> {
        match actor
            .policy
            .row_filter(Entity::Customer, action, &actor.subject)
        {
            Ok(filter) => Ok(filter),
            Err(Forbidden) => {
                let ev = event(self, actor, verb, Entity::Customer, Outcome::Denied);
                Err(refuse(self, ev, AppError::Forbidden).await)
            }
        }
    }

    /// Records an attempt on a record that is missing or out of scope (the two are not
    /// told apart, here or in the answer) and returns `NotFound`.
    async fn customer_not_found(&self, actor: &Actor, verb: &str, id: &str) -> AppError {
        let mut ev = event(self, actor, verb, Entity::Customer, Outcome::Denied);
        // Only well-formed ids are recorded: the rest is whatever a client typed.
        ev.record_ids = CustomerId::parse(id)
            .map(|id| vec![id.to_string()])
            .unwrap_or_default();
        refuse(self, ev, AppError::NotFound).await
    }
}
