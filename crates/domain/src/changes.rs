//! Checked field values of a create or an edit, keyed by catalog name, for any entity:
//! each value parsed by its entity's rules, several refusals reported at once.

use crate::error::{FieldError, Rule};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::fmt;

/// For `#[serde(default, deserialize_with = "given")]` on `Option<Option<T>>` input
/// fields: tells a field given as `null` (clear it, `Some(None)`) apart from an absent
/// one (leave it, `None`). Every input that can clear a field uses it.
pub fn given<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Normalised values by catalog name; `None` clears a field.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FieldChanges(BTreeMap<&'static str, Option<String>>);

impl FieldChanges {
    /// Parses every given field with `normalise`; blank text clears a field.
    pub(crate) fn parse<'a>(
        entries: impl IntoIterator<Item = (&'static str, &'a Option<Option<String>>)>,
        normalise: impl Fn(&'static str, &str) -> Result<String, FieldError>,
    ) -> Result<Self, Vec<FieldError>> {
        let mut out = BTreeMap::new();
        let mut errors = Vec::new();
        for (field, given) in entries {
            let Some(given) = given else { continue };
            let raw = given.as_deref().map(str::trim).filter(|s| !s.is_empty());
            match raw.map(|raw| normalise(field, raw)).transpose() {
                Ok(value) => {
                    out.insert(field, value);
                }
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(Self(out))
        } else {
            Err(errors)
        }
    }

    /// A create: every `required` field must have a value.
    pub(crate) fn requiring(self, required: &[&'static str]) -> Result<Self, Vec<FieldError>> {
        self.refusing(required, |v| !matches!(v, Some(Some(_))))
    }

    /// An edit: a `required` field may change but not be cleared.
    pub(crate) fn keeping(self, required: &[&'static str]) -> Result<Self, Vec<FieldError>> {
        self.refusing(required, |v| matches!(v, Some(None)))
    }

    fn refusing(
        self,
        required: &[&'static str],
        missing: impl Fn(Option<&Option<String>>) -> bool,
    ) -> Result<Self, Vec<FieldError>> {
        let errors: Vec<FieldError> = required
            .iter()
            .filter(|f| missing(self.0.get(*f)))
            .map(|f| FieldError::new(f, Rule::Required))
            .collect();
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }

    /// Gives `field` `value` unless it was given one.
    pub(crate) fn defaulting(mut self, field: &'static str, value: &str) -> Self {
        self.0
            .entry(field)
            .or_insert(None)
            .get_or_insert_with(|| value.to_string());
        self
    }

    pub fn fields(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.keys().copied()
    }

    /// `Some(None)` when the change clears the field, `None` when it leaves it alone.
    pub fn get(&self, field: &str) -> Option<Option<&str>> {
        self.0.get(field).map(|v| v.as_deref())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

// The values are personal data: only the names of the fields.
impl fmt::Debug for FieldChanges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}
