//! Verifying the audit log in the database against its signed checkpoints.

use super::{sink, utc, walk};
use crate::error::AppError;
use crate::App;
use dealervault_audit::{Checkpoint, VerifyingKey};
use dealervault_store::{unpack_chain, ChainRowRef, Store, StoreError};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Sequence numbers read per page.
const PAGE: i64 = 50_000;

/// What kind of damage a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// An event's content does not match its hash.
    Edited,
    /// A sequence number is missing: an event was deleted.
    Missing,
    /// An event links to the one before its predecessor: one was inserted before it.
    Inserted,
    /// An event does not link to its predecessor: reordered or replaced.
    Link,
    /// The chain ends before the head row or before a signed checkpoint.
    Truncated,
    /// The chain is internally consistent but does not reach a signed checkpoint's hash.
    Rewritten,
    /// A checkpoint whose signature is not the installation's.
    BadSignature,
    /// Two signed checkpoints of one seq disagree (the table and the sink, say).
    Disagreement,
    /// The anchor (where the chain starts after archiving) is not signed for.
    Anchor,
    /// The head row does not describe the last event.
    Head,
    /// The sink file could not be read, or holds a line that is not a checkpoint.
    Sink,
}

/// One finding, naming the entry: `seq` is the event (or checkpoint) it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub seq: Option<i64>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

fn problem(kind: ProblemKind, seq: Option<i64>, message: String) -> Problem {
    Problem { kind, seq, message }
}

/// The outcome of [`verify_audit`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// The chain was checked from after this seq (the anchor).
    pub anchor_seq: i64,
    /// The last event that verified.
    pub last_seq: i64,
    pub head_seq: i64,
    /// Events whose hash and link were checked.
    pub events: u64,
    /// Valid signed checkpoints (sink lines and table rows).
    pub checkpoints: usize,
    pub sink_lines: usize,
    pub elapsed: Duration,
    /// Empty when the log is intact; otherwise the first is the first bad entry.
    pub problems: Vec<Problem>,
}

impl VerifyReport {
    pub fn intact(&self) -> bool {
        self.problems.is_empty()
    }

    pub fn first(&self) -> Option<&Problem> {
        self.problems.first()
    }

