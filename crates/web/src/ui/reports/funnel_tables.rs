//! The funnel report in words and figures for the page: the chart's bars, and the rows
//! of the tables by source and by salesperson. Shares arrive as per mille and are shown
//! as percentages with one decimal.

use super::super::chart::{BarChart, BarInput};
use super::super::i18n::Lang;
use dealervault_app::reports::{Funnel, FunnelCounts};

/// `625` per mille as `62.5%`; no share (nothing to divide by) as a dash.
pub fn percent(permille: Option<u64>) -> String {
    permille.map_or_else(|| "—".to_string(), |p| format!("{}.{}%", p / 10, p % 10))
}

/// One line of a table: a source or a salesperson (or the total).
#[derive(Debug, Clone)]
pub struct FunnelLine {
    pub label: String,
    /// Leads that reached each stage, `new` (the number of leads) first.
    pub reached: Vec<u64>,
    pub lost: u64,
    /// Share of the leads that reached an order, and a delivery.
    pub to_order: String,
    pub to_delivery: String,
}

impl FunnelLine {
    fn of(label: String, counts: &FunnelCounts) -> Self {
        let share = |code| percent(counts.stage(code).and_then(|s| s.of_first_permille));
        Self {
            label,
            reached: counts.stages.iter().map(|s| s.reached).collect(),
            lost: counts.lost,
            to_order: share("ordered"),
            to_delivery: share("delivered"),
        }
    }
}

/// The stages' names, in funnel order: the tables' columns and the chart's bars.
pub fn stage_labels(lang: Lang, funnel: &FunnelCounts) -> Vec<&'static str> {
    funnel
        .stages
        .iter()
        .map(|s| lang.t(&format!("lead_status.{}", s.stage)))
        .collect()
}

/// One bar per stage with its count and its share of all leads; the won stages (an
/// order, a delivery) in their own colour.
pub fn chart(lang: Lang, funnel: &FunnelCounts) -> BarChart {
    let bars = funnel
        .stages
        .iter()
        .zip(stage_labels(lang, funnel))
        .map(|(stage, label)| BarInput {
            label: label.to_string(),
            count: stage.reached,
            text: match stage.of_previous_permille {
                // The first stage is all the leads: its share says nothing.
                None if stage.stage == "new" => stage.reached.to_string(),
                _ => format!("{} · {}", stage.reached, percent(stage.of_first_permille)),
            },
            class: if matches!(stage.stage.as_str(), "ordered" | "delivered") {
                "bar bar-won"
            } else {
                "bar"
            },
        })
        .collect();
    BarChart::new(lang.t("funnel.chart").to_string(), bars)
}

/// Per source, labelled, then the total; `None` when the role does not see the source.
pub fn by_source(lang: Lang, report: &Funnel) -> Option<Vec<FunnelLine>> {
    report.by_source.as_ref().map(|sources| {
        sources
            .iter()
            .map(|s| FunnelLine::of(lang.code_label("source", &s.source), &s.funnel))
            .collect()
    })
}

/// Per salesperson by name, the pool (公海) last.
pub fn by_owner(lang: Lang, report: &Funnel) -> Vec<FunnelLine> {
    report
        .by_owner
        .iter()
        .map(|o| {
            let label = match &o.owner_name {
                Some(name) => name.clone(),
                None => lang.t("funnel.pool").to_string(),
            };
            FunnelLine::of(label, &o.funnel)
        })
        .collect()
}

/// The line of all leads, under each table.
pub fn total(lang: Lang, report: &Funnel) -> FunnelLine {
    FunnelLine::of(lang.t("funnel.total").to_string(), &report.total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_show_one_decimal() {
        assert_eq!(percent(Some(625)), "62.5%");
        assert_eq!(percent(Some(1000)), "100.0%");
        assert_eq!(percent(Some(3)), "0.3%");
        assert_eq!(percent(None), "—");
    }
}
