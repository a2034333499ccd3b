//! A customer's fields as they arrive, as they are checked, and as they are kept.

use crate::error::{FieldError, Rule};
use crate::ids::{CustomerId, StoreId, UserId};
use crate::values::{
    Address, BirthDate, Email, Gender, IdNumber, Mobile, Notes, PersonName, Source, Wechat,
};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::fmt;
use time::Date;

/// Fields as a client sends them. Absent means "not given / unchanged"; `null` (or an
/// empty string from a form) means "clear". Unknown fields are refused, so a typo never
/// silently drops data.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerInput {
    #[serde(default, deserialize_with = "present")]
    pub name: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub mobile: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub id_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub wechat: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub birth_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub gender: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub source: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub notes: Option<Option<String>>,
}

/// Tells a field given as `null` apart from an absent one (with `#[serde(default)]`):
/// absent is `None`, `null` is `Some(None)`. Every input that can clear a field uses it.
pub fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

impl fmt::Debug for CustomerInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomerInput").finish_non_exhaustive()
    }
}

impl CustomerInput {
    fn entries(&self) -> [(&'static str, &Option<Option<String>>); 10] {
        [
            ("name", &self.name),
            ("mobile", &self.mobile),
            ("id_number", &self.id_number),
            ("email", &self.email),
            ("address", &self.address),
            ("wechat", &self.wechat),
            ("birth_date", &self.birth_date),
            ("gender", &self.gender),
            ("source", &self.source),
            ("notes", &self.notes),
        ]
    }
}

/// Fields that every customer must have: they can be set but never cleared.
const REQUIRED: [&str; 2] = ["name", "mobile"];

/// Checked, normalised field values keyed by catalog name; `None` clears a field.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CustomerChanges(BTreeMap<&'static str, Option<String>>);

impl CustomerChanges {
    /// A new customer: name and mobile required, gender and source defaulted.
    pub fn for_create(input: &CustomerInput, today: Date) -> Result<Self, Vec<FieldError>> {
        let mut changes = Self::parse(input, today)?;
        let missing: Vec<FieldError> = REQUIRED
            .iter()
            .filter(|f| !matches!(changes.0.get(*f), Some(Some(_))))
            .map(|f| FieldError::new(f, Rule::Required))
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        changes
            .0
            .entry("gender")
            .or_insert(None)
            .get_or_insert_with(|| Gender::Unknown.code().into());
        changes
            .0
            .entry("source")
            .or_insert(None)
            .get_or_insert_with(|| Source::WalkIn.code().into());
        Ok(changes)
    }

    /// An edit: only the fields given; required ones cannot be cleared.
    pub fn for_update(input: &CustomerInput, today: Date) -> Result<Self, Vec<FieldError>> {
        let changes = Self::parse(input, today)?;
        let cleared: Vec<FieldError> = REQUIRED
            .iter()
            .filter(|f| matches!(changes.0.get(*f), Some(None)))
            .map(|f| FieldError::new(f, Rule::Required))
            .collect();
        if cleared.is_empty() {
            Ok(changes)
        } else {
            Err(cleared)
        }
    }

