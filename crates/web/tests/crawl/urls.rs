//! URLs: resolving links, encoding forms, and the shape of a path for the visit caps.

use crate::*;

/// A link's same-site target resolved against `base` (a path with its query), without
/// its fragment. `None` for an in-page anchor, another site or another scheme.
pub(crate) fn resolve(base: &str, href: &str) -> Option<String> {
    let href = href.trim();
    let href = href.split('#').next().unwrap_or_default();
    if href.is_empty() {
        return None;
    }
    let local = |rest: &str| -> Option<String> {
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        (host == HOST).then(|| {
            if path.is_empty() {
                "/".into()
            } else {
                path.to_string()
            }
        })
    };
    if let Some(rest) = href.strip_prefix("//") {
        return local(rest);
    }
    let scheme_end = href.find(':').filter(|i| {
        href[..*i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    });
    if let Some(i) = scheme_end {
        return match &href[..i] {
            "http" | "https" => href[i + 1..].strip_prefix("//").and_then(local),
            _ => None,
        };
    }
    let base_path = base.split('?').next().unwrap_or("/");
    Some(if href.starts_with('/') {
        href.to_string()
    } else if href.starts_with('?') {
        format!("{base_path}{href}")
    } else {
        let dir = &base_path[..base_path.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{href}")
    })
}

/// A form's fields as a browser puts them in a query: `application/x-www-form-urlencoded`,
/// spaces as `+`.
pub(crate) fn form_encode(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b' ' => "+".to_string(),
                b if b.is_ascii_alphanumeric() || b"*-._".contains(&b) => char::from(b).to_string(),
                b => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub(crate) fn path_of(url: &str) -> &str {
    url.split('?').next().unwrap_or(url)
}

/// An id in a path: a UUID, a long hex or decimal number.
pub(crate) fn looks_like_id(segment: &str) -> bool {
    segment.len() >= 8
        && segment.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
        && segment.chars().any(|c| c.is_ascii_digit())
}

/// The shape of a URL: its path with ids replaced, and the names of its query's
/// parameters (`/customers?page&sort`).
pub(crate) fn shape(url: &str) -> String {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let path: Vec<&str> = path
        .split('/')
        .map(|s| if looks_like_id(s) { "{id}" } else { s })
        .collect();
    let keys: BTreeSet<&str> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split('=').next().unwrap_or_default())
        .collect();
    let path = path.join("/");
    if keys.is_empty() {
        path
    } else {
        format!("{path}?{}", keys.into_iter().collect::<Vec<_>>().join("&"))
    }
}

/// The customer id of `/customers/{id}` (the detail page), if `url` is one.
pub(crate) fn customer_detail(url: &str) -> Option<&str> {
    let id = path_of(url).strip_prefix("/customers/")?;
    (looks_like_id(id) && !id.contains('/')).then_some(id)
}
