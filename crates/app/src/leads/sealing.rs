//! A lead between its stored form (envelopes) and what one request needs in clear.

use crate::error::AppError;
use crate::vault::RecordKey;
use crate::App;
use dealervault_domain::catalog::{field, Entity, Storage};
use dealervault_domain::sales::LeadChanges;
use dealervault_domain::values::Fen;
use dealervault_store::SealedLead;
use std::collections::BTreeMap;

pub(super) const ENTITY: &str = "lead";

/// Whether the catalog keeps a lead field sealed.
pub(super) fn is_sealed(name: &str) -> bool {
    field(Entity::Lead, name).is_some_and(|f| f.storage != Storage::Plain)
}

/// A lead's governed values as text: the sealed ones that were opened, the plain ones
/// always (the budget in yuan with two decimals, exact).
pub(crate) struct LeadValues(BTreeMap<&'static str, Option<String>>);

impl LeadValues {
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(|v| v.as_deref())
    }
}

fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

impl App {
    /// Opens the sealed fields among `wanted`; `None` for a lead whose key was erased.
    pub(crate) fn open_lead(
        &self,
        lead: &SealedLead,
        wanted: &[String],
    ) -> Result<Option<LeadValues>, AppError> {
        let mut values = BTreeMap::new();
        values.insert("source", Some(lead.source.clone()));
        values.insert(
            "intended_model",
            Some(lead.intended_model.clone()).filter(|m| !m.is_empty()),
        );
        values.insert("budget", lead.budget.map(yuan));
        let sealed: Vec<&'static str> = ["name", "mobile", "wechat", "notes"]
            .into_iter()
            .filter(|f| wanted.iter().any(|w| w == f))
            .collect();
        if !sealed.is_empty() {
            let Some(wrapped) = lead.data_key.as_deref() else {
                return Ok(None);
            };
            let key = self.vault().record_key(lead.id.as_str(), Some(wrapped))?;
            for name in sealed {
                let text = key.open_optional(ENTITY, lead.id.as_str(), name, lead.sealed(name))?;
                values.insert(name, text);
            }
        } else if lead.data_key.is_none() {
            return Ok(None);
        }
        Ok(Some(LeadValues(values)))
    }

    /// Writes checked `changes` into the stored lead: sealed fields under `key`, the
    /// mobile's blind index, plain fields as they are.
    pub(crate) fn seal_lead_changes(
        &self,
        key: &RecordKey,
        lead: &mut SealedLead,
        changes: &LeadChanges,
    ) -> Result<(), AppError> {
        let id = lead.id.to_string();
        for name in changes.fields() {
            let value = changes.get(name).flatten();
            if is_sealed(name) {
                let envelope = key.seal_optional(ENTITY, &id, name, value)?;
                lead.set_sealed(name, envelope);
            }
            match name {
                "mobile" => {
                    if let Some(mobile) = value {
                        lead.mobile_index = self.vault().mobile_index(mobile);
                    }
                }
                "source" => lead.source = value.unwrap_or("other").to_string(),
                "intended_model" => lead.intended_model = value.unwrap_or_default().to_string(),
                "budget" => {
                    lead.budget = value
                        .and_then(|v| v.parse::<i64>().ok())
                        .and_then(Fen::from_fen)
                        .map(Fen::fen)
                }
                _ => {}
            }
        }
        Ok(())
    }
}
