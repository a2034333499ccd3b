//! Which fields of an entity one actor sees, and how: decided once per request from the
//! role's field levels and the site's mask settings, for every entity the catalog knows.

use crate::actor::Actor;
use crate::settings::Settings;
use dealervault_domain::catalog::{governed_fields, Entity, FieldSpec, Sensitivity};
use dealervault_domain::mask::MaskRule;
use dealervault_policy::{FieldLevel, RolePolicy};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub(crate) struct FieldPlan {
    levels: Vec<(&'static FieldSpec, FieldLevel)>,
    id_number_mask: MaskRule,
}

/// An entity's governed fields as one actor sees them: hidden fields absent, masked
/// values through their rule, a visible field without a value `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Shown {
    pub values: BTreeMap<&'static str, Option<String>>,
    /// Fields shown masked, which the actor may ask to reveal.
    pub masked: Vec<String>,
    /// Fields the actor may change.
    pub editable: Vec<String>,
}

impl FieldPlan {
    pub(crate) fn of(actor: &Actor, entity: Entity, settings: &Settings) -> Self {
        Self::for_policy(&actor.policy, entity, settings)
    }

    /// The plan of a role's rights, whoever holds them (the permission editor's preview).
    pub(crate) fn for_policy(policy: &RolePolicy, entity: Entity, settings: &Settings) -> Self {
        let levels = governed_fields(entity)
            .map(|f| (f, policy.field_level(entity, f.name)))
            .filter(|(_, level)| *level > FieldLevel::Hidden)
            .collect();
        Self {
            levels,
            id_number_mask: settings.id_number_mask,
        }
    }

    /// The plan for records in a public pool, not yet anyone's: personal data at most
    /// masked, the rest at most clear, nothing editable.
    pub(crate) fn for_pool(mut self) -> Self {
        for (spec, level) in &mut self.levels {
            let cap = if spec.sensitivity >= Sensitivity::Personal {
                FieldLevel::Masked
            } else {
                FieldLevel::Clear
            };
            *level = (*level).min(cap);
        }
        self
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

    /// The catalog's rule, but the site's choice for every ID-number-shaped field (a
    /// customer's ID number, a driver's licence number).
    pub(crate) fn mask_rule(&self, spec: &FieldSpec) -> MaskRule {
        if matches!(spec.mask, MaskRule::IdNumber { .. }) {
            self.id_number_mask
        } else {
            spec.mask
        }
    }

    /// Every visible field of a record, given the value of each field by name.
    pub(crate) fn show<'r>(&self, value_of: impl Fn(&str) -> Option<&'r str>) -> Shown {
        let mut shown = Shown::default();
        for (spec, level) in &self.levels {
            let value = value_of(spec.name);
            let text = match level {
                FieldLevel::Hidden => continue,
                FieldLevel::Masked => {
                    shown.masked.push(spec.name.to_string());
                    value.map(|v| self.mask_rule(spec).apply(v))
                }
                FieldLevel::Clear => value.map(str::to_string),
                FieldLevel::Editable => {
                    shown.editable.push(spec.name.to_string());
                    value.map(str::to_string)
                }
            };
            shown.values.insert(spec.name, text);
        }
        shown
    }
}
