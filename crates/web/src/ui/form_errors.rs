//! The refusals of a submitted form, each kept beside the input it belongs to: what the
//! administration forms show next to their fields.

use super::i18n::Lang;
use dealervault_domain::FieldError;

#[derive(Debug, Clone, Default)]
pub struct FormErrors(Vec<(&'static str, String)>);

impl FormErrors {
    /// Each refused field of a use case, in words.
    pub fn of(lang: Lang, refused: &[FieldError]) -> Self {
        Self(refused.iter().map(|e| (e.field, lang.rule(e))).collect())
    }

    /// One message for one input.
    pub fn one(input: &'static str, message: impl Into<String>) -> Self {
        Self(vec![(input, message.into())])
    }

    pub fn push(&mut self, input: &'static str, message: impl Into<String>) {
        self.0.push((input, message.into()));
    }

    /// The message for `input`, if it was refused.
    pub fn get(&self, input: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(name, _)| *name == input)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Shows the refusals of the use case's `fields` at the form's `input` instead.
    pub fn moved(mut self, fields: &[&str], input: &'static str) -> Self {
        for (name, _) in &mut self.0 {
            if fields.contains(name) {
                *name = input;
            }
        }
        self
    }
}
