use crate::field_plan::FieldPlan;
use dealervault_domain::sales::DealState;
use dealervault_store::{DealRow, PaymentRow};
use serde::Serialize;
use std::collections::BTreeMap;

/// A governed value as one actor sees it: amounts and the loan term as whole numbers
/// (fen, months), text as text, and any masked value as its mask.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum DealValue {
    Number(i64),
    Text(String),
}

/// Governed fields that are whole numbers.
const NUMBERS: [&str; 10] = [
    "price",
    "discount",
    "accessories_price",
    "insurance_premium",
    "loan_amount",
    "loan_term_months",
    "trade_in_value",
    "total",
    "deposit",
    "paid",
];

/// A payment as one actor sees it (shown with the `paid` field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PaymentView {
    pub id: String,
    pub kind: String,
    pub method: String,
    /// Fen.
    pub amount: i64,
    pub received_on: String,
    pub recorded_by: String,
    pub created_at: i64,
}

/// A deal as one actor may see it. Governed fields sit beside the record fields under
/// their catalog names; a hidden one is absent, a visible one without a value `null`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DealView {
    pub id: String,
    pub lead_id: String,
    /// `quoted`, `ordered`, `delivered` or `cancelled`.
    pub state: String,
    pub store_code: String,
    pub owner_id: String,
    pub vehicle_id: Option<String>,
    pub vin: Option<String>,
    pub ordered_at: Option<i64>,
    pub delivered_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub fields: BTreeMap<String, Option<DealValue>>,
    /// The payments received, for those who see `paid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payments: Option<Vec<PaymentView>>,
    /// Fields shown masked.
    pub masked: Vec<String>,
    /// Fields the actor may write.
    pub editable: Vec<String>,
    /// What the actor may do with the deal now: `order`, `allocate`, `pay`, `deliver`,
    /// `cancel`.
    pub actions: Vec<String>,
}

impl DealView {
    /// A shown field as text (amounts in fen): `None` if hidden.
    pub fn field(&self, name: &str) -> Option<Option<String>> {
        self.fields.get(name).map(|v| {
            v.as_ref().map(|v| match v {
                DealValue::Number(n) => n.to_string(),
                DealValue::Text(t) => t.clone(),
            })
        })
    }

    /// Whole fen still owed, for those who see both the total and what was paid.
    pub fn balance(&self) -> Option<i64> {
        match (self.fields.get("total")?, self.fields.get("paid")?) {
            (Some(DealValue::Number(total)), Some(DealValue::Number(paid))) => Some(total - paid),
            _ => None,
        }
    }
}

/// What an actor with the edit right may do with a deal in `state`.
fn actions(state: DealState, may_edit: bool, plan: &FieldPlan, allocated: bool) -> Vec<String> {
    use dealervault_policy::FieldLevel::Editable;
    if !may_edit {
        return vec![];
    }
    let writes = |field: &str| plan.level(field) >= Editable;
    let possible: &[(&str, bool)] = match state {
        DealState::Quoted => &[("order", true), ("cancel", true)],
        DealState::Ordered => &[
            ("allocate", true),
            ("pay", true),
            ("deliver", allocated),
            ("cancel", true),
        ],
        DealState::Delivered | DealState::Cancelled => &[],
    };
    possible
        .iter()
        .filter(|(action, possible)| {
            *possible
                && match *action {
                    "order" => writes("contract_number"),
                    "pay" => writes("paid"),
                    _ => true,
                }
        })
        .map(|(action, _)| action.to_string())
        .collect()
}

impl FieldPlan {
    /// `row` as the plan shows it, with its payments; `may_edit` when the actor holds
    /// the edit right on it.
    pub(crate) fn render_deal(
        &self,
        row: &DealRow,
        payments: &[PaymentRow],
        may_edit: bool,
    ) -> DealView {
        let numbers = [
            ("price", Some(row.price)),
            ("discount", Some(row.discount)),
            ("accessories_price", Some(row.accessories_price)),
            ("insurance_premium", Some(row.insurance_premium)),
            ("loan_amount", row.loan_amount),
            ("loan_term_months", row.loan_term_months),
            ("trade_in_value", Some(row.trade_in_value)),
            ("total", Some(row.total)),
            ("deposit", row.deposit),
            ("paid", Some(row.paid)),
        ]
        .map(|(name, n)| (name, n.map(|n| n.to_string())));
        let shown = self.show(|field| {
            let text = match field {
                "model" => Some(row.model.as_str()),
                "accessories" => Some(row.accessories.as_str()),
                "insurance_plan" => Some(row.insurance_plan.as_str()),
                "financing" => Some(row.financing.as_str()),
                "trade_in" => Some(row.trade_in.as_str()),
                "contract_number" => row.contract_number.as_deref(),
                "delivery_date" => row.delivery_date.as_deref(),
                other => numbers
                    .iter()
                    .find(|(name, _)| *name == other)
                    .and_then(|(_, n)| n.as_deref()),
            };
            text.filter(|t| !t.is_empty())
        });
        let fields = shown
            .values
            .iter()
            .map(|(name, value)| {
                let masked = shown.masked.iter().any(|m| m == name);
                let value = value.as_ref().map(|v| match v.parse() {
                    Ok(n) if !masked && NUMBERS.contains(name) => DealValue::Number(n),
                    _ => DealValue::Text(v.clone()),
                });
                (name.to_string(), value)
            })
            .collect();
        let payments = shown.values.contains_key("paid").then(|| {
            payments
                .iter()
                .map(|p| PaymentView {
                    id: p.id.to_string(),
                    kind: p.kind.clone(),
                    method: p.method.clone(),
                    amount: p.amount,
                    received_on: p.received_on.clone(),
                    recorded_by: p.recorded_by.to_string(),
                    created_at: p.created_at,
                })
                .collect()
        });
        let actions = DealState::parse("state", &row.state)
            .map(|s| actions(s, may_edit, self, row.vehicle_id.is_some()))
            .unwrap_or_default();
        DealView {
            id: row.id.to_string(),
            lead_id: row.lead_id.to_string(),
            state: row.state.clone(),
            store_code: row.store_code.clone(),
            owner_id: row.owner_id.to_string(),
            vehicle_id: row.vehicle_id.as_ref().map(ToString::to_string),
            vin: row.vin.clone(),
            ordered_at: row.ordered_at,
            delivered_at: row.delivered_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
            fields,
            payments,
            masked: shown.masked,
            editable: shown.editable,
            actions,
        }
    }
}
