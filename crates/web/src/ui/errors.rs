//! Failures as friendly pages: one status and one plain message per kind of error, never
//! personal data or internals.

use super::i18n::Lang;
use super::layout::{Layout, Section};
use super::session::PageActor;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use dealervault_app::AppError;

#[derive(Debug, Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub page: Layout,
    pub status: u16,
    pub heading: &'static str,
    pub message: &'static str,
}

/// Renders a template, or a bare 500 if the template itself fails.
pub fn render<T: Template>(status: StatusCode, template: &T) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// The status a page answers with for `e` (a form shown again with its refusal answers
/// the same status as the error page would).
pub fn status_of(e: &AppError) -> StatusCode {
    describe(e).0
}

/// What a record page shows beside the record when one of its steps is refused: each
/// refused input with its label and reason, a conflict in the page's own words
/// (`{page}.conflict.{code}`), a field the role may not write. `None` for what the error
/// page shows instead (missing, forbidden, a conflict the page has no words for…).
pub fn refusal_alert(
    lang: Lang,
    e: &AppError,
    label: impl Fn(&str) -> &'static str,
    page: &str,
) -> Option<String> {
    match e {
        AppError::Invalid(list) => Some(
            list.iter()
                .map(|fe| format!("{}：{}", label(fe.field), lang.rule(fe)))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        AppError::Conflict(code) => lang
            .known(&format!("{page}.conflict.{code}"))
            .map(str::to_string),
        AppError::FieldNotEditable(_) => Some(lang.t("form.not_editable").to_string()),
        _ => None,
    }
}

/// Status, heading key and message key for an error.
fn describe(e: &AppError) -> (StatusCode, &'static str, &'static str) {
    use AppError as E;
    match e {
        E::NotFound => (
            StatusCode::NOT_FOUND,
            "error.not_found.title",
            "error.not_found.desc",
        ),
        E::Forbidden
        | E::Refused(_)
        | E::PasswordChangeRequired
        | E::MfaEnrolmentRequired
        | E::FieldNotEditable(_)
        | E::FieldNotRevealable(_) => (
            StatusCode::FORBIDDEN,
            "error.forbidden.title",
            "error.forbidden.desc",
        ),
        E::Invalid(_) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "error.invalid.title",
            "error.invalid.desc",
        ),
        E::DuplicateCustomer { .. } | E::Conflict(_) => (
            StatusCode::CONFLICT,
            "error.conflict.title",
            "error.conflict.desc",
        ),
        E::RateLimited
        | E::AccountLocked { .. }
        | E::RevealQuotaExceeded { .. }
        | E::ClaimLimitReached { .. } => (
            StatusCode::TOO_MANY_REQUESTS,
            "error.rate.title",
            "error.rate.desc",
        ),
        E::AuditUnavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            "error.unavailable.title",
            "error.audit.desc",
        ),
        E::Storage(_) | E::Keys(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "error.unavailable.title",
            "error.unavailable.desc",
        ),
        E::Integrity => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "error.integrity.title",
            "error.integrity.desc",
        ),
        E::Unauthenticated
        | E::SessionExpired
        | E::BadCredentials
        | E::AccountDisabled
        | E::AccountFrozen
        | E::MfaRequired
        | E::SecondFactor(_) => (
            StatusCode::UNAUTHORIZED,
            "error.forbidden.title",
            "error.forbidden.desc",
        ),
    }
}

fn log(e: &AppError) {
    match e {
        AppError::Storage(source) => {
            tracing::error!(error = %source, "storage failure behind a page")
        }
        AppError::AuditUnavailable => tracing::error!("audit trail unavailable behind a page"),
        AppError::Keys(source) => {
            tracing::error!(error = %source, "encryption keys unavailable behind a page")
        }
        _ => {}
    }
}

fn page(
    layout: Layout,
    status: StatusCode,
    heading: &'static str,
    message: &'static str,
) -> Response {
    let lang = layout.lang;
    let template = ErrorPage {
        page: layout,
        status: status.as_u16(),
        heading: lang.t(heading),
        message: lang.t(message),
    };
    render(status, &template)
}

