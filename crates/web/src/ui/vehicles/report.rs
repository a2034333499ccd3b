//! `/reports/stock-age`: how long the vehicles on the lot have been there, as a bar
//! chart of the four buckets (`ui/chart.rs`) and a table per model.

use super::super::chart::{BarChart, BarInput};
use super::super::errors::{self, render};
use super::super::layout::{Layout, Section};
use super::super::reports::ReportTabs;
use super::super::session::PageActor;
use crate::WebState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use dealervault_app::vehicles::{StockAge, AGE_BUCKETS};

#[derive(Debug, Clone)]
pub struct ModelRow {
    pub model: String,
    pub counts: [u64; 4],
    pub total: u64,
}

#[derive(Debug, Template)]
#[template(path = "vehicles/report.html")]
pub struct ReportPage {
    pub page: Layout,
    pub tabs: ReportTabs,
    pub lead: String,
    pub chart: BarChart,
    pub headings: Vec<&'static str>,
    pub models: Vec<ModelRow>,
    pub counts: [u64; 4],
    pub total: u64,
}

/// One bar per bucket, the oldest in the warning colour.
fn chart(title: &str, report: &StockAge, labels: &[&'static str]) -> BarChart {
    let bars = report
        .counts
        .iter()
        .zip(labels)
        .zip(0..)
        .map(|((count, label), i)| BarInput {
            label: (*label).to_string(),
            count: *count,
            text: count.to_string(),
            class: if i == AGE_BUCKETS.len() - 1 {
                "bar bar-aged"
            } else {
                "bar"
            },
        })
        .collect();
    BarChart::new(title.to_string(), bars)
}

pub async fn show(State(state): State<WebState>, who: PageActor) -> Response {
    let report = match state.app.stock_age(&who.actor).await {
        Ok(report) => report,
        Err(e) => return errors::app_error(&who, &e),
    };
    let lang = who.lang;
    let headings: Vec<&'static str> = AGE_BUCKETS
        .iter()
        .map(|b| lang.t(&format!("stock.bucket.{b}")))
        .collect();
    let template = ReportPage {
        page: Layout::for_actor(&who, lang.t("stock.report.title"), Section::Stock)
            .at("/reports/stock-age")
            .watermarked(&state),
        tabs: ReportTabs::for_actor(&who, "/reports/stock-age"),
        lead: lang.t1("stock.report.lead", &report.as_of),
        chart: chart(lang.t("stock.report.chart"), &report, &headings),
        models: report
            .models
            .iter()
            .flatten()
            .map(|m| ModelRow {
                model: m.model.clone(),
                counts: m.counts,
                total: m.counts.iter().sum(),
            })
            .collect(),
        counts: report.counts,
        total: report.total(),
        headings,
    };
    render(StatusCode::OK, &template)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_bucket_is_drawn_as_a_warning() {
        let report = StockAge {
            as_of: "2026-03-01".into(),
            buckets: vec![],
            counts: [10, 5, 0, 1],
            models: None,
        };
        let drawn = chart("t", &report, &["a", "b", "c", "d"]);
        let widths: Vec<u64> = drawn.bars.iter().map(|b| b.width).collect();
        assert_eq!(widths, [400, 200, 0, 40]);
        assert_eq!(drawn.bars[3].class, "bar bar-aged");
        assert_eq!(drawn.bars[0].class, "bar");
    }
}
