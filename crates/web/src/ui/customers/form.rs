//! `/customers/new` and `/customers/{id}/edit`. A refused form comes back with what the
//! person typed and the reason next to each field. The edit form offers only the fields
//! the role may change and sends only the ones that changed.

use super::super::choice::Choice;
use super::super::errors::{self, render};
use super::super::i18n::{Lang, GENDER_CODES, SOURCE_CODES};
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use super::{field_rows, heading_name, FieldRow};
use crate::WebState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::customers::CustomerView;
use dealervault_app::AppError;
use dealervault_domain::catalog::{governed_fields, Entity};
use dealervault_domain::customer::CustomerInput;
use dealervault_domain::values::{Address, Notes, PersonName};
use dealervault_policy::{Action, FieldLevel};
use std::collections::HashMap;

/// One input of the form.
#[derive(Debug, Clone)]
pub struct Input {
    pub name: &'static str,
    pub label: &'static str,
    /// `text`, `tel`, `email`, `date`, `textarea` or `select`.
    pub kind: &'static str,
    pub value: String,
    /// The value before editing, echoed back so only changes are sent.
    pub original: Option<String>,
    pub required: bool,
    pub maxlength: usize,
    pub choices: Vec<Choice>,
    pub error: Option<String>,
    /// Spans both columns of the form grid.
    pub wide: bool,
}

#[derive(Debug, Template)]
#[template(path = "customers/form.html")]
pub struct FormPage {
    pub page: Layout,
    pub csrf: String,
    pub heading: String,
    pub lead: &'static str,
    pub action: String,
    pub cancel: String,
    pub submit: &'static str,
    pub inputs: Vec<Input>,
    pub readonly: Vec<FieldRow>,
    pub alert: Option<String>,
}

/// Submitted values by field name (and `orig_<name>` for the values before editing).
type Submitted = HashMap<String, String>;

fn input(lang: Lang, name: &'static str, value: String, original: Option<String>) -> Input {
    let (kind, maxlength) = match name {
        "name" => ("text", PersonName::MAX_CHARS),
        "mobile" => ("tel", 20),
        "id_number" => ("text", 20),
        "email" => ("email", 254),
        "address" => ("text", Address::MAX_CHARS),
        "wechat" => ("text", 40),
        "birth_date" => ("date", 10),
        "gender" | "source" => ("select", 0),
        _ => ("textarea", Notes::MAX_CHARS),
    };
    let codes: &[&'static str] = match name {
        "gender" => &GENDER_CODES,
        "source" => &SOURCE_CODES,
        _ => &[],
    };
    let choices = Choice::list(lang, name, codes.iter().copied(), &value);
    Input {
        name,
        label: lang.field_label(name),
        kind,
        value,
        original,
        required: matches!(name, "name" | "mobile"),
        maxlength,
        choices,
        error: None,
        wide: matches!(name, "address" | "notes"),
    }
}

/// Puts field errors next to their inputs; returns those that have no input.
fn place_errors(lang: Lang, inputs: &mut [Input], e: &AppError) -> Option<String> {
    match e {
        AppError::Invalid(list) => {
            for fe in list {
                if let Some(i) = inputs.iter_mut().find(|i| i.name == fe.field) {
                    i.error = Some(lang.rule(fe));
                }
            }
            Some(lang.t("form.fix").to_string())
        }
        AppError::FieldNotEditable(field) => {
            if let Some(i) = inputs.iter_mut().find(|i| i.name == *field) {
                i.error = Some(lang.t("form.not_editable").to_string());
            }
            Some(lang.t("form.fix").to_string())
        }
        AppError::DuplicateCustomer { owner_display_name } => {
            let message = lang.t1("form.duplicate", owner_display_name);
            if let Some(i) = inputs.iter_mut().find(|i| i.name == "mobile") {
                i.error = Some(message.clone());
            }
            Some(message)
        }
        AppError::Conflict(_) => Some(lang.t("form.duplicate_plain").to_string()),
        _ => None,
    }
}

fn set(input: &mut CustomerInput, field: &str, value: String) {
    let slot = match field {
        "name" => &mut input.name,
        "mobile" => &mut input.mobile,
        "id_number" => &mut input.id_number,
        "email" => &mut input.email,
        "address" => &mut input.address,
        "wechat" => &mut input.wechat,
        "birth_date" => &mut input.birth_date,
        "gender" => &mut input.gender,
        "source" => &mut input.source,
        "notes" => &mut input.notes,
        _ => return,
    };
    // An empty value clears the field (the domain treats blank as absent).
    *slot = Some(Some(value));
}

// ---- create ---------------------------------------------------------------------------

fn new_page(
    who: &PageActor,
    state: &WebState,
    inputs: Vec<Input>,
    alert: Option<String>,
) -> FormPage {
    let lang = who.lang;
    FormPage {
        page: Layout::for_actor(who, lang.t("form.new.title"), Section::Customers)
            .at("/customers/new")
            .watermarked(state),
        csrf: who.csrf().to_string(),
        heading: lang.t("form.new.title").to_string(),
        lead: lang.t("form.new.lead"),
        action: "/customers/new".into(),
        cancel: "/customers".into(),
        submit: lang.t("action.create"),
        inputs,
        readonly: vec![],
        alert,
    }
}

/// Inputs for a new customer: every field the role sees (it may not fill in the rest).
fn blank_inputs(who: &PageActor, submitted: &Submitted) -> Vec<Input> {
    let lang = who.lang;
    governed_fields(Entity::Customer)
        .filter(|spec| who.actor.field_level(Entity::Customer, spec.name) > FieldLevel::Hidden)
        .map(|spec| {
            let default = match spec.name {
                "gender" => "unknown",
                "source" => "walk_in",
                _ => "",
            };
            let value = submitted
                .get(spec.name)
                .cloned()
                .unwrap_or_else(|| default.to_string());
            input(lang, spec.name, value, None)
        })
        .collect()
}

