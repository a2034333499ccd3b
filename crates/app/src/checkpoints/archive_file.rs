//! The archive file: JSON lines, a header then one line per event, verifiable on its own
//! (the chain from its start hash must end at the hash its signed checkpoint names).

use dealervault_audit::{chain_hash, AuditEvent, Checkpoint, VerifyingKey};
use serde::{Deserialize, Serialize};
use std::io::{self, BufRead};
use std::path::Path;

pub const ARCHIVE_FORMAT: &str = "dealervault-audit-archive/1";

/// The first line of an archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveHeader {
    pub format: String,
    pub first_seq: i64,
    pub last_seq: i64,
    /// The hash of event `first_seq - 1` (genesis or an earlier archive's end).
    pub start_hash: String,
    /// The hash of event `last_seq`.
    pub end_hash: String,
    /// A signed checkpoint of event `last_seq`.
    pub checkpoint: Checkpoint,
}

/// One event line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ArchivedEvent {
    pub seq: i64,
    pub prev_hash: String,
    pub hash: String,
    pub event: AuditEvent,
}

/// What [`verify_archive`] found. `problem` names the first bad line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveReport {
    pub header: Option<ArchiveHeader>,
    pub events: u64,
    pub problem: Option<String>,
}

impl ArchiveReport {
    pub fn intact(&self) -> bool {
        self.problem.is_none()
    }
}

/// Verifies an archive file on its own: the header's checkpoint signature, then the chain
/// line by line from the start hash to the signed end hash.
pub fn verify_archive(path: &Path, key: &VerifyingKey) -> io::Result<ArchiveReport> {
    let file = std::fs::File::open(path)?;
    let mut lines = io::BufReader::new(file).lines();
    let mut report = ArchiveReport {
        header: None,
        events: 0,
        problem: None,
    };
    let header: ArchiveHeader = match lines.next().transpose()?.map(|l| serde_json::from_str(&l)) {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            report.problem = Some(format!("line 1: not an archive header: {e}"));
            return Ok(report);
        }
        None => {
            report.problem = Some("the file is empty".into());
            return Ok(report);
        }
    };
    report.header = Some(header.clone());
    report.problem = check(&header, lines, key, &mut report.events)?;
    Ok(report)
}

fn check(
    header: &ArchiveHeader,
    lines: impl Iterator<Item = io::Result<String>>,
    key: &VerifyingKey,
    events: &mut u64,
) -> io::Result<Option<String>> {
    if header.format != ARCHIVE_FORMAT {
        return Ok(Some(format!("line 1: unknown format {:?}", header.format)));
    }
    let c = &header.checkpoint;
    if !c.verify(key) {
        return Ok(Some("line 1: the end checkpoint's signature is bad".into()));
    }
    if c.seq != header.last_seq || c.hash != header.end_hash {
        return Ok(Some(
            "line 1: the signed checkpoint does not name the archive's last event".into(),
        ));
    }
    let (mut seq, mut hash) = (header.first_seq - 1, header.start_hash.clone());
    for (i, line) in lines.enumerate() {
        let n = i + 2;
        let line = line?;
        let e: ArchivedEvent = match serde_json::from_str(&line) {
            Ok(e) => e,
            Err(err) => return Ok(Some(format!("line {n}: not an event: {err}"))),
        };
        if e.seq != seq + 1 {
            return Ok(Some(format!(
                "line {n}: event {} is missing (found {}): deleted or inserted",
                seq + 1,
                e.seq
            )));
        }
        if e.prev_hash != hash {
            return Ok(Some(format!(
                "line {n}: event {} does not link to its predecessor",
                e.seq
            )));
        }
        if chain_hash(&e.prev_hash, e.seq, &e.event) != e.hash {
            return Ok(Some(format!(
                "line {n}: event {} does not match its hash: edited",
                e.seq
            )));
        }
        (seq, hash) = (e.seq, e.hash);
        *events += 1;
    }
    if seq != header.last_seq || hash != header.end_hash {
        return Ok(Some(format!(
            "the archive ends at event {seq} but its signed checkpoint covers event {}: truncated or rewritten",
            header.last_seq
        )));
    }
    Ok(None)
}
