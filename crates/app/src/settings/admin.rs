//! The site settings an administrator changes: reveal quota, the ID-number mask rule,
//! session timeouts, the password policy and the grace period of two-step sign-in. Changes are audited by key, and apply from
//! the next request (timeouts: from the next sign-in).

use super::*;
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event};
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::FieldError;
use dealervault_policy::Action;
use serde::{Deserialize, Serialize};

/// The settings as the settings page and API show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SiteSettings {
    pub reveal_daily_quota: i64,
    /// `head+tail`, e.g. `1+2` (default) or `6+4`.
    pub id_number_mask: String,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    pub password_min_chars: i64,
    pub password_min_classes: i64,
    /// Days a holder of a role that requires two-step sign-in may still sign in without.
    pub mfa_grace_days: i64,
}

impl From<&Settings> for SiteSettings {
    fn from(s: &Settings) -> Self {
        let mask = match s.id_number_mask {
            MaskRule::IdNumber { head, tail } => format!("{head}+{tail}"),
            _ => "1+2".into(),
        };
        Self {
            reveal_daily_quota: s.reveal_daily_quota,
            id_number_mask: mask,
            session_idle_minutes: s.session_idle_minutes,
            session_absolute_hours: s.session_absolute_hours,
            password_min_chars: s.password_min_chars,
            password_min_classes: s.password_min_classes,
            mfa_grace_days: s.mfa_grace_days,
        }
    }
}

/// A change: only the settings given are changed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsUpdate {
    pub reveal_daily_quota: Option<i64>,
    pub id_number_mask: Option<String>,
    pub session_idle_minutes: Option<i64>,
    pub session_absolute_hours: Option<i64>,
    pub password_min_chars: Option<i64>,
    pub password_min_classes: Option<i64>,
    pub mfa_grace_days: Option<i64>,
}

fn in_range(field: &'static str, value: i64, range: (i64, i64)) -> Result<String, FieldError> {
    if (range.0..=range.1).contains(&value) {
        Ok(value.to_string())
    } else {
        let bound = |n: i64| usize::try_from(n).unwrap_or_default();
        Err(FieldError::new(
            field,
            Rule::OutOfRange {
                min: bound(range.0),
                max: bound(range.1),
            },
        ))
    }
}

impl SettingsUpdate {
    /// Each given setting as (field, stored key, stored value), or every refusal.
    fn parse(&self) -> Result<Vec<(&'static str, &'static str, String)>, AppError> {
        let numbers = [
            (
                "reveal_daily_quota",
                REVEAL_DAILY_QUOTA,
                self.reveal_daily_quota,
                REVEAL_QUOTA_RANGE,
            ),
            (
                "session_idle_minutes",
                SESSION_IDLE_MINUTES,
                self.session_idle_minutes,
                IDLE_MINUTES_RANGE,
            ),
            (
                "session_absolute_hours",
                SESSION_ABSOLUTE_HOURS,
                self.session_absolute_hours,
                ABSOLUTE_HOURS_RANGE,
            ),
            (
                "password_min_chars",
                PASSWORD_MIN_CHARS,
                self.password_min_chars,
                PASSWORD_CHARS_RANGE,
            ),
            (
                "password_min_classes",
                PASSWORD_MIN_CLASSES,
                self.password_min_classes,
                PASSWORD_CLASSES_RANGE,
            ),
            (
                "mfa_grace_days",
                MFA_GRACE_DAYS,
                self.mfa_grace_days,
                MFA_GRACE_DAYS_RANGE,
            ),
        ];
        let mut out = Vec::new();
        let mut problems = Vec::new();
        for (field, key, value, range) in numbers {
            if let Some(value) = value {
                match in_range(field, value, range) {
                    Ok(v) => out.push((field, key, v)),
                    Err(e) => problems.push(e),
                }
            }
        }
        if let Some(mask) = &self.id_number_mask {
            match parse_id_number_mask(mask) {
                Some(MaskRule::IdNumber { head, tail }) => {
                    out.push(("id_number_mask", ID_NUMBER_MASK, format!("{head}+{tail}")))
                }
                _ => problems.push(FieldError::new("id_number_mask", Rule::UnknownValue)),
            }
        }
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(AppError::Invalid(problems))
        }
    }
}

impl App {
    pub async fn site_settings(&self, actor: &Actor) -> Result<SiteSettings, AppError> {
        self.permit(actor, Entity::Settings, Action::View, "settings.view")
            .await?;
        let mut tx = self.store().read().await?;
        Ok(SiteSettings::from(&Settings::load(&mut tx).await?))
    }

    /// Changes the settings given, all or none; records `settings.edit` naming each
    /// changed setting (its key, not its value).
    pub async fn update_settings(
        &self,
        actor: &Actor,
        update: &SettingsUpdate,
    ) -> Result<SiteSettings, AppError> {
        self.permit(actor, Entity::Settings, Action::Edit, "settings.edit")
            .await?;
        let changes = update.parse()?;
        let mut tx = self.store().write().await?;
        let before = SiteSettings::from(&Settings::load(&mut tx).await?);
        for (_, key, value) in &changes {
            tx.put_setting(key, value).await?;
        }
        let after = SiteSettings::from(&Settings::load(&mut tx).await?);
        // Only what changed is named (the page's form sends every setting every time).
        let (old, new) = (serde_json::to_value(&before), serde_json::to_value(&after));
        let changed: Vec<String> = changes
            .iter()
            .filter(|(field, _, _)| match (&old, &new) {
                (Ok(o), Ok(n)) => o.get(field) != n.get(field),
                _ => true,
            })
            .map(|(_, key, _)| key.to_string())
            .collect();
        if changed.is_empty() {
            return Ok(after);
        }
        let mut ev = event(
            self,
            actor,
            "settings.edit",
            Entity::Settings,
            Outcome::Allowed,
        );
        ev.fields = changed;
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await?;
        Ok(after)
    }
}
