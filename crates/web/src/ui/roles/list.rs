//! The roles, what each amounts to, and a form to add one (it starts with no rights).

use super::super::errors::{self, render};
use super::super::form_errors::FormErrors;
use super::super::i18n::Lang;
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use super::scope_label;
use crate::WebState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::roles::{NewRole, RoleDetail};
use dealervault_app::AppError;
use dealervault_domain::catalog::Entity;
use dealervault_policy::{Action, Effect, FieldLevel};
use serde::Deserialize;

#[derive(Debug, Clone)]
pub struct RoleRow {
    pub code: String,
    pub name: String,
    pub builtin: bool,
    pub members: i64,
    /// Which customers it reaches, in words.
    pub customers: &'static str,
    /// How many customer fields it sees at all, and how many in clear.
    pub fields_seen: usize,
    pub fields_clear: usize,
    /// Its kind of work (customer data, administration, audit), in words.
    pub duties: Vec<&'static str>,
}

impl RoleRow {
    fn of(lang: Lang, r: &RoleDetail) -> Self {
        let level = |f: &&dealervault_policy::FieldRule| f.entity == Entity::Customer;
        let fields: Vec<_> = r.policy.fields.iter().filter(level).collect();
        let sees = r.policy.may(Entity::Customer, Action::View);
        Self {
            code: r.code.clone(),
            name: if lang.is_zh() { &r.name_zh } else { &r.name_en }.clone(),
            builtin: r.builtin,
            members: r.members,
            customers: scope_label(
                lang,
                sees.then(|| {
                    r.policy
                        .widest(Entity::Customer, Action::View, Effect::Allow)
                })
                .flatten(),
            ),
            fields_seen: fields
                .iter()
                .filter(|f| f.level > FieldLevel::Hidden)
                .count(),
            fields_clear: fields
                .iter()
                .filter(|f| f.level >= FieldLevel::Clear)
                .count(),
            duties: r
                .policy
                .duties()
                .into_iter()
                .map(|d| lang.t(&format!("perm.duty.{}", d.code())))
                .collect(),
        }
    }
}

/// The form to add a role, with what was typed and why it was refused.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CreateForm {
    csrf: Option<String>,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
}

#[derive(Debug, Template)]
#[template(path = "roles/list.html")]
pub struct RolesPage {
    pub page: Layout,
    pub csrf: String,
    pub rows: Vec<RoleRow>,
    pub can_create: bool,
    pub form: CreateForm,
    /// Refusals of the create form, by input.
    pub errors: FormErrors,
}

pub async fn show(State(state): State<WebState>, who: PageActor) -> Response {
    page(
        &state,
        &who,
        StatusCode::OK,
        CreateForm::default(),
        FormErrors::default(),
    )
    .await
}

async fn page(
    state: &WebState,
    who: &PageActor,
    status: StatusCode,
    form: CreateForm,
    errors: FormErrors,
) -> Response {
    let lang = who.lang;
    let roles = match state.app.role_details(&who.actor).await {
        Ok(roles) => roles,
        Err(e) => return errors::app_error(who, &e),
    };
    let template = RolesPage {
        page: Layout::for_actor(who, lang.t("roles.title"), Section::Roles).at("/admin/roles"),
        csrf: who.csrf().to_string(),
        rows: roles.iter().map(|r| RoleRow::of(lang, r)).collect(),
        can_create: who.actor.may(Entity::Role, Action::Create),
        form,
        errors,
    };
    render(status, &template)
}

pub async fn create(
    State(state): State<WebState>,
    who: PageActor,
    Form(form): Form<CreateForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    let new = NewRole {
        code: form.code.clone(),
        name_zh: form.name_zh.clone(),
        name_en: form.name_en.clone(),
    };
    let lang = who.lang;
    let (status, errors) = match state.app.create_role(&who.actor, &new).await {
        Ok(role) => {
            return Redirect::to(&format!("/admin/roles/{}?created=1", role.code)).into_response()
        }
        Err(AppError::Invalid(problems)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::of(lang, &problems),
        ),
        Err(AppError::Conflict("role_exists")) => (
            StatusCode::CONFLICT,
            FormErrors::one("code", lang.t("roles.error.exists")),
        ),
        Err(e) => return errors::app_error(&who, &e),
    };
    page(&state, &who, status, form, errors).await
}