    pub fn events_per_sec(&self) -> f64 {
        self.events as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// A signed hash the chain must reach, and where it was found.
#[derive(Debug, Clone)]
struct Expect {
    hash: String,
    at: i64,
    source: String,
}

impl App {
    /// [`verify_audit`] with this installation's key and sink.
    pub async fn verify_audit(&self) -> Result<VerifyReport, AppError> {
        verify_audit(
            self.store(),
            &self.vault().audit_verifying_key(),
            self.config().audit_sink_dir.as_deref(),
        )
        .await
    }
}

/// Checks the sink's and the table's checkpoints (signatures, agreement), then walks the
/// chain from the anchor: sequence, links, hashes, and every signed checkpoint on the way;
/// then that it reaches the head row and the highest signed checkpoint.
pub async fn verify_audit(
    store: &Store,
    key: &VerifyingKey,
    sink_dir: Option<&Path>,
) -> Result<VerifyReport, AppError> {
    let started = Instant::now();
    let mut problems = Vec::new();
    let mut expects: BTreeMap<i64, Expect> = BTreeMap::new();
    let mut valid = 0;

    // The sink is read before the database snapshot is taken, so a checkpoint written
    // meanwhile can only be of events the snapshot holds.
    let lines = match sink_dir.map(sink::read_sink).transpose() {
        Ok(lines) => lines.unwrap_or_default(),
        Err(e) => {
            problems.push(problem(
                ProblemKind::Sink,
                None,
                format!("the checkpoint sink cannot be read: {e}"),
            ));
            vec![]
        }
    };
    for line in &lines {
        let c = match &line.checkpoint {
            Ok(c) => c,
            Err(e) => {
                problems.push(problem(
                    ProblemKind::Sink,
                    None,
                    format!("sink line {}: {e}", line.line),
                ));
                continue;
            }
        };
        let source = format!("sink line {}", line.line);
        if !c.verify(key) {
            problems.push(problem(
                ProblemKind::BadSignature,
                Some(c.seq),
                format!("{source} (checkpoint at {}): bad signature", c.seq),
            ));
            continue;
        }
        valid += 1;
        expect(&mut expects, &mut problems, c, source);
    }

    let mut tx = store.read().await?;
    let (anchor_seq, anchor_hash) = tx.audit_anchor().await?;
    let (head_seq, head_hash) = tx.audit_head().await?;
    for row in tx.audit_checkpoints().await? {
        let c = Checkpoint {
            seq: row.seq,
            hash: row.hash,
            at: row.at,
            signature: row.signature,
        };
        if !c.verify(key) {
            problems.push(problem(
                ProblemKind::BadSignature,
                Some(c.seq),
                format!("database checkpoint at {}: bad signature", c.seq),
            ));
            continue;
        }
        valid += 1;
        expect(
            &mut expects,
            &mut problems,
            &c,
            "database checkpoint".into(),
        );
    }

    if anchor_seq > 0 {
        match expects.get(&anchor_seq) {
            Some(e) if e.hash == anchor_hash => {}
            Some(e) => problems.push(problem(
                ProblemKind::Anchor,
                Some(anchor_seq),
                format!(
                    "the chain's anchor (event {anchor_seq}) does not match the checkpoint signed {} ({})",
                    utc(e.at),
                    e.source
                ),
            )),
            None => problems.push(problem(
                ProblemKind::Anchor,
                Some(anchor_seq),
                format!("the chain's anchor (event {anchor_seq}) is not covered by a signed checkpoint"),
            )),
        }
    }

    let mut walk = Walk {
        last_seq: anchor_seq,
        last_hash: anchor_hash,
        before_last: None,
        good_checkpoint: anchor_seq,
        events: 0,
    };
    // Pages by seq range, so the next one can be fetched while this one is checked.
    let max_seq = tx.audit_max_seq().await?.unwrap_or(anchor_seq);
    let expects = Arc::new(expects);
    let mut from = anchor_seq + 1;
    let mut packed = if from <= max_seq {
        Some(tx.audit_chain_packed(from, from + PAGE).await?)
    } else {
        None
    };
    let mut broken = None;
    while let Some(text) = packed.take() {
        let next_from = from + PAGE;
        let exp = Arc::clone(&expects);
        let mut w = walk;
        let checked = tokio::task::spawn_blocking(move || {
            let verdict = w.packed(&text, &exp);
            (w, verdict)
        });
        let next = async {
            if next_from <= max_seq {
                tx.audit_chain_packed(next_from, next_from + PAGE)
                    .await
                    .map(Some)
            } else {
                Ok(None)
            }
        };
        let (checked, next) = tokio::join!(checked, next);
        let (w, verdict) = checked.map_err(|e| {
            tracing::error!(error = %e, "audit verification task failed");
            AppError::AuditUnavailable
        })?;
        walk = w;
        if let Err(p) = verdict? {
            broken = Some(p);
            break;
        }
        packed = next?;
        from = next_from;
    }
    tx.rollback().await?;

    match broken {
        Some(p) => problems.push(p),
        None => problems.extend(walk.finish(head_seq, &head_hash, &expects)),
    }
    Ok(VerifyReport {
        anchor_seq,
        last_seq: walk.last_seq,
        head_seq,
        events: walk.events,
        checkpoints: valid,
        sink_lines: lines.len(),
        elapsed: started.elapsed(),
        problems,
    })
}

/// Adds a valid checkpoint to what the chain must reach; a second one of the same seq
/// must sign the same hash.
fn expect(
    expects: &mut BTreeMap<i64, Expect>,
    problems: &mut Vec<Problem>,
    c: &Checkpoint,
    source: String,
) {
    match expects.get(&c.seq) {
        Some(e) if e.hash != c.hash => problems.push(problem(
            ProblemKind::Disagreement,
            Some(c.seq),
            format!(
                "{source} (checkpoint at {}) disagrees with {}: they sign different hashes",
                c.seq, e.source
            ),
        )),
        Some(_) => {}
        None => {
            expects.insert(
                c.seq,
                Expect {
                    hash: c.hash.clone(),
                    at: c.at,
                    source,
                },
            );
        }
    }
}

/// Where the walk has got to.
struct Walk {
    last_seq: i64,
    last_hash: String,
    /// The hash of the event before `last_seq`, to recognise an insertion.
    before_last: Option<String>,
    /// The last checkpoint the chain matched (or the anchor).
    good_checkpoint: i64,
    events: u64,
}

impl Walk {
    /// Decodes a packed page and checks it: hashes on every core, then in order.
    fn packed(
        &mut self,
        text: &str,
        expects: &BTreeMap<i64, Expect>,
    ) -> Result<Result<(), Problem>, StoreError> {
        let rows = unpack_chain(text)?;
        let bad = walk::first_mismatch(&rows);
        Ok(self.page(&rows, bad, expects))
    }

    /// Checks one page in order; `bad` is the first row whose content does not match.
    fn page(
        &mut self,
        rows: &[ChainRowRef<'_>],
        bad: Option<usize>,
        expects: &BTreeMap<i64, Expect>,
    ) -> Result<(), Problem> {
        for (i, row) in rows.iter().enumerate() {
            let seq = row.seq;
            let expected = self.last_seq + 1;
            if seq != expected {
                return Err(problem(
                    ProblemKind::Missing,
                    Some(expected),
                    format!(
                        "event {expected} is missing (event {seq} follows event {}): deleted",
                        self.last_seq
                    ),
                ));
            }
            if row.prev_hash != self.last_hash {
                if self.before_last.as_deref() == Some(&*row.prev_hash) {
                    return Err(problem(
                        ProblemKind::Inserted,
                        Some(seq - 1),
                        format!(
                            "event {} was inserted: event {seq} links to event {}",
                            seq - 1,
                            seq - 2
                        ),
                    ));
                }
                return Err(problem(
                    ProblemKind::Link,
                    Some(seq),
                    format!("event {seq} does not link to its predecessor: reordered or replaced"),
                ));
            }
            if bad == Some(i) {
                return Err(problem(
                    ProblemKind::Edited,
                    Some(seq),
                    format!("event {seq} does not match its hash: edited"),
                ));
            }
            if let Some(e) = expects.get(&seq) {
                if e.hash != row.hash {
                    return Err(problem(
                        ProblemKind::Rewritten,
                        Some(seq),
                        format!(
                            "events {}..={seq} were rewritten: checkpoint at {seq} signed {} ({}) does not match",
                            self.good_checkpoint + 1,
                            utc(e.at),
                            e.source
                        ),
                    ));
                }
                self.good_checkpoint = seq;
            }
            self.last_seq = seq;
            self.events += 1;
            // Two hashes kept per event without allocating: swap the buffers around.
            let mut before = self.before_last.take().unwrap_or_default();
            std::mem::swap(&mut before, &mut self.last_hash);
            self.last_hash.clear();
            self.last_hash.push_str(&row.hash);
            self.before_last = Some(before);
        }
        Ok(())
    }

    /// After the last event: the head row and every signed checkpoint must be reached.
    fn finish(
        &self,
        head_seq: i64,
        head_hash: &str,
        expects: &BTreeMap<i64, Expect>,
    ) -> Vec<Problem> {
        let mut problems = Vec::new();
        let last = self.last_seq;
        if let Some((&seq, e)) = expects.last_key_value() {
            if seq > last {
                problems.push(problem(
                    ProblemKind::Truncated,
                    Some(last + 1),
                    format!(
                        "the chain ends at event {last} but a checkpoint signed {} ({}) covers event {seq}: events {}..={seq} were removed",
                        utc(e.at),
                        e.source,
                        last + 1
                    ),
                ));
            }
        }
        if head_seq > last {
            problems.push(problem(
                ProblemKind::Truncated,
                Some(last + 1),
                format!(
                    "the chain ends at event {last} but the head row says {head_seq}: events {}..={head_seq} are missing",
                    last + 1
                ),
            ));
        } else if head_seq < last {
            problems.push(problem(
                ProblemKind::Head,
                Some(head_seq + 1),
                format!(
                    "events {}..={last} lie beyond the head row ({head_seq}): added outside the application",
                    head_seq + 1
                ),
            ));
        } else if head_hash != self.last_hash {
            problems.push(problem(
                ProblemKind::Head,
                Some(last),
                format!("the head row's hash is not the hash of event {last}"),
            ));
        }
        problems
    }
}
