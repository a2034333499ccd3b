//! Signed checkpoints of the audit chain, the sink outside the database they are written
//! to, verification of the whole log against them, and archiving old events.
//!
//! A checkpoint signs (seq, hash of event seq, time) with an Ed25519 key derived from the
//! master key. Each one is appended (and fsynced) to `checkpoints.jsonl` in the sink
//! directory before it is stored in `audit_checkpoints`; the sink file is what
//! verification trusts, the table is a convenience copy that must agree with it.

mod archive;
mod archive_file;
mod schedule;
mod sink;
mod verify;
mod walk;
mod write;

pub use archive::{ArchiveError, ArchiveSummary, DEFAULT_RETENTION_DAYS, RETENTION_DAYS};
pub use archive_file::{verify_archive, ArchiveHeader, ArchiveReport, ARCHIVE_FORMAT};
pub use schedule::{run_checkpointer, CheckpointSchedule};
pub use sink::{read_sink, SinkLine, SINK_FILE};
pub use verify::{verify_audit, Problem, ProblemKind, VerifyReport};

/// `2026-01-02T03:04:05.678Z` for a Unix-millisecond time, for messages.
pub(crate) fn utc(ms: i64) -> String {
    let format = time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| format!("{ms} ms"))
}
