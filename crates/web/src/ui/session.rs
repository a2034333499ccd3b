//! The browser session: the `dv_session` cookie, the [`PageActor`] extractor that sends
//! anyone without a live web session to the sign-in page, and the CSRF check every form
//! post goes through.

use super::errors;
use super::i18n::Lang;
use crate::WebState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use dealervault_app::{Actor, AppError};

/// The session cookie: an opaque token, HttpOnly, SameSite=Strict.
pub const SESSION_COOKIE: &str = "dv_session";

/// The session cookie as set at sign-in. No `Max-Age`: it ends with the browser, and the
/// server ends it earlier on idle or absolute timeout.
pub fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/")
        .secure(secure)
        .build()
}

/// A cookie that tells the browser to drop the session cookie.
pub fn removal_cookie(secure: bool) -> Cookie<'static> {
    let mut cookie = session_cookie(String::new(), secure);
    cookie.make_removal();
    cookie
}

/// A signed-in person with a live web session, and the language of the request.
#[derive(Debug, Clone)]
pub struct PageActor {
    pub actor: Actor,
    pub lang: Lang,
    /// Export requests waiting for this person's decision: the badge of the exports
    /// entry in the navigation (0 on the password page and when it cannot be counted).
    pub exports_awaiting: usize,
    /// Access review items waiting for this person's decision: the badge of the reviews
    /// entry (0 when there are none or they cannot be counted).
    pub reviews_awaiting: usize,
}

impl PageActor {
    /// The token forms echo back (every web session has one: see the extractor).
    pub fn csrf(&self) -> &str {
        self.actor.csrf_token().unwrap_or_default()
    }

    /// The refusal of a form post whose `csrf` field does not match the session's token;
    /// `None` when it matches.
    pub fn csrf_refusal(&self, submitted: Option<&str>) -> Option<Response> {
        match (self.actor.csrf_token(), submitted) {
            (Some(expected), Some(given)) if same_token(expected, given) => None,
            _ => Some(errors::csrf_refused(self)),
        }
    }
}

/// Any live web session, including one that must change its one-time password or set
/// up two-step sign-in first: only for those pages and signing out.
#[derive(Debug, Clone)]
pub struct AnySession(pub PageActor);

impl FromRequestParts<WebState> for AnySession {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        let Ok(lang) = Lang::from_request_parts(parts, state).await;
        let Ok(jar) = CookieJar::from_request_parts(parts, state).await;
        let secure = state.config.secure_cookies;
        let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) else {
            return Err(to_login(parts, None, secure));
        };
        let ctx = crate::client_context(parts);
        match state.app.authenticate(&token, ctx).await {
            // An API token pasted into the cookie has no CSRF token: not a web session.
            Ok(actor) if actor.csrf_token().is_some() => Ok(AnySession(PageActor {
                actor,
                lang,
                exports_awaiting: 0,
                reviews_awaiting: 0,
            })),
            Ok(_) | Err(AppError::Unauthenticated) => Err(to_login(parts, None, secure)),
            Err(AppError::SessionExpired) => Err(to_login(parts, Some("expired"), secure)),
            Err(AppError::AccountDisabled) => Err(to_login(parts, Some("disabled"), secure)),
            Err(e) => Err(errors::bare(lang, &e)),
        }
    }
}

/// A live web session that may set up two-step sign-in: any, but one on a one-time
/// password is sent to change it first.
#[derive(Debug, Clone)]
pub struct EnrolSession(pub PageActor);

impl FromRequestParts<WebState> for EnrolSession {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        let AnySession(who) = AnySession::from_request_parts(parts, state).await?;
        if who.actor.must_change_password() {
            return Err(Redirect::to("/password").into_response());
        }
        Ok(EnrolSession(who))
    }
}

/// The page where a session that may do nothing else sets up two-step sign-in.
pub const ENROL_PAGE: &str = "/account/mfa";

