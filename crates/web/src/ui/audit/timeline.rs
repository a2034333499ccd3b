//! `/audit/people/{username}`: one employee's activity, day by day, with their latest
//! events: what the auditor opens when a name keeps turning up.

use super::super::errors::{self, render};
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use super::rows::{query_string, timeline_href, EventRow};
use crate::WebState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dealervault_app::audit_trail::{ActivityDay, MAX_TIMELINE_DAYS};
use serde::Deserialize;

/// The spans offered, in days.
const SPANS: [u32; 4] = [7, 30, 90, 365];
const DEFAULT_DAYS: u32 = 30;

#[derive(Debug, Default, Deserialize)]
pub struct TimelineQuery {
    days: Option<String>,
}

/// One span link above the figures.
#[derive(Debug, Clone)]
pub struct Span {
    pub days: u32,
    pub href: String,
    pub current: bool,
}

#[derive(Debug, Template)]
#[template(path = "audit_timeline.html")]
pub struct TimelinePage {
    pub page: Layout,
    pub username: String,
    pub display_name: String,
    pub spans: Vec<Span>,
    pub days: Vec<ActivityDay>,
    pub totals: ActivityDay,
    /// The busiest day's total, the scale of the bars.
    pub busiest: i64,
    /// The latest events, for the shared audit table.
    pub rows: Vec<EventRow>,
    /// Every event of the person in the viewer.
    pub all_events: String,
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Path(username): Path<String>,
    Query(q): Query<TimelineQuery>,
) -> Response {
    let lang = who.lang;
    // A span that is not a number in range falls back to the default, as a bad paging
    // position does in the viewer; the API answers 422 instead.
    let days = q
        .days
        .and_then(|d| d.trim().parse::<u32>().ok())
        .filter(|d| (1..=MAX_TIMELINE_DAYS).contains(d))
        .unwrap_or(DEFAULT_DAYS);
    let timeline = match state
        .app
        .activity_timeline(&who.actor, &username, days)
        .await
    {
        Ok(t) => t,
        Err(e) => return errors::app_error(&who, &e),
    };
    let summary = timeline.summary;
    let base = timeline_href(&summary.username);
    let title = lang.t1("timeline.title", &summary.display_name);
    let spans = SPANS
        .iter()
        .map(|d| Span {
            days: *d,
            href: format!("{base}?days={d}"),
            current: *d == days,
        })
        .collect();
    let page = TimelinePage {
        page: Layout::for_actor(&who, &title, Section::Audit).at(&format!("{base}?days={days}")),
        all_events: format!(
            "/audit{}",
            query_string(&[("actor", summary.username.as_str())])
        ),
        busiest: summary.days.iter().map(|d| d.total).max().unwrap_or(0),
        username: summary.username,
        display_name: summary.display_name,
        spans,
        days: summary.days,
        totals: summary.totals,
        rows: timeline
            .recent
            .into_iter()
            .map(|r| EventRow::of(lang, r))
            .collect(),
    };
    render(StatusCode::OK, &page)
}
