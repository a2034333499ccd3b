//! Time-based one-time codes (RFC 6238) as authenticator apps make them: HMAC-SHA-1,
//! six digits, 30-second steps, through `totp-rs`. The time is always the application's
//! clock (a manual one in tests), never the system's.
//!
//! A code is accepted for the current step and one step either side (a phone's clock
//! drifts, a person types slowly), and only for a step later than the last one accepted
//! for the account, so that no code, seen over a shoulder or replayed, works twice.

use totp_rs::{Algorithm, TOTP};

/// The length of a step, in milliseconds.
pub(crate) const STEP_MS: i64 = 30_000;
const STEP_SECS: u64 = 30;
pub(crate) const DIGITS: usize = 6;
/// Steps accepted on either side of the current one.
const SKEW: i64 = 1;
/// A new key: 160 random bits, as RFC 4226 recommends.
pub(crate) const KEY_BYTES: usize = 20;
/// The issuer an authenticator app shows beside the account.
pub(crate) const ISSUER: &str = "DealerVault";

/// The step `ms` (unix milliseconds) falls in.
pub(crate) fn step_at(ms: i64) -> i64 {
    ms.div_euclid(STEP_MS)
}

/// `totp-rs` refuses keys shorter than 128 bits; every key made here has 160.
fn generator(key: &[u8]) -> Option<TOTP> {
    TOTP::new(Algorithm::SHA1, DIGITS, 1, STEP_SECS, key.to_vec()).ok()
}

/// The code of `step`, as the authenticator app shows it.
pub(crate) fn code_at_step(key: &[u8], step: i64) -> Option<String> {
    let seconds = u64::try_from(step).ok()?.checked_mul(STEP_SECS)?;
    Some(generator(key)?.generate(seconds))
}

/// The key as the person types it into an app: base32 (RFC 4648), no padding.
pub(crate) fn base32(key: &[u8]) -> String {
    generator(key)
        .map(|t| t.get_secret_base32())
        .unwrap_or_default()
}

/// The `otpauth://` URI the QR code carries: issuer `DealerVault`, the username as the
/// account's label, and the parameters the apps would assume anyway, spelled out.
pub(crate) fn otpauth_uri(key: &[u8], username: &str) -> String {
    let label = format!("{ISSUER}:{username}");
    format!(
        "otpauth://totp/{}?secret={}&issuer={ISSUER}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        percent_encode(&label),
        base32(key),
    )
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// What a presented code is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The code of `step`, later than any accepted before.
    Accepted { step: i64 },
    /// The code of a step already used (or before it): never accepted twice.
    Reused,
    /// Not the code of any step in the window (wrong, too old, too early, malformed).
    Invalid,
}

/// The code as typed, without spaces; `None` unless it is six digits.
pub(crate) fn normalise(code: &str) -> Option<String> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    (code.len() == DIGITS && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

/// Judges `code` at `now_ms` for an account whose last accepted step is `last_step`.
pub(crate) fn verify(key: &[u8], code: &str, now_ms: i64, last_step: Option<i64>) -> Verdict {
    let Some(code) = normalise(code) else {
        return Verdict::Invalid;
    };
    let now = step_at(now_ms);
    let matching: Vec<i64> = (now - SKEW..=now + SKEW)
        .filter(|step| {
            code_at_step(key, *step).is_some_and(|c| same(c.as_bytes(), code.as_bytes()))
        })
        .collect();
    let fresh = matching
        .iter()
        .copied()
        .filter(|step| last_step.is_none_or(|last| *step > last))
        .max();
    match (fresh, matching.is_empty()) {
        (Some(step), _) => Verdict::Accepted { step },
        (None, false) => Verdict::Reused,
        (None, true) => Verdict::Invalid,
    }
}

/// Compares two codes in time that depends only on their length.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SHA-1 key of RFC 6238, Appendix B.
    const RFC_KEY: &[u8] = b"12345678901234567890";
    const T: i64 = 1_767_225_600_000; // 2026-01-01 00:00 UTC, a step boundary

    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        // Appendix B gives eight digits; six are their last six.
        for (seconds, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            let step = step_at(seconds * 1000);
            assert_eq!(
                code_at_step(RFC_KEY, step).as_deref(),
                Some(&eight[2..]),
                "T = {seconds}"
            );
        }
    }

    #[test]
    fn steps_are_thirty_seconds() {
        assert_eq!(step_at(T), step_at(T + 29_999));
        assert_eq!(step_at(T) + 1, step_at(T + 30_000));
        assert_eq!(step_at(T) - 1, step_at(T - 1));
    }

    #[test]
    fn the_window_is_one_step_either_side() {
        let now = T + 12_000;
        let at = |offset: i64| code_at_step(RFC_KEY, step_at(now) + offset).expect("code");
        for offset in [-1, 0, 1] {
            assert_eq!(
                verify(RFC_KEY, &at(offset), now, None),
                Verdict::Accepted {
                    step: step_at(now) + offset
                },
                "offset {offset}"
            );
        }
        for offset in [-3, -2, 2, 3] {
            // A collision with a code in the window would be a one-in-a-million fluke.
            let code = at(offset);
            if [-1, 0, 1].iter().all(|o| at(*o) != code) {
                assert_eq!(
                    verify(RFC_KEY, &code, now, None),
                    Verdict::Invalid,
                    "offset {offset}"
                );
            }
        }
    }

    #[test]
    fn a_code_is_never_accepted_twice() {
        let now = T;
        let step = step_at(now);
        let code = code_at_step(RFC_KEY, step).expect("code");
        assert_eq!(
            verify(RFC_KEY, &code, now, None),
            Verdict::Accepted { step }
        );
        assert_eq!(verify(RFC_KEY, &code, now, Some(step)), Verdict::Reused);
        // Still inside the window 30 s later, still spent.
        assert_eq!(
            verify(RFC_KEY, &code, now + 30_000, Some(step)),
            Verdict::Reused
        );
        // The code of an earlier step than the last used one is spent too.
        let earlier = code_at_step(RFC_KEY, step - 1).expect("code");
        if earlier != code {
            assert_eq!(verify(RFC_KEY, &earlier, now, Some(step)), Verdict::Reused);
        }
        // The next step's code is fresh.
        let next = code_at_step(RFC_KEY, step + 1).expect("code");
        assert_eq!(
            verify(RFC_KEY, &next, now, Some(step)),
            Verdict::Accepted { step: step + 1 }
        );
    }

    #[test]
    fn malformed_codes_are_invalid() {
        let good = code_at_step(RFC_KEY, step_at(T)).expect("code");
        let spaced = format!("{} {}", &good[..3], &good[3..]);
        assert_eq!(
            verify(RFC_KEY, &spaced, T, None),
            Verdict::Accepted { step: step_at(T) }
        );
        for bad in [
            "",
            "12345",
            "1234567",
            "12345a",
            "１２３４５６",
            &format!("{good}0"),
        ] {
            assert_eq!(verify(RFC_KEY, bad, T, None), Verdict::Invalid, "{bad:?}");
        }
    }

    #[test]
    fn the_uri_names_issuer_account_and_key() {
        let uri = otpauth_uri(RFC_KEY, "gm01");
        assert_eq!(
            uri,
            "otpauth://totp/DealerVault%3Agm01?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=DealerVault&algorithm=SHA1&digits=6&period=30"
        );
        assert!(otpauth_uri(RFC_KEY, "a b&c").contains("DealerVault%3Aa%20b%26c?"));
    }
}