/// Every other page: a session on a one-time password is sent to change it first, and
/// one that may only set up two-step sign-in to do that.
impl FromRequestParts<WebState> for PageActor {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        let AnySession(mut who) = AnySession::from_request_parts(parts, state).await?;
        if who.actor.must_change_password() {
            return Err(Redirect::to("/password").into_response());
        }
        if who.actor.mfa_enrolment_required() {
            return Err(Redirect::to(ENROL_PAGE).into_response());
        }
        // A count the page can do without: a failure costs the badge, not the page.
        who.exports_awaiting = match state.app.exports_awaiting(&who.actor).await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "cannot count the export requests awaiting a decision");
                0
            }
        };
        who.reviews_awaiting = match state.app.reviews_awaiting(&who.actor).await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "cannot count the access review items awaiting a decision");
                0
            }
        };
        Ok(who)
    }
}

/// The signed-in person if there is one, never a redirect: for pages anyone may open
/// that do a little more for someone signed in (the language switch).
#[derive(Debug, Clone)]
pub struct MaybeSession(pub Option<PageActor>);

impl FromRequestParts<WebState> for MaybeSession {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        let who = AnySession::from_request_parts(parts, state).await.ok();
        Ok(Self(who.map(|AnySession(who)| who)))
    }
}

/// Sends the browser to the sign-in page, dropping a stale cookie and remembering where
/// it was going (for a page view; a form post is not replayed).
fn to_login(parts: &Parts, reason: Option<&str>, secure: bool) -> Response {
    let mut target = String::from("/login");
    let mut sep = '?';
    if let Some(reason) = reason {
        target.push_str(&format!("{sep}reason={reason}"));
        sep = '&';
    }
    if parts.method == Method::GET {
        let here = parts.uri.path();
        if here != "/" && is_local_path(here) {
            target.push_str(&format!("{sep}next={}", encode_path(here)));
        }
    }
    (
        CookieJar::new().add(removal_cookie(secure)),
        Redirect::to(&target),
    )
        .into_response()
}

/// Whether `path` is a path on this site (not `//host`, not a scheme, no backslashes),
/// so that a `next` parameter cannot send anyone elsewhere.
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && !path.contains("://")
}

/// Percent-encodes what a path query value must not carry raw.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Compares two tokens in time that depends only on their length.
pub fn same_token(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// Whether a form post comes from a page of this site, by the browser's own headers:
/// `Sec-Fetch-Site` when sent, else `Origin` against `Host`. Headers a browser did not
/// send are not held against the request (the CSRF token still is).
pub fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin.split_once("://").map_or("", |(_, rest)| rest);
    !host.is_empty() && origin_host.eq_ignore_ascii_case(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn tokens_compare_only_when_identical() {
        assert!(same_token("abcDEF123", "abcDEF123"));
        assert!(!same_token("abcDEF123", "abcDEF124"));
        assert!(!same_token("abcDEF123", "abcDEF12"));
        assert!(!same_token("abcDEF123", ""));
        assert!(!same_token("", ""));
    }

    #[test]
    fn next_must_stay_on_this_site() {
        assert!(is_local_path("/customers/abc"));
        assert!(!is_local_path("//evil.example/x"));
        assert!(!is_local_path("https://evil.example"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path("customers"));
        assert_eq!(encode_path("/a b?c"), "/a%20b%3Fc");
    }

    #[test]
    fn cross_site_posts_are_recognised() {
        let mut h = HeaderMap::new();
        assert!(same_origin(&h));
        h.insert(header::HOST, HeaderValue::from_static("dv.local:8080"));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://dv.local:8080"),
        );
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(!same_origin(&h));
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h));
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(same_origin(&h));
    }

    #[test]
    fn the_session_cookie_is_locked_down() {
        let c = session_cookie("t".into(), true);
        assert_eq!(c.http_only(), Some(true));
        assert_eq!(c.same_site(), Some(SameSite::Strict));
        assert_eq!(c.secure(), Some(true));
        assert_eq!(c.path(), Some("/"));
        assert_eq!(c.max_age(), None);
    }
}
