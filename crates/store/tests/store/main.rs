//! Store behaviour on every backend: SQLite always, PostgreSQL when a server is reachable
//! (`DEALERVAULT_TEST_PG_URL`, default postgres://postgres@127.0.0.1:5432/postgres; with
//! `CI=true` an unreachable server fails the run instead of skipping).
//!
//! Run with `cargo test -p dealervault-store`; no feature flag is needed.

// The fixtures are compiled in from the library source rather than reached through the
// `testing` feature, so these tests never depend on which features cargo unified.
#[allow(
    dead_code,
    reason = "not every fixture is used by this crate's own tests"
)]
#[path = "../../src/testing.rs"]
mod testing;

// `testing.rs` names the store through `super::`.
use dealervault_store::Store;

mod accounts;
mod audit;
mod customer_lists;
mod customers;
mod data_keys;
mod fixtures;
mod mfa;
mod migrations;
mod vehicles;
