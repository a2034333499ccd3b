use super::password::MIN_PASSWORD_CHARS;
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event};
use crate::error::AppError;
use crate::settings::Settings;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::FieldError;
use secrecy::{ExposeSecret, SecretString};

/// Long enough for any passphrase, short enough that hashing it is not a weapon.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// The kinds of characters a password mixes: lower case, upper case, digits, others.
fn kinds(password: &str) -> usize {
    let has = |f: fn(&char) -> bool| password.chars().any(|c| f(&c));
    [
        has(|c| c.is_lowercase()),
        has(|c| c.is_uppercase()),
        has(|c| c.is_ascii_digit()),
        has(|c| !c.is_alphanumeric()),
    ]
    .into_iter()
    .filter(|k| *k)
    .count()
}

/// What a new password must be: long enough and mixed enough for the site's policy
/// (never shorter than `MIN_PASSWORD_CHARS`), not the old one, not built on the username.
fn check_new(
    settings: &Settings,
    username: &str,
    current: &str,
    new: &str,
) -> Result<(), FieldError> {
    let field = "new_password";
    let chars = new.chars().count();
    let min = usize::try_from(settings.password_min_chars)
        .unwrap_or(MIN_PASSWORD_CHARS)
        .max(MIN_PASSWORD_CHARS);
    if chars < min {
        return Err(FieldError::new(field, Rule::TooShort { min }));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(FieldError::new(
            field,
            Rule::TooLong {
                max: MAX_PASSWORD_CHARS,
            },
        ));
    }
    let min_kinds = usize::try_from(settings.password_min_classes).unwrap_or(1);
    if kinds(new) < min_kinds {
        return Err(FieldError::new(field, Rule::TooFewKinds { min: min_kinds }));
    }
    if new == current || new.to_lowercase().contains(&username.to_lowercase()) {
        return Err(FieldError::new(field, Rule::NotAllowed));
    }
    Ok(())
}

impl App {
    /// Changes the actor's own password after checking the current one. Every other
    /// session of the account ends; this one stays, now free of the forced change.
    pub async fn change_password(
        &self,
        actor: &Actor,
        current: &SecretString,
        new: &SecretString,
    ) -> Result<(), AppError> {
        let (stored, settings) = {
            let mut tx = self.store().read().await?;
            let user = tx.user_by_id(&actor.user_id).await?;
            let hash = user.ok_or(AppError::Unauthenticated)?.password_hash;
            (hash, Settings::load(&mut tx).await?)
        };
        if !self.hasher().verify(current, Some(&stored)).await {
            let mut ev = event(
                self,
                actor,
                "user.password_change",
                Entity::User,
                Outcome::Failed,
            );
            ev.record_ids = vec![actor.user_id.to_string()];
            let error = AppError::invalid("current_password", Rule::Incorrect);
            return Err(crate::audit_trail::refuse(self, ev, error).await);
        }
        check_new(
            &settings,
            &actor.username,
            current.expose_secret(),
            new.expose_secret(),
        )
        .map_err(|e| AppError::Invalid(vec![e]))?;
        let hash = self.hasher().hash(new.clone()).await?;
        let mut tx = self.store().write().await?;
        tx.set_password(&actor.user_id, &hash, false, self.clock().now_ms())
            .await?;
        tx.delete_other_sessions(&actor.user_id, &actor.token_hash)
            .await?;
        let mut ev = event(
            self,
            actor,
            "user.password_change",
            Entity::User,
            Outcome::Allowed,
        );
        ev.record_ids = vec![actor.user_id.to_string()];
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_passwords_must_be_long_new_and_not_the_username() {
        let d = Settings::default();
        assert!(check_new(&d, "sales01", "Demo#2026", "a longer passphrase").is_ok());
        assert_eq!(
            check_new(&d, "sales01", "x", "short").map_err(|e| e.rule),
            Err(Rule::TooShort {
                min: MIN_PASSWORD_CHARS
            })
        );
        assert_eq!(
            check_new(&d, "sales01", "same old password", "same old password").map_err(|e| e.rule),
            Err(Rule::NotAllowed)
        );
        assert_eq!(
            check_new(&d, "sales01", "x", "Sales01-is-me!").map_err(|e| e.rule),
            Err(Rule::NotAllowed)
        );
        assert!(check_new(&d, "sales01", "x", &"p".repeat(129)).is_err());
    }

    #[test]
    fn the_site_policy_raises_length_and_mix() {
        let strict = Settings {
            password_min_chars: 14,
            password_min_classes: 3,
            ..Settings::default()
        };
        let rule = |new: &str| check_new(&strict, "sales01", "x", new).map_err(|e| e.rule);
        assert_eq!(rule("lower case"), Err(Rule::TooShort { min: 14 }));
        assert_eq!(
            rule("onlylowercasewords"),
            Err(Rule::TooFewKinds { min: 3 })
        );
        assert_eq!(rule("Upper and lower 2"), Ok(()));
        assert_eq!(kinds("密码Aa1!"), 4);
        // The policy never goes below the floor, whatever is stored.
        let lax = Settings {
            password_min_chars: 4,
            ..Settings::default()
        };
        assert!(check_new(&lax, "sales01", "x", "abcdefg").is_err());
    }
}
