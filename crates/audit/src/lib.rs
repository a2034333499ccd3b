//! The audit event model, its hash chain and signed checkpoints.
//!
//! Each event's hash covers its canonical encoding and the previous event's hash, so an
//! edited, deleted, inserted or reordered event breaks every hash after it. Signed
//! checkpoints kept outside the database ([`Checkpoint`]) catch a chain rewritten end to
//! end or cut short.

mod chain;
mod checkpoint;
mod event;
mod raw;

pub use chain::{chain_hash, verify_chain, ChainBreak, GENESIS_HASH};
pub use checkpoint::{signing_message, Checkpoint};
pub use ed25519_dalek::{SigningKey, VerifyingKey};
pub use event::{AuditEvent, Outcome};
pub use raw::{canonical_into, chain_hash_raw, RawEvent};
