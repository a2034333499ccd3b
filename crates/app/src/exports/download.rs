//! Downloading an export: only its requester, only once approved, a limited number of
//! times within the window; the first download generates the file. Each download is
//! counted and recorded before a byte leaves, then the file streams chunk by chunk,
//! each opened (and checked) as it goes.

use super::{status_at, ExportStatus};
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::ExportId;

/// A counted, recorded download: what the web layer streams. Made only by
/// [`App::download_export`].
#[derive(Debug)]
pub struct ExportDownload {
    pub filename: String,
    pub media_type: &'static str,
    /// Clear bytes in all.
    pub length: u64,
    id: ExportId,
    chunks: u32,
    next: u32,
}

impl App {
    pub async fn download_export(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<ExportDownload, AppError> {
        let verb = "export.download";
        let mut tx = self.store().read().await?;
        let (row, _) = self.visible_export(&mut tx, actor, id, verb).await?;
        drop(tx);
        let mut ev = event(self, actor, verb, Entity::Customer, Outcome::Denied);
        ev.record_ids = vec![row.id.to_string()];
        let refused = |e| async move { crate::audit_trail::refuse(self, ev, e).await };
        if row.requested_by != actor.user_id {
            return Err(refused(AppError::Forbidden).await);
        }
        let row = match status_at(&row, self.clock().now_ms()) {
            ExportStatus::Pending | ExportStatus::Rejected => {
                return Err(refused(AppError::Conflict("export_not_approved")).await)
            }
            ExportStatus::Expired => {
                return Err(refused(AppError::Conflict("export_expired")).await)
            }
            ExportStatus::Downloaded => {
                return Err(refused(AppError::Conflict("downloads_used")).await)
            }
            ExportStatus::Approved => {
                self.generate_export(actor, &row).await?;
                let mut tx = self.store().read().await?;
                tx.export(&row.id).await?.ok_or(AppError::Integrity)?
            }
            ExportStatus::Ready => row,
        };
        let mut tx = self.store().write().await?;
        if !tx
            .count_export_download(&row.id, self.clock().now_ms())
            .await?
        {
            drop(tx);
            return Err(refused(AppError::Conflict("downloads_used")).await);
        }
        let mut ev = event(self, actor, verb, Entity::Customer, Outcome::Allowed);
        ev.record_ids = vec![row.id.to_string()];
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await?;
        let extension = if row.format == "xlsx" { "xlsx" } else { "csv" };
        let media_type = if row.format == "xlsx" {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        } else {
            "text/csv; charset=utf-8"
        };
        let day = time::OffsetDateTime::from_unix_timestamp(row.created_at / 1000)
            .map(|t| t.date().to_string())
            .unwrap_or_default();
        Ok(ExportDownload {
            filename: format!("customers-{day}-{}.{extension}", &row.id.as_str()[..8]),
            media_type,
            length: u64::try_from(row.file_bytes.unwrap_or(0)).unwrap_or(0),
            chunks: u32::try_from(row.file_chunks.unwrap_or(0)).unwrap_or(0),
            id: row.id,
            next: 0,
        })
    }
}

impl ExportDownload {
    /// The next clear chunk of the file, `None` after the last. A chunk missing,
    /// altered or out of place is [`AppError::Integrity`]: the stream stops there.
    pub async fn next_chunk(&mut self, app: &App) -> Result<Option<Vec<u8>>, AppError> {
        if self.next >= self.chunks {
            return Ok(None);
        }
        let seq = self.next;
        let mut tx = app.store().read().await?;
        let sealed = tx
            .export_chunk(&self.id, i64::from(seq))
            .await?
            .ok_or(AppError::Integrity)?;
        drop(tx);
        let last = seq + 1 == self.chunks;
        let clear = app
            .vault()
            .open_export_chunk(self.id.as_str(), seq, last, &sealed)?;
        self.next += 1;
        Ok(Some(clear))
    }
}
