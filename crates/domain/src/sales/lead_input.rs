//! A lead's fields as they arrive and as they are checked.

use crate::changes::{given, FieldChanges};
use crate::error::{FieldError, Rule};
use crate::values::{Fen, Label, Mobile, Notes, PersonName, Source, Wechat};
use serde::Deserialize;
use std::fmt;

/// Fields as a client sends them; absent means unchanged, `null` or blank clears.
/// Unknown fields are refused.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadInput {
    #[serde(default, deserialize_with = "given")]
    pub name: Option<Option<String>>,
    #[serde(default, deserialize_with = "given")]
    pub mobile: Option<Option<String>>,
    #[serde(default, deserialize_with = "given")]
    pub wechat: Option<Option<String>>,
    #[serde(default, deserialize_with = "given")]
    pub source: Option<Option<String>>,
    #[serde(default, deserialize_with = "given")]
    pub intended_model: Option<Option<String>>,
    /// Yuan, as people write it (`250000`, `25万` is not accepted: digits only).
    #[serde(default, deserialize_with = "given")]
    pub budget: Option<Option<String>>,
    #[serde(default, deserialize_with = "given")]
    pub notes: Option<Option<String>>,
}

impl fmt::Debug for LeadInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LeadInput").finish_non_exhaustive()
    }
}

/// Every lead has a name (or what the person called themselves) and a mobile.
const REQUIRED: [&str; 2] = ["name", "mobile"];

/// A lead's checked values; `budget` in fen as decimal text.
pub type LeadChanges = FieldChanges;

impl LeadInput {
    fn entries(&self) -> [(&'static str, &Option<Option<String>>); 7] {
        [
            ("name", &self.name),
            ("mobile", &self.mobile),
            ("wechat", &self.wechat),
            ("source", &self.source),
            ("intended_model", &self.intended_model),
            ("budget", &self.budget),
            ("notes", &self.notes),
        ]
    }

    pub fn for_create(&self) -> Result<LeadChanges, Vec<FieldError>> {
        Ok(self
            .parse()?
            .requiring(&REQUIRED)?
            .defaulting("source", Source::WalkIn.code()))
    }

    pub fn for_update(&self) -> Result<LeadChanges, Vec<FieldError>> {
        self.parse()?.keeping(&REQUIRED)
    }

    fn parse(&self) -> Result<LeadChanges, Vec<FieldError>> {
        FieldChanges::parse(self.entries(), normalise)
    }
}

fn normalise(field: &'static str, raw: &str) -> Result<String, FieldError> {
    Ok(match field {
        "name" => PersonName::parse(field, raw)?.as_str().to_string(),
        "mobile" => Mobile::parse(field, raw)?.as_str().to_string(),
        "wechat" => Wechat::parse(field, raw)?.as_str().to_string(),
        "source" => Source::parse(field, raw)?.code().to_string(),
        "intended_model" => Label::parse(field, raw)?.as_str().to_string(),
        "budget" => Fen::parse_yuan(field, raw)?.fen().to_string(),
        "notes" => Notes::parse(field, raw)?.as_str().to_string(),
        _ => return Err(FieldError::new(field, Rule::UnknownValue)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(json: &str) -> LeadInput {
        serde_json::from_str(json).expect("json")
    }

    #[test]
    fn create_requires_contact_and_reports_every_bad_field() {
        let errs = input(r#"{"budget":"-1","source":"tv"}"#)
            .for_create()
            .expect_err("invalid");
        let rules: Vec<_> = errs.iter().map(|e| (e.field, e.rule)).collect();
        assert_eq!(
            rules,
            [
                ("source", Rule::UnknownValue),
                ("budget", Rule::InvalidAmount)
            ]
        );
        let errs = input("{}").for_create().expect_err("missing");
        assert_eq!(errs.len(), 2);
    }

    #[test]
    fn create_normalises_money_and_defaults_the_source() {
        let c = input(r#"{"name":"王先生","mobile":"139 1234 5678","budget":"250,000"}"#)
            .for_create()
            .expect("valid");
        assert_eq!(c.get("mobile"), Some(Some("13912345678")));
        assert_eq!(c.get("budget"), Some(Some("25000000")));
        assert_eq!(c.get("source"), Some(Some("walk_in")));
    }

    #[test]
    fn edits_never_clear_the_contact() {
        assert!(input(r#"{"mobile":null}"#).for_update().is_err());
        let c = input(r#"{"budget":""}"#).for_update().expect("valid");
        assert_eq!(c.get("budget"), Some(None));
    }
}
