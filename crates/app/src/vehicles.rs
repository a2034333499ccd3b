//! The vehicle stock through the gate: list, detail, create, edit (fields and status
//! moves) and the stock-age report. Vehicles hold no personal data, but the same rules
//! apply as to customers: a row filter in SQL (vehicles belong to a store, so only
//! store and group scopes reach them), a field plan (cost price and supplier terms are
//! hidden from most roles), and an audit event for every read, write and refusal.

mod create;
mod detail;
mod edit;
mod input;
mod list;
mod stock_age;
mod view;

pub use input::{Amount, VehicleInput};
pub use list::{VehicleListQuery, VehiclePage};
pub use stock_age::{StockAge, StockAgeModel, AGE_BUCKETS};
pub use view::{Money, VehicleView};

use crate::actor::Actor;
use crate::error::AppError;
use crate::App;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::VehicleId;
use dealervault_policy::Action;
use time::Date;

impl App {
    /// Today in the stores' zone: what arrival dates and days in stock count from.
    fn today(&self) -> Date {
        self.clock().local_now().date()
    }

    /// Records an attempt on a vehicle that is missing or out of scope, and returns
    /// `NotFound`.
    async fn vehicle_not_found(&self, actor: &Actor, verb: &str, id: &str) -> AppError {
        // Only well-formed ids are recorded: the rest is whatever a client typed.
        let id = VehicleId::parse(id).map(|id| id.to_string());
        self.not_found(actor, verb, Entity::Vehicle, id).await
    }
}

/// Whether the actor may move vehicles between statuses (the edit right).
fn may_move(actor: &Actor) -> bool {
    actor.may(Entity::Vehicle, Action::Edit)
}
