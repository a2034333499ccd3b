//! `/staff/{id}/risk`: the departure-risk report — what the person viewed, revealed and
//! exported in the last 30 and 90 days beside their peers' average, the figures well
//! above it marked.

use super::super::errors::{self, render};
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use crate::WebState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use dealervault_app::users::{ActivityCounts, PeerCounts, RiskReport};

/// A figure this much above the peers' average (and not tiny) is marked.
const ELEVATED_FACTOR: f64 = 2.0;
const ELEVATED_MIN: i64 = 3;

#[derive(Debug, Clone)]
pub struct Figure {
    pub person: i64,
    pub peers: String,
    pub elevated: bool,
}

#[derive(Debug, Clone)]
pub struct Line {
    pub label: &'static str,
    /// One figure per window, in the report's order.
    pub figures: Vec<Figure>,
}

#[derive(Debug, Template)]
#[template(path = "staff/risk.html")]
pub struct RiskPage {
    pub page: Layout,
    pub id: String,
    pub name: String,
    pub username: String,
    pub peers: u32,
    pub windows: Vec<i64>,
    pub lines: Vec<Line>,
    pub elevated: usize,
}

fn figure(person: i64, peers: f64) -> Figure {
    Figure {
        person,
        peers: format!("{peers:.1}"),
        elevated: person >= ELEVATED_MIN && person as f64 > ELEVATED_FACTOR * peers,
    }
}

/// Each measure with its accessors, in the order the page lists them.
type Measure = (
    &'static str,
    fn(&ActivityCounts) -> i64,
    fn(&PeerCounts) -> f64,
);
const MEASURES: [Measure; 5] = [
    ("staff.risk.views", |c| c.views, |p| p.views),
    (
        "staff.risk.customers_seen",
        |c| c.customers_seen,
        |p| p.customers_seen,
    ),
    ("staff.risk.reveals", |c| c.reveals, |p| p.reveals),
    (
        "staff.risk.export_requests",
        |c| c.export_requests,
        |p| p.export_requests,
    ),
    (
        "staff.risk.customers_exported",
        |c| c.customers_exported,
        |p| p.customers_exported,
    ),
];

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
) -> Response {
    let lang = who.lang;
    let report: RiskReport = match state.app.risk_report(&who.actor, &id).await {
        Ok(report) => report,
        Err(e) => return errors::app_error(&who, &e),
    };
    let lines: Vec<Line> = MEASURES
        .iter()
        .map(|(key, person, peers)| Line {
            label: lang.t(key),
            figures: report
                .windows
                .iter()
                .map(|w| figure(person(&w.person), peers(&w.peer_average)))
                .collect(),
        })
        .collect();
    let elevated = lines
        .iter()
        .flat_map(|l| &l.figures)
        .filter(|f| f.elevated)
        .count();
    let page = RiskPage {
        page: Layout::for_actor(&who, lang.t("staff.risk.title"), Section::Staff)
            .at(&format!("/staff/{id}/risk")),
        id: report.user_id.clone(),
        name: report.display_name.clone(),
        username: report.username.clone(),
        peers: report.peers,
        windows: report.windows.iter().map(|w| w.days).collect(),
        lines,
        elevated,
    };
    render(StatusCode::OK, &page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_is_marked_only_well_above_the_peers_and_not_tiny() {
        assert!(figure(9, 3.0).elevated);
        assert!(
            !figure(6, 3.0).elevated,
            "twice the average is not above it"
        );
        assert!(!figure(2, 0.0).elevated, "two views are no pattern");
        assert!(figure(3, 0.0).elevated);
        assert_eq!(figure(1, 0.25).peers, "0.2");
    }
}
