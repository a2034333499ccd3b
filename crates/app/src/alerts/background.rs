//! The server's alert loops: the engine as soon as an event is committed (and every
//! second, for events other processes wrote), deliveries every few seconds. Both stop
//! when `shutdown` turns true. Errors are logged and retried on the next tick: an
//! unavailable database must not stop alerting for good.

use crate::App;
use std::time::Duration;
use tokio::sync::watch;

const ENGINE_TICK: Duration = Duration::from_secs(1);
/// Under load every group commit signals; one evaluation per this long is enough.
const ENGINE_MIN_GAP: Duration = Duration::from_millis(200);
const DELIVERY_TICK: Duration = Duration::from_secs(2);

/// Calls [`App::evaluate_alerts`] right after events are committed through this app, and
/// every second regardless, until `shutdown` is true: a honeytoken opened raises its
/// alert within moments.
pub async fn run_alert_engine(app: App, mut shutdown: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(ENGINE_TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut appended = app.audit_appended();
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = appended.changed() => tokio::time::sleep(ENGINE_MIN_GAP).await,
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            return;
        }
        if let Err(e) = app.evaluate_alerts().await {
            tracing::error!(error = %e, "alert evaluation failed");
        }
    }
}

/// Calls [`App::deliver_alerts`] every two seconds until `shutdown` is true.
pub async fn run_alert_delivery(app: App, mut shutdown: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(DELIVERY_TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            return;
        }
        if let Err(e) = app.deliver_alerts().await {
            tracing::error!(error = %e, "alert delivery failed");
        }
    }
}
