//! Signing in and out. A failed sign-in says what the person can do about it (wait,
//! retry, call the administrator) and never whether the username exists. An account
//! with two-step sign-in goes on to the code page (`login_code.rs`) after its password.

use super::errors::{self, render};
use super::i18n::Lang;
use super::layout::Layout;
use super::session::{self, is_local_path, AnySession, SESSION_COOKIE};
use crate::WebState;
use askama::Template;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::CookieJar;
use dealervault_app::auth::{LoginOutcome, PasswordStep, FEW_RECOVERY_CODES};
use dealervault_app::{AppError, RequestContext};
use secrecy::SecretString;
use serde::Deserialize;
use std::convert::Infallible;

#[derive(Debug, Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub page: Layout,
    pub username: String,
    pub error: Option<String>,
    pub info: Option<&'static str>,
    pub next: String,
}

/// The request facts recorded with a sign-in attempt.
#[derive(Debug)]
pub struct Client(pub RequestContext);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Client(crate::client_context(parts)))
    }
}

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    reason: Option<String>,
    next: Option<String>,
}

/// The sign-in form. Not `Debug`: it holds a password.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub(super) fn safe_next(next: Option<&str>) -> String {
    next.filter(|n| is_local_path(n) && *n != "/login")
        .unwrap_or("/")
        .to_string()
}

pub(super) fn login_page(
    lang: Lang,
    status: StatusCode,
    username: String,
    error: Option<String>,
    info: Option<&'static str>,
    next: String,
) -> Response {
    let page = Layout::anonymous(lang, lang.t("login.title")).at("/login");
    render(
        status,
        &LoginPage {
            page,
            username,
            error,
            info,
            next,
        },
    )
}

pub async fn show(
    State(state): State<WebState>,
    lang: Lang,
    jar: CookieJar,
    Client(ctx): Client,
    Query(q): Query<LoginQuery>,
) -> Response {
    let next = safe_next(q.next.as_deref());
    // Someone already signed in has nothing to do here.
    if let Some(token) = jar.get(SESSION_COOKIE) {
        if let Ok(actor) = state.app.authenticate(token.value(), ctx).await {
            if actor.csrf_token().is_some() {
                return Redirect::to(&next).into_response();
            }
        }
    }
    let info = match q.reason.as_deref() {
        Some("expired") => Some(lang.t("login.expired")),
        Some("login_expired") => Some(lang.t("login.code.expired")),
        Some("signed_out") => Some(lang.t("login.signed_out")),
        _ => None,
    };
    let error =
        (q.reason.as_deref() == Some("disabled")).then(|| lang.t("login.disabled").to_string());
    login_page(lang, StatusCode::OK, String::new(), error, info, next)
}

pub async fn submit(
    State(state): State<WebState>,
    lang: Lang,
    jar: CookieJar,
    headers: HeaderMap,
    Client(ctx): Client,
    Form(form): Form<LoginForm>,
) -> Response {
    if !session::same_origin(&headers) {
        return errors::cross_site(lang);
    }
    let next = safe_next(Some(&form.next));
    let username = form.username.trim().to_string();
    if username.is_empty() || form.password.is_empty() {
        let error = Some(lang.t("login.required").to_string());
        return login_page(
            lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            username,
            error,
            None,
            next,
        );
    }
    let password = SecretString::from(form.password);
    match state.app.begin_web_login(&username, &password, ctx).await {
        Ok(PasswordStep::SignedIn(outcome)) => signed_in(&state, lang, &jar, outcome, &next),
        Ok(PasswordStep::CodeNeeded(pending)) => {
            let cookie =
                super::login_code::pending_cookie(pending.token, state.config.secure_cookies);
            let target = format!("/login/code?next={}", session::encode_path(&next));
            (CookieJar::new().add(cookie), Redirect::to(&target)).into_response()
        }
        Err(e) => {
            let (status, error) = refusal(lang, &e);
            login_page(lang, status, username, Some(error), None, next)
        }
    }
}

/// The browser is signed in: the session cookie, the person's language if the browser
/// has none, the pending sign-in's cookie dropped. Off to `next` — or first to the
/// two-step page when the session may do nothing else, or when a recovery code was
/// used and few are left.
pub(super) fn signed_in(
    state: &WebState,
    lang: Lang,
    jar: &CookieJar,
    outcome: LoginOutcome,
    next: &str,
) -> Response {
    let secure = state.config.secure_cookies;
    let mut set = CookieJar::new()
        .add(session::session_cookie(outcome.token, secure))
        .add(super::login_code::pending_removal(secure));
    // A browser that has no language yet takes the one the person chose before,
    // on whatever device; a choice made in this browser stands.
    if jar.get(super::i18n::LANG_COOKIE).is_none() {
        let chosen = Lang::from_code(&outcome.lang).unwrap_or(lang);
        set = set.add(super::lang_cookie(chosen, secure));
    }
    let few_left = outcome
        .recovery_codes_left
        .is_some_and(|left| left <= FEW_RECOVERY_CODES);
    let target = if outcome.mfa_enrolment_required || few_left {
        session::ENROL_PAGE
    } else {
        next
    };
    (set, Redirect::to(target)).into_response()
}

/// A refused sign-in in words, with its status.
pub(super) fn refusal(lang: Lang, e: &AppError) -> (StatusCode, String) {
    match e {
        AppError::BadCredentials => (StatusCode::UNAUTHORIZED, lang.t("login.failed").to_string()),
        AppError::AccountLocked { retry_after_secs } => {
            let minutes = (retry_after_secs + 59) / 60;
            (
                StatusCode::TOO_MANY_REQUESTS,
                lang.t1("login.locked", minutes.max(1)),
            )
        }
        AppError::RateLimited => (
            StatusCode::TOO_MANY_REQUESTS,
            lang.t("login.rate_limited").to_string(),
        ),
        AppError::AccountDisabled => (StatusCode::FORBIDDEN, lang.t("login.disabled").to_string()),
        AppError::AccountFrozen => (StatusCode::FORBIDDEN, lang.t("login.frozen").to_string()),
        other => {
            tracing::error!(error = %other, "sign-in failed for a server-side reason");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                lang.t("login.unavailable").to_string(),
            )
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: Option<String>,
}

pub async fn logout(
    State(state): State<WebState>,
    AnySession(who): AnySession,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    if let Err(e) = state.app.logout(&who.actor).await {
        // The cookie goes anyway; the server-side session then ends by timeout.
        tracing::error!(error = %e, "sign-out could not end the session");
    }
    let removal = session::removal_cookie(state.config.secure_cookies);
    (
        CookieJar::new().add(removal),
        Redirect::to("/login?reason=signed_out"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_never_leaves_the_site() {
        assert_eq!(safe_next(Some("/customers")), "/customers");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/login")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
