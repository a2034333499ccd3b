//! Security headers on every response, API, pages and errors alike.

use axum::extract::Request;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// Scripts, styles and images only from this server (no inline script or style), no
/// framing, forms post only here, no `<base>` tricks.
pub const CONTENT_SECURITY_POLICY_VALUE: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/// Static assets carry no personal data and may be cached; nothing else may be, so that
/// customer data never lingers in a browser or proxy cache.
fn cacheable(path: &str) -> bool {
    path.starts_with("/assets/")
}

pub async fn headers(req: Request, next: Next) -> Response {
    let cacheable = cacheable(req.uri().path());
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY_VALUE),
    );
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    if !cacheable {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_assets_may_be_cached() {
        assert!(cacheable("/assets/app.css"));
        assert!(!cacheable("/api/v1/customers"));
        assert!(!cacheable("/assets"));
        assert!(!cacheable("/customers/assets/x"));
    }
}
