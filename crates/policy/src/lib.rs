//! Who may do what: grants of entity × action × scope, per-field levels, and the default
//! roles. Pure: no I/O, no clock. The `app` gate asks this crate for every decision.

pub mod change;
mod constraints;
mod defaults;
mod grant;
mod role_policy;
mod subject;
mod summary;

pub use constraints::{actions_for, Duty, PolicyProblem};
pub use defaults::{default_roles, RoleTemplate};
pub use grant::{Action, Effect, ExportRight, FieldLevel, FieldRule, Grant};
pub use role_policy::{Forbidden, RolePolicy};
pub use subject::Subject;
pub use summary::{FieldSight, RowRight};
