//! `/leads/new` and `/leads/{id}/edit`, on the same form template as customers: a
//! refused form comes back with what was typed and the reason beside each field; an
//! edit sends only what changed.

use super::super::choice::Choice;
use super::super::customers::form::{FormPage, Input};
use super::super::customers::{Cell, FieldRow};
use super::super::errors::{self, render};
use super::super::i18n::{Lang, SOURCE_CODES};
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use super::{label, text};
use crate::WebState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::leads::{Assignee, LeadView};
use dealervault_app::AppError;
use dealervault_domain::catalog::{governed_fields, Entity};
use dealervault_domain::sales::LeadInput;
use dealervault_domain::values::{Label, Notes, PersonName};
use dealervault_policy::{Action, FieldLevel};
use std::collections::HashMap;

type Submitted = HashMap<String, String>;

fn input(lang: Lang, name: &'static str, value: String, original: Option<String>) -> Input {
    let (kind, maxlength) = match name {
        "name" => ("text", PersonName::MAX_CHARS),
        "mobile" => ("tel", 20),
        "wechat" => ("text", 40),
        "intended_model" => ("text", Label::MAX_CHARS),
        "budget" => ("text", 20),
        "source" => ("select", 0),
        _ => ("textarea", Notes::MAX_CHARS),
    };
    let choices = if name == "source" {
        Choice::list(lang, "source", SOURCE_CODES.iter().copied(), &value)
    } else {
        Vec::new()
    };
    Input {
        name,
        label: label(lang, name),
        kind,
        value,
        original,
        required: matches!(name, "name" | "mobile"),
        maxlength,
        choices,
        error: None,
        wide: name == "notes",
    }
}

fn set(input: &mut LeadInput, field: &str, value: String) {
    let slot = match field {
        "name" => &mut input.name,
        "mobile" => &mut input.mobile,
        "wechat" => &mut input.wechat,
        "source" => &mut input.source,
        "intended_model" => &mut input.intended_model,
        "budget" => &mut input.budget,
        "notes" => &mut input.notes,
        _ => return,
    };
    *slot = Some(Some(value));
}

/// Field refusals beside their inputs; the alert for the top of the form.
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
        AppError::Conflict(code) => {
            let message = lang.t(&format!("lead.conflict.{code}")).to_string();
            if let Some(i) = inputs.iter_mut().find(|i| i.name == "mobile") {
                i.error = Some(message.clone());
            }
            Some(message)
        }
        _ => None,
    }
}

// ---- create ---------------------------------------------------------------------------

/// Inputs for a new lead: every field the role sees, and who it goes to.
async fn blank_inputs(state: &WebState, who: &PageActor, submitted: &Submitted) -> Vec<Input> {
    let lang = who.lang;
    let mut inputs: Vec<Input> = governed_fields(Entity::Lead)
        .filter(|spec| who.actor.field_level(Entity::Lead, spec.name) > FieldLevel::Hidden)
        .map(|spec| {
            let default = if spec.name == "source" { "walk_in" } else { "" };
            let value = submitted
                .get(spec.name)
                .cloned()
                .unwrap_or_else(|| default.into());
            input(lang, spec.name, value, None)
        })
        .collect();
    let chosen = submitted
        .get("assign")
        .cloned()
        .unwrap_or_else(|| "me".into());
    let mut choices = Choice::list(lang, "lead.assign", ["me", "pool", "rule"], &chosen);
    if who.actor.may(Entity::Lead, Action::Assign) {
        if let Ok(rules) = state.app.lead_rules(&who.actor).await {
            for (id, name) in rules.workers {
                let selected = id == chosen;
                choices.push(Choice::owned(id, name, selected));
            }
        }
    }
    inputs.push(Input {
        name: "assign",
        label: lang.t("lead.assign_to"),
        kind: "select",
        value: chosen,
        original: None,
        required: false,
        maxlength: 0,
        choices,
        error: None,
        wide: false,
    });
    inputs
}

fn new_page(
    who: &PageActor,
    state: &WebState,
    inputs: Vec<Input>,
    alert: Option<String>,
) -> FormPage {
    let lang = who.lang;
    FormPage {
        page: Layout::for_actor(who, lang.t("leads.new"), Section::Leads)
            .at("/leads/new")
            .watermarked(state),
        csrf: who.csrf().to_string(),
        heading: lang.t("leads.new").to_string(),
        lead: lang.t("leads.new.lead"),
        action: "/leads/new".into(),
        cancel: "/leads".into(),
        submit: lang.t("leads.new.submit"),
        inputs,
        readonly: vec![],
        alert,
    }
}

