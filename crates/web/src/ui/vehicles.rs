//! Stock pages: the list with status chips, model and VIN search and days in stock; the
//! detail with the status moves the vehicle allows; the new and edit forms; and the
//! stock-age report. Every page calls the same use cases as the JSON API and shows what
//! they return: a field hidden from the role (cost price, supplier terms) is not rendered
//! at all.

mod detail;
mod form;
mod list;
mod report;

use super::customers::Cell;
use super::i18n::Lang;
use crate::WebState;
use axum::routing::{get, post};
use axum::Router;
use dealervault_app::vehicles::{Money, VehicleView};
use dealervault_domain::catalog::{governed_fields, Entity};
use dealervault_domain::values::Fen;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/vehicles", get(list::show))
        .route("/vehicles/new", get(form::new).post(form::create))
        .route("/vehicles/{id}", get(detail::show))
        .route("/vehicles/{id}/edit", get(form::edit).post(form::update))
        .route("/vehicles/{id}/status", post(detail::move_status))
        .route("/reports/stock-age", get(report::show))
}

/// Days on the lot past which a vehicle is flagged: the last bucket of the report.
const AGED_DAYS: i64 = 90;

/// `¥328,000.00`.
pub fn yuan(fen: i64) -> String {
    Fen::from_fen(fen).map_or_else(|| "—".to_string(), |f| format!("¥{f}"))
}

/// A status in words.
pub fn status_label(lang: Lang, code: &str) -> String {
    lang.code_label("vehicle.status", code)
}

/// The badge class of a status.
pub fn status_badge(code: &str) -> &'static str {
    match code {
        "in_stock" => "badge-success",
        "reserved" => "badge-warning",
        "in_transit" => "badge",
        _ => "badge-muted",
    }
}

/// A shown field of a vehicle, amounts in yuan; `None` if hidden from the viewer.
pub fn cell(lang: Lang, view: &VehicleView, field: &str) -> Option<Cell> {
    let masked = view.masked.iter().any(|m| m == field);
    let text = match field {
        "list_price" | "cost_price" => {
            let slot = if field == "list_price" {
                &view.list_price
            } else {
                &view.cost_price
            };
            slot.as_ref()?.as_ref().map(|m| match m {
                Money::Fen(fen) => yuan(*fen),
                Money::Masked(mask) => mask.clone(),
            })
        }
        _ => view.field(field)?,
    };
    Some(match text {
        None => Cell {
            text: lang.t("value.empty").to_string(),
            masked,
            empty: true,
        },
        Some(text) => Cell {
            text,
            masked,
            empty: false,
        },
    })
}

/// A governed field of a vehicle as a row of the detail page or the form's side panel.
#[derive(Debug, Clone)]
pub struct FieldRow {
    pub name: &'static str,
    pub label: &'static str,
    pub cell: Cell,
}

/// The governed fields the viewer sees, in catalog order.
pub fn field_rows(lang: Lang, view: &VehicleView) -> Vec<FieldRow> {
    governed_fields(Entity::Vehicle)
        .filter_map(|spec| {
            Some(FieldRow {
                name: spec.name,
                label: lang.label_of(Entity::Vehicle, spec.name),
                cell: cell(lang, view, spec.name)?,
            })
        })
        .collect()
}

/// A heading for a vehicle: its model (when shown) and VIN.
pub fn heading(view: &VehicleView) -> String {
    match view.field("model").flatten() {
        Some(model) => format!("{model} · {}", view.vin),
        None => view.vin.clone(),
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    use dealervault_app::vehicles::{Money, VehicleView};

    /// A vehicle as a sales consultant sees it: no cost price, no supplier terms.
    pub fn consultant_view() -> VehicleView {
        VehicleView {
            id: "01J00000000000000000000002".into(),
            vin: "LSVAU218XN2183294".into(),
            status: "in_stock".into(),
            store_code: "SH01".into(),
            model: Some(Some("大众 帕萨特".into())),
            trim: Some(Some("330TSI 豪华版".into())),
            colour: Some(None),
            location: Some(Some("A区-03".into())),
            list_price: Some(Some(Money::Fen(21_990_000))),
            cost_price: None,
            supplier_terms: None,
            arrived_on: Some("2026-01-05".into()),
            days_in_stock: Some(95),
            created_at: 1_767_592_980_000,
            updated_at: 1_767_592_980_000,
            masked: vec![],
            editable: vec![],
            moves: vec![],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::consultant_view;
    use super::*;

    #[test]
    fn amounts_show_in_yuan_and_hidden_fields_not_at_all() {
        let view = consultant_view();
        let rows = field_rows(Lang::Zh, &view);
        let names: Vec<_> = rows.iter().map(|r| r.name).collect();
        assert_eq!(names, ["model", "trim", "colour", "location", "list_price"]);
        assert_eq!(rows[4].cell.text, "¥219,900.00");
        assert!(rows[2].cell.empty);
        assert!(cell(Lang::Zh, &view, "cost_price").is_none());
        assert_eq!(heading(&view), "大众 帕萨特 · LSVAU218XN2183294");
        assert_eq!(status_label(Lang::En, "reserved"), "Reserved");
    }
}
