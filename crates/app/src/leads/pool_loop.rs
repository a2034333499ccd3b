//! The server's pool loop: once a minute, leads nobody worked in time go back to their
//! store's pool. Errors are logged and retried on the next tick.

use crate::App;
use std::time::Duration;
use tokio::sync::watch;

const TICK: Duration = Duration::from_secs(60);

pub async fn run_pool_returns(app: App, mut shutdown: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            return;
        }
        match app.return_stale_leads().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(leads = n, "returned leads to their pools"),
            Err(e) => tracing::error!(error = %e, "returning stale leads failed"),
        }
    }
}
