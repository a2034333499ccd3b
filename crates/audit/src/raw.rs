//! The chain hash computed from stored columns without building an [`AuditEvent`]: the
//! record-id and field lists are taken as the JSON text the store keeps, so verifying a
//! million events does not parse and re-encode two million lists.
//!
//! [`AuditEvent`]: crate::AuditEvent

use sha2::{Digest, Sha256};

/// One stored event, borrowed. `record_ids` and `fields` are the stored JSON arrays.
#[derive(Debug, Clone, Copy)]
pub struct RawEvent<'a> {
    pub at: i64,
    pub actor_id: Option<&'a str>,
    pub actor_username: Option<&'a str>,
    pub action: &'a str,
    pub entity: &'a str,
    pub record_ids: &'a str,
    pub fields: &'a str,
    pub reason: Option<&'a str>,
    pub outcome: &'a str,
    pub client_addr: Option<&'a str>,
}

fn string(buf: &mut Vec<u8>, s: &str) {
    // Writing to a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *buf, s);
}

fn opt(buf: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(buf, s),
        None => buf.extend_from_slice(b"null"),
    }
}

/// Writes the canonical encoding of `ev` (the same bytes as `serde_json::to_vec` of the
/// equivalent [`crate::AuditEvent`], provided the lists are stored compactly, as the store
/// writes them) into `buf`, replacing its contents.
pub fn canonical_into(buf: &mut Vec<u8>, ev: &RawEvent<'_>) {
    buf.clear();
    buf.extend_from_slice(b"{\"at\":");
    let _ = std::io::Write::write_fmt(buf, format_args!("{}", ev.at));
    buf.extend_from_slice(b",\"actor_id\":");
    opt(buf, ev.actor_id);
    buf.extend_from_slice(b",\"actor_username\":");
    opt(buf, ev.actor_username);
    buf.extend_from_slice(b",\"action\":");
    string(buf, ev.action);
    buf.extend_from_slice(b",\"entity\":");
    string(buf, ev.entity);
    buf.extend_from_slice(b",\"record_ids\":");
    buf.extend_from_slice(ev.record_ids.as_bytes());
    buf.extend_from_slice(b",\"fields\":");
    buf.extend_from_slice(ev.fields.as_bytes());
    buf.extend_from_slice(b",\"reason\":");
    opt(buf, ev.reason);
    buf.extend_from_slice(b",\"outcome\":");
    string(buf, ev.outcome);
    buf.extend_from_slice(b",\"client_addr\":");
    opt(buf, ev.client_addr);
    buf.push(b'}');
}

/// [`crate::chain_hash`] of a stored event, as 64 lowercase hex bytes. `buf` is scratch
/// space, reused across calls.
pub fn chain_hash_raw(buf: &mut Vec<u8>, prev_hash: &str, seq: i64, ev: &RawEvent<'_>) -> [u8; 64] {
    canonical_into(buf, ev);
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(seq.to_be_bytes());
    h.update(&buf[..]);
    let mut out = [0u8; 64];
    // 32 bytes always fit 64 hex digits.
    let _ = hex::encode_to_slice(h.finalize(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{chain_hash, AuditEvent, Outcome};

    #[test]
    fn the_raw_hash_equals_the_event_hash() {
        let events = [
            AuditEvent {
                at: -5,
                actor_id: None,
                actor_username: Some("sys\"tem\u{1}李".into()),
                action: "a.b".into(),
                entity: "e".into(),
                record_ids: vec![],
                fields: vec!["x\\y".into(), "名".into()],
                reason: Some("because\n".into()),
                outcome: Outcome::Denied,
                client_addr: None,
            },
            AuditEvent {
                at: 1_780_000_000_000,
                actor_id: Some("u1".into()),
                actor_username: None,
                action: "customer.view".into(),
                entity: "customer".into(),
                record_ids: vec!["c1".into(), "c2".into()],
                fields: vec![],
                reason: None,
                outcome: Outcome::Allowed,
                client_addr: Some("127.0.0.1".into()),
            },
        ];
        let mut buf = Vec::new();
        for (i, e) in events.iter().enumerate() {
            let record_ids = serde_json::to_string(&e.record_ids).unwrap_or_default();
            let fields = serde_json::to_string(&e.fields).unwrap_or_default();
            let raw = RawEvent {
                at: e.at,
                actor_id: e.actor_id.as_deref(),
                actor_username: e.actor_username.as_deref(),
                action: &e.action,
                entity: &e.entity,
                record_ids: &record_ids,
                fields: &fields,
                reason: e.reason.as_deref(),
                outcome: e.outcome.code(),
                client_addr: e.client_addr.as_deref(),
            };
            let seq = i64::try_from(i).unwrap_or(0) + 1;
            let expected = chain_hash("ab", seq, e);
            assert_eq!(
                &chain_hash_raw(&mut buf, "ab", seq, &raw)[..],
                expected.as_bytes()
            );
        }
    }
}
