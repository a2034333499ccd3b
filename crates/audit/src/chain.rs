use crate::event::AuditEvent;
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// SHA-256 over the previous hash, the sequence number and the event's canonical
/// encoding (JSON of a fixed field order: serde keeps struct order), as lowercase hex.
pub fn chain_hash(prev_hash: &str, seq: i64, event: &AuditEvent) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(seq.to_be_bytes());
    // A struct of strings, numbers and lists: encoding cannot fail.
    h.update(serde_json::to_vec(event).unwrap_or_default());
    hex::encode(h.finalize())
}

/// Where a chain stops being intact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// A sequence number is missing or repeated: an event was deleted or inserted.
    Gap { expected: i64, found: i64 },
    /// The event does not point at its predecessor's hash.
    Link { seq: i64 },
    /// The event's content does not match its hash: it was edited.
    Content { seq: i64 },
}

/// Checks events in ascending order, starting after (`start_seq`, `start_hash`).
pub fn verify_chain<'a>(
    start_seq: i64,
    start_hash: &str,
    events: impl IntoIterator<Item = (i64, &'a str, &'a str, &'a AuditEvent)>,
) -> Result<(i64, String), ChainBreak> {
    let (mut last_seq, mut last_hash) = (start_seq, start_hash.to_string());
    for (seq, prev_hash, hash, event) in events {
        if seq != last_seq + 1 {
            return Err(ChainBreak::Gap {
                expected: last_seq + 1,
                found: seq,
            });
        }
        if prev_hash != last_hash {
            return Err(ChainBreak::Link { seq });
        }
        if chain_hash(prev_hash, seq, event) != hash {
            return Err(ChainBreak::Content { seq });
        }
        (last_seq, last_hash) = (seq, hash.to_string());
    }
    Ok((last_seq, last_hash))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Outcome;

    fn event(n: i64) -> AuditEvent {
        AuditEvent {
            at: n,
            actor_id: Some("u1".into()),
            actor_username: Some("sales01".into()),
            action: "customer.view".into(),
            entity: "customer".into(),
            record_ids: vec![format!("c{n}")],
            fields: vec!["name".into()],
            reason: None,
            outcome: Outcome::Allowed,
            client_addr: None,
        }
    }

    fn chain(n: i64) -> Vec<(i64, String, String, AuditEvent)> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let e = event(seq);
                let h = chain_hash(&prev, seq, &e);
                let row = (seq, prev.clone(), h.clone(), e);
                prev = h;
                row
            })
            .collect()
    }

    fn check(rows: &[(i64, String, String, AuditEvent)]) -> Result<(i64, String), ChainBreak> {
        verify_chain(
            0,
            GENESIS_HASH,
            rows.iter()
                .map(|(s, p, h, e)| (*s, p.as_str(), h.as_str(), e)),
        )
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(check(&chain(5)).map(|(s, _)| s), Ok(5));
    }

    #[test]
    fn edits_deletions_insertions_and_reorders_are_found() {
        let mut edited = chain(5);
        edited[2].3.fields = vec!["mobile".into()];
        assert_eq!(check(&edited), Err(ChainBreak::Content { seq: 3 }));

        let mut deleted = chain(5);
        deleted.remove(2);
        assert_eq!(
            check(&deleted),
            Err(ChainBreak::Gap {
                expected: 3,
                found: 4
            })
        );

        let mut reordered = chain(5);
        reordered.swap(1, 2);
        assert_eq!(
            check(&reordered),
            Err(ChainBreak::Gap {
                expected: 2,
                found: 3
            })
        );

        let mut relinked = chain(5);
        relinked[3].1 = GENESIS_HASH.into();
        assert_eq!(check(&relinked), Err(ChainBreak::Link { seq: 4 }));
    }
}
