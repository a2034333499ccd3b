//! `/vehicles/new` and `/vehicles/{id}/edit`. A refused form comes back with what was
//! typed and the reason beside each field. Amounts are typed in yuan. The edit form
//! offers only the fields the role may change and sends only those that changed.

use super::super::choice::Choice;
use super::super::errors::{self, render};
use super::super::form_errors::FormErrors;
use super::super::i18n::Lang;
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use super::{field_rows, heading, FieldRow};
use crate::WebState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::vehicles::{Amount, Money, VehicleInput, VehicleView};
use dealervault_app::AppError;
use dealervault_domain::catalog::{governed_fields, Entity};
use dealervault_domain::values::{Fen, Label, Terms};
use dealervault_policy::{Action, FieldLevel};
use std::collections::HashMap;

/// Submitted values by field name (and `orig_<name>` for the values before editing).
type Submitted = HashMap<String, String>;

/// The statuses a new vehicle may start in.
const ARRIVALS: [&str; 2] = ["in_stock", "in_transit"];

/// One input of the form.
#[derive(Debug, Clone)]
pub struct Input {
    pub name: &'static str,
    pub label: &'static str,
    /// `text`, `money`, `textarea` or `select`.
    pub kind: &'static str,
    pub value: String,
    /// The value before editing, echoed back so only changes are sent.
    pub original: Option<String>,
    pub required: bool,
    pub maxlength: usize,
    pub choices: Vec<Choice>,
    pub error: Option<String>,
}

#[derive(Debug, Template)]
#[template(path = "vehicles/form.html")]
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

fn input(lang: Lang, name: &'static str, value: String, original: Option<String>) -> Input {
    let (kind, maxlength) = match name {
        "vin" => ("text", 17),
        "status" => ("select", 0),
        "list_price" | "cost_price" => ("money", 20),
        "supplier_terms" => ("textarea", Terms::MAX_CHARS),
        _ => ("text", Label::MAX_CHARS),
    };
    let choices = if name == "status" {
        Choice::list(lang, "vehicle.status", ARRIVALS, &value)
    } else {
        vec![]
    };
    let label = if name == "status" {
        lang.t("stock.form.arrival")
    } else {
        lang.label_of(Entity::Vehicle, name)
    };
    Input {
        name,
        label,
        kind,
        value,
        original,
        required: matches!(name, "vin" | "model" | "list_price"),
        maxlength,
        choices,
        error: None,
    }
}

/// Puts each refusal beside its input; the alert above the form.
fn place_errors(lang: Lang, inputs: &mut [Input], e: &AppError) -> Option<String> {
    let errors = match e {
        AppError::Invalid(list) => FormErrors::of(lang, list),
        AppError::FieldNotEditable(field) => FormErrors::one(field, lang.t("form.not_editable")),
        AppError::Conflict("vehicle_exists") => FormErrors::one("vin", lang.t("stock.exists")),
        AppError::Conflict(_) => return Some(lang.t("stock.changed").to_string()),
        _ => return None,
    };
    for i in inputs.iter_mut() {
        i.error = errors.get(i.name).map(str::to_string);
    }
    Some(lang.t("form.fix").to_string())
}

/// Sets one submitted field; a name the form does not have is ignored.
fn set(input: &mut VehicleInput, field: &str, value: &str) {
    let text = Some(value.to_string());
    // A blank amount or term clears it (a required one is refused as missing).
    let blank = value.trim().is_empty();
    match field {
        "vin" => input.vin = text,
        "status" => input.status = text,
        "model" => input.model = text,
        "trim" => input.trim = text,
        "colour" => input.colour = text,
        "location" => input.location = text,
        "list_price" => input.list_price = Some(Amount::Yuan(value.to_string())),
        "cost_price" => {
            input.cost_price = Some((!blank).then(|| Amount::Yuan(value.to_string())));
        }
        "supplier_terms" => input.supplier_terms = Some((!blank).then(|| value.to_string())),
        _ => {}
    }
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
        page: Layout::for_actor(who, lang.t("stock.form.new.title"), Section::Stock)
            .at("/vehicles/new")
            .watermarked(state),
        csrf: who.csrf().to_string(),
        heading: lang.t("stock.form.new.title").to_string(),
        lead: lang.t("stock.form.new.lead"),
        action: "/vehicles/new".into(),
        cancel: "/vehicles".into(),
        submit: lang.t("action.create"),
        inputs,
        readonly: vec![],
        alert,
    }
}

/// Inputs for a new vehicle: VIN, arrival, and every field the role may fill in.
fn blank_inputs(who: &PageActor, submitted: &Submitted) -> Vec<Input> {
    let lang = who.lang;
    let value = |name: &str, default: &str| {
        submitted
            .get(name)
            .cloned()
            .unwrap_or_else(|| default.to_string())
    };
    let editable = governed_fields(Entity::Vehicle)
        .filter(|spec| who.actor.field_level(Entity::Vehicle, spec.name) == FieldLevel::Editable)
        .map(|spec| spec.name);
    ["vin", "status"]
        .into_iter()
        .chain(editable)
        .map(|name| {
            let default = if name == "status" { ARRIVALS[0] } else { "" };
            input(lang, name, value(name, default), None)
        })
        .collect()
}

