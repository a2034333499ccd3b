//! Answers under `/api` that no handler shaped: unknown routes, and responses produced
//! by the router itself (a method the route does not have).

use super::error::ApiError;
use axum::http::header::{ALLOW, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

/// Any answer under `/api` that left without a JSON body (a method the route does not
/// have, a rejection of a stock extractor) gets the error shape for its status. Headers
/// such as `Allow` are kept; the original body is dropped.
pub async fn shape_errors(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    if status.is_server_error() {
        tracing::error!(
            status = status.as_u16(),
            "API request failed without an error body"
        );
    }
    let allow = response.headers().get(ALLOW).cloned();
    let mut shaped = ApiError::for_status(status).into_response();
    *shaped.status_mut() = status;
    if let Some(allow) = allow {
        shaped.headers_mut().insert(ALLOW, allow);
    }
    shaped
}

/// Unknown routes under `/api`.
pub async fn unknown_route() -> ApiError {
    ApiError::not_found()
}
