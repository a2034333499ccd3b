//! AES-256-GCM with a random 96-bit nonce: the one cipher primitive every layer uses.
//!
//! A sealed blob is `nonce (12) || ciphertext || tag (16)`.

use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce, Tag};
use rand::rngs::OsRng;
use rand::RngCore;
use zeroize::{Zeroize, Zeroizing};

use crate::key::Key;
use crate::VaultError;

pub(crate) const NONCE_LEN: usize = 12;
pub(crate) const TAG_LEN: usize = 16;
/// Bytes a sealed blob adds to its plaintext.
pub(crate) const OVERHEAD: usize = NONCE_LEN + TAG_LEN;

fn cipher(key: &Key) -> Aes256Gcm {
    Aes256Gcm::new(key.expose().into())
}

/// Appends `nonce || ciphertext || tag` to `out`. On failure nothing is appended and no
/// plaintext is left behind in `out`'s spare capacity.
pub(crate) fn seal_append(
    key: &Key,
    aad: &[u8],
    plaintext: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), VaultError> {
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.fill_bytes(&mut nonce);
    let start = out.len();
    // Reserve everything first so the plaintext is never copied by a reallocation.
    out.reserve(OVERHEAD + plaintext.len());
    out.extend_from_slice(&nonce);
    let body = out.len();
    out.extend_from_slice(plaintext);
    let sealed = cipher(key).encrypt_in_place_detached(&Nonce::from(nonce), aad, &mut out[body..]);
    match sealed {
        Ok(tag) => {
            out.extend_from_slice(&tag);
            Ok(())
        }
        Err(_) => {
            out[start..].zeroize();
            out.truncate(start);
            Err(VaultError::Encrypt)
        }
    }
}

/// Opens `nonce || ciphertext || tag`. The plaintext is only ever held in a zeroizing
/// buffer, and a failed tag check returns no data at all.
pub(crate) fn open(key: &Key, aad: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let (nonce, rest) = sealed
        .split_first_chunk::<NONCE_LEN>()
        .ok_or(VaultError::Integrity)?;
    let (body, tag) = rest
        .split_last_chunk::<TAG_LEN>()
        .ok_or(VaultError::Integrity)?;
    let mut buffer = Zeroizing::new(body.to_vec());
    cipher(key)
        .decrypt_in_place_detached(
            &Nonce::from(*nonce),
            aad,
            buffer.as_mut_slice(),
            &Tag::from(*tag),
        )
        .map_err(|_| VaultError::Integrity)?;
    Ok(buffer)
}
