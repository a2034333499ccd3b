//! Each account's TOTP key at rest: AES-256-GCM under a key derived from the master key
//! for this purpose alone, the AAD naming the account, so a copy of the database holds
//! no key in clear and a key moved to another account fails to open.

use super::Vault;
use crate::error::AppError;
use dealervault_domain::ids::UserId;
use dealervault_vault::{FieldPlace, Zeroizing};

const ENTITY: &str = "user";
const FIELD: &str = "totp_secret";
const KEY_VERSION: u32 = 1;

fn place(user: &UserId) -> FieldPlace<'_> {
    FieldPlace {
        entity: ENTITY,
        field: FIELD,
        record_id: user.as_str(),
        key_version: KEY_VERSION,
    }
}

impl Vault {
    pub(crate) fn seal_totp_key(&self, user: &UserId, key: &[u8]) -> Result<Vec<u8>, AppError> {
        self.master
            .totp_secrets_key()
            .seal(&place(user), key)
            .map_err(AppError::Keys)
    }

    /// The clear key of `user`; anything altered, moved or under another master key is
    /// [`AppError::Integrity`].
    pub(crate) fn open_totp_key(
        &self,
        user: &UserId,
        sealed: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, AppError> {
        self.master
            .totp_secrets_key()
            .open(&place(user), sealed)
            .map_err(|_| AppError::Integrity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::KeyPaths;

    #[test]
    fn totp_keys_are_sealed_and_bound_to_their_account() {
        let dir = tempfile::tempdir().expect("dir");
        let vault = Vault::create(
            &KeyPaths::for_master_key(dir.path().join("master.key")),
            None,
        )
        .expect("vault");
        let (alice, bob) = (UserId::generate(), UserId::generate());
        let key = [7u8; 20];
        let sealed = vault.seal_totp_key(&alice, &key).expect("seal");
        assert!(
            !sealed.windows(key.len()).any(|w| w == key),
            "the key is not in the envelope in clear"
        );
        assert_eq!(
            vault
                .open_totp_key(&alice, &sealed)
                .expect("open")
                .as_slice(),
            key
        );
        assert!(matches!(
            vault.open_totp_key(&bob, &sealed),
            Err(AppError::Integrity)
        ));
        // The same place sealed under the site-secrets key does not open: each purpose
        // has a key of its own.
        let other = vault
            .master
            .site_secrets_key()
            .seal(&place(&alice), &key)
            .expect("seal");
        assert!(matches!(
            vault.open_totp_key(&alice, &other),
            Err(AppError::Integrity)
        ));
    }
}
