//! Requests whose time ran out: undecided past their deadline, or approved and not
//! downloaded within their window. A sweep beside the server marks them expired and
//! forgets their files (the manifests stay for tracing); every use case also reads a
//! lapsed request as expired before the sweep comes (`status_at`).

use crate::audit_trail::{append, commit, system_event};
use crate::error::AppError;
use crate::followers::every_minute;
use crate::App;
use tokio::sync::watch;

/// Requests handled per transaction.
const BATCH: i64 = 200;

impl App {
    /// Expires every lapsed request; returns how many.
    pub async fn expire_exports(&self) -> Result<usize, AppError> {
        let mut expired = 0;
        loop {
            let now = self.clock().now_ms();
            let mut tx = self.store().write().await?;
            let ids = tx.lapsed_exports(now, BATCH).await?;
            if ids.is_empty() {
                tx.forget_spent_export_files(now).await?;
                tx.commit().await?;
                return Ok(expired);
            }
            let mut moved = Vec::new();
            for id in &ids {
                let Some(row) = tx.export(id).await? else {
                    continue;
                };
                if tx
                    .move_export(id, &row.status, "expired", None, now)
                    .await?
                {
                    tx.delete_export_chunks(id).await?;
                    moved.push(id.to_string());
                }
            }
            expired += moved.len();
            let seq = append(
                &mut tx,
                system_event(now, "export.expire", "customer", moved),
            )
            .await?;
            commit(self, tx, seq).await?;
        }
    }
}

/// Runs [`App::expire_exports`] once a minute until `stop` turns true.
pub async fn run_export_lapses(app: App, stop: watch::Receiver<bool>) {
    every_minute(stop, "export requests expired", move || {
        let app = app.clone();
        async move { app.expire_exports().await }
    })
    .await;
}
