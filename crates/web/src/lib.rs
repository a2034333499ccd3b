//! The HTTP face of DealerVault: the JSON API (`api`) and the staff web app (`ui`), both
//! calling the same use cases in `dealervault_app`. This crate does not depend on the
//! store: it cannot reach personal data except through the gate.

pub mod api;
mod context;
mod security;
pub mod ui;

use dealervault_app::App;
use std::sync::Arc;

pub use context::client_context;

/// How the server is exposed, decided by the operator.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure`. On by default; the CLI turns it off only when listening on
    /// a loopback address over plain HTTP, where browsers would otherwise drop them.
    pub secure_cookies: bool,
}

/// Shared by every handler.
#[derive(Debug, Clone)]
pub struct WebState {
    pub app: App,
    pub config: Arc<WebConfig>,
}

/// The whole application: API, UI, health check and security headers.
pub fn router(app: App, config: WebConfig) -> axum::Router {
    let state = WebState {
        app,
        config: Arc::new(config),
    };
    axum::Router::new()
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .merge(api::routes())
        .merge(ui::routes())
        .fallback(ui::fallback)
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(state)
}
