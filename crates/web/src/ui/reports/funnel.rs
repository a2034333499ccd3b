//! `/reports/funnel`: the funnel conversion report for a period (a GET form of two
//! dates), as a chart of the stages and tables by source and by salesperson.

use super::super::chart::BarChart;
use super::super::errors::{self, render};
use super::super::form_errors::FormErrors;
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use super::funnel_tables::{self, FunnelLine};
use super::ReportTabs;
use crate::WebState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dealervault_app::reports::FunnelQuery;
use dealervault_app::AppError;

/// What the report shows once counted.
#[derive(Debug)]
pub struct Figures {
    pub leads: u64,
    pub lost: u64,
    pub chart: BarChart,
    pub stages: Vec<&'static str>,
    /// By source (for roles that see it), then by salesperson.
    pub tables: Vec<FunnelTable>,
    /// Under each table.
    pub total: FunnelLine,
}

#[derive(Debug)]
pub struct FunnelTable {
    pub heading: &'static str,
    /// The first column's name.
    pub first: &'static str,
    pub lines: Vec<FunnelLine>,
}

/// One date input of the period form.
#[derive(Debug)]
pub struct DateField {
    pub name: &'static str,
    pub label: &'static str,
    /// As typed, or the day the report starts or ends.
    pub value: String,
    pub error: Option<String>,
}

#[derive(Debug, Template)]
#[template(path = "reports/funnel.html")]
pub struct FunnelPage {
    pub page: Layout,
    pub tabs: ReportTabs,
    pub dates: [DateField; 2],
    /// `None` when the period was refused.
    pub figures: Option<Figures>,
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Query(query): Query<FunnelQuery>,
) -> Response {
    let lang = who.lang;
    let page = Layout::for_actor(&who, lang.t("funnel.title"), Section::Reports)
        .at("/reports/funnel")
        .watermarked(&state);
    let tabs = ReportTabs::for_actor(&who, "/reports/funnel");
    let dates = |from: String, to: String, errors: FormErrors| {
        [("from", "funnel.from", from), ("to", "funnel.to", to)].map(|(name, key, value)| {
            DateField {
                name,
                label: lang.t(key),
                value,
                error: errors.get(name).map(String::from),
            }
        })
    };
    let (status, template) = match state.app.funnel(&who.actor, &query).await {
        Ok(report) => {
            let figures = Figures {
                leads: report.total.leads(),
                lost: report.total.lost,
                chart: funnel_tables::chart(lang, &report.total),
                stages: funnel_tables::stage_labels(lang, &report.total),
                tables: funnel_tables::by_source(lang, &report)
                    .map(|lines| FunnelTable {
                        heading: lang.t("funnel.by_source"),
                        first: lang.t("funnel.col.source"),
                        lines,
                    })
                    .into_iter()
                    .chain([FunnelTable {
                        heading: lang.t("funnel.by_owner"),
                        first: lang.t("funnel.col.owner"),
                        lines: funnel_tables::by_owner(lang, &report),
                    }])
                    .collect(),
                total: funnel_tables::total(lang, &report),
            };
            let template = FunnelPage {
                page,
                tabs,
                dates: dates(report.from, report.to, FormErrors::default()),
                figures: Some(figures),
            };
            (StatusCode::OK, template)
        }
        Err(AppError::Invalid(refused)) => {
            let template = FunnelPage {
                page,
                tabs,
                dates: dates(
                    query.from.clone().unwrap_or_default(),
                    query.to.clone().unwrap_or_default(),
                    FormErrors::of(lang, &refused),
                ),
                figures: None,
            };
            (StatusCode::UNPROCESSABLE_ENTITY, template)
        }
        Err(e) => return errors::app_error(&who, &e),
    };
    render(status, &template)
}
