//! `DataKey`: one customer's key. Seals and opens that customer's field values.

use std::fmt;

use zeroize::Zeroizing;

use crate::aead;
use crate::envelope::{self, FieldPlace, ALGORITHM_AES_256_GCM, HEADER_LEN};
use crate::key::Key;
use crate::VaultError;

/// A per-customer data key (DEK). Stored only wrapped by a KEK
/// ([`crate::Kek::wrap_data_key`]); destroying every wrapped copy erases the customer.
/// Zeroized on drop, never printed, not `Clone`.
pub struct DataKey(Key);

impl DataKey {
    /// A fresh random data key.
    pub fn generate() -> Self {
        Self(Key::generate())
    }

    pub(crate) fn from_key(key: Key) -> Self {
        Self(key)
    }

    pub(crate) fn key(&self) -> &Key {
        &self.0
    }

    /// Encrypts one field value for `place` (envelope format 1, AES-256-GCM, fresh random
    /// nonce). Fails only for inputs beyond AES-GCM's limit (~64 GiB).
    pub fn seal(&self, place: &FieldPlace<'_>, plaintext: &[u8]) -> Result<Vec<u8>, VaultError> {
        let algorithm = ALGORITHM_AES_256_GCM;
        let mut out = Vec::with_capacity(HEADER_LEN + aead::OVERHEAD + plaintext.len());
        out.extend_from_slice(&envelope::header(algorithm, place.key_version));
        aead::seal_append(
            &self.0,
            &envelope::aad(place, algorithm),
            plaintext,
            &mut out,
        )?;
        Ok(out)
    }

    /// Decrypts an envelope made by [`DataKey::seal`] for the same `place`.
    ///
    /// Any alteration, truncation, other place or other key is [`VaultError::Integrity`]
    /// with no data; an unknown format or algorithm is [`VaultError::UnsupportedEnvelope`].
    pub fn open(
        &self,
        place: &FieldPlace<'_>,
        envelope: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        let (algorithm, key_version, sealed) = envelope::parse(envelope)?;
        if key_version != place.key_version {
            return Err(VaultError::Integrity);
        }
        aead::open(&self.0, &envelope::aad(place, algorithm), sealed)
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey([redacted])")
    }
}
