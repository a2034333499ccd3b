//! Blind indexes: exact-match search over encrypted fields.
//!
//! `index(v) = first 16 bytes of HMAC-SHA256(K_field, v)`, where `K_field` is derived from
//! the master key for one (entity, field, version) by [`crate::MasterKey::blind_index_key`].
//!
//! **Leakage.** Within one field and version, equal values have equal indexes, so whoever
//! reads the index column learns which records share a value (and, with outside knowledge,
//! the frequency of common values) but not the values. Across fields, entities and
//! versions the keys are independent, so indexes cannot be compared. Truncation to 128 bits
//! keeps accidental collisions negligible; callers still confirm each candidate after
//! decryption. The input must be normalised by the caller (the domain's parsed form) so that
//! one value has one index.

use std::fmt;

use hmac::Mac;

use crate::key::Key;
use crate::mac::hmac_sha256;

/// Length of a blind index in bytes.
pub const BLIND_INDEX_LEN: usize = 16;

/// The blind-index key of one field at one version. Never printed (its `Debug` shows only
/// entity, field and version).
pub struct BlindIndex {
    entity: String,
    field: String,
    version: u32,
    key: Key,
}

impl BlindIndex {
    pub(crate) fn new(entity: &str, field: &str, version: u32, key: Key) -> Self {
        Self {
            entity: entity.to_owned(),
            field: field.to_owned(),
            version,
            key,
        }
    }

    /// The index of an already normalised value.
    pub fn index(&self, normalised: &str) -> [u8; BLIND_INDEX_LEN] {
        let mut mac = hmac_sha256(self.key.expose());
        mac.update(normalised.as_bytes());
        let full: [u8; 32] = mac.finalize().into_bytes().into();
        let mut out = [0u8; BLIND_INDEX_LEN];
        out.copy_from_slice(&full[..BLIND_INDEX_LEN]);
        out
    }

    pub fn entity(&self) -> &str {
        &self.entity
    }

    pub fn field(&self) -> &str {
        &self.field
    }

    pub fn version(&self) -> u32 {
        self.version
    }
}

impl fmt::Debug for BlindIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlindIndex")
            .field("entity", &self.entity)
            .field("field", &self.field)
            .field("version", &self.version)
            .field("key", &format_args!("[redacted]"))
            .finish()
    }
}
