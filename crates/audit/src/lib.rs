//! The audit event model and its hash chain.
//!
//! Each event's hash covers its canonical encoding and the previous event's hash, so an
//! edited, deleted, inserted or reordered event breaks every hash after it. (Signed
//! checkpoints kept outside the database, which catch a chain rewritten end to end, build
//! on this.)

mod chain;
mod event;

pub use chain::{chain_hash, verify_chain, ChainBreak, GENESIS_HASH};
pub use event::{AuditEvent, Outcome};
