use crate::field_plan::FieldPlan;
use dealervault_domain::customer::CustomerRecord;
use serde::Serialize;

/// A customer as one actor may see it. A hidden field is absent from the JSON (outer
/// `None`); a visible field without a value is `null`; a masked value contains `*`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct CustomerView {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_number: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wechat: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<Option<String>>,
    pub owner_id: String,
    pub owner_name: String,
    pub store_code: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// Fields shown masked, which the actor may ask to reveal.
    pub masked: Vec<String>,
    /// Fields the actor may change.
    pub editable: Vec<String>,
}

impl CustomerView {
    /// A shown field by catalog name: `None` if hidden.
    pub fn field(&self, name: &str) -> Option<Option<&str>> {
        let slot = match name {
            "name" => &self.name,
            "mobile" => &self.mobile,
            "id_number" => &self.id_number,
            "email" => &self.email,
            "address" => &self.address,
            "wechat" => &self.wechat,
            "birth_date" => &self.birth_date,
            "gender" => &self.gender,
            "source" => &self.source,
            "notes" => &self.notes,
            _ => return None,
        };
        slot.as_ref().map(|v| v.as_deref())
    }

    fn slot(&mut self, name: &str) -> Option<&mut Option<Option<String>>> {
        Some(match name {
            "name" => &mut self.name,
            "mobile" => &mut self.mobile,
            "id_number" => &mut self.id_number,
            "email" => &mut self.email,
            "address" => &mut self.address,
            "wechat" => &mut self.wechat,
            "birth_date" => &mut self.birth_date,
            "gender" => &mut self.gender,
            "source" => &mut self.source,
            "notes" => &mut self.notes,
            _ => return None,
        })
    }
}

impl FieldPlan {
    pub(crate) fn render(&self, record: &CustomerRecord, owner_name: String) -> CustomerView {
        let shown = self.show(|field| record.governed(field));
        let mut view = CustomerView {
            id: record.id.to_string(),
            name: None,
            mobile: None,
            id_number: None,
            email: None,
            address: None,
            wechat: None,
            birth_date: None,
            gender: None,
            source: None,
            notes: None,
            owner_id: record.owner_id.to_string(),
            owner_name,
            store_code: record.store_code.clone(),
            created_at: record.created_at,
            updated_at: record.updated_at,
            masked: shown.masked,
            editable: shown.editable,
        };
        for (field, value) in shown.values {
            if let Some(slot) = view.slot(field) {
                *slot = Some(value);
            }
        }
        view
    }
}
