//! One option of a select: its code, its words from the message catalog, and whether it
//! is the one chosen. Every select of every page is built here.

use super::i18n::Lang;
use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub code: Cow<'static, str>,
    pub label: Cow<'static, str>,
    pub selected: bool,
}

impl Choice {
    /// `codes` as options, each labelled by the catalog key `{prefix}.{code}`; the one
    /// equal to `selected` is chosen.
    pub fn list(
        lang: Lang,
        prefix: &str,
        codes: impl IntoIterator<Item = &'static str>,
        selected: &str,
    ) -> Vec<Choice> {
        codes
            .into_iter()
            .map(|code| Choice {
                code: code.into(),
                label: lang.t(&format!("{prefix}.{code}")).into(),
                selected: code == selected,
            })
            .collect()
    }

    /// An option whose code and words come from data (a colleague's id and name).
    pub fn owned(code: String, label: String, selected: bool) -> Choice {
        Choice {
            code: code.into(),
            label: label.into(),
            selected,
        }
    }
}
