//! The site's own secrets at rest: a webhook's signing secret and an SMTP password live
//! in the settings table sealed (AES-256-GCM under a key derived from the master key,
//! bound to the setting's name), so a copy of the database alone does not hand them out.

use super::Vault;
use crate::error::AppError;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use dealervault_vault::FieldPlace;
use secrecy::SecretString;

const ENTITY: &str = "setting";
const KEY_VERSION: u32 = 1;

fn place(name: &str) -> FieldPlace<'_> {
    FieldPlace {
        entity: ENTITY,
        field: name,
        record_id: name,
        key_version: KEY_VERSION,
    }
}

impl Vault {
    /// `value` sealed for the setting `name`, as text for the settings table.
    pub(crate) fn seal_secret(&self, name: &str, value: &str) -> Result<String, AppError> {
        let sealed = self
            .master
            .site_secrets_key()
            .seal(&place(name), value.as_bytes())
            .map_err(AppError::Keys)?;
        Ok(STANDARD.encode(sealed))
    }

    /// The clear value of the setting `name`. A value moved from another setting, altered,
    /// or sealed under another master key fails as [`AppError::Integrity`].
    pub(crate) fn open_secret(&self, name: &str, stored: &str) -> Result<SecretString, AppError> {
        let envelope = STANDARD.decode(stored).map_err(|_| AppError::Integrity)?;
        let clear = self
            .master
            .site_secrets_key()
            .open(&place(name), &envelope)
            .map_err(|_| AppError::Integrity)?;
        let text = String::from_utf8(clear.to_vec()).map_err(|_| AppError::Integrity)?;
        Ok(SecretString::from(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::KeyPaths;
    use secrecy::ExposeSecret;

    #[test]
    fn secrets_are_sealed_and_bound_to_their_setting() {
        let dir = tempfile::tempdir().expect("dir");
        let vault = Vault::create(
            &KeyPaths::for_master_key(dir.path().join("master.key")),
            None,
        )
        .expect("vault");
        let stored = vault
            .seal_secret("alerts.webhook_secret", "s3cret-value")
            .expect("seal");
        assert!(!stored.contains("s3cret"), "sealed, not encoded");
        let back = vault
            .open_secret("alerts.webhook_secret", &stored)
            .expect("open");
        assert_eq!(back.expose_secret(), "s3cret-value");
        assert!(matches!(
            vault.open_secret("alerts.email_password", &stored),
            Err(AppError::Integrity)
        ));
        assert!(matches!(
            vault.open_secret("alerts.webhook_secret", "not base64!"),
            Err(AppError::Integrity)
        ));

        let other_dir = tempfile::tempdir().expect("dir");
        let other = Vault::create(
            &KeyPaths::for_master_key(other_dir.path().join("master.key")),
            None,
        )
        .expect("vault");
        assert!(matches!(
            other.open_secret("alerts.webhook_secret", &stored),
            Err(AppError::Integrity)
        ));
    }
}
