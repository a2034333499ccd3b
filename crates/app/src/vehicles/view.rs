use crate::field_plan::FieldPlan;
use dealervault_domain::sales::VehicleStatus;
use dealervault_store::VehicleRow;
use serde::Serialize;
use time::Date;

/// An amount as one actor sees it: whole fen, or the mask (`******`) for a role that
/// sees only that there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum Money {
    Fen(i64),
    Masked(String),
}

/// A vehicle as one actor may see it. A hidden field is absent from the JSON (outer
/// `None`); a visible field without a value is `null`. Amounts are integer fen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct VehicleView {
    pub id: String,
    pub vin: String,
    /// `in_transit`, `in_stock`, `reserved`, `sold` or `delivered`.
    pub status: String,
    pub store_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trim: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub colour: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Option<String>>,
    /// Fen (分): 32800000 is ¥328,000.00.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<i64>)]
    pub list_price: Option<Option<Money>>,
    /// Fen; for finance and the general manager.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<i64>)]
    pub cost_price: Option<Option<Money>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplier_terms: Option<Option<String>>,
    /// Local date (`YYYY-MM-DD`) the vehicle came into stock; `null` while in transit.
    pub arrived_on: Option<String>,
    /// Days since `arrived_on`, while the vehicle is on the lot (in stock or reserved).
    pub days_in_stock: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Fields shown masked.
    pub masked: Vec<String>,
    /// Fields the actor may change.
    pub editable: Vec<String>,
    /// The statuses the actor may move the vehicle to now (none without edit rights).
    pub moves: Vec<String>,
}

impl VehicleView {
    /// A shown text field by catalog name (amounts in fen as text): `None` if hidden.
    pub fn field(&self, name: &str) -> Option<Option<String>> {
        let text = |slot: &Option<Option<String>>| slot.clone();
        let money = |slot: &Option<Option<Money>>| {
            slot.as_ref().map(|m| {
                m.as_ref().map(|m| match m {
                    Money::Fen(fen) => fen.to_string(),
                    Money::Masked(mask) => mask.clone(),
                })
            })
        };
        match name {
            "model" => text(&self.model),
            "trim" => text(&self.trim),
            "colour" => text(&self.colour),
            "location" => text(&self.location),
            "list_price" => money(&self.list_price),
            "cost_price" => money(&self.cost_price),
            "supplier_terms" => text(&self.supplier_terms),
            _ => None,
        }
    }
}

/// Whole days from `arrived_on` to `today`, for a vehicle on the lot.
pub(crate) fn days_in_stock(row: &VehicleRow, today: Date) -> Option<i64> {
    let status = VehicleStatus::parse("status", &row.status).ok()?;
    if !matches!(status, VehicleStatus::InStock | VehicleStatus::Reserved) {
        return None;
    }
    let arrived = Date::parse(
        row.arrived_on.as_deref()?,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()?;
    Some((today - arrived).whole_days().max(0))
}

impl FieldPlan {
    /// `row` as the plan shows it on `today`; `may_move` when the actor holds the edit
    /// right, which status moves need.
    pub(crate) fn render_vehicle(
        &self,
        row: &VehicleRow,
        today: Date,
        may_move: bool,
    ) -> VehicleView {
        let list_price = row.list_price.to_string();
        let cost_price = row.cost_price.map(|c| c.to_string());
        let shown = self.show(|field| {
            let text = match field {
                "model" => row.model.as_str(),
                "trim" => row.trim.as_str(),
                "colour" => row.colour.as_str(),
                "location" => row.location.as_str(),
                "list_price" => list_price.as_str(),
                "cost_price" => cost_price.as_deref()?,
                "supplier_terms" => row.supplier_terms.as_deref()?,
                _ => return None,
            };
            Some(text).filter(|t| !t.is_empty())
        });
        let text = |name: &str| shown.values.get(name).cloned();
        let money = |name: &str| {
            let masked = shown.masked.iter().any(|m| m == name);
            shown.values.get(name).map(|value| {
                value.as_ref().map(|v| match v.parse() {
                    Ok(fen) if !masked => Money::Fen(fen),
                    _ => Money::Masked(v.clone()),
                })
            })
        };
        let moves = match VehicleStatus::parse("status", &row.status) {
            Ok(status) if may_move => status
                .moves()
                .iter()
                .map(|s| s.code().to_string())
                .collect(),
            _ => vec![],
        };
        VehicleView {
            id: row.id.to_string(),
            vin: row.vin.clone(),
            status: row.status.clone(),
            store_code: row.store_code.clone(),
            model: text("model"),
            trim: text("trim"),
            colour: text("colour"),
            location: text("location"),
            list_price: money("list_price"),
            cost_price: money("cost_price"),
            supplier_terms: text("supplier_terms"),
            arrived_on: row.arrived_on.clone(),
            days_in_stock: days_in_stock(row, today),
            created_at: row.created_at,
            updated_at: row.updated_at,
            masked: shown.masked,
            editable: shown.editable,
            moves,
        }
    }
}
