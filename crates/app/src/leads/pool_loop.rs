//! The server's pool loop: once a minute, leads nobody worked in time go back to their
//! store's pool. Errors are logged and retried on the next tick.

use crate::followers::every_minute;
use crate::App;
use tokio::sync::watch;

pub async fn run_pool_returns(app: App, shutdown: watch::Receiver<bool>) {
    every_minute(shutdown, "leads returned to their pools", move || {
        let app = app.clone();
        async move { app.return_stale_leads().await }
    })
    .await;
}
