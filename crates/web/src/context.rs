use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use dealervault_app::RequestContext;
use std::net::SocketAddr;

/// The request facts the use cases record: the peer address when the server was started
/// with connection info (in-process tests have none).
pub fn client_context(parts: &Parts) -> RequestContext {
    RequestContext {
        client_addr: parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string()),
    }
}
