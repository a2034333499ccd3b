//! Signed checkpoints: (seq, hash of event seq, time, Ed25519 signature).
//!
//! A checkpoint kept outside the database pins the chain at one point: a chain rewritten
//! end to end and re-hashed no longer reaches the signed hash, and a chain cut short no
//! longer reaches the signed sequence number. Only the holder of the master key (from
//! which the signing key is derived) can make one.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

/// The domain tag at the start of every signed message.
const DOMAIN: &[u8] = b"dealervault/audit-checkpoint/v1";

/// One signed checkpoint. `hash` is lowercase hex (as in the chain), `signature` is the
/// 64-byte Ed25519 signature in lowercase hex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    /// Unix milliseconds, UTC, when it was signed.
    pub at: i64,
    pub signature: String,
}

/// The signed bytes: `DOMAIN || 0x00 || seq (i64 BE) || at (i64 BE) || len(hash) (u32 BE)
/// || hash (ASCII)`. Fixed layout, so no two checkpoints encode alike.
pub fn signing_message(seq: i64, hash: &str, at: i64) -> Vec<u8> {
    let mut m = Vec::with_capacity(DOMAIN.len() + 21 + hash.len());
    m.extend_from_slice(DOMAIN);
    m.push(0);
    m.extend_from_slice(&seq.to_be_bytes());
    m.extend_from_slice(&at.to_be_bytes());
    m.extend_from_slice(&u32::try_from(hash.len()).unwrap_or(u32::MAX).to_be_bytes());
    m.extend_from_slice(hash.as_bytes());
    m
}

impl Checkpoint {
    /// Signs (`seq`, `hash`, `at`).
    pub fn sign(key: &SigningKey, seq: i64, hash: &str, at: i64) -> Self {
        let signature = key.sign(&signing_message(seq, hash, at));
        Self {
            seq,
            hash: hash.to_string(),
            at,
            signature: hex::encode(signature.to_bytes()),
        }
    }

    /// Whether the signature is `key`'s over this checkpoint's fields.
    pub fn verify(&self, key: &VerifyingKey) -> bool {
        let mut bytes = [0u8; 64];
        if hex::decode_to_slice(&self.signature, &mut bytes).is_err() {
            return false;
        }
        let signature = Signature::from_bytes(&bytes);
        key.verify(&signing_message(self.seq, &self.hash, self.at), &signature)
            .is_ok()
    }

    /// One line of the outside sink (JSON, no newline).
    pub fn to_line(&self) -> String {
        // A struct of numbers and strings: encoding cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Parses one sink line; the error says what is wrong with it.
    pub fn parse_line(line: &str) -> Result<Self, String> {
        serde_json::from_str(line).map_err(|e| format!("not a checkpoint: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> SigningKey {
        SigningKey::from_bytes(&[n; 32])
    }

    #[test]
    fn a_signed_checkpoint_verifies_and_round_trips_through_a_line() {
        let c = Checkpoint::sign(&key(1), 42, "ab".repeat(32).as_str(), 1_700_000_000_000);
        assert!(c.verify(&key(1).verifying_key()));
        assert_eq!(Checkpoint::parse_line(&c.to_line()), Ok(c.clone()));
        assert!(!c.verify(&key(2).verifying_key()));
    }

    #[test]
    fn changing_any_field_breaks_the_signature() {
        let vk = key(1).verifying_key();
        let c = Checkpoint::sign(&key(1), 42, &"ab".repeat(32), 7);
        for forged in [
            Checkpoint {
                seq: 43,
                ..c.clone()
            },
            Checkpoint { at: 8, ..c.clone() },
            Checkpoint {
                hash: "cd".repeat(32),
                ..c.clone()
            },
            Checkpoint {
                signature: "00".repeat(64),
                ..c.clone()
            },
            Checkpoint {
                signature: "zz".into(),
                ..c.clone()
            },
        ] {
            assert!(!forged.verify(&vk), "{forged:?}");
        }
        assert!(Checkpoint::parse_line("{\"seq\":1}").is_err());
    }
}
