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
use dealervault_audit::{AuditEvent, Outcome};
use dealervault_domain::access::RowFilter;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::{CustomerId, UserId};
use dealervault_policy::{Action, Forbidden};
use dealervault_store::Tx;

/// The display name of an owner (empty if the account is gone): the only thing about a
/// colleague a customer view or a duplicate refusal shows.
async fn owner_name(tx: &mut Tx, owner: &UserId) -> Result<String, AppError> {
    let mut names = tx.user_display_names(std::slice::from_ref(owner)).await?;
    Ok(names.remove(owner).unwrap_or_default())
}

/// The customer other than `this` that already has `mobile`, with its owner's name.
/// Unscoped on purpose: a duplicate must be refused even when the actor cannot see it.
async fn mobile_taken(
    tx: &mut Tx,
    mobile: &str,
    this: Option<&CustomerId>,
) -> Result<Option<(CustomerId, String)>, AppError> {
    match tx.customer_by_mobile(mobile).await? {
        Some((id, owner)) if Some(&id) != this => Ok(Some((id, owner_name(tx, &owner).await?))),
        _ => Ok(None),
    }
}

impl App {
    /// Gives up `tx` (uncommitted) and records the refusal in a transaction of its own:
    /// the writer must be free for it, and SQLite has only one.
    async fn abandon(&self, tx: Tx, ev: AuditEvent, error: AppError) -> AppError {
        drop(tx);
        refuse(self, ev, error).await
    }

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
