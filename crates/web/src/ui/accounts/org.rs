//! `/admin/org`: the organisation — stores, their departments and teams, with how many
//! accounts sit in each — and forms to add to it.

use super::super::errors::{self, render};
use super::super::form_errors::FormErrors;
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use super::units::{label, own_name, UnitOption};
use crate::WebState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::users::NewUnit;
use dealervault_app::AppError;
use dealervault_domain::catalog::Entity;
use dealervault_policy::Action;
use serde::Deserialize;

#[derive(Debug, Clone)]
pub struct UnitRow {
    pub depth: u8,
    /// The store's, department's or team's own name.
    pub name: String,
    pub members: usize,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct UnitForm {
    csrf: Option<String>,
    /// `store`, `department` or `team`.
    #[serde(default)]
    pub kind: String,
    /// The store or department a new department or team goes into.
    #[serde(default)]
    pub parent: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Debug, Template)]
#[template(path = "accounts/org.html")]
pub struct OrgPage {
    pub page: Layout,
    pub csrf: String,
    pub rows: Vec<UnitRow>,
    pub stores: Vec<UnitOption>,
    pub departments: Vec<UnitOption>,
    pub can_create: bool,
    pub form: UnitForm,
    pub notice: Option<&'static str>,
    /// Refusals of the form that was sent, by input.
    pub errors: FormErrors,
}

impl OrgPage {
    /// A refusal for an input of the form of `kind` (only that form shows it).
    pub fn error(&self, kind: &str, input: &str) -> Option<&str> {
        (self.form.kind == kind)
            .then(|| self.errors.get(input))
            .flatten()
    }

    /// What was typed into `input` of the form of `kind`.
    pub fn typed(&self, kind: &str, input: &str) -> &str {
        if self.form.kind != kind {
            return "";
        }
        match input {
            "code" => &self.form.code,
            "name_zh" => &self.form.name_zh,
            "name_en" => &self.form.name_en,
            "name" => &self.form.name,
            _ => "",
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    added: Option<u8>,
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = q.added.map(|_| who.lang.t("org.added"));
    page(
        &state,
        &who,
        StatusCode::OK,
        UnitForm::default(),
        notice,
        FormErrors::default(),
    )
    .await
}

async fn page(
    state: &WebState,
    who: &PageActor,
    status: StatusCode,
    form: UnitForm,
    notice: Option<&'static str>,
    errors: FormErrors,
) -> Response {
    let lang = who.lang;
    let chart = match state.app.org_chart(&who.actor).await {
        Ok(chart) => chart,
        Err(e) => return errors::app_error(who, &e),
    };
    let option = |depth: u8| {
        chart
            .iter()
            .filter(|(u, _)| u.depth == depth)
            .map(|(u, _)| UnitOption {
                key: u.key.clone(),
                label: label(lang, u),
                selected: u.key == form.parent,
            })
            .collect::<Vec<_>>()
    };
    let (stores, departments) = (option(1), option(2));
    let rows = chart
        .iter()
        .map(|(u, n)| UnitRow {
            depth: u.depth,
            name: own_name(lang, u),
            members: *n,
        })
        .collect();
    let template = OrgPage {
        page: Layout::for_actor(who, lang.t("org.title"), Section::Organisation).at("/admin/org"),
        csrf: who.csrf().to_string(),
        rows,
        stores,
        departments,
        can_create: who.actor.may(Entity::Organisation, Action::Create),
        form,
        notice,
        errors,
    };
    render(status, &template)
}

pub async fn add(
    State(state): State<WebState>,
    who: PageActor,
    Form(form): Form<UnitForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    let lang = who.lang;
    let new = match form.kind.as_str() {
        "store" => NewUnit::Store {
            code: form.code.clone(),
            name_zh: form.name_zh.clone(),
            name_en: form.name_en.clone(),
        },
        "department" => NewUnit::Department {
            store: form.parent.clone(),
            code: form.code.clone(),
            name_zh: form.name_zh.clone(),
            name_en: form.name_en.clone(),
        },
        "team" => NewUnit::Team {
            department: form.parent.clone(),
            name: form.name.clone(),
        },
        _ => {
            return errors::app_error(
                &who,
                &AppError::invalid("kind", dealervault_domain::error::Rule::UnknownValue),
            )
        }
    };
    let (status, errors) = match state.app.add_org_unit(&who.actor, &new).await {
        Ok(_) => return Redirect::to("/admin/org?added=1").into_response(),
        Err(AppError::Invalid(problems)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            // The store or department a unit goes into is the form's `parent`.
            FormErrors::of(lang, &problems).moved(&["store", "department"], "parent"),
        ),
        Err(AppError::Conflict("unit_exists")) => (
            StatusCode::CONFLICT,
            FormErrors::one(
                if form.kind == "team" { "name" } else { "code" },
                lang.t("org.error.exists"),
            ),
        ),
        Err(e) => return errors::app_error(&who, &e),
    };
    page(&state, &who, status, form, None, errors).await
}
