//! The background checkpointer of a running server.

use crate::App;
use std::future::Future;
use std::time::Duration;

/// When to sign: after `every_events` new events, or `every` after the last checkpoint
/// if anything happened since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckpointSchedule {
    pub every_events: i64,
    pub every: Duration,
}

impl Default for CheckpointSchedule {
    fn default() -> Self {
        Self {
            every_events: 1000,
            every: Duration::from_secs(60),
        }
    }
}

/// Looks at the head every second and writes a checkpoint when `schedule` says so, until
/// `shutdown` completes. Failures are logged and retried on the next tick. (The final
/// checkpoint of a clean shutdown is the caller's: see [`App::write_checkpoint`].)
pub async fn run_checkpointer(
    app: App,
    schedule: CheckpointSchedule,
    shutdown: impl Future<Output = ()>,
) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => return,
            _ = tick.tick() => {
                match due(&app, &schedule).await {
                    Ok(true) => {
                        if let Err(e) = app.write_checkpoint().await {
                            tracing::warn!(error = %e, "audit checkpoint failed");
                        }
                    }
                    Ok(false) => {}
                    Err(e) => tracing::warn!(error = %e, "cannot read the audit head"),
                }
            }
        }
    }
}

async fn due(app: &App, schedule: &CheckpointSchedule) -> Result<bool, crate::AppError> {
    let mut tx = app.store().read().await?;
    let (head, _) = tx.audit_head().await?;
    let last = tx.last_audit_checkpoint().await?;
    tx.rollback().await?;
    let (last_seq, last_at) = last.map_or((0, i64::MIN), |c| (c.seq, c.at));
    let every_ms = i64::try_from(schedule.every.as_millis()).unwrap_or(i64::MAX);
    let elapsed = app.clock().now_ms().saturating_sub(last_at);
    Ok(head > last_seq && (head - last_seq >= schedule.every_events || elapsed >= every_ms))
}
