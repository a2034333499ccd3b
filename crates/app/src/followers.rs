//! The audit log's followers: what runs beside a server for as long as it serves.

use crate::alerts::{run_alert_delivery, run_alert_engine};
use crate::checkpoints::{run_checkpointer, CheckpointSchedule};
use crate::exports::run_export_lapses;
use crate::leads::run_pool_returns;
use crate::users::run_departures;
use crate::App;
use tokio::sync::watch;

/// Runs the alert engine, the alert deliveries, the pool's automatic returns, the
/// export requests' expiry, the freezes at the end of notice periods and the
/// checkpointer, each a task of its own, until `stop` turns true; returns once all have
/// stopped.
pub async fn run_followers(app: App, stop: watch::Receiver<bool>) {
    let engine = tokio::spawn(run_alert_engine(app.clone(), stop.clone()));
    let delivery = tokio::spawn(run_alert_delivery(app.clone(), stop.clone()));
    let pool = tokio::spawn(run_pool_returns(app.clone(), stop.clone()));
    let lapses = tokio::spawn(run_export_lapses(app.clone(), stop.clone()));
    let departures = tokio::spawn(run_departures(app.clone(), stop.clone()));
    let mut until_stopped = stop;
    let checkpointer = tokio::spawn(run_checkpointer(
        app,
        CheckpointSchedule::default(),
        async move {
            let _ = until_stopped.wait_for(|stop| *stop).await;
        },
    ));
    let _ = engine.await;
    let _ = delivery.await;
    let _ = pool.await;
    let _ = lapses.await;
    let _ = departures.await;
    if let Err(e) = checkpointer.await {
        tracing::warn!(error = %e, "the audit checkpointer stopped abnormally");
    }
}