/// An error met by a signed-in person: the page keeps their top bar. A session that ended
/// meanwhile goes back to the sign-in page.
pub fn app_error(who: &PageActor, e: &AppError) -> Response {
    match e {
        AppError::Unauthenticated => return Redirect::to("/login").into_response(),
        AppError::SessionExpired => return Redirect::to("/login?reason=expired").into_response(),
        AppError::AccountDisabled | AppError::AccountFrozen => {
            return Redirect::to("/login?reason=disabled").into_response()
        }
        _ => {}
    }
    log(e);
    let (status, heading, message) = describe(e);
    let layout = Layout::for_actor(who, who.lang.t(heading), Section::None);
    page(layout, status, heading, message)
}

/// An error before anyone is known (e.g. the store failed while checking the session).
pub fn bare(lang: Lang, e: &AppError) -> Response {
    log(e);
    let (status, heading, message) = describe(e);
    page(
        Layout::anonymous(lang, lang.t(heading)),
        status,
        heading,
        message,
    )
}

pub fn csrf_refused(who: &PageActor) -> Response {
    let layout = Layout::for_actor(who, who.lang.t("error.csrf.title"), Section::None);
    page(
        layout,
        StatusCode::FORBIDDEN,
        "error.csrf.title",
        "error.csrf.desc",
    )
}

/// A form post from another site, before any session is involved.
pub fn cross_site(lang: Lang) -> Response {
    let layout = Layout::anonymous(lang, lang.t("error.csrf.title"));
    page(
        layout,
        StatusCode::FORBIDDEN,
        "error.csrf.title",
        "error.csrf.desc",
    )
}

pub fn not_found(lang: Lang) -> Response {
    let layout = Layout::anonymous(lang, lang.t("error.not_found.title"));
    page(
        layout,
        StatusCode::NOT_FOUND,
        "error.not_found.title",
        "error.not_found.desc",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_has_its_status() {
        assert_eq!(describe(&AppError::NotFound).0, StatusCode::NOT_FOUND);
        assert_eq!(describe(&AppError::Forbidden).0, StatusCode::FORBIDDEN);
        assert_eq!(
            describe(&AppError::FieldNotRevealable("mobile")).0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(describe(&AppError::Conflict("x")).0, StatusCode::CONFLICT);
        assert_eq!(
            describe(&AppError::RevealQuotaExceeded { quota: 1 }).0,
            StatusCode::TOO_MANY_REQUESTS
        );
        assert_eq!(
            describe(&AppError::AuditUnavailable).0,
            StatusCode::SERVICE_UNAVAILABLE
        );
    }

    #[test]
    fn every_error_has_words_in_both_languages() {
        let all = [
            AppError::Unauthenticated,
            AppError::BadCredentials,
            AppError::SessionExpired,
            AppError::AccountDisabled,
            AppError::AccountLocked {
                retry_after_secs: 1,
            },
            AppError::RateLimited,
            AppError::Forbidden,
            AppError::FieldNotEditable("mobile"),
            AppError::FieldNotRevealable("mobile"),
            AppError::NotFound,
            AppError::Invalid(vec![]),
            AppError::DuplicateCustomer {
                owner_display_name: String::new(),
            },
            AppError::Conflict("x"),
            AppError::RevealQuotaExceeded { quota: 1 },
            AppError::AuditUnavailable,
        ];
        let known = |key: &str| {
            super::super::i18n::MESSAGES
                .iter()
                .any(|(k, _, _)| *k == key)
        };
        for e in &all {
            let (_, heading, message) = describe(e);
            assert!(known(heading) && known(message), "{e:?}");
        }
    }

    #[test]
    fn the_not_found_page_says_so_in_the_chosen_language() {
        let body = ErrorPage {
            page: Layout::anonymous(Lang::En, "Not found"),
            status: 404,
            heading: Lang::En.t("error.not_found.title"),
            message: Lang::En.t("error.not_found.desc"),
        }
        .render()
        .unwrap_or_default();
        assert!(body.contains("Not found"));
        assert!(body.contains("404"));
        assert!(body.contains("lang=\"en\""));
    }
}
