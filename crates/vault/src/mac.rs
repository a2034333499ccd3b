//! HMAC-SHA256 and HKDF-SHA256 for 32-byte keys, without fallible constructors.
//!
//! `Hmac::new_from_slice` and `Hkdf::expand` return `Result`s that cannot fail for the
//! sizes used here; rather than unwrap them, this module uses forms that cannot fail:
//!
//! - HMAC zero-pads a key shorter than the hash block (RFC 2104 §2), so a 32-byte key
//!   zero-padded to the 64-byte SHA-256 block *is* the HMAC key, and `KeyInit::new`
//!   takes exactly one block.
//! - HKDF-Expand of one hash-length block is `T(1) = HMAC(PRK, info || 0x01)`
//!   (RFC 5869 §2.3); the extract step is the `hkdf` crate's.
//!
//! The tests below pin both against the crates' own fallible APIs and RFC 5869.

use hkdf::Hkdf;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

use crate::key::{Key, KEY_LEN};

pub(crate) type HmacSha256 = Hmac<Sha256>;

const SHA256_BLOCK: usize = 64;

/// An HMAC-SHA256 instance keyed by `key`.
pub(crate) fn hmac_sha256(key: &[u8; KEY_LEN]) -> HmacSha256 {
    let mut block = Zeroizing::new([0u8; SHA256_BLOCK]);
    block[..KEY_LEN].copy_from_slice(key);
    <HmacSha256 as KeyInit>::new(block.as_ref().into())
}

/// HMAC-SHA256 of `message` under `key`.
pub(crate) fn hmac_sha256_of(key: &[u8; KEY_LEN], message: &[u8]) -> [u8; 32] {
    let mut mac = hmac_sha256(key);
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// HKDF-SHA256 with no salt: the first 32 output bytes for `info`.
pub(crate) fn hkdf_sha256(ikm: &[u8], info: &[u8]) -> Key {
    let (mut prk, _) = Hkdf::<Sha256>::extract(None, ikm);
    let prk_bytes: Zeroizing<[u8; KEY_LEN]> = Zeroizing::new(prk.into());
    prk.as_mut_slice().zeroize();
    let mut mac = hmac_sha256(&prk_bytes);
    mac.update(info);
    mac.update(&[1]);
    Key::from_bytes(Zeroizing::new(mac.finalize().into_bytes().into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hkdf_matches_rfc5869_test_case_3() {
        // RFC 5869 A.3: IKM = 22 × 0x0b, no salt, no info; first 32 bytes of the OKM.
        let okm = hkdf_sha256(&[0x0b; 22], &[]);
        let expected = [
            0x8d, 0xa4, 0xe7, 0x75, 0xa5, 0x63, 0xc1, 0x8f, 0x71, 0x5f, 0x80, 0x2a, 0x06, 0x3c,
            0x5a, 0x31, 0xb8, 0xa1, 0x1f, 0x5c, 0x5e, 0xe1, 0x87, 0x9e, 0xc3, 0x45, 0x4e, 0x5f,
            0x3c, 0x73, 0x8d, 0x2d,
        ];
        assert_eq!(okm.expose(), &expected);
    }

    proptest! {
        #[test]
        fn hmac_matches_new_from_slice(key in any::<[u8; 32]>(), msg in proptest::collection::vec(any::<u8>(), 0..200)) {
            let mut reference = <HmacSha256 as Mac>::new_from_slice(&key).expect("any key length");
            reference.update(&msg);
            let expected: [u8; 32] = reference.finalize().into_bytes().into();
            prop_assert_eq!(hmac_sha256_of(&key, &msg), expected);
        }

        #[test]
        fn hkdf_matches_the_crate_expand(ikm in any::<[u8; 32]>(), info in proptest::collection::vec(any::<u8>(), 0..200)) {
            let mut expected = [0u8; 32];
            Hkdf::<Sha256>::new(None, &ikm).expand(&info, &mut expected).expect("32 bytes");
            let derived = hkdf_sha256(&ikm, &info);
            prop_assert_eq!(derived.expose(), &expected);
        }
    }
}
