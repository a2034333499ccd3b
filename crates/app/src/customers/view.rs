use crate::actor::Actor;
use crate::settings::Settings;
use dealervault_domain::catalog::{governed_fields, Entity, FieldSpec};
use dealervault_domain::customer::CustomerRecord;
use dealervault_domain::mask::MaskRule;
use dealervault_policy::{FieldLevel, RolePolicy};
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

/// Which customer fields one actor sees, and how: decided once per request from the
/// role's field levels and the site's mask settings.
#[derive(Debug, Clone)]
pub(crate) struct FieldPlan {
    levels: Vec<(&'static FieldSpec, FieldLevel)>,
    id_number_mask: MaskRule,
}

impl FieldPlan {
    pub(crate) fn of(actor: &Actor, settings: &Settings) -> Self {
        Self::for_policy(&actor.policy, settings)
    }

    /// The plan of a role's rights, whoever holds them (the permission editor's preview).
    pub(crate) fn for_policy(policy: &RolePolicy, settings: &Settings) -> Self {
        let levels = governed_fields(Entity::Customer)
            .map(|f| (f, policy.field_level(Entity::Customer, f.name)))
            .filter(|(_, level)| *level > FieldLevel::Hidden)
            .collect();
        Self {
            levels,
            id_number_mask: settings.id_number_mask,
        }
    }

    /// Names of the fields shown at all (what an audit event says was seen).
    pub(crate) fn visible(&self) -> Vec<String> {
        self.levels
            .iter()
            .map(|(f, _)| f.name.to_string())
            .collect()
    }

    pub(crate) fn level(&self, field: &str) -> FieldLevel {
        self.levels
            .iter()
            .find(|(f, _)| f.name == field)
            .map_or(FieldLevel::Hidden, |(_, level)| *level)
    }

    pub(crate) fn mask_rule(&self, spec: &FieldSpec) -> MaskRule {
        if spec.name == "id_number" {
            self.id_number_mask
        } else {
            spec.mask
        }
    }

    pub(crate) fn render(&self, record: &CustomerRecord, owner_name: String) -> CustomerView {
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
            masked: vec![],
            editable: vec![],
        };
        for (spec, level) in &self.levels {
            let value = record.governed(spec.name);
            let shown = match level {
                FieldLevel::Hidden => continue,
                FieldLevel::Masked => {
                    view.masked.push(spec.name.to_string());
                    value.map(|v| self.mask_rule(spec).apply(v))
                }
                FieldLevel::Clear => value.map(str::to_string),
                FieldLevel::Editable => {
                    view.editable.push(spec.name.to_string());
                    value.map(str::to_string)
                }
            };
            if let Some(slot) = view.slot(spec.name) {
                *slot = Some(shown);
            }
        }
        view
    }
}
