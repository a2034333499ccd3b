//! The audit log's followers: what runs beside a server for as long as it serves.

use crate::alerts::{run_alert_delivery, run_alert_engine};
use crate::checkpoints::{run_checkpointer, CheckpointSchedule};
use crate::error::AppError;
use crate::exports::run_export_lapses;
use crate::leads::run_pool_returns;
use crate::reviews::run_access_reviews;
use crate::users::run_departures;
use crate::App;
use std::future::Future;
use std::time::Duration;
use tokio::sync::watch;

/// Runs the alert engine, the alert deliveries, the pool's automatic returns, the
/// export requests' expiry, the freezes at the end of notice periods, the access
/// reviews' start and escalations, and the checkpointer, each a task of its own, until
/// `stop` turns true; returns once all have stopped.
pub async fn run_followers(app: App, stop: watch::Receiver<bool>) {
    let engine = tokio::spawn(run_alert_engine(app.clone(), stop.clone()));
    let delivery = tokio::spawn(run_alert_delivery(app.clone(), stop.clone()));
    let pool = tokio::spawn(run_pool_returns(app.clone(), stop.clone()));
    let lapses = tokio::spawn(run_export_lapses(app.clone(), stop.clone()));
    let departures = tokio::spawn(run_departures(app.clone(), stop.clone()));
    let reviews = tokio::spawn(run_access_reviews(app.clone(), stop.clone()));
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
    let _ = reviews.await;
    if let Err(e) = checkpointer.await {
        tracing::warn!(error = %e, "the audit checkpointer stopped abnormally");
    }
}

/// Runs `job` once a minute until `stop` turns true: a sweep beside the server. What it
/// did is logged as `what`; a failure is logged and tried again a minute later.
pub(crate) async fn every_minute<F, Fut>(
    mut stop: watch::Receiver<bool>,
    what: &'static str,
    mut job: F,
) where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<usize, AppError>>,
{
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => {}
        }
        if *stop.borrow() {
            return;
        }
        match job().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(n, what, "sweep done"),
            Err(e) => tracing::warn!(error = %e, what, "sweep failed; trying again in a minute"),
        }
    }
}
