//! `/exports/new` and `POST /exports`: the request form. The fields the role may export
//! as checkboxes (all checked), the format, the purpose, and a source filter for those
//! who see the source in clear. A refused form comes back with what was typed and the
//! reason beside each input; a request made goes to its page.

use super::super::choice::Choice;
use super::super::errors::{self, render};
use super::super::form_errors::FormErrors;
use super::super::i18n::SOURCE_CODES;
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use crate::WebState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::exports::{ExportFilterInput, ExportInput};
use dealervault_app::AppError;
use dealervault_domain::catalog::Entity;
use dealervault_domain::values::Reason;
use dealervault_policy::{Action, FieldLevel};

/// One field the role may export, as a checkbox.
#[derive(Debug, Clone)]
pub struct FieldBox {
    pub name: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

#[derive(Debug, Template)]
#[template(path = "exports/new.html")]
pub struct NewPage {
    pub page: Layout,
    pub csrf: String,
    pub fields: Vec<FieldBox>,
    pub formats: Vec<Choice>,
    pub purpose: String,
    pub purpose_max: usize,
    /// The source filter, for those who see the source in clear.
    pub sources: Option<Vec<Choice>>,
    pub errors: FormErrors,
    pub alert: Option<String>,
}

/// The form as posted (checkboxes repeat their name, so the pairs are read in order).
#[derive(Debug, Default)]
struct Submitted {
    csrf: Option<String>,
    fields: Vec<String>,
    format: String,
    purpose: String,
    source: String,
}

impl Submitted {
    fn of(pairs: Vec<(String, String)>) -> Self {
        let mut s = Submitted::default();
        for (name, value) in pairs {
            match name.as_str() {
                "csrf" => s.csrf = Some(value),
                "fields" => s.fields.push(value),
                "format" => s.format = value,
                "purpose" => s.purpose = value,
                "source" => s.source = value,
                _ => {}
            }
        }
        s
    }
}

/// Whether the form may filter by source: filtering by a value shows it.
fn may_filter_source(who: &PageActor) -> bool {
    who.actor.field_level(Entity::Customer, "source") >= FieldLevel::Clear
}

/// The form; `submitted` keeps what was typed (`None`: a fresh form, every field
/// checked, CSV).
async fn form(
    state: &WebState,
    who: &PageActor,
    submitted: Option<&Submitted>,
    errors: FormErrors,
    alert: Option<String>,
) -> Result<NewPage, AppError> {
    let lang = who.lang;
    let exportable = state.app.exportable_customer_fields(&who.actor).await?;
    let fields = exportable
        .into_iter()
        .map(|name| FieldBox {
            name,
            label: lang.field_label(name),
            checked: submitted.is_none_or(|s| s.fields.iter().any(|f| f == name)),
        })
        .collect();
    let format = submitted.map_or("csv", |s| s.format.as_str());
    let source = submitted.map_or("", |s| s.source.as_str());
    Ok(NewPage {
        page: Layout::for_actor(who, lang.t("export.new.title"), Section::Exports)
            .at("/exports/new"),
        csrf: who.csrf().to_string(),
        fields,
        formats: Choice::list(lang, "export.format", ["csv", "xlsx"], format),
        purpose: submitted.map(|s| s.purpose.clone()).unwrap_or_default(),
        purpose_max: Reason::MAX_CHARS,
        sources: may_filter_source(who)
            .then(|| Choice::list(lang, "source", SOURCE_CODES.iter().copied(), source)),
        errors,
        alert,
    })
}

async fn answer(
    state: &WebState,
    who: &PageActor,
    status: StatusCode,
    submitted: Option<&Submitted>,
    errors: FormErrors,
    alert: Option<String>,
) -> Response {
    match form(state, who, submitted, errors, alert).await {
        Ok(page) => render(status, &page),
        Err(e) => errors::app_error(who, &e),
    }
}

pub async fn show(State(state): State<WebState>, who: PageActor) -> Response {
    if !who.actor.may(Entity::Customer, Action::Export) {
        return errors::app_error(&who, &AppError::Forbidden);
    }
    answer(
        &state,
        &who,
        StatusCode::OK,
        None,
        FormErrors::default(),
        None,
    )
    .await
}

pub async fn create(
    State(state): State<WebState>,
    who: PageActor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let submitted = Submitted::of(pairs);
    if let Some(refused) = who.csrf_refusal(submitted.csrf.as_deref()) {
        return refused;
    }
    let lang = who.lang;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    // No box ticked is a choice to make, not "every field" (what the API reads it as).
    if submitted.fields.is_empty() {
        let errors = FormErrors::one("fields", lang.t("export.fields.none"));
        let alert = Some(lang.t("form.fix").to_string());
        return answer(&state, &who, unprocessable, Some(&submitted), errors, alert).await;
    }
    let source = submitted.source.trim();
    let input = ExportInput {
        entity: "customers".into(),
        filter: ExportFilterInput {
            owner: None,
            source: (!source.is_empty()).then(|| source.to_string()),
        },
        fields: submitted.fields.clone(),
        format: submitted.format.clone(),
        purpose: submitted.purpose.clone(),
    };
    match state.app.request_export(&who.actor, &input).await {
        Ok(view) => {
            let done = if view.status == "pending" {
                "requested"
            } else {
                "direct"
            };
            Redirect::to(&format!("/exports/{}?done={done}", view.id)).into_response()
        }
        Err(AppError::Invalid(list)) => {
            let errors = FormErrors::of(lang, &list).moved(&["filter.source"], "source");
            let alert = Some(lang.t("form.fix").to_string());
            answer(&state, &who, unprocessable, Some(&submitted), errors, alert).await
        }
        Err(AppError::Refused(code)) => match lang.known(&format!("export.refused.{code}")) {
            Some(words) => {
                let status = errors::status_of(&AppError::Refused(code));
                let alert = Some(words.to_string());
                answer(
                    &state,
                    &who,
                    status,
                    Some(&submitted),
                    FormErrors::default(),
                    alert,
                )
                .await
            }
            None => errors::app_error(&who, &AppError::Refused(code)),
        },
        Err(e) => errors::app_error(&who, &e),
    }
}
