//! Pure types and rules of a dealership: no I/O, no clocks, no randomness.
//!
//! Values from outside (requests, imports, the command line) are parsed into these
//! types at the edge, so that the rest of the system only ever holds valid data.

pub mod access;
pub mod account;
pub mod catalog;
pub mod changes;
pub mod customer;
pub mod error;
pub mod exports;
pub mod ids;
pub mod mask;
pub mod sales;
pub mod values;

pub use error::FieldError;
