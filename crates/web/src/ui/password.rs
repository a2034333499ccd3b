//! Changing one's own password: forced after signing in with a one-time password, and
//! open to everyone from the top bar.

use super::errors::{self, render};
use super::layout::{Layout, Section};
use super::session::{AnySession, PageActor};
use crate::WebState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::AppError;
use secrecy::SecretString;
use serde::Deserialize;

#[derive(Debug)]
pub struct PasswordField {
    pub name: &'static str,
    pub label: &'static str,
    pub autocomplete: &'static str,
    pub error: Option<String>,
}

#[derive(Debug, Template)]
#[template(path = "password.html")]
pub struct PasswordPage {
    pub page: Layout,
    pub csrf: String,
    pub forced: bool,
    pub fields: Vec<PasswordField>,
    pub alert: Option<String>,
}

/// The form. Not `Debug`: it holds passwords.
#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: Option<String>,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

const FIELDS: [(&str, &str, &str); 3] = [
    ("current_password", "password.current", "current-password"),
    ("new_password", "password.new", "new-password"),
    ("confirm_password", "password.confirm", "new-password"),
];

fn page(
    who: &PageActor,
    status: StatusCode,
    errors: &[(&str, String)],
    alert: Option<String>,
) -> Response {
    let lang = who.lang;
    let fields = FIELDS
        .iter()
        .map(|(name, label, autocomplete)| PasswordField {
            name,
            label: lang.t(label),
            autocomplete,
            error: errors
                .iter()
                .find(|(f, _)| f == name)
                .map(|(_, e)| e.clone()),
        })
        .collect();
    let body = PasswordPage {
        page: Layout::for_actor(who, lang.t("password.title"), Section::None).at("/password"),
        csrf: who.csrf().to_string(),
        forced: who.actor.must_change_password(),
        fields,
        alert,
    };
    render(status, &body)
}

pub async fn show(AnySession(who): AnySession) -> Response {
    page(&who, StatusCode::OK, &[], None)
}

pub async fn submit(
    State(state): State<WebState>,
    AnySession(who): AnySession,
    Form(form): Form<PasswordForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    let lang = who.lang;
    if form.new_password != form.confirm_password {
        let errors = [("confirm_password", lang.t("password.mismatch").to_string())];
        return page(&who, StatusCode::UNPROCESSABLE_ENTITY, &errors, None);
    }
    let current = SecretString::from(form.current_password);
    let new = SecretString::from(form.new_password);
    match state.app.change_password(&who.actor, &current, &new).await {
        Ok(()) => Redirect::to("/").into_response(),
        Err(AppError::Invalid(issues)) => {
            let errors: Vec<(&str, String)> =
                issues.iter().map(|e| (e.field, lang.rule(e))).collect();
            page(&who, StatusCode::UNPROCESSABLE_ENTITY, &errors, None)
        }
        Err(e) => errors::app_error(&who, &e),
    }
}