pub async fn new(State(state): State<WebState>, who: PageActor) -> Response {
    if !who.actor.may(Entity::Vehicle, Action::Create) {
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
    let mut vehicle = VehicleInput::default();
    for (name, value) in &form {
        // Blank fields are left out: a field not given is a field not filled in.
        if !value.trim().is_empty() {
            set(&mut vehicle, name, value);
        }
    }
    match state.app.create_vehicle(&who.actor, &vehicle).await {
        Ok(view) => Redirect::to(&format!("/vehicles/{}?created=1", view.id)).into_response(),
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

/// A field's current value as typed into the form: amounts in yuan.
fn current(view: &VehicleView, name: &str) -> String {
    let amount = match name {
        "list_price" => view.list_price.as_ref(),
        "cost_price" => view.cost_price.as_ref(),
        _ => return view.field(name).flatten().unwrap_or_default(),
    };
    match amount.and_then(Option::as_ref) {
        Some(Money::Fen(fen)) => Fen::from_fen(*fen)
            .map(|f| f.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn edit_page(
    who: &PageActor,
    state: &WebState,
    view: &VehicleView,
    submitted: Option<&Submitted>,
) -> FormPage {
    let lang = who.lang;
    let (inputs, readonly): (Vec<FieldRow>, Vec<FieldRow>) = field_rows(lang, view)
        .into_iter()
        .partition(|row| view.editable.iter().any(|e| e == row.name));
    let inputs = inputs
        .into_iter()
        .map(|row| {
            let now = current(view, row.name);
            let value = submitted
                .and_then(|s| s.get(row.name))
                .cloned()
                .unwrap_or_else(|| now.clone());
            input(lang, row.name, value, Some(now))
        })
        .collect();
    let path = format!("/vehicles/{}", view.id);
    FormPage {
        page: Layout::for_actor(who, lang.t("stock.form.edit.title"), Section::Stock)
            .at(&format!("{path}/edit"))
            .watermarked(state),
        csrf: who.csrf().to_string(),
        heading: format!("{} · {}", lang.t("stock.form.edit.title"), heading(view)),
        lead: lang.t("stock.form.edit.lead"),
        action: format!("{path}/edit"),
        cancel: path,
        submit: lang.t("action.save"),
        inputs,
        readonly,
        alert: None,
    }
}

fn may_edit(who: &PageActor, view: &VehicleView) -> bool {
    who.actor.may(Entity::Vehicle, Action::Edit) && !view.editable.is_empty()
}

pub async fn edit(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
) -> Response {
    let view = match state.app.vehicle(&who.actor, &id).await {
        Ok(view) => view,
        Err(e) => return errors::app_error(&who, &e),
    };
    if !may_edit(&who, &view) {
        return errors::app_error(&who, &AppError::Forbidden);
    }
    render(StatusCode::OK, &edit_page(&who, &state, &view, None))
}

/// The governed fields whose submitted value differs from the one the form opened with.
fn changes(form: &Submitted) -> (VehicleInput, bool) {
    let mut vehicle = VehicleInput::default();
    let mut any = false;
    for spec in governed_fields(Entity::Vehicle) {
        let Some(value) = form.get(spec.name) else {
            continue;
        };
        let original = form.get(&format!("orig_{}", spec.name));
        if original.map(|o| o.trim()) != Some(value.trim()) {
            set(&mut vehicle, spec.name, value);
            any = true;
        }
    }
    (vehicle, any)
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
    let (vehicle, any) = changes(&form);
    if !any {
        return Redirect::to(&format!("/vehicles/{id}")).into_response();
    }
    let error = match state.app.edit_vehicle(&who.actor, &id, &vehicle).await {
        Ok(view) => return Redirect::to(&format!("/vehicles/{}?saved=1", view.id)).into_response(),
        Err(e) => e,
    };
    let view = match state.app.vehicle(&who.actor, &id).await {
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
    use super::super::cell;
    use super::super::fixtures::consultant_view;
    use super::*;

    #[test]
    fn only_changed_fields_are_sent_and_blank_amounts_clear() {
        let form: Submitted = [
            ("csrf", "x"),
            ("model", "大众 帕萨特"),
            ("orig_model", "大众 帕萨特"),
            ("cost_price", ""),
            ("orig_cost_price", "200,000.00"),
            ("list_price", "219,000"),
            ("orig_list_price", "219,900.00"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let (input, any) = changes(&form);
        assert!(any);
        assert_eq!(input.given(), ["list_price", "cost_price"]);
        assert_eq!(input.cost_price, Some(None));
        assert!(!changes(&Submitted::new()).1);
    }

    #[test]
    fn amounts_are_edited_in_yuan() {
        let view = consultant_view();
        assert_eq!(current(&view, "list_price"), "219,900.00");
        assert_eq!(current(&view, "cost_price"), "");
        assert_eq!(current(&view, "model"), "大众 帕萨特");
        assert!(cell(Lang::Zh, &view, "supplier_terms").is_none());
    }
}
