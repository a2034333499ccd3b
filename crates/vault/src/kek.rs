//! `Kek`: a key-encryption key of the keyring, which wraps per-customer data keys.
//!
//! Wrapped data key, format 1 (65 bytes):
//!
//! ```text
//! offset  size  content
//!      0     1  format = 1 (AES-256-GCM)
//!      1     4  KEK version (u32, big-endian)
//!      5    12  nonce (random)
//!     17    32  encrypted data key
//!     49    16  GCM tag
//! ```
//!
//! AAD = enc("dealervault/dek/v1", record id, KEK version): a wrapped key copied to another
//! customer's row does not unwrap.

use std::fmt;

use crate::aead;
use crate::data_key::DataKey;
use crate::encoding::Encoder;
use crate::key::{Key, KEY_LEN};
use crate::VaultError;

const WRAP_FORMAT_V1: u8 = 1;
const WRAP_HEADER_LEN: usize = 5;
/// Length in bytes of a wrapped data key (format 1).
pub const WRAPPED_DATA_KEY_LEN: usize = WRAP_HEADER_LEN + KEY_LEN + aead::OVERHEAD;

/// One version of the key-encryption key. Lives only in the keyring file, sealed by the
/// master key; never in the database. Zeroized on drop, never printed, not `Clone`.
pub struct Kek {
    version: u32,
    key: Key,
}

impl Kek {
    pub(crate) fn new(version: u32, key: Key) -> Self {
        Self { version, key }
    }

    pub(crate) fn key(&self) -> &Key {
        &self.key
    }

    /// This KEK's version, which every data key it wraps records.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// Wraps `dek` for the record (customer) `record_id`.
    pub fn wrap_data_key(&self, record_id: &str, dek: &DataKey) -> Result<Vec<u8>, VaultError> {
        let mut out = Vec::with_capacity(WRAPPED_DATA_KEY_LEN);
        out.push(WRAP_FORMAT_V1);
        out.extend_from_slice(&self.version.to_be_bytes());
        aead::seal_append(
            &self.key,
            &self.aad(record_id),
            dek.key().expose(),
            &mut out,
        )?;
        Ok(out)
    }

    /// Unwraps a data key wrapped for `record_id` by this KEK.
    ///
    /// Wrapped by another KEK version: [`VaultError::KekMismatch`] (pick the KEK with
    /// [`kek_version_of`]). Altered, truncated, another record's, or another KEK of the same
    /// version: [`VaultError::Integrity`].
    pub fn unwrap_data_key(&self, record_id: &str, wrapped: &[u8]) -> Result<DataKey, VaultError> {
        let version = parse_header(wrapped)?;
        if version != self.version {
            return Err(VaultError::KekMismatch {
                wrapped: version,
                kek: self.version,
            });
        }
        let plain = aead::open(&self.key, &self.aad(record_id), &wrapped[WRAP_HEADER_LEN..])?;
        Key::from_slice(&plain)
            .map(DataKey::from_key)
            .ok_or(VaultError::Integrity)
    }

    fn aad(&self, record_id: &str) -> Vec<u8> {
        Encoder::new("dealervault/dek/v1")
            .str(record_id)
            .u32(self.version)
            .finish()
    }
}

/// The KEK version of a format-1 wrapped data key.
pub(crate) fn parse_header(wrapped: &[u8]) -> Result<u32, VaultError> {
    let (&format, rest) = wrapped.split_first().ok_or(VaultError::Integrity)?;
    if format != WRAP_FORMAT_V1 {
        return Err(VaultError::UnsupportedWrappedKey { format });
    }
    if wrapped.len() != WRAPPED_DATA_KEY_LEN {
        return Err(VaultError::Integrity);
    }
    let (version, _) = rest.split_first_chunk::<4>().ok_or(VaultError::Integrity)?;
    Ok(u32::from_be_bytes(*version))
}

/// The KEK version a wrapped data key needs, or `None` if it is not a well-formed wrapped
/// key of a format this build knows. Used by rotation to find keys still on an old KEK.
pub fn kek_version_of(wrapped: &[u8]) -> Option<u32> {
    parse_header(wrapped).ok()
}

impl fmt::Debug for Kek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Kek")
            .field("version", &self.version)
            .field("key", &format_args!("[redacted]"))
            .finish()
    }
}
