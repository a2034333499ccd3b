//! Site settings kept in the database, read where they are used.

use crate::error::AppError;
use dealervault_domain::mask::MaskRule;
use dealervault_store::Tx;

pub const REVEAL_DAILY_QUOTA: &str = "reveal.daily_quota";
pub const ID_NUMBER_MASK: &str = "mask.id_number";
pub const BLIND_INDEX_VERSION: &str = "vault.blind_index_version";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Reveals one person may make per day (in the store's zone).
    pub reveal_daily_quota: i64,
    /// `1+2` (default) or `6+4`: how much of an ID number a masked view keeps.
    pub id_number_mask: MaskRule,
    /// Which blind-index keys the stored indexes are under.
    pub blind_index_version: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            reveal_daily_quota: 20,
            id_number_mask: MaskRule::DEFAULT_ID_NUMBER,
            blind_index_version: crate::vault::BLIND_INDEX_VERSION,
        }
    }
}

/// Parses `head+tail`, e.g. `6+4`.
pub fn parse_id_number_mask(s: &str) -> Option<MaskRule> {
    let (head, tail) = s.split_once('+')?;
    let (head, tail) = (head.trim().parse().ok()?, tail.trim().parse().ok()?);
    (head + tail <= 10).then_some(MaskRule::IdNumber { head, tail })
}

impl Settings {
    pub(crate) async fn load(tx: &mut Tx) -> Result<Self, AppError> {
        let defaults = Self::default();
        let stored = tx
            .settings(&[REVEAL_DAILY_QUOTA, ID_NUMBER_MASK, BLIND_INDEX_VERSION])
            .await?;
        let quota = stored.get(REVEAL_DAILY_QUOTA).and_then(|v| v.parse().ok());
        let mask = stored
            .get(ID_NUMBER_MASK)
            .and_then(|v| parse_id_number_mask(v));
        let blind_index_version = stored.get(BLIND_INDEX_VERSION).and_then(|v| v.parse().ok());
        Ok(Self {
            reveal_daily_quota: quota.unwrap_or(defaults.reveal_daily_quota),
            id_number_mask: mask.unwrap_or(defaults.id_number_mask),
            blind_index_version: blind_index_version.unwrap_or(defaults.blind_index_version),
        })
    }
}

impl crate::App {
    /// The site settings for this request; the vault follows their blind-index version,
    /// so a rebuild elsewhere applies here on the next request.
    pub(crate) async fn settings(&self, tx: &mut Tx) -> Result<Settings, AppError> {
        let settings = Settings::load(tx).await?;
        self.vault()
            .use_blind_index_version(settings.blind_index_version);
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_number_masks_parse() {
        assert_eq!(
            parse_id_number_mask("6+4"),
            Some(MaskRule::IdNumber { head: 6, tail: 4 })
        );
        assert_eq!(parse_id_number_mask("9+9"), None);
        assert_eq!(parse_id_number_mask("x"), None);
    }
}