    fn parse(input: &CustomerInput, today: Date) -> Result<Self, Vec<FieldError>> {
        let mut out = BTreeMap::new();
        let mut errors = Vec::new();
        for (field, given) in input.entries() {
            let Some(given) = given else { continue };
            let raw = given.as_deref().map(str::trim).filter(|s| !s.is_empty());
            match raw.map(|raw| normalise(field, raw, today)).transpose() {
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

impl fmt::Debug for CustomerChanges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

fn normalise(field: &'static str, raw: &str, today: Date) -> Result<String, FieldError> {
    Ok(match field {
        "name" => PersonName::parse(field, raw)?.as_str().to_string(),
        "mobile" => Mobile::parse(field, raw)?.as_str().to_string(),
        "id_number" => IdNumber::parse(field, raw)?.as_str().to_string(),
        "email" => Email::parse(field, raw)?.as_str().to_string(),
        "address" => Address::parse(field, raw)?.as_str().to_string(),
        "wechat" => Wechat::parse(field, raw)?.as_str().to_string(),
        "birth_date" => BirthDate::parse(field, raw, today)?.to_string(),
        "gender" => Gender::parse(field, raw)?.code().to_string(),
        "source" => Source::parse(field, raw)?.code().to_string(),
        "notes" => Notes::parse(field, raw)?.as_str().to_string(),
        _ => return Err(FieldError::new(field, Rule::UnknownValue)),
    })
}

/// A customer as the store keeps it: governed fields as normalised text.
#[derive(Clone, PartialEq, Eq)]
pub struct CustomerRecord {
    pub id: CustomerId,
    pub store_id: StoreId,
    pub store_code: String,
    pub owner_id: UserId,
    pub name: String,
    pub mobile: String,
    pub id_number: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub wechat: Option<String>,
    pub birth_date: Option<String>,
    pub gender: String,
    pub source: String,
    pub notes: Option<String>,
    /// Unix milliseconds, UTC.
    pub created_at: i64,
    pub updated_at: i64,
}

impl CustomerRecord {
    /// A record with its place and times but no field values yet: what a new customer
    /// starts from, and what a sealed one is opened into.
    pub fn blank(
        id: CustomerId,
        store_id: StoreId,
        store_code: String,
        owner_id: UserId,
        created_at: i64,
        updated_at: i64,
    ) -> Self {
        Self {
            id,
            store_id,
            store_code,
            owner_id,
            name: String::new(),
            mobile: String::new(),
            id_number: None,
            email: None,
            address: None,
            wechat: None,
            birth_date: None,
            gender: String::new(),
            source: String::new(),
            notes: None,
            created_at,
            updated_at,
        }
    }

    /// The value of a governed field by catalog name.
    pub fn governed(&self, field: &str) -> Option<&str> {
        match field {
            "name" => Some(&self.name),
            "mobile" => Some(&self.mobile),
            "id_number" => self.id_number.as_deref(),
            "email" => self.email.as_deref(),
            "address" => self.address.as_deref(),
            "wechat" => self.wechat.as_deref(),
            "birth_date" => self.birth_date.as_deref(),
            "gender" => Some(&self.gender),
            "source" => Some(&self.source),
            "notes" => self.notes.as_deref(),
            _ => None,
        }
    }

    /// Sets a governed field by catalog name; required fields fall back to empty and the
    /// choices to their defaults when cleared (checked changes never clear them).
    pub fn set_governed(&mut self, field: &str, value: Option<String>) {
        match field {
            "name" => self.name = value.unwrap_or_default(),
            "mobile" => self.mobile = value.unwrap_or_default(),
            "id_number" => self.id_number = value,
            "email" => self.email = value,
            "address" => self.address = value,
            "wechat" => self.wechat = value,
            "birth_date" => self.birth_date = value,
            "gender" => self.gender = value.unwrap_or_else(|| Gender::Unknown.code().into()),
            "source" => self.source = value.unwrap_or_else(|| Source::Other.code().into()),
            "notes" => self.notes = value,
            _ => {}
        }
    }

    /// Applies checked changes; `updated_at` is the caller's clock.
    pub fn apply(&mut self, changes: &CustomerChanges, updated_at: i64) {
        for field in changes.fields() {
            self.set_governed(field, changes.get(field).flatten().map(str::to_string));
        }
        self.updated_at = updated_at;
    }
}

impl fmt::Debug for CustomerRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomerRecord")
            .field("id", &self.id)
            .field("store_code", &self.store_code)
            .field("owner_id", &self.owner_id)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input(json: &str) -> CustomerInput {
        serde_json::from_str(json).expect("json")
    }

    #[test]
    fn create_requires_name_and_mobile_and_names_the_fields() {
        let errs =
            CustomerChanges::for_create(&input("{}"), date!(2026 - 01 - 01)).expect_err("missing");
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "mobile"]);
    }

    #[test]
    fn create_normalises_and_defaults() {
        let c = CustomerChanges::for_create(
            &input(r#"{"name":" 张三 ","mobile":"138-1234-5678"}"#),
            date!(2026 - 01 - 01),
        )
        .expect("valid");
        assert_eq!(c.get("name"), Some(Some("张三")));
        assert_eq!(c.get("mobile"), Some(Some("13812345678")));
        assert_eq!(c.get("gender"), Some(Some("unknown")));
    }

    #[test]
    fn every_bad_field_is_reported() {
        let errs = CustomerChanges::for_create(
            &input(
                r#"{"name":"张三","mobile":"123","id_number":"110105194912310020","email":"x"}"#,
            ),
            date!(2026 - 01 - 01),
        )
        .expect_err("invalid");
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["mobile", "id_number", "email"]);
    }

    #[test]
    fn update_distinguishes_clear_from_absent_and_keeps_required() {
        let today = date!(2026 - 01 - 01);
        let c = CustomerChanges::for_update(&input(r#"{"email":null}"#), today).expect("valid");
        assert_eq!(c.get("email"), Some(None));
        assert_eq!(c.get("name"), None);
        assert!(CustomerChanges::for_update(&input(r#"{"mobile":null}"#), today).is_err());
    }

    #[test]
    fn unknown_fields_are_refused() {
        assert!(serde_json::from_str::<CustomerInput>(r#"{"nmae":"x"}"#).is_err());
    }
}
