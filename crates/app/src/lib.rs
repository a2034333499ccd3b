//! The use cases of DealerVault and the one gate in front of personal data.
//!
//! Every read or write of customer data — from a page, the JSON API, an export or a
//! partner sync — is a call into this crate with an [`Actor`]. A use case asks `policy`
//! for a row filter and a field plan, asks `store` for the rows under that filter, shows
//! only the fields the plan allows (masked by rule), and appends the audit event in the
//! same transaction. The web layer does not depend on `store` at all, so it has no
//! second path to the data.

mod actor;
pub mod alerts;
mod app;
pub mod audit_trail;
pub mod auth;
pub mod checkpoints;
mod clock;
pub mod customers;
pub mod deals;
mod error;
pub mod exports;
mod field_plan;
pub mod follow_ups;
mod followers;
pub mod keys;
pub mod leads;
pub mod org_names;
pub mod reports;
pub mod reviews;
pub mod roles;
pub mod settings;
pub mod setup;
pub mod test_drives;
pub mod users;
pub mod vault;
pub mod vehicles;

pub use actor::{Actor, RequestContext};
pub use app::{App, AppConfig};
pub use clock::{to_local, Clock};
pub use dealervault_store::{Backend, Store};
pub use error::AppError;
pub use followers::run_followers;
pub use vault::{KeyPaths, Vault};
