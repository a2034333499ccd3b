//! The keys of one installation, held by the running application: the master key, the
//! keyring of KEKs and the blind-index keys. Customers are sealed and opened only here.

mod export_keys;
mod records;
mod seal;
mod secrets;
mod totp_keys;

use dealervault_vault::{key_file, BlindIndex, Keyring, MasterKey, VaultError};
use secrecy::SecretString;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};
use std::time::SystemTime;

pub(crate) use records::RecordKey;
pub use seal::DATA_KEY_VERSION;

/// Where an installation's key files are: the master key and, beside it, the keyring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPaths {
    pub master_key: PathBuf,
    pub keyring: PathBuf,
}

impl KeyPaths {
    /// The keyring sits beside the master key, wherever that is.
    pub fn for_master_key(master_key: PathBuf) -> Self {
        let keyring = master_key.with_file_name("keyring");
        Self {
            master_key,
            keyring,
        }
    }
}

/// The blind-index version of a new installation; `keys reindex` moves on from it.
pub const BLIND_INDEX_VERSION: u32 = 1;

/// A keyring file's identity on disk, to notice when another process (`keys rotate`)
/// replaced it.
type Stamp = Option<(SystemTime, u64)>;

fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

pub struct Vault {
    master: MasterKey,
    paths: KeyPaths,
    keyring: RwLock<Keyring>,
    seen: Mutex<Stamp>,
    indexes: RwLock<BlindIndexes>,
}

/// The blind-index keys of one version. The version in force is a site setting, so a
/// rebuild by `keys reindex` reaches every server on its next request.
pub(crate) struct BlindIndexes {
    pub(crate) version: u32,
    mobile: BlindIndex,
    id_number: BlindIndex,
}

impl BlindIndexes {
    fn derive(master: &MasterKey, version: u32) -> Self {
        Self {
            version,
            mobile: master.blind_index_key("customer", "mobile", version),
            id_number: master.blind_index_key("customer", "id_number", version),
        }
    }

    pub(crate) fn mobile(&self, mobile: &str) -> Vec<u8> {
        self.mobile.index(mobile).to_vec()
    }

    pub(crate) fn id_number(&self, id_number: &str) -> Vec<u8> {
        self.id_number.index(id_number).to_vec()
    }
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("paths", &self.paths)
            .finish_non_exhaustive()
    }
}

impl Vault {
    fn assemble(master: MasterKey, keyring: Keyring, paths: KeyPaths) -> Self {
        let seen = Mutex::new(stamp(&paths.keyring));
        Self {
            indexes: RwLock::new(BlindIndexes::derive(&master, BLIND_INDEX_VERSION)),
            master,
            paths,
            keyring: RwLock::new(keyring),
            seen,
        }
    }

    /// New key files for a new installation. Refuses to replace existing ones.
    pub fn create(paths: &KeyPaths, passphrase: Option<&SecretString>) -> Result<Self, VaultError> {
        let master = key_file::create(&paths.master_key, passphrase)?;
        let keyring = Keyring::create(&paths.keyring, &master)?;
        Ok(Self::assemble(master, keyring, paths.clone()))
    }

    /// The key files of an existing installation: a missing or wrong key is an error,
    /// never a reason to make a new one.
    pub fn open(paths: &KeyPaths, passphrase: Option<&SecretString>) -> Result<Self, VaultError> {
        let master = key_file::load(&paths.master_key, passphrase)?;
        if let Err(e) = key_file::check_permissions(&paths.master_key) {
            tracing::warn!(error = %e, "the master key file is readable by others");
        }
        let keyring = Keyring::load(&paths.keyring, &master)?;
        Ok(Self::assemble(master, keyring, paths.clone()))
    }

    pub fn paths(&self) -> &KeyPaths {
        &self.paths
    }

    /// Stored in the database at installation; compared at every start.
    pub fn check_value(&self) -> [u8; 32] {
        self.master.check_value()
    }

    pub fn verify_check_value(&self, stored: &[u8]) -> Result<(), VaultError> {
        self.master.verify_check_value(stored)
    }

    /// The key that signs audit checkpoints, derived from the master key.
    pub fn audit_signing_key(&self) -> dealervault_audit::SigningKey {
        self.master.audit_signing_key()
    }

    /// The public half, all that verification needs.
    pub fn audit_verifying_key(&self) -> dealervault_audit::VerifyingKey {
        self.master.audit_signing_key().verifying_key()
    }

    pub(crate) fn mobile_index(&self, mobile: &str) -> Vec<u8> {
        self.indexes
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .mobile(mobile)
    }

    pub(crate) fn id_number_index(&self, id_number: &str) -> Vec<u8> {
        self.indexes
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .id_number(id_number)
    }

    /// Switches to the blind-index keys of `version` (the site setting) if they are not
    /// the ones in use.
    pub(crate) fn use_blind_index_version(&self, version: u32) {
        let current = self
            .indexes
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .version;
        if current != version {
            *self
                .indexes
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner) =
                BlindIndexes::derive(&self.master, version);
        }
    }

    /// The keys of another version, for a rebuild.
    pub(crate) fn blind_indexes(&self, version: u32) -> BlindIndexes {
        BlindIndexes::derive(&self.master, version)
    }

    /// Reloads the keyring if its file changed since we last read it: a rotation by
    /// another process must be seen before this one wraps a new data key, or the new key
    /// could end up under a KEK about to be destroyed.
    pub(crate) fn refresh(&self) -> Result<(), VaultError> {
        let now = stamp(&self.paths.keyring);
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if *seen != now {
            let fresh = Keyring::load(&self.paths.keyring, &self.master)?;
            *self
                .keyring
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = fresh;
            *seen = now;
        }
        Ok(())
    }

    pub(crate) fn with_keyring<T>(&self, f: impl FnOnce(&Keyring) -> T) -> T {
        f(&self
            .keyring
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// Runs `f` on the keyring and saves it: for rotation and destruction.
    pub(crate) fn update_keyring<T>(
        &self,
        f: impl FnOnce(&mut Keyring, &MasterKey) -> Result<T, VaultError>,
    ) -> Result<T, VaultError> {
        let mut keyring = self
            .keyring
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let out = f(&mut keyring, &self.master)?;
        keyring.save(&self.paths.keyring, &self.master)?;
        *self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = stamp(&self.paths.keyring);
        Ok(out)
    }
}
