//! The field envelope: the bytes stored in place of one encrypted field value.
//!
//! ```text
//! offset  size  content
//!      0     1  format      = 1
//!      1     1  algorithm   = 1 (AES-256-GCM)
//!      2     4  key version (u32, big-endian)
//!      6    12  nonce (random)
//!     18     n  ciphertext (n = plaintext length)
//!   18+n    16  GCM tag
//! ```
//!
//! AAD = enc("dealervault/field/v1", entity, field, record id, key version, algorithm), see
//! [`crate::encoding`]. The key version in the header must equal the caller's
//! [`FieldPlace::key_version`] and is also bound by the AAD.

use crate::encoding::Encoder;
use crate::VaultError;

/// Envelope format 1, the layout above.
pub(crate) const FORMAT_V1: u8 = 1;
/// Algorithm 1: AES-256-GCM with a 96-bit random nonce and a 128-bit tag.
/// (SM4-GCM would be another algorithm number under the same format.)
pub(crate) const ALGORITHM_AES_256_GCM: u8 = 1;
/// Bytes before the nonce.
pub(crate) const HEADER_LEN: usize = 6;

/// Where a field value lives. Its ciphertext opens only at exactly this place: copied to
/// another record, field, entity or key version it fails with [`VaultError::Integrity`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldPlace<'a> {
    /// The entity, e.g. `"customer"`.
    pub entity: &'a str,
    /// The field, e.g. `"mobile"`.
    pub field: &'a str,
    /// The record's id.
    pub record_id: &'a str,
    /// The version of the data key the value is sealed under.
    pub key_version: u32,
}

pub(crate) fn header(algorithm: u8, key_version: u32) -> [u8; HEADER_LEN] {
    let v = key_version.to_be_bytes();
    [FORMAT_V1, algorithm, v[0], v[1], v[2], v[3]]
}

pub(crate) fn aad(place: &FieldPlace<'_>, algorithm: u8) -> Vec<u8> {
    Encoder::new("dealervault/field/v1")
        .str(place.entity)
        .str(place.field)
        .str(place.record_id)
        .u32(place.key_version)
        .u8(algorithm)
        .finish()
}

/// Splits an envelope into (algorithm, key version, sealed part), refusing unknown formats
/// and algorithms. A blob too short to hold a header is an integrity failure.
pub(crate) fn parse(envelope: &[u8]) -> Result<(u8, u32, &[u8]), VaultError> {
    let (header, sealed) = envelope
        .split_first_chunk::<HEADER_LEN>()
        .ok_or(VaultError::Integrity)?;
    let [format, algorithm, v0, v1, v2, v3] = *header;
    if format != FORMAT_V1 || algorithm != ALGORITHM_AES_256_GCM {
        return Err(VaultError::UnsupportedEnvelope { format, algorithm });
    }
    Ok((algorithm, u32::from_be_bytes([v0, v1, v2, v3]), sealed))
}

/// The data-key version an envelope names, so a reader can pick the key; `None` if the
/// blob is not an envelope this build understands.
pub fn envelope_key_version(envelope: &[u8]) -> Option<u32> {
    parse(envelope).ok().map(|(_, version, _)| version)
}
