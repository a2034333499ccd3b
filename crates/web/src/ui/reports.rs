//! The reports area (报表): the funnel conversion report, and tabs between it and the
//! stock-age report (which lives with the stock pages). Reports show counts, never a
//! customer.

mod funnel;
mod funnel_tables;

use super::session::PageActor;
use crate::WebState;
use axum::routing::get;
use axum::Router;
use dealervault_domain::catalog::Entity;
use dealervault_policy::Action;

pub fn routes() -> Router<WebState> {
    Router::new().route("/reports/funnel", get(funnel::show))
}

/// One tab of the reports area.
#[derive(Debug, Clone)]
pub struct ReportTab {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// The reports the actor may open, for `templates/reports/tabs.html`; shown when there
/// is more than one to choose from.
#[derive(Debug, Clone)]
pub struct ReportTabs(pub Vec<ReportTab>);

/// Each report: where it is, its message key and the view right it needs.
const REPORTS: [(&str, &str, Entity); 2] = [
    ("/reports/funnel", "reports.funnel", Entity::Lead),
    ("/reports/stock-age", "stock.report", Entity::Vehicle),
];

impl ReportTabs {
    pub fn for_actor(who: &PageActor, here: &str) -> Self {
        Self(
            REPORTS
                .iter()
                .filter(|(.., entity)| who.actor.may(*entity, Action::View))
                .map(|&(href, key, _)| ReportTab {
                    href,
                    label: who.lang.t(key),
                    current: href == here,
                })
                .collect(),
        )
    }

    pub fn shown(&self) -> bool {
        self.0.len() > 1
    }
}
