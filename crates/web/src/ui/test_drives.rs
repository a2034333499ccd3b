//! The test-drive pages: the section of the lead page (the lead's drives and the booking
//! form), one drive with its complete and cancel forms, and the store's schedule of a
//! day by vehicle. Every page calls the same use cases as the JSON API.

mod day;
mod detail;
mod section;

pub use section::{section, Section};

use super::i18n::Lang;
use super::layout::local_time;
use crate::WebState;
use axum::routing::{get, post};
use axum::Router;
use dealervault_app::test_drives::TestDriveView;
use dealervault_domain::catalog::{field, Entity};

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/test-drives", get(day::show))
        .route("/test-drives/{id}", get(detail::show))
        .route("/test-drives/{id}/complete", post(detail::complete))
        .route("/test-drives/{id}/cancel", post(detail::cancel))
        .route("/leads/{id}/test-drives", post(section::book))
}

/// The words for a refused booking or completion input: the catalog's label, or the
/// form's own for the length of the slot.
pub fn input_label(lang: Lang, name: &str) -> Option<&'static str> {
    match name {
        "duration_minutes" | "vehicle_id" | "starts_at" => {
            Some(lang.t(&format!("test_drive.{name}")))
        }
        _ => field(Entity::TestDrive, name).map(|_| lang.label_of(Entity::TestDrive, name)),
    }
}

/// One drive as the pages list it.
#[derive(Debug, Clone)]
pub struct Line {
    pub id: String,
    pub lead_id: String,
    pub lead: String,
    /// The viewer sees the lead, so a link to it leads somewhere.
    pub lead_link: bool,
    pub vehicle: String,
    pub slot: String,
    pub state: String,
    /// As the viewer's field level shows it (masked for most); absent when hidden.
    pub licence: Option<String>,
    pub feedback: Option<String>,
    pub waiver: &'static str,
    pub owner: String,
}

impl Line {
    pub fn of(lang: Lang, v: &TestDriveView) -> Self {
        let start = local_time(v.starts_at);
        let end = local_time(v.ends_at);
        // `2026-01-05 14:00–14:30`: the end's time, its day being the start's.
        let end_time = end.get(11..).unwrap_or(&end);
        Line {
            id: v.id.clone(),
            lead_id: v.lead_id.clone(),
            lead_link: v.lead_name.is_some(),
            lead: v
                .lead_name
                .clone()
                .unwrap_or_else(|| lang.t("test_drive.lead_hidden").into()),
            vehicle: vehicle_label(&v.model, &v.vin),
            slot: format!("{start}–{end_time}"),
            state: lang.code_label("test_drive_state", &v.state),
            licence: v
                .field("licence_number")
                .map(|l| l.unwrap_or("").to_string()),
            feedback: v.field("feedback").flatten().map(str::to_string),
            waiver: lang.t(if v.waiver_signed {
                "test_drive.waiver.yes"
            } else {
                "test_drive.waiver.no"
            }),
            owner: v.owner_name.clone(),
        }
    }
}

/// `Model · …VIN tail`: how people on the floor name a demo car.
pub fn vehicle_label(model: &str, vin: &str) -> String {
    let tail = vin.get(vin.len().saturating_sub(6)..).unwrap_or(vin);
    format!("{model} · …{tail}")
}
