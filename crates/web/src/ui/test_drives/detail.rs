//! `/test-drives/{id}`: one drive — its slot, vehicle, licence number (as the viewer's
//! level shows it), waiver and feedback — with the forms that complete it (waiver and
//! feedback), cancel it or record that the person did not come.

use super::super::done::Done;
use super::super::errors::{self, render};
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use super::{input_label, Line};
use crate::WebState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::test_drives::{TestDriveCancel, TestDriveDetail, TestDriveOutcome};
use dealervault_app::AppError;
use dealervault_domain::catalog::Entity;
use serde::Deserialize;

#[derive(Debug, Template)]
#[template(path = "test_drives/detail.html")]
pub struct DetailPage {
    pub page: Layout,
    pub csrf: String,
    pub line: Line,
    /// (field, label, value, masked), in catalog order.
    pub rows: Vec<(&'static str, &'static str, String, bool)>,
    pub may_close: bool,
    pub started: bool,
    pub feedback_editable: bool,
    pub feedback_label: &'static str,
    pub notice: Option<String>,
    pub alert: Option<String>,
}

fn build(
    state: &WebState,
    who: &PageActor,
    d: TestDriveDetail,
    notice: Option<String>,
    alert: Option<String>,
) -> DetailPage {
    let lang = who.lang;
    let v = &d.test_drive;
    let line = Line::of(lang, v);
    let label = |name| lang.label_of(Entity::TestDrive, name);
    let mut rows = vec![
        ("lead_id", label("lead_id"), line.lead.clone(), false),
        (
            "vehicle_id",
            label("vehicle_id"),
            line.vehicle.clone(),
            false,
        ),
        (
            "starts_at",
            lang.t("test_drive.slot"),
            line.slot.clone(),
            false,
        ),
        ("state", label("state"), line.state.clone(), false),
    ];
    if let Some(licence) = &line.licence {
        let masked = v.masked.iter().any(|m| m == "licence_number");
        rows.push((
            "licence_number",
            label("licence_number"),
            licence.clone(),
            masked,
        ));
    }
    rows.push((
        "waiver_signed",
        label("waiver_signed"),
        line.waiver.to_string(),
        false,
    ));
    if v.fields.contains_key("feedback") {
        let text = line
            .feedback
            .clone()
            .unwrap_or_else(|| lang.t("value.empty").into());
        rows.push(("feedback", label("feedback"), text, false));
    }
    rows.push(("owner_id", label("owner_id"), line.owner.clone(), false));
    rows.push((
        "store_code",
        label("store_code"),
        v.store_code.clone(),
        false,
    ));
    let path = format!("/test-drives/{}", v.id);
    DetailPage {
        page: Layout::for_actor(who, lang.t("test_drive.title"), Section::TestDrives)
            .at(&path)
            .watermarked(state),
        csrf: who.csrf().to_string(),
        may_close: d.may_edit && v.state == "booked",
        started: v.starts_at <= state.app.clock().now_ms(),
        feedback_editable: v.editable.iter().any(|f| f == "feedback"),
        feedback_label: label("feedback"),
        rows,
        line,
        notice,
        alert,
    }
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    let notice = done.notice(who.lang, "test_drive");
    page(&state, &who, &id, StatusCode::OK, notice, None).await
}

async fn page(
    state: &WebState,
    who: &PageActor,
    id: &str,
    status: StatusCode,
    notice: Option<String>,
    alert: Option<String>,
) -> Response {
    match state.app.test_drive(&who.actor, id).await {
        Ok(d) => render(status, &build(state, who, d, notice, alert)),
        Err(e) => errors::app_error(who, &e),
    }
}

/// A refusal shown on the drive's page; anything else as an error page.
async fn refused(state: &WebState, who: &PageActor, id: &str, e: AppError) -> Response {
    let lang = who.lang;
    let label = |field: &str| input_label(lang, field).unwrap_or_else(|| lang.t("form.field"));
    let Some(alert) = errors::refusal_alert(lang, &e, label, "test_drive") else {
        return errors::app_error(who, &e);
    };
    page(state, who, id, errors::status_of(&e), None, Some(alert)).await
}

/// The complete and cancel forms. Not `Debug`: feedback is free text about a person.
#[derive(Deserialize)]
pub struct CloseForm {
    csrf: Option<String>,
    #[serde(default)]
    waiver_signed: Option<String>,
    #[serde(default)]
    feedback: String,
    #[serde(default)]
    no_show: Option<String>,
}

pub async fn complete(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<CloseForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    let outcome = TestDriveOutcome {
        feedback: Some(form.feedback),
        waiver_signed: form.waiver_signed.is_some(),
    };
    match state
        .app
        .complete_test_drive(&who.actor, &id, &outcome)
        .await
    {
        Ok(_) => Redirect::to(&format!("/test-drives/{id}?done=completed")).into_response(),
        Err(e) => refused(&state, &who, &id, e).await,
    }
}

pub async fn cancel(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<CloseForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    let cancel = TestDriveCancel {
        no_show: form.no_show.is_some(),
    };
    let done = if cancel.no_show {
        "no_show"
    } else {
        "cancelled"
    };
    match state.app.cancel_test_drive(&who.actor, &id, &cancel).await {
        Ok(_) => Redirect::to(&format!("/test-drives/{id}?done={done}")).into_response(),
        Err(e) => refused(&state, &who, &id, e).await,
    }
}
