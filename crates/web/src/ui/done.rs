//! The notice a page shows after a form redirected to it (`?done=…`): what just
//! happened, in words. Shared by the record pages whose steps redirect back to them.

use super::i18n::Lang;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct Done {
    done: Option<String>,
}

impl Done {
    /// The words of `{prefix}.done.{what}`; nothing for a code the catalog does not know
    /// (a hand-edited address shows no stray text).
    pub fn notice(&self, lang: Lang, prefix: &str) -> Option<String> {
        let what = self.done.as_deref()?;
        lang.known(&format!("{prefix}.done.{what}"))
            .map(str::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_codes_have_words() {
        let done = |code: &str| Done {
            done: Some(code.to_string()),
        };
        assert_eq!(
            done("ordered").notice(Lang::Zh, "deal").as_deref(),
            Some("订单已签订。")
        );
        assert_eq!(done("<script>").notice(Lang::Zh, "deal"), None);
        assert_eq!(Done::default().notice(Lang::En, "deal"), None);
    }
}
