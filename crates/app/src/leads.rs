//! Leads (线索) and the public pool (公海): every read and write through the gate, like
//! customers. A lead's contact data is sealed under its own data key; a lead without an
//! owner waits in its store's pool, where the sales team sees it masked until someone
//! claims it. Every change of owner is written to the ownership ledger in the same
//! transaction.

mod assignment;
mod claim;
mod convert;
mod create;
mod detail;
mod edit;
mod list;
mod pool_loop;
mod reclaim;
mod reveal;
mod rules;
mod sealing;
mod view;

pub use assignment::Assignee;
pub use convert::Converted;
pub use detail::{LeadDetail, OwnershipEntry};
pub use list::{LeadListQuery, LeadPage};
pub use pool_loop::run_pool_returns;
pub use rules::{LeadRules, LeadRulesUpdate, ModelLine};
pub use view::LeadView;

use crate::actor::Actor;
use crate::audit_trail::{event, refuse};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::LeadId;

impl App {
    /// Records an attempt on a lead that is missing or out of scope (never told apart)
    /// and returns `NotFound`.
    async fn lead_not_found(&self, actor: &Actor, verb: &str, id: &str) -> AppError {
        let mut ev = event(self, actor, verb, Entity::Lead, Outcome::Denied);
        ev.record_ids = LeadId::parse(id)
            .map(|id| vec![id.to_string()])
            .unwrap_or_default();
        refuse(self, ev, AppError::NotFound).await
    }
}
