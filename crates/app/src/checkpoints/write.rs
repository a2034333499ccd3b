//! Writing one checkpoint of the current head.

use super::sink;
use crate::error::AppError;
use crate::App;
use dealervault_audit::Checkpoint;
use dealervault_store::{CheckpointRow, Tx};

impl App {
    /// Signs the chain's head if it moved since the last checkpoint: appends it to the
    /// sink file (fsynced), stores it, then posts it to the webhook if one is set.
    /// `None` when there was nothing new to sign.
    pub async fn write_checkpoint(&self) -> Result<Option<Checkpoint>, AppError> {
        let mut tx = self.store().write().await?;
        // Locks the head: appends wait, and two checkpointers never sign the same seq.
        let (seq, hash) = tx.audit_head_for_update().await?;
        let last = tx.last_audit_checkpoint().await?.map_or(0, |c| c.seq);
        if seq <= last {
            tx.rollback().await?;
            return Ok(None);
        }
        let checkpoint = self.sign_checkpoint(seq, &hash);
        self.publish_checkpoint(&mut tx, &checkpoint).await?;
        tx.commit().await?;
        self.notify_webhook(&checkpoint);
        Ok(Some(checkpoint))
    }

    pub(crate) fn sign_checkpoint(&self, seq: i64, hash: &str) -> Checkpoint {
        let key = self.vault().audit_signing_key();
        Checkpoint::sign(&key, seq, hash, self.clock().now_ms())
    }

    /// The sink first (it is the record), then the table, in `tx`.
    pub(crate) async fn publish_checkpoint(
        &self,
        tx: &mut Tx,
        checkpoint: &Checkpoint,
    ) -> Result<(), AppError> {
        if let Some(dir) = self.config().audit_sink_dir.clone() {
            let line = checkpoint.clone();
            let written = tokio::task::spawn_blocking(move || sink::append(&dir, &line)).await;
            match written {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    tracing::error!(error = %e, "cannot write the audit checkpoint sink");
                    return Err(AppError::AuditUnavailable);
                }
                Err(e) => {
                    tracing::error!(error = %e, "the audit checkpoint sink task failed");
                    return Err(AppError::AuditUnavailable);
                }
            }
        }
        tx.insert_audit_checkpoint(&CheckpointRow {
            seq: checkpoint.seq,
            hash: checkpoint.hash.clone(),
            at: checkpoint.at,
            signature: checkpoint.signature.clone(),
        })
        .await?;
        Ok(())
    }

    pub(crate) fn notify_webhook(&self, checkpoint: &Checkpoint) {
        if let Some(url) = self.config().audit_checkpoint_webhook.clone() {
            let checkpoint = checkpoint.clone();
            // Fire and forget: failures are logged by `post`.
            drop(tokio::task::spawn_blocking(move || {
                sink::post(&url, &checkpoint)
            }));
        }
    }
}
