//! Hashing a page of stored events, in parallel: each event's hash depends only on its own
//! columns and its stored `prev_hash`, so the page's hashes can be checked on every core
//! while the links between them are checked in order afterwards.

use dealervault_audit::{chain_hash_raw, RawEvent};
use dealervault_store::ChainRowRef;

fn raw<'r>(row: &'r ChainRowRef<'_>) -> RawEvent<'r> {
    RawEvent {
        at: row.at,
        actor_id: row.actor_id.as_deref(),
        actor_username: row.actor_username.as_deref(),
        action: &row.action,
        entity: &row.entity,
        record_ids: &row.record_ids,
        fields: &row.fields,
        reason: row.reason.as_deref(),
        outcome: &row.outcome,
        client_addr: row.client_addr.as_deref(),
    }
}

/// Whether `row`'s stored hash is the hash of its content and stored `prev_hash`.
pub(crate) fn content_matches(buf: &mut Vec<u8>, row: &ChainRowRef<'_>) -> bool {
    chain_hash_raw(buf, &row.prev_hash, row.seq, &raw(row)).as_slice() == row.hash.as_bytes()
}

fn first_mismatch_in(rows: &[ChainRowRef<'_>]) -> Option<usize> {
    let mut buf = Vec::with_capacity(512);
    rows.iter().position(|row| !content_matches(&mut buf, row))
}

/// Below this many rows a page is hashed on the calling thread.
const PARALLEL_FROM: usize = 4096;

/// The index of the first row whose content does not match its hash.
pub(crate) fn first_mismatch(rows: &[ChainRowRef<'_>]) -> Option<usize> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if threads < 2 || rows.len() < PARALLEL_FROM {
        return first_mismatch_in(rows);
    }
    let chunk = rows.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = rows
            .chunks(chunk)
            .enumerate()
            .map(|(i, part)| s.spawn(move || first_mismatch_in(part).map(|j| i * chunk + j)))
            .collect();
        handles
            .into_iter()
            // A panicking hasher counts as a mismatch at the start of its chunk.
            .enumerate()
            .filter_map(|(i, h)| h.join().unwrap_or(Some(i * chunk)))
            .min()
    })
}
