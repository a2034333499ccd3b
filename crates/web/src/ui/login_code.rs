//! `/login/code`: the second step of signing in, for an account with two-step sign-in.
//! The password step left a pending sign-in on the server (five minutes, a few tries)
//! and its random token in a cookie for this path only; the password is not carried
//! over. The form echoes the pending sign-in's CSRF token. A recovery code can stand in
//! for the app's code.

use super::errors::{self, render};
use super::i18n::Lang;
use super::layout::Layout;
use super::login::{login_page, refusal, safe_next, signed_in, Client};
use super::session::{self, same_token};
use crate::WebState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use dealervault_app::auth::{SecondStep, PENDING_LOGIN_MS};
use dealervault_app::AppError;
use serde::Deserialize;

/// The cookie of a pending sign-in: its token, HttpOnly, SameSite=Strict, sent only to
/// the sign-in pages and gone with its five minutes.
pub const PENDING_COOKIE: &str = "dv_login";

pub fn pending_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((PENDING_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/login")
        .secure(secure)
        .max_age(time::Duration::milliseconds(PENDING_LOGIN_MS))
        .build()
}

pub fn pending_removal(secure: bool) -> Cookie<'static> {
    let mut cookie = pending_cookie(String::new(), secure);
    cookie.make_removal();
    cookie
}

#[derive(Debug, Template)]
#[template(path = "login_code.html")]
pub struct CodePage {
    pub page: Layout,
    pub csrf: String,
    pub next: String,
    /// `next`, percent-encoded for the links that switch the kind of code.
    pub next_query: String,
    /// A recovery code rather than the app's code.
    pub recovery: bool,
    pub error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct CodeQuery {
    next: Option<String>,
    /// `1`: ask for a recovery code.
    recovery: Option<u8>,
}

/// The code form. Not `Debug`: it holds a code.
#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    csrf: Option<String>,
    /// `totp` (default) or `recovery`.
    #[serde(default)]
    mode: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

fn page(
    lang: Lang,
    status: StatusCode,
    csrf: String,
    next: String,
    recovery: bool,
    error: Option<String>,
) -> Response {
    render(
        status,
        &CodePage {
            page: Layout::anonymous(lang, lang.t("login.code.title")).at("/login"),
            csrf,
            next_query: session::encode_path(&next),
            next,
            recovery,
            error,
        },
    )
}

/// Back to the password: the pending sign-in is gone (expired, used up, reset).
fn start_again(secure: bool) -> Response {
    (
        CookieJar::new().add(pending_removal(secure)),
        Redirect::to("/login?reason=login_expired"),
    )
        .into_response()
}

/// The pending sign-in's token and CSRF token, if it is still alive.
async fn pending(state: &WebState, jar: &CookieJar) -> Result<Option<(String, String)>, AppError> {
    let Some(token) = jar.get(PENDING_COOKIE).map(|c| c.value().to_string()) else {
        return Ok(None);
    };
    Ok(state
        .app
        .pending_login(&token)
        .await?
        .map(|csrf| (token, csrf)))
}

pub async fn show(
    State(state): State<WebState>,
    lang: Lang,
    jar: CookieJar,
    Query(q): Query<CodeQuery>,
) -> Response {
    let next = safe_next(q.next.as_deref());
    match pending(&state, &jar).await {
        Ok(Some((_, csrf))) => page(
            lang,
            StatusCode::OK,
            csrf,
            next,
            q.recovery == Some(1),
            None,
        ),
        Ok(None) => start_again(state.config.secure_cookies),
        Err(e) => errors::bare(lang, &e),
    }
}

/// Words for a refused code.
fn wrong(lang: Lang, code: &str) -> String {
    lang.t(match code {
        "totp_reused" => "login.code.reused",
        "recovery_code_invalid" => "login.code.recovery_invalid",
        "recovery_code_used" => "login.code.recovery_used",
        _ => "login.code.invalid",
    })
    .to_string()
}

pub async fn submit(
    State(state): State<WebState>,
    lang: Lang,
    jar: CookieJar,
    headers: HeaderMap,
    Client(ctx): Client,
    Form(form): Form<CodeForm>,
) -> Response {
    if !session::same_origin(&headers) {
        return errors::cross_site(lang);
    }
    let secure = state.config.secure_cookies;
    let next = safe_next(Some(&form.next));
    let (token, csrf) = match pending(&state, &jar).await {
        Ok(Some(both)) => both,
        Ok(None) => return start_again(secure),
        Err(e) => return errors::bare(lang, &e),
    };
    if !form
        .csrf
        .as_deref()
        .is_some_and(|given| same_token(&csrf, given))
    {
        return errors::cross_site(lang);
    }
    let recovery = form.mode == "recovery";
    if form.code.trim().is_empty() {
        let error = Some(lang.t("login.code.required").to_string());
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return page(lang, status, csrf, next, recovery, error);
    }
    let second = if recovery {
        SecondStep::RecoveryCode(form.code)
    } else {
        SecondStep::Totp(form.code)
    };
    match state.app.finish_web_login(&token, &second, ctx).await {
        Ok(outcome) => signed_in(&state, lang, &jar, outcome, &next),
        Err(AppError::SecondFactor("login_expired")) => start_again(secure),
        Err(AppError::SecondFactor(code)) => match pending(&state, &jar).await {
            // The pending sign-in takes another try: ask again.
            Ok(Some((_, csrf))) => page(
                lang,
                StatusCode::UNAUTHORIZED,
                csrf,
                next,
                recovery,
                Some(wrong(lang, code)),
            ),
            Ok(None) => start_again(secure),
            Err(e) => errors::bare(lang, &e),
        },
        Err(e) => {
            // Locked, limited, disabled: back to the password page, saying why.
            let (status, error) = refusal(lang, &e);
            let removal = CookieJar::new().add(pending_removal(secure));
            let page = login_page(lang, status, String::new(), Some(error), None, next);
            (removal, page).into_response()
        }
    }
}
