//! Recovery codes: for the day the phone is lost. Ten at a time, shown once, each of
//! twelve characters from an alphabet without look-alikes (no 0/o, 1/l/i), written
//! `xxxx-xxxx-xxxx` — about 59 bits each, out of reach of guessing within the login
//! limits and the lock. Only a SHA-256 hash, bound to the account, is stored; each works
//! once.

use dealervault_domain::ids::UserId;
use rand::Rng;
use sha2::{Digest, Sha256};

/// How many a person gets at a time.
pub const RECOVERY_CODES: usize = 10;
/// At or below this many left, the person is told to make new ones.
pub const FEW_RECOVERY_CODES: i64 = 2;

const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
const GROUPS: usize = 3;
const GROUP_LEN: usize = 4;

/// A fresh set, as shown to the person.
pub(crate) fn generate() -> Vec<String> {
    let mut rng = rand::rngs::OsRng;
    (0..RECOVERY_CODES)
        .map(|_| {
            (0..GROUPS)
                .map(|_| {
                    (0..GROUP_LEN)
                        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// The code as typed, in the form that is hashed: lower case, without dashes or spaces.
/// `None` unless it can be a recovery code at all.
pub(crate) fn normalise(code: &str) -> Option<String> {
    let code: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (code.len() == GROUPS * GROUP_LEN && code.bytes().all(|b| ALPHABET.contains(&b)))
        .then_some(code)
}

/// What is stored of a (normalised) code: SHA-256 over the account and the code, so the
/// same code of two accounts hashes apart.
pub(crate) fn hash(user: &UserId, normalised: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"dealervault/recovery-code/v1\0");
    h.update(user.as_str().as_bytes());
    h.update(b"\0");
    h.update(normalised.as_bytes());
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_many_distinct_and_readable() {
        let codes = generate();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert_eq!(codes.iter().collect::<HashSet<_>>().len(), RECOVERY_CODES);
        for code in &codes {
            assert_eq!(code.len(), 14, "{code}");
            assert_eq!(code.matches('-').count(), 2, "{code}");
            assert!(!code.contains(['0', 'o', '1', 'l', 'i']), "{code}");
            assert_eq!(normalise(code), Some(code.replace('-', "")));
        }
    }

    #[test]
    fn typing_is_forgiving_but_the_alphabet_is_not() {
        assert_eq!(normalise("ABCD-efgh-2345").as_deref(), Some("abcdefgh2345"));
        assert_eq!(
            normalise(" abcd efgh 2345 ").as_deref(),
            Some("abcdefgh2345")
        );
        assert_eq!(normalise("abcd-efgh-234"), None);
        assert_eq!(
            normalise("abcd-efgh-2340"),
            None,
            "0 is not in the alphabet"
        );
        assert_eq!(normalise("abcd-efgh-23456"), None);
    }

    #[test]
    fn hashes_are_bound_to_the_account() {
        let (a, b) = (UserId::generate(), UserId::generate());
        let code = "abcdefgh2345";
        assert_eq!(hash(&a, code), hash(&a, code));
        assert_ne!(hash(&a, code), hash(&b, code));
        assert_eq!(hash(&a, code).len(), 64);
        assert!(!hash(&a, code).contains(code));
    }
}
