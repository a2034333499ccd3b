//! One option of a select: its code, its words from the message catalog, and whether it
//! is the one chosen. Every select of every page is built here.

use super::i18n::Lang;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub code: &'static str,
    pub label: &'static str,
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
                code,
                label: lang.t(&format!("{prefix}.{code}")),
                selected: code == selected,
            })
            .collect()
    }
}
