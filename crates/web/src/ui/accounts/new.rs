//! `/admin/users/new`: a new account on a one-time password, shown once.

use super::super::errors::{self, render};
use super::super::form_errors::FormErrors;
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use super::one_time::OneTimePasswordPage;
use super::units::{options, role_options, UnitOption};
use crate::WebState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use dealervault_app::users::NewAccount;
use dealervault_app::AppError;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewForm {
    csrf: Option<String>,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub unit: String,
}

#[derive(Debug, Template)]
#[template(path = "accounts/new.html")]
pub struct NewAccountPage {
    pub page: Layout,
    pub csrf: String,
    pub form: NewForm,
    pub roles: Vec<UnitOption>,
    pub units: Vec<UnitOption>,
    /// Refusals, by input.
    pub errors: FormErrors,
}

pub async fn show(State(state): State<WebState>, who: PageActor) -> Response {
    form_page(
        &state,
        &who,
        StatusCode::OK,
        NewForm::default(),
        FormErrors::default(),
    )
    .await
}

async fn form_page(
    state: &WebState,
    who: &PageActor,
    status: StatusCode,
    form: NewForm,
    errors: FormErrors,
) -> Response {
    let lang = who.lang;
    let (roles, units) = match (
        state.app.list_roles(&who.actor).await,
        state.app.org_units(&who.actor).await,
    ) {
        (Ok(r), Ok(u)) => (r, u),
        (Err(e), _) | (_, Err(e)) => return errors::app_error(who, &e),
    };
    let template = NewAccountPage {
        page: Layout::for_actor(who, lang.t("accounts.new.title"), Section::Accounts)
            .at("/admin/users/new"),
        csrf: who.csrf().to_string(),
        roles: role_options(lang, &roles, &form.role),
        units: options(lang, &units, &form.unit),
        form,
        errors,
    };
    render(status, &template)
}

pub async fn create(
    State(state): State<WebState>,
    who: PageActor,
    Form(form): Form<NewForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    let lang = who.lang;
    let new = NewAccount {
        username: form.username.clone(),
        display_name: form.display_name.clone(),
        role: form.role.clone(),
        unit: form.unit.clone(),
    };
    let (status, errors) = match state.app.create_user(&who.actor, &new).await {
        Ok(created) => {
            return OneTimePasswordPage::render(
                &who,
                StatusCode::CREATED,
                &created.user,
                &created.one_time_password,
                lang.t("accounts.otp.created"),
            )
        }
        Err(AppError::Invalid(problems)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::of(lang, &problems),
        ),
        Err(AppError::Conflict("username_taken")) => (
            StatusCode::CONFLICT,
            FormErrors::one("username", lang.t("accounts.error.taken")),
        ),
        Err(e) => return errors::app_error(&who, &e),
    };
    form_page(&state, &who, status, form, errors).await
}