pub async fn new(State(state): State<WebState>, who: PageActor) -> Response {
    if !who.actor.may(Entity::Customer, Action::Create) {
        return errors::app_error(&who, &AppError::Forbidden);
    }
    let inputs = blank_inputs(&who, &Submitted::new());
    render(StatusCode::OK, &new_page(&who, &state, inputs, None))
}

pub async fn create(
    State(state): State<WebState>,
    who: PageActor,
    Form(form): Form<Submitted>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.get("csrf").map(String::as_str)) {
        return refused;
    }
    let mut customer = CustomerInput::default();
    for spec in governed_fields(Entity::Customer) {
        // Blank fields are left out: a field not given is a field not filled in.
        if let Some(value) = form.get(spec.name).filter(|v| !v.trim().is_empty()) {
            set(&mut customer, spec.name, value.clone());
        }
    }
    match state.app.create_customer(&who.actor, &customer).await {
        Ok(view) => Redirect::to(&format!("/customers/{}?created=1", view.id)).into_response(),
        Err(e) => {
            let mut inputs = blank_inputs(&who, &form);
            match place_errors(who.lang, &mut inputs, &e) {
                Some(alert) => render(
                    errors::status_of(&e),
                    &new_page(&who, &state, inputs, Some(alert)),
                ),
                None => errors::app_error(&who, &e),
            }
        }
    }
}

// ---- edit -----------------------------------------------------------------------------

fn edit_page(
    who: &PageActor,
    state: &WebState,
    view: &CustomerView,
    submitted: Option<&Submitted>,
) -> FormPage {
    let lang = who.lang;
    let (inputs, readonly): (Vec<FieldRow>, Vec<FieldRow>) = field_rows(lang, view)
        .into_iter()
        .partition(|row| view.editable.iter().any(|e| e == row.name));
    let inputs = inputs
        .into_iter()
        .map(|row| {
            let current = view
                .field(row.name)
                .flatten()
                .unwrap_or_default()
                .to_string();
            let value = submitted
                .and_then(|s| s.get(row.name))
                .cloned()
                .unwrap_or_else(|| current.clone());
            input(lang, row.name, value, Some(current))
        })
        .collect();
    let path = format!("/customers/{}", view.id);
    FormPage {
        page: Layout::for_actor(who, lang.t("form.edit.title"), Section::Customers)
            .at(&format!("{path}/edit"))
            .watermarked(state),
        csrf: who.csrf().to_string(),
        heading: format!("{} · {}", lang.t("form.edit.title"), heading_name(view)),
        lead: lang.t("form.edit.lead"),
        action: format!("{path}/edit"),
        cancel: path,
        submit: lang.t("action.save"),
        inputs,
        readonly,
        alert: None,
    }
}

fn may_edit(who: &PageActor, view: &CustomerView) -> bool {
    who.actor.may(Entity::Customer, Action::Edit) && !view.editable.is_empty()
}

pub async fn edit(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
) -> Response {
    let view = match state.app.customer(&who.actor, &id).await {
        Ok(view) => view,
        Err(e) => return errors::app_error(&who, &e),
    };
    if !may_edit(&who, &view) {
        return errors::app_error(&who, &AppError::Forbidden);
    }
    render(StatusCode::OK, &edit_page(&who, &state, &view, None))
}

/// The fields whose submitted value differs from the value the form was opened with.
fn changes(form: &Submitted) -> CustomerInput {
    let mut customer = CustomerInput::default();
    for spec in governed_fields(Entity::Customer) {
        let Some(value) = form.get(spec.name) else {
            continue;
        };
        let original = form.get(&format!("orig_{}", spec.name));
        if original.map(|o| o.trim()) != Some(value.trim()) {
            set(&mut customer, spec.name, value.clone());
        }
    }
    customer
}

fn is_empty(input: &CustomerInput) -> bool {
    [
        &input.name,
        &input.mobile,
        &input.id_number,
        &input.email,
        &input.address,
        &input.wechat,
        &input.birth_date,
        &input.gender,
        &input.source,
        &input.notes,
    ]
    .iter()
    .all(|v| v.is_none())
}

pub async fn update(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<Submitted>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.get("csrf").map(String::as_str)) {
        return refused;
    }
    let customer = changes(&form);
    if is_empty(&customer) {
        return Redirect::to(&format!("/customers/{id}")).into_response();
    }
    let error = match state.app.edit_customer(&who.actor, &id, &customer).await {
        Ok(view) => {
            return Redirect::to(&format!("/customers/{}?saved=1", view.id)).into_response()
        }
        Err(e) => e,
    };
    let view = match state.app.customer(&who.actor, &id).await {
        Ok(view) => view,
        Err(e) => return errors::app_error(&who, &e),
    };
    let mut page = edit_page(&who, &state, &view, Some(&form));
    match place_errors(who.lang, &mut page.inputs, &error) {
        Some(alert) => {
            page.alert = Some(alert);
            render(errors::status_of(&error), &page)
        }
        None => errors::app_error(&who, &error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_fields_are_sent() {
        let form: Submitted = [
            ("csrf", "x"),
            ("name", "王建华"),
            ("orig_name", "王建华"),
            ("notes", ""),
            ("orig_notes", "关注混动车型"),
            ("gender", "female"),
            ("orig_gender", "male"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let input = changes(&form);
        assert!(input.name.is_none());
        assert_eq!(input.notes, Some(Some(String::new())));
        assert_eq!(input.gender, Some(Some("female".into())));
        assert!(!is_empty(&input));
        assert!(is_empty(&changes(&Submitted::new())));
    }
}
