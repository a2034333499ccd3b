//! The staff web app: server-rendered pages (askama templates in `templates/`, one
//! stylesheet and one script embedded from `assets/`), Chinese first, English second.
//!
//! Pages call the same use cases as the JSON API, so they can show nothing the API would
//! not. They work under the global CSP (`script-src 'self'`, no inline styles): no page
//! needs its script, which only smooths a few interactions.

mod accounts;
mod alert_admin;
mod alerts;
mod assets;
mod audit;
mod chart;
mod choice;
pub(crate) mod customers;
mod deals;
mod done;
mod errors;
mod exports;
mod form_errors;
mod home;
mod i18n;
mod i18n_admin;
mod i18n_alerts;
mod i18n_deals;
mod i18n_exports;
mod i18n_mfa;
mod i18n_reports;
mod i18n_reviews;
mod i18n_sales;
mod i18n_staff;
mod i18n_stock;
mod i18n_test_drives;
mod layout;
mod leads;
mod login;
mod login_code;
mod mfa;
mod pager;
mod password;
mod reports;
mod reviews;
mod roles;
mod session;
mod settings;
mod staff;
mod test_drives;
mod vehicles;
mod watermark;

#[cfg(test)]
mod tests;

use crate::WebState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

pub use i18n::Lang;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/", get(home::show))
        .route("/login", get(login::show).post(login::submit))
        .route(
            "/login/code",
            get(login_code::show).post(login_code::submit),
        )
        .route("/logout", post(login::logout))
        .route("/account/mfa", get(mfa::show))
        .route("/account/mfa/setup", post(mfa::setup))
        .route("/account/mfa/confirm", post(mfa::confirm))
        .route("/account/mfa/recovery-codes", post(mfa::regenerate))
        .route("/password", get(password::show).post(password::submit))
        .route("/lang/{lang}", get(switch_language))
        .route("/assets/{file}", get(assets::serve))
        .route("/audit", get(audit::show))
        .route("/audit/people/{username}", get(audit::timeline))
        .route("/admin/settings", get(settings::show).post(settings::save))
        .route("/alerts", get(alerts::inbox))
        .route("/alerts/{id}", get(alerts::detail))
        .route("/alerts/{id}/acknowledge", post(alerts::acknowledge))
        .route("/alerts/{id}/comments", post(alerts::comment))
        .route("/admin/alerts", get(alert_admin::show))
        .route("/admin/alerts/rules/{kind}", post(alert_admin::save_rule))
        .route("/admin/alerts/webhook", post(alert_admin::save_webhook))
        .route("/admin/alerts/email", post(alert_admin::save_email))
        .route("/admin/alerts/stores/{code}", post(alert_admin::save_store))
        .route(
            "/admin/honeytokens",
            get(alert_admin::honeytokens).post(alert_admin::plant),
        )
        .route("/admin/honeytokens/{id}/retire", post(alert_admin::retire))
        .merge(customers::routes())
        .merge(leads::routes())
        .merge(vehicles::routes())
        .merge(deals::routes())
        .merge(exports::routes())
        .merge(reports::routes())
        .merge(test_drives::routes())
        .merge(roles::routes())
        .merge(accounts::routes())
        .merge(staff::routes())
        .merge(reviews::routes())
}

/// A friendly 404 for paths no route knows; for the top-level router's fallback.
pub async fn fallback(lang: Lang) -> Response {
    errors::not_found(lang)
}

#[derive(Debug, Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// The cookie that remembers a language for a year.
pub(crate) fn lang_cookie(lang: Lang, secure: bool) -> Cookie<'static> {
    Cookie::build((i18n::LANG_COOKIE, lang.code()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(time::Duration::days(365))
        .build()
}

/// `/lang/{zh|en}`: remembers the language in the browser and, for someone signed in,
/// on their account (so it follows them to other devices), then goes back where it
/// came from.
async fn switch_language(
    State(state): State<WebState>,
    session::MaybeSession(who): session::MaybeSession,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> Response {
    let Some(lang) = Lang::from_code(&code) else {
        return errors::not_found(Lang::default());
    };
    if let Some(who) = who {
        if let Err(e) = state.app.set_language(&who.actor, lang.code()).await {
            // The browser still switches; only the account keeps the old choice.
            tracing::warn!(error = %e, "cannot remember the language on the account");
        }
    }
    let next = q
        .next
        .filter(|n| session::is_local_path(n))
        .unwrap_or_else(|| "/".into());
    let cookie = lang_cookie(lang, state.config.secure_cookies);
    (CookieJar::new().add(cookie), Redirect::to(&next)).into_response()
}
