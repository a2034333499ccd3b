//! Site settings kept in the database, read where they are used.

mod admin;

pub use admin::{SettingsUpdate, SiteSettings};

use crate::error::AppError;
use dealervault_domain::mask::MaskRule;
use dealervault_store::Tx;

pub const REVEAL_DAILY_QUOTA: &str = "reveal.daily_quota";
pub const ID_NUMBER_MASK: &str = "mask.id_number";
pub const BLIND_INDEX_VERSION: &str = "vault.blind_index_version";
pub const SESSION_IDLE_MINUTES: &str = "session.idle_minutes";
pub const SESSION_ABSOLUTE_HOURS: &str = "session.absolute_hours";
pub const PASSWORD_MIN_CHARS: &str = "password.min_chars";
pub const PASSWORD_MIN_CLASSES: &str = "password.min_classes";
pub const MFA_GRACE_DAYS: &str = "mfa.grace_days";

/// The ranges an administrator may set (inclusive).
pub const REVEAL_QUOTA_RANGE: (i64, i64) = (0, 1000);
pub const IDLE_MINUTES_RANGE: (i64, i64) = (5, 240);
pub const ABSOLUTE_HOURS_RANGE: (i64, i64) = (1, 24);
pub const PASSWORD_CHARS_RANGE: (i64, i64) = (10, 64);
pub const PASSWORD_CLASSES_RANGE: (i64, i64) = (1, 4);
pub const MFA_GRACE_DAYS_RANGE: (i64, i64) = (0, 30);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Reveals one person may make per day (in the store's zone).
    pub reveal_daily_quota: i64,
    /// `1+2` (default) or `6+4`: how much of an ID number a masked view keeps.
    pub id_number_mask: MaskRule,
    /// Which blind-index keys the stored indexes are under.
    pub blind_index_version: u32,
    /// A session unused this long ends (applies to sessions begun after a change).
    pub session_idle_minutes: i64,
    /// A session ends this long after sign-in, used or not.
    pub session_absolute_hours: i64,
    /// New passwords: at least this many characters…
    pub password_min_chars: i64,
    /// …from at least this many of: lower case, upper case, digits, other characters.
    pub password_min_classes: i64,
    /// A holder of a role that requires two-step sign-in may sign in without it for
    /// this many days (from the later of the account's creation and the role's marking).
    pub mfa_grace_days: i64,
}

impl Settings {
    pub fn session_idle_ms(&self) -> i64 {
        self.session_idle_minutes * 60_000
    }

    pub fn session_absolute_ms(&self) -> i64 {
        self.session_absolute_hours * 3_600_000
    }

    pub fn mfa_grace_ms(&self) -> i64 {
        self.mfa_grace_days * 86_400_000
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            reveal_daily_quota: 20,
            id_number_mask: MaskRule::DEFAULT_ID_NUMBER,
            blind_index_version: crate::vault::BLIND_INDEX_VERSION,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            password_min_chars: 10,
            password_min_classes: 1,
            mfa_grace_days: 7,
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
        let d = Self::default();
        let stored = tx
            .settings(&[
                REVEAL_DAILY_QUOTA,
                ID_NUMBER_MASK,
                BLIND_INDEX_VERSION,
                SESSION_IDLE_MINUTES,
                SESSION_ABSOLUTE_HOURS,
                PASSWORD_MIN_CHARS,
                PASSWORD_MIN_CLASSES,
                MFA_GRACE_DAYS,
            ])
            .await?;
        // A stored value out of its range (written by hand, say) counts as unset.
        let number = |key: &str, range: (i64, i64), default: i64| {
            stored
                .get(key)
                .and_then(|v| v.parse::<i64>().ok())
                .filter(|n| (range.0..=range.1).contains(n))
                .unwrap_or(default)
        };
        let quota = stored.get(REVEAL_DAILY_QUOTA).and_then(|v| v.parse().ok());
        let mask = stored
            .get(ID_NUMBER_MASK)
            .and_then(|v| parse_id_number_mask(v));
        let blind_index_version = stored.get(BLIND_INDEX_VERSION).and_then(|v| v.parse().ok());
        Ok(Self {
            reveal_daily_quota: quota.unwrap_or(d.reveal_daily_quota),
            id_number_mask: mask.unwrap_or(d.id_number_mask),
            blind_index_version: blind_index_version.unwrap_or(d.blind_index_version),
            session_idle_minutes: number(
                SESSION_IDLE_MINUTES,
                IDLE_MINUTES_RANGE,
                d.session_idle_minutes,
            ),
            session_absolute_hours: number(
                SESSION_ABSOLUTE_HOURS,
                ABSOLUTE_HOURS_RANGE,
                d.session_absolute_hours,
            ),
            password_min_chars: number(
                PASSWORD_MIN_CHARS,
                PASSWORD_CHARS_RANGE,
                d.password_min_chars,
            ),
            password_min_classes: number(
                PASSWORD_MIN_CLASSES,
                PASSWORD_CLASSES_RANGE,
                d.password_min_classes,
            ),
            mfa_grace_days: number(MFA_GRACE_DAYS, MFA_GRACE_DAYS_RANGE, d.mfa_grace_days),
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
