use anyhow::{Context, Result};
use dealervault_app::{run_followers, App};
use dealervault_web::{router, WebConfig};
use std::net::SocketAddr;
use tower_http::trace::TraceLayer;

/// Serves `app` until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub async fn serve(app: App, listen: &str, secure_cookies: Option<bool>) -> Result<()> {
    let addr: SocketAddr = listen
        .parse()
        .with_context(|| format!("invalid listen address {listen:?}"))?;
    // Browsers drop `Secure` cookies over plain HTTP except on loopback; anywhere else the
    // server belongs behind TLS, and the cookies say so.
    let secure_cookies = secure_cookies.unwrap_or(!addr.ip().is_loopback());
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    // Only method and path are logged: query strings can hold search terms (a mobile
    // number), and those are personal data.
    let trace = TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
        tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
    });
    let service = router(app.clone(), WebConfig { secure_cookies }).layer(trace);
    // The followers of the audit log (checkpoints, alert rules, alert deliveries) run
    // beside the server and stop with it.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let followers = tokio::spawn(run_followers(app.clone(), stopped));
    tracing::info!(%addr, "listening");
    let served = axum::serve(
        listener,
        service.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("server failed");
    let _ = stop.send(true);
    let _ = followers.await;
    // The last events of this run are signed before the store closes.
    if let Err(e) = app.write_checkpoint().await {
        tracing::error!(error = %e, "cannot write the final audit checkpoint");
    }
    app.store().close().await;
    served?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
