//! `MasterKey`: the root of the hierarchy. It lives only in the key file (see
//! [`crate::key_file`]) and in memory; it never enters the database.

use std::fmt;

use hmac::Mac;

use crate::blind_index::BlindIndex;
use crate::data_key::DataKey;
use crate::encoding::Encoder;
use crate::key::Key;
use crate::mac::{hkdf_sha256, hmac_sha256, hmac_sha256_of};
use crate::VaultError;

/// The message of the key-check value.
const CHECK_LABEL: &[u8] = b"dealervault/key-check/v1";

/// The master key. Seals the KEKs of the keyring, derives blind-index keys, and yields a
/// check value by which a wrong key is recognised before anything is read or written.
/// Zeroized on drop, never printed, not `Clone`.
pub struct MasterKey(Key);

impl MasterKey {
    /// A fresh master key held only in memory. Persist one with [`crate::key_file::create`];
    /// this is for tests and tools that need a throwaway key.
    pub fn generate() -> Self {
        Self(Key::generate())
    }

    pub(crate) fn from_key(key: Key) -> Self {
        Self(key)
    }

    /// HMAC-SHA256(master, `"dealervault/key-check/v1"`). Not secret: it is stored beside
    /// encrypted data so that start-up can tell a wrong master key from a right one before
    /// touching anything. It reveals nothing about the key.
    pub fn check_value(&self) -> [u8; 32] {
        hmac_sha256_of(self.0.expose(), CHECK_LABEL)
    }

    /// Compares a stored check value with this key's, in constant time.
    /// A mismatch (or a value of the wrong length) is [`VaultError::WrongMasterKey`].
    pub fn verify_check_value(&self, stored: &[u8]) -> Result<(), VaultError> {
        let mut mac = hmac_sha256(self.0.expose());
        mac.update(CHECK_LABEL);
        mac.verify_slice(stored)
            .map_err(|_| VaultError::WrongMasterKey)
    }

    /// The blind-index key of one field at one version (see [`BlindIndex`]):
    /// HKDF-SHA256(master, info = enc("dealervault/blind-index/v1", entity, field, version)).
    pub fn blind_index_key(&self, entity: &str, field: &str, version: u32) -> BlindIndex {
        let info = Encoder::new("dealervault/blind-index/v1")
            .str(entity)
            .str(field)
            .u32(version)
            .finish();
        BlindIndex::new(entity, field, version, self.derive(&info))
    }

    /// The Ed25519 key that signs audit checkpoints: its 32-byte seed is
    /// HKDF-SHA256(master, info = enc("dealervault/audit-signing/v1")). Derived, never
    /// stored, so the master key file is the only secret to keep.
    pub fn audit_signing_key(&self) -> ed25519_dalek::SigningKey {
        let info = Encoder::new("dealervault/audit-signing/v1").finish();
        ed25519_dalek::SigningKey::from_bytes(self.derive(&info).expose())
    }

    /// The key that seals the site's own secrets kept in the database (a webhook's signing
    /// secret, an SMTP password): HKDF-SHA256(master, info = enc("dealervault/site-secrets/v1")).
    /// A copy of the database alone holds them sealed.
    pub fn site_secrets_key(&self) -> DataKey {
        let info = Encoder::new("dealervault/site-secrets/v1").finish();
        DataKey::from_key(self.derive(&info))
    }

    /// The key that seals export files at rest, chunk by chunk:
    /// HKDF-SHA256(master, info = enc("dealervault/export-files/v1")). Each chunk's AAD
    /// names its export and position (see the app's export store), so chunks cannot be
    /// moved between files or reordered. Derived from the master key rather than wrapped
    /// by a KEK: an export file lives for days, and KEK rotation need not reach it.
    pub fn export_file_key(&self) -> DataKey {
        let info = Encoder::new("dealervault/export-files/v1").finish();
        DataKey::from_key(self.derive(&info))
    }

    /// The key that seals each account's TOTP key (two-step sign-in):
    /// HKDF-SHA256(master, info = enc("dealervault/totp-secrets/v1")). A purpose of its
    /// own, apart from the site's secrets, so that neither key can open the other's
    /// envelopes even if their places were ever spelled alike.
    pub fn totp_secrets_key(&self) -> DataKey {
        let info = Encoder::new("dealervault/totp-secrets/v1").finish();
        DataKey::from_key(self.derive(&info))
    }

    /// A subkey for one purpose, named by its encoded `info`.
    pub(crate) fn derive(&self, info: &[u8]) -> Key {
        hkdf_sha256(self.0.expose(), info)
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey([redacted])")
    }
}
