//! `/test-drives`: the store's test drives of one day (today unless asked), by vehicle.

use super::super::errors::{self, render};
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use super::Line;
use crate::WebState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dealervault_app::test_drives::TestDriveDayQuery;
use dealervault_app::AppError;
use dealervault_domain::catalog::Entity;
use serde::Deserialize;

#[derive(Debug, Template)]
#[template(path = "test_drives/day.html")]
pub struct DayPage {
    pub page: Layout,
    pub day: String,
    /// Each vehicle (model and VIN tail) with its drives, by start time.
    pub groups: Vec<(String, Vec<Line>)>,
    pub state_label: &'static str,
    pub alert: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    day: Option<String>,
    vehicle_id: Option<String>,
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Query(params): Query<Params>,
) -> Response {
    let lang = who.lang;
    let query = TestDriveDayQuery {
        day: params.day.clone(),
        vehicle_id: params.vehicle_id,
    };
    let (status, drives, alert) = match state.app.test_drive_day(&who.actor, &query).await {
        Ok(drives) => (StatusCode::OK, drives, None),
        Err(AppError::Invalid(list)) => {
            let alert = list
                .iter()
                .map(|e| lang.rule(e))
                .collect::<Vec<_>>()
                .join(" ");
            (StatusCode::UNPROCESSABLE_ENTITY, Vec::new(), Some(alert))
        }
        Err(e) => return errors::app_error(&who, &e),
    };
    let mut groups: Vec<(String, Vec<Line>)> = Vec::new();
    for drive in &drives {
        let line = Line::of(lang, drive);
        match groups.iter_mut().find(|(v, _)| *v == line.vehicle) {
            Some((_, lines)) => lines.push(line),
            None => groups.push((line.vehicle.clone(), vec![line])),
        }
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    let day = drives
        .first()
        .map(|d| super::super::layout::local_time(d.starts_at))
        .or(params.day)
        .unwrap_or_default();
    let page = DayPage {
        page: Layout::for_actor(&who, lang.t("test_drives.title"), Section::TestDrives)
            .at("/test-drives")
            .watermarked(&state),
        day: day.get(..10).unwrap_or(&day).to_string(),
        groups,
        state_label: lang.label_of(Entity::TestDrive, "state"),
        alert,
    };
    render(status, &page)
}
