//! The stylesheet, script and icon, embedded in the binary and served under `/assets/`.
//! Pages link them with `?v=<content hash>`, so they can be cached for long.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::OnceLock;

const CSS: &str = include_str!("../../assets/app.css");
const JS: &str = include_str!("../../assets/app.js");
const ICON: &str = include_str!("../../assets/favicon.svg");

/// (name, content type, body)
const FILES: [(&str, &str, &str); 3] = [
    ("app.css", "text/css; charset=utf-8", CSS),
    ("app.js", "text/javascript; charset=utf-8", JS),
    ("favicon.svg", "image/svg+xml", ICON),
];

/// FNV-1a over all assets: changes whenever any of them does.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// The version suffix for asset URLs.
pub fn version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| format!("{:012x}", fnv1a(&[CSS, JS, ICON]) & 0xffff_ffff_ffff))
}

pub async fn serve(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, body)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "public, max-age=86400"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            *body,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_are_self_contained() {
        for (name, _, body) in FILES {
            for banned in ["http://", "https://", "@import", "url(//"] {
                // The SVG names its XML namespace, which is not a resource.
                let allowed = name == "favicon.svg" && banned == "http://";
                assert!(
                    allowed || !body.contains(banned),
                    "{name} refers to {banned}"
                );
            }
        }
        assert_eq!(version().len(), 12);
    }
}
