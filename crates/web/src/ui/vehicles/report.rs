//! `/reports/stock-age`: how long the vehicles on the lot have been there, as a bar
//! chart of the four buckets and a table per model. The bars are SVG rectangles whose
//! widths are attributes: the CSP allows no inline style, and no script is needed.

use super::super::errors::{self, render};
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use crate::WebState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use dealervault_app::vehicles::{StockAge, AGE_BUCKETS};

/// Width of the chart's drawing area for the longest bar, in SVG units.
const BAR_SPAN: u64 = 400;
/// Height of one bar's row, in SVG units.
const ROW: u64 = 36;

/// One bar of the chart.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: &'static str,
    pub count: u64,
    /// Rectangle width in SVG units (at least 2, so a bucket with vehicles shows).
    pub width: u64,
    /// Top of the bar's row.
    pub y: u64,
    /// Where the count is written: just after the bar.
    pub text_x: u64,
    /// The oldest bucket is drawn in the warning colour.
    pub class: &'static str,
}

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
    pub lead: String,
    pub bars: Vec<Bar>,
    pub chart_height: u64,
    pub headings: Vec<&'static str>,
    pub models: Vec<ModelRow>,
    pub counts: [u64; 4],
    pub total: u64,
}

fn bars(report: &StockAge, labels: &[&'static str]) -> Vec<Bar> {
    let largest = report.counts.iter().copied().max().unwrap_or(0).max(1);
    report
        .counts
        .iter()
        .zip(labels)
        .zip(0u64..)
        .map(|((count, label), i)| {
            let width = if *count == 0 {
                0
            } else {
                (count * BAR_SPAN / largest).max(2)
            };
            Bar {
                label,
                count: *count,
                width,
                y: i * ROW,
                text_x: 120 + width + 8,
                class: if i == 3 { "bar bar-aged" } else { "bar" },
            }
        })
        .collect()
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
        lead: lang.t1("stock.report.lead", &report.as_of),
        bars: bars(&report, &headings),
        chart_height: ROW * 4,
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
    fn bars_scale_to_the_largest_bucket() {
        let report = StockAge {
            as_of: "2026-03-01".into(),
            buckets: vec![],
            counts: [10, 5, 0, 1],
            models: None,
        };
        let drawn = bars(&report, &["a", "b", "c", "d"]);
        let widths: Vec<u64> = drawn.iter().map(|b| b.width).collect();
        assert_eq!(widths, [400, 200, 0, 40]);
        assert_eq!(drawn[3].class, "bar bar-aged");
        assert_eq!(drawn[1].y, ROW);
    }
}
