//! The demo dealership of the SPEC: stores SH01 and SH02 with their vehicle stock, an
//! account for every default role, and synthetic customers (valid in form, belonging to
//! nobody real). Tests build the same organisation, so what a tester sees in the demo is
//! what the suites check.

/// The synthetic customers, shared with the application (honeytokens).
pub use dealervault_synthetic as fake;
mod load;
mod organisation;
mod sales_floor;
mod stock;

pub use load::{customer_record, load_customers};
pub use organisation::{
    seed_organisation, DemoOrg, DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_REVEAL_QUOTA,
};
pub use sales_floor::play_sales_floor;
pub use stock::{demo_vin, VEHICLES_PER_STORE};

/// The seed of the demo's synthetic customers: every demo has the same people, and a test
/// can regenerate customer `i` of a demo with `fake::customer(DEMO_SEED, i)`.
pub const DEMO_SEED: u64 = 2026;
