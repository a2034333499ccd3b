//! `/vehicles/{id}`: one vehicle, with a button for each status move it allows (for
//! roles that may edit). A move is a form post; a refused one comes back to this page
//! with the reason.

use super::super::errors::{self, render};
use super::super::layout::{local_time, Layout, Section};
use super::super::session::PageActor;
use super::{field_rows, heading, status_badge, status_label, FieldRow, AGED_DAYS};
use crate::WebState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::vehicles::{VehicleInput, VehicleView};
use dealervault_app::AppError;
use dealervault_domain::catalog::Entity;
use dealervault_policy::Action;
use serde::Deserialize;

/// A status move the vehicle allows, as a button.
#[derive(Debug, Clone)]
pub struct MoveButton {
    pub to: String,
    pub label: &'static str,
}

#[derive(Debug, Template)]
#[template(path = "vehicles/detail.html")]
pub struct DetailPage {
    pub page: Layout,
    pub csrf: String,
    pub id: String,
    pub heading: String,
    pub status: String,
    pub badge: &'static str,
    pub aged: bool,
    pub rows: Vec<FieldRow>,
    /// VIN, store, arrival, days in stock and times: (label, value).
    pub record: Vec<(&'static str, String)>,
    pub moves: Vec<MoveButton>,
    /// The role may move vehicles (the section shows even when no move is left).
    pub can_move: bool,
    pub can_edit: bool,
    pub notice: Option<&'static str>,
    pub alert: Option<String>,
}

fn build(
    state: &WebState,
    who: &PageActor,
    view: &VehicleView,
    notice: Option<&'static str>,
    alert: Option<String>,
) -> DetailPage {
    let lang = who.lang;
    let label = |name| lang.label_of(Entity::Vehicle, name);
    let mut record = vec![
        (label("vin"), view.vin.clone()),
        (label("store_code"), view.store_code.clone()),
        (
            label("arrived_on"),
            view.arrived_on
                .clone()
                .unwrap_or_else(|| lang.t("value.empty").to_string()),
        ),
    ];
    if let Some(days) = view.days_in_stock {
        record.push((lang.t("stock.col.days"), lang.t1("stock.days", days)));
    }
    record.push((label("created_at"), local_time(view.created_at)));
    record.push((label("updated_at"), local_time(view.updated_at)));
    let path = format!("/vehicles/{}", view.id);
    DetailPage {
        page: Layout::for_actor(who, lang.t("stock.detail.title"), Section::Stock)
            .at(&path)
            .watermarked(state),
        csrf: who.csrf().to_string(),
        id: view.id.clone(),
        heading: heading(view),
        status: status_label(lang, &view.status),
        badge: status_badge(&view.status),
        aged: view.days_in_stock.is_some_and(|d| d > AGED_DAYS),
        rows: field_rows(lang, view),
        record,
        moves: view
            .moves
            .iter()
            .map(|to| MoveButton {
                to: to.clone(),
                label: lang.t(&format!("stock.move.{to}")),
            })
            .collect(),
        can_move: who.actor.may(Entity::Vehicle, Action::Edit),
        can_edit: who.actor.may(Entity::Vehicle, Action::Edit) && !view.editable.is_empty(),
        notice,
        alert,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DetailQuery {
    saved: Option<String>,
    created: Option<String>,
    moved: Option<String>,
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Query(q): Query<DetailQuery>,
) -> Response {
    let view = match state.app.vehicle(&who.actor, &id).await {
        Ok(view) => view,
        Err(e) => return errors::app_error(&who, &e),
    };
    let lang = who.lang;
    let notice = [
        (q.created.is_some(), "stock.created"),
        (q.saved.is_some(), "stock.saved"),
        (q.moved.is_some(), "stock.moved"),
    ]
    .into_iter()
    .find(|(given, _)| *given)
    .map(|(_, key)| lang.t(key));
    render(StatusCode::OK, &build(&state, &who, &view, notice, None))
}

#[derive(Debug, Deserialize)]
pub struct MoveForm {
    csrf: Option<String>,
    #[serde(default)]
    to: String,
}

pub async fn move_status(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<MoveForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    let input = VehicleInput {
        status: Some(form.to),
        ..VehicleInput::default()
    };
    let (status, alert) = match state.app.edit_vehicle(&who.actor, &id, &input).await {
        Ok(view) => return Redirect::to(&format!("/vehicles/{}?moved=1", view.id)).into_response(),
        Err(AppError::Invalid(list)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            list.iter()
                .map(|e| who.lang.rule(e))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        Err(AppError::Conflict(_)) => (StatusCode::CONFLICT, who.lang.t("stock.changed").into()),
        Err(e) => return errors::app_error(&who, &e),
    };
    match state.app.vehicle(&who.actor, &id).await {
        Ok(view) => render(status, &build(&state, &who, &view, None, Some(alert))),
        Err(e) => errors::app_error(&who, &e),
    }
}
