//! The lead page's test-drive section: the lead's drives, and the booking form with the
//! store's vehicles in stock, the slot and the licence number.

use super::super::choice::Choice;
use super::super::leads::actions::refused;
use super::super::session::PageActor;
use super::Line;
use crate::WebState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::leads::LeadDetail;
use dealervault_app::test_drives::TestDriveBooking;
use dealervault_app::vehicles::VehicleListQuery;
use dealervault_domain::catalog::Entity;
use dealervault_domain::sales::{LeadStatus, VehicleStatus, SLOT_MINUTES};
use dealervault_policy::Action;
use serde::Deserialize;

/// What the lead page shows of test drives; `shown` is false for a viewer who may not
/// see any (the section is left out).
#[derive(Debug, Clone, Default)]
pub struct Section {
    pub shown: bool,
    pub lines: Vec<Line>,
    pub may_book: bool,
    /// The store's vehicles in stock: (id, model and VIN tail).
    pub vehicles: Vec<Choice>,
    pub lengths: Vec<Choice>,
    pub licence_label: &'static str,
}

/// The section for the lead of `d`, as the viewer may see and use it.
pub async fn section(state: &WebState, who: &PageActor, d: &LeadDetail) -> Section {
    let actor = &who.actor;
    if d.in_pool || !actor.may(Entity::TestDrive, Action::View) {
        return Section::default();
    }
    let lang = who.lang;
    let lines = state
        .app
        .lead_test_drives(actor, &d.lead.id)
        .await
        .map(|drives| drives.iter().map(|v| Line::of(lang, v)).collect())
        .unwrap_or_default();
    let open = LeadStatus::parse("status", &d.lead.status).is_ok_and(LeadStatus::is_open);
    let may_book = open
        && d.may_edit
        && actor.may(Entity::TestDrive, Action::Create)
        && actor.may(Entity::Vehicle, Action::View);
    let vehicles = if may_book {
        in_stock(state, who, &d.lead.store_code).await
    } else {
        Vec::new()
    };
    Section {
        shown: true,
        lines,
        may_book: may_book && !vehicles.is_empty(),
        vehicles,
        lengths: SLOT_MINUTES
            .iter()
            .map(|m| Choice::owned(m.to_string(), lang.t1("test_drive.minutes", m), *m == 30))
            .collect(),
        licence_label: lang.label_of(Entity::TestDrive, "licence_number"),
    }
}

/// The vehicles of the lead's store in stock, as options.
async fn in_stock(state: &WebState, who: &PageActor, store_code: &str) -> Vec<Choice> {
    let query = VehicleListQuery {
        status: Some(VehicleStatus::InStock.code().to_string()),
        // A store's demo cars fit one page (the list's largest).
        per_page: Some(100),
        ..VehicleListQuery::default()
    };
    let Ok(page) = state.app.list_vehicles(&who.actor, query).await else {
        return Vec::new();
    };
    page.items
        .into_iter()
        .filter(|v| v.store_code == store_code)
        .map(|v| {
            let model = v.model.clone().flatten().unwrap_or_default();
            Choice::owned(v.id.clone(), super::vehicle_label(&model, &v.vin), false)
        })
        .collect()
}

/// The booking form. Not `Debug`: it carries a licence number.
#[derive(Deserialize)]
pub struct BookForm {
    csrf: Option<String>,
    #[serde(default)]
    vehicle_id: String,
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    duration_minutes: String,
    #[serde(default)]
    licence_number: String,
}

pub async fn book(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<BookForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    // A length that is no number is no allowed length either: the use case names it.
    let minutes = form.duration_minutes.trim();
    let input = TestDriveBooking {
        vehicle_id: form.vehicle_id,
        starts_at: form.starts_at,
        duration_minutes: (!minutes.is_empty()).then(|| minutes.parse().unwrap_or(0)),
        licence_number: form.licence_number,
    };
    match state.app.book_test_drive(&who.actor, &id, &input).await {
        Ok(drive) => {
            Redirect::to(&format!("/test-drives/{}?done=booked", drive.id)).into_response()
        }
        Err(e) => refused(&state, &who, &id, e).await,
    }
}