pub async fn new(State(state): State<WebState>, who: PageActor) -> Response {
    if !who.actor.may(Entity::Lead, Action::Create) {
        return errors::app_error(&who, &AppError::Forbidden);
    }
    let inputs = blank_inputs(&state, &who, &Submitted::new()).await;
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
    let mut lead = LeadInput::default();
    for spec in governed_fields(Entity::Lead) {
        if let Some(value) = form.get(spec.name).filter(|v| !v.trim().is_empty()) {
            set(&mut lead, spec.name, value.clone());
        }
    }
    let assignee = Assignee::parse(form.get("assign").map(String::as_str));
    match state.app.create_lead(&who.actor, &lead, &assignee).await {
        Ok(view) if view.owner_id.is_none() => Redirect::to("/leads/pool").into_response(),
        Ok(view) => Redirect::to(&format!("/leads/{}?done=created", view.id)).into_response(),
        Err(e) => {
            let mut inputs = blank_inputs(&state, &who, &form).await;
            if let AppError::Invalid(list) = &e {
                if list.iter().any(|fe| fe.field == "owner") {
                    if let Some(i) = inputs.iter_mut().find(|i| i.name == "assign") {
                        i.error = Some(who.lang.t("lead.assign.refused").into());
                    }
                }
            }
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
    view: &LeadView,
    submitted: Option<&Submitted>,
) -> FormPage {
    let lang = who.lang;
    let mut inputs = Vec::new();
    let mut readonly = Vec::new();
    for spec in governed_fields(Entity::Lead) {
        let Some((shown, masked)) = text(lang, view, spec.name) else {
            continue;
        };
        if view.editable.iter().any(|e| e == spec.name) {
            let current = view
                .field(spec.name)
                .flatten()
                .unwrap_or_default()
                .to_string();
            let value = submitted
                .and_then(|s| s.get(spec.name))
                .cloned()
                .unwrap_or_else(|| current.clone());
            inputs.push(input(lang, spec.name, value, Some(current)));
        } else {
            readonly.push(FieldRow {
                name: spec.name,
                label: label(lang, spec.name),
                cell: Cell {
                    text: shown,
                    masked,
                    empty: view.field(spec.name).flatten().is_none(),
                },
                revealable: false,
            });
        }
    }
    let path = format!("/leads/{}", view.id);
    FormPage {
        page: Layout::for_actor(who, lang.t("lead.edit"), Section::Leads)
            .at(&format!("{path}/edit"))
            .watermarked(state),
        csrf: who.csrf().to_string(),
        heading: format!(
            "{} · {}",
            lang.t("lead.edit"),
            view.field("name").flatten().unwrap_or("—")
        ),
        lead: lang.t("form.edit.lead"),
        action: format!("{path}/edit"),
        cancel: path,
        submit: lang.t("action.save"),
        inputs,
        readonly,
        alert: None,
    }
}

pub async fn edit(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
) -> Response {
    match state.app.lead_detail(&who.actor, &id).await {
        Ok(d) if d.may_edit => render(StatusCode::OK, &edit_page(&who, &state, &d.lead, None)),
        Ok(_) => errors::app_error(&who, &AppError::Forbidden),
        Err(e) => errors::app_error(&who, &e),
    }
}

/// The fields whose submitted value differs from the value the form was opened with.
fn changes(form: &Submitted) -> (LeadInput, bool) {
    let mut lead = LeadInput::default();
    let mut any = false;
    for spec in governed_fields(Entity::Lead) {
        let Some(value) = form.get(spec.name) else {
            continue;
        };
        let original = form.get(&format!("orig_{}", spec.name));
        if original.map(|o| o.trim()) != Some(value.trim()) {
            set(&mut lead, spec.name, value.clone());
            any = true;
        }
    }
    (lead, any)
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
    let (lead, any) = changes(&form);
    if !any {
        return Redirect::to(&format!("/leads/{id}")).into_response();
    }
    let error = match state.app.edit_lead(&who.actor, &id, &lead).await {
        Ok(view) => return Redirect::to(&format!("/leads/{}?done=saved", view.id)).into_response(),
        Err(e) => e,
    };
    let view = match state.app.lead_detail(&who.actor, &id).await {
        Ok(d) => d.lead,
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
