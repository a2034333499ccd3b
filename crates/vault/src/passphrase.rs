//! Argon2id: from the operator's passphrase to the key that seals the master key file.

use std::fmt;

use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::key::{Key, KEY_LEN};

/// Argon2id cost parameters, written in the key file as `m=19456,t=2,p=1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KdfParams {
    /// Memory in KiB.
    pub(crate) m: u32,
    /// Passes.
    pub(crate) t: u32,
    /// Lanes.
    pub(crate) p: u32,
}

impl KdfParams {
    /// OWASP's recommendation for Argon2id: 19 MiB, two passes, one lane.
    pub(crate) const DEFAULT: Self = Self {
        m: 19_456,
        t: 2,
        p: 1,
    };

    /// Upper bounds accepted from a file, so a doctored file cannot make start-up allocate
    /// or compute without limit (1 GiB, 64 passes, 64 lanes).
    const MAX: Self = Self {
        m: 1 << 20,
        t: 64,
        p: 64,
    };

    /// Parses exactly `m=<digits>,t=<digits>,p=<digits>` within [`KdfParams::MAX`].
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split(',');
        let m = number(parts.next()?.strip_prefix("m=")?)?;
        let t = number(parts.next()?.strip_prefix("t=")?)?;
        let p = number(parts.next()?.strip_prefix("p=")?)?;
        if parts.next().is_some() || m > Self::MAX.m || t > Self::MAX.t || p > Self::MAX.p {
            return None;
        }
        Some(Self { m, t, p })
    }

    /// Argon2id(passphrase, salt) → 32 bytes. `None` if Argon2 rejects the parameters or
    /// the salt (e.g. too little memory for the lanes, a salt under 8 bytes).
    pub(crate) fn derive(&self, passphrase: &SecretString, salt: &[u8]) -> Option<Key> {
        let params = Params::new(self.m, self.t, self.p, Some(KEY_LEN)).ok()?;
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(
                passphrase.expose_secret().as_bytes(),
                salt,
                out.as_mut_slice(),
            )
            .ok()?;
        Some(Key::from_bytes(out))
    }
}

fn number(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

impl fmt::Display for KdfParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "m={},t={},p={}", self.m, self.t, self.p)
    }
}

#[cfg(test)]
mod tests {
    use super::KdfParams;

    #[test]
    fn parses_only_the_canonical_form_within_bounds() {
        let ok = KdfParams::parse("m=19456,t=2,p=1");
        assert_eq!(ok, Some(KdfParams::DEFAULT));
        assert_eq!(KdfParams::DEFAULT.to_string(), "m=19456,t=2,p=1");
        for bad in [
            "",
            "m=19456,t=2",
            "m=19456,t=2,p=1,x=1",
            "t=2,m=19456,p=1",
            "m=+19456,t=2,p=1",
            "m=19456,t=2,p=",
            "m=99999999999,t=2,p=1",
            "m=2097152,t=2,p=1",
            "m=19456,t=65,p=1",
            "m=19456,t=2,p=65",
            "m=19456, t=2,p=1",
        ] {
            assert_eq!(KdfParams::parse(bad), None, "{bad:?}");
        }
    }
}
