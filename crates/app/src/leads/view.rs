use super::sealing::LeadValues;
use crate::field_plan::FieldPlan;
use dealervault_store::SealedLead;
use serde::Serialize;
use std::collections::BTreeMap;

/// A lead as one actor may see it. Governed fields sit beside the record fields: a
/// hidden one is absent, a visible one without a value `null`, a masked one has `*`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct LeadView {
    pub id: String,
    /// `new`, `contacted`, `visited`, `test_drive`, `quoted`, `ordered`, `delivered`,
    /// `lost`.
    pub status: String,
    pub lost_reason: Option<String>,
    /// `None`: in the store's public pool.
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub store_code: String,
    pub next_follow_up_at: Option<i64>,
    /// The customer the lead became, once converted.
    pub customer_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// name, mobile, wechat, source, intended_model, budget (yuan, two decimals), notes:
    /// those the actor sees.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub fields: BTreeMap<&'static str, Option<String>>,
    /// Fields shown masked, which the actor may ask to reveal.
    pub masked: Vec<String>,
    /// Fields the actor may change.
    pub editable: Vec<String>,
}

impl LeadView {
    pub fn field(&self, name: &str) -> Option<Option<&str>> {
        self.fields.get(name).map(|v| v.as_deref())
    }

    pub fn in_pool(&self) -> bool {
        self.owner_id.is_none()
    }
}

impl FieldPlan {
    pub(crate) fn render_lead(
        &self,
        lead: &SealedLead,
        values: &LeadValues,
        owner_name: Option<String>,
    ) -> LeadView {
        let shown = self.show(|name| values.get(name));
        LeadView {
            id: lead.id.to_string(),
            status: lead.status.clone(),
            lost_reason: lead.lost_reason.clone(),
            owner_id: lead.owner_id.as_ref().map(ToString::to_string),
            owner_name,
            store_code: lead.store_code.clone(),
            next_follow_up_at: lead.next_follow_up_at,
            customer_id: lead.customer_id.as_ref().map(ToString::to_string),
            created_at: lead.created_at,
            updated_at: lead.updated_at,
            fields: shown.values,
            masked: shown.masked,
            editable: shown.editable,
        }
    }
}
