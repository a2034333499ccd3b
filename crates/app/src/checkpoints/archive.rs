//! Moving events older than the retention period out of the database into a
//! self-verifying file, leaving the chain anchored at the last archived event.

use super::archive_file::{ArchiveHeader, ArchivedEvent, ARCHIVE_FORMAT};
use super::utc;
use crate::audit_trail::{append, system_event};
use crate::error::AppError;
use crate::App;
use dealervault_audit::{AuditEvent, Outcome};
use dealervault_store::ChainRow;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Site setting: days an audit event must stay in the database before it may be archived.
pub const RETENTION_DAYS: &str = "audit.retention_days";
/// Three years.
pub const DEFAULT_RETENTION_DAYS: i64 = 1095;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
const PAGE: u32 = 10_000;

/// What an archive run moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveSummary {
    pub first_seq: i64,
    pub last_seq: i64,
    pub events: u64,
    pub path: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("the cutoff {cutoff} is inside the retention period of {days} days: the latest allowed is {latest}")]
    InsideRetention {
        cutoff: String,
        latest: String,
        days: i64,
    },
    #[error("the audit log does not verify, so nothing was archived: {0}")]
    Broken(String),
    #[error("no event before {0} is left to archive")]
    Nothing(String),
    #[error("the audit log changed while archiving; run it again")]
    Moved,
    #[error("cannot write the archive {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<dealervault_store::StoreError> for ArchiveError {
    fn from(e: dealervault_store::StoreError) -> Self {
        ArchiveError::App(e.into())
    }
}

fn event_of(row: &ChainRow) -> Result<AuditEvent, AppError> {
    let list = |text: &str| -> Result<Vec<String>, AppError> {
        serde_json::from_str(text).map_err(|_| AppError::AuditUnavailable)
    };
    Ok(AuditEvent {
        at: row.at,
        actor_id: row.actor_id.clone(),
        actor_username: row.actor_username.clone(),
        action: row.action.clone(),
        entity: row.entity.clone(),
        record_ids: list(&row.record_ids)?,
        fields: list(&row.fields)?,
        reason: row.reason.clone(),
        outcome: Outcome::parse(&row.outcome).ok_or(AppError::AuditUnavailable)?,
        client_addr: row.client_addr.clone(),
    })
}

impl App {
    /// The `audit.retention_days` site setting, or three years.
    pub async fn audit_retention_days(&self) -> Result<i64, AppError> {
        let mut tx = self.store().read().await?;
        let days = tx.setting(RETENTION_DAYS).await?;
        tx.rollback().await?;
        Ok(days
            .and_then(|d| d.parse().ok())
            .filter(|d| *d >= 0)
            .unwrap_or(DEFAULT_RETENTION_DAYS))
    }

    /// Moves every event stamped before `before_ms` (and after the anchor) into a new
    /// file at `out`, fsynced, then deletes them and moves the anchor to the last one, in
    /// one transaction. Refuses a cutoff inside the retention period, or a log that does
    /// not verify.
    pub async fn archive_audit(
        &self,
        before_ms: i64,
        out: &Path,
    ) -> Result<ArchiveSummary, ArchiveError> {
        let days = self.audit_retention_days().await?;
        let latest = self.clock().now_ms() - days.saturating_mul(DAY_MS);
        if before_ms > latest {
            return Err(ArchiveError::InsideRetention {
                cutoff: utc(before_ms),
                latest: utc(latest),
                days,
            });
        }
        let report = self.verify_audit().await?;
        if let Some(p) = report.first() {
            return Err(ArchiveError::Broken(p.message.clone()));
        }

        let mut tx = self.store().read().await?;
        let (anchor_seq, anchor_hash) = tx.audit_anchor().await?;
        let (head_seq, _) = tx.audit_head().await?;
        let last = match tx.first_audit_seq_since(before_ms).await? {
            Some(seq) => seq - 1,
            None => head_seq,
        };
        if last <= anchor_seq {
            return Err(ArchiveError::Nothing(utc(before_ms)));
        }
        let end_hash = match tx.audit_chain_page(last, 1).await?.pop() {
            Some(row) if row.seq == last => row.hash,
            _ => return Err(ArchiveError::Moved),
        };
        let checkpoint = self.sign_checkpoint(last, &end_hash);
        let header = ArchiveHeader {
            format: ARCHIVE_FORMAT.into(),
            first_seq: anchor_seq + 1,
            last_seq: last,
            start_hash: anchor_hash.clone(),
            end_hash: end_hash.clone(),
            checkpoint: checkpoint.clone(),
        };
        let io = |source| ArchiveError::Io {
            path: out.to_path_buf(),
            source,
        };
        let mut file = new_file(out).map_err(io)?;
        writeln!(file, "{}", json(&header)).map_err(io)?;
        let mut from = anchor_seq + 1;
        while from <= last {
            let rows = tx.audit_chain_page(from, PAGE).await?;
            if rows.is_empty() {
                return Err(ArchiveError::Moved);
            }
            for row in rows.iter().filter(|r| r.seq <= last) {
                let line = ArchivedEvent {
                    seq: row.seq,
                    prev_hash: row.prev_hash.clone(),
                    hash: row.hash.clone(),
                    event: event_of(row)?,
                };
                writeln!(file, "{}", json(&line)).map_err(io)?;
            }
            from = rows.last().map_or(last, |r| r.seq) + 1;
        }
        tx.rollback().await?;
        let file = file.into_inner().map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(io)?;
        sync_parent(out).map_err(io)?;

        let mut tx = self.store().write().await?;
        if tx.audit_anchor().await? != (anchor_seq, anchor_hash) {
            return Err(ArchiveError::Moved);
        }
        self.publish_checkpoint(&mut tx, &checkpoint).await?;
        let events = tx.delete_audit_through(last).await?;
        if events != u64::try_from(last - anchor_seq).unwrap_or(0) {
            return Err(ArchiveError::Moved);
        }
        tx.set_audit_anchor(last, &end_hash).await?;
        let range = format!("{}..={last}", anchor_seq + 1);
        let now = self.clock().now_ms();
        append(
            &mut tx,
            system_event(now, "audit.archive", "audit_log", vec![range]),
        )
        .await?;
        tx.commit().await?;
        self.notify_webhook(&checkpoint);
        Ok(ArchiveSummary {
            first_seq: anchor_seq + 1,
            last_seq: last,
            events,
            path: out.to_path_buf(),
        })
    }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    // Structs of strings and numbers: encoding cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

/// A new file (never an existing one), 0600.
fn new_file(path: &Path) -> std::io::Result<std::io::BufWriter<std::fs::File>> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    Ok(std::io::BufWriter::new(options.open(path)?))
}

/// Makes the new file's directory entry durable too.
fn sync_parent(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}
