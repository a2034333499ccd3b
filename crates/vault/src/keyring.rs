//! `Keyring`: the versions of the key-encryption key, kept in a file beside the master key
//! and never in the database (see [`crate::keyring_file`] for the format).

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::Path;

use crate::data_key::DataKey;
use crate::files;
use crate::kek::{self, Kek};
use crate::key::Key;
use crate::keyring_file::{self, Contents};
use crate::master::MasterKey;
use crate::VaultError;

/// Far above any real keyring (a KEK line is about 90 bytes); bounds what `load` reads.
const MAX_FILE_LEN: usize = 1 << 20;

/// The state of one KEK version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KekState {
    /// New data keys are wrapped with it. Exactly one version is active: the newest.
    Active,
    /// Still unwraps data keys not yet rewrapped; destroyed once nothing uses it.
    Retiring,
}

/// The KEK versions. Changes ([`Keyring::rotate`], [`Keyring::destroy`]) are made in
/// memory; [`Keyring::save`] persists them and must succeed before anything relies on
/// them (see the crate documentation for the rotation and erasure procedures).
pub struct Keyring {
    active: Kek,
    retiring: BTreeMap<u32, Kek>,
    /// The check value of the master key this keyring belongs to.
    master_check: [u8; 32],
}

impl Keyring {
    /// Creates a keyring with KEK version 1, active, and writes it to a new file at `path`
    /// (0600, synced). Never overwrites: [`VaultError::KeyringExists`].
    pub fn create(path: &Path, master: &MasterKey) -> Result<Self, VaultError> {
        let keyring = Self {
            active: Kek::new(1, Key::generate()),
            retiring: BTreeMap::new(),
            master_check: master.check_value(),
        };
        let text = keyring_file::encode(master, keyring.entries())?;
        files::write_new(path, text.as_bytes()).map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => VaultError::KeyringExists {
                path: path.to_path_buf(),
            },
            _ => VaultError::io(path, e),
        })?;
        Ok(keyring)
    }

    /// Reads the keyring at `path`. Errors: [`VaultError::MissingKeyring`],
    /// [`VaultError::WrongMasterKey`] (the keyring belongs to another master key),
    /// [`VaultError::CorruptKeyring`] (unparsable, or altered).
    pub fn load(path: &Path, master: &MasterKey) -> Result<Self, VaultError> {
        let bytes = files::read_limited(path, MAX_FILE_LEN)
            .map_err(|e| match e.kind() {
                io::ErrorKind::NotFound => VaultError::MissingKeyring {
                    path: path.to_path_buf(),
                },
                _ => VaultError::io(path, e),
            })?
            .ok_or_else(|| VaultError::CorruptKeyring {
                path: path.to_path_buf(),
                reason: "the file is too large to be a keyring",
            })?;
        let text = std::str::from_utf8(&bytes).map_err(|_| VaultError::CorruptKeyring {
            path: path.to_path_buf(),
            reason: "the file is not text",
        })?;
        let Contents { active, retiring } = keyring_file::decode(path, master, text)?;
        Ok(Self {
            active,
            retiring,
            master_check: master.check_value(),
        })
    }

    /// Writes the keyring to `path` atomically: a temporary file beside it (0600) is
    /// written, synced and renamed over it, and the directory is synced. Refuses a master
    /// key other than the one the keyring was created or loaded with.
    pub fn save(&self, path: &Path, master: &MasterKey) -> Result<(), VaultError> {
        master.verify_check_value(&self.master_check)?;
        let text = keyring_file::encode(master, self.entries())?;
        files::replace(path, text.as_bytes()).map_err(|e| VaultError::io(path, e))
    }

    /// The KEK that wraps new data keys.
    pub fn active(&self) -> &Kek {
        &self.active
    }

    /// The KEK of `version`, if the keyring still has it.
    pub fn get(&self, version: u32) -> Option<&Kek> {
        if version == self.active.version() {
            Some(&self.active)
        } else {
            self.retiring.get(&version)
        }
    }

    /// Every version with its state, ascending (the active one last).
    pub fn versions(&self) -> Vec<(u32, KekState)> {
        self.entries()
            .map(|(kek, state)| (kek.version(), state))
            .collect()
    }

    /// Adds a new KEK, one version above the current one, and makes it active; the old
    /// active version becomes retiring. Returns the new version. In memory only: save
    /// before wrapping anything with the new KEK.
    pub fn rotate(&mut self, master: &MasterKey) -> Result<u32, VaultError> {
        master.verify_check_value(&self.master_check)?;
        let version = self
            .active
            .version()
            .checked_add(1)
            .ok_or(VaultError::KekVersionsExhausted)?;
        let old = std::mem::replace(&mut self.active, Kek::new(version, Key::generate()));
        self.retiring.insert(old.version(), old);
        Ok(version)
    }

    /// Removes a retiring version; its key is wiped from memory now and from the file at
    /// the next save. The caller must first have rewrapped every data key that uses it.
    /// The active version cannot be destroyed ([`VaultError::DestroyActiveKek`]).
    pub fn destroy(&mut self, version: u32) -> Result<(), VaultError> {
        if version == self.active.version() {
            return Err(VaultError::DestroyActiveKek { version });
        }
        self.retiring
            .remove(&version)
            .map(drop)
            .ok_or(VaultError::UnknownKekVersion { version })
    }

    /// Unwraps a data key with whichever KEK version it names.
    /// A destroyed or unknown version is [`VaultError::UnknownKekVersion`]; otherwise the
    /// errors of [`Kek::unwrap_data_key`].
    pub fn unwrap_data_key(&self, record_id: &str, wrapped: &[u8]) -> Result<DataKey, VaultError> {
        let version = kek::parse_header(wrapped)?;
        self.get(version)
            .ok_or(VaultError::UnknownKekVersion { version })?
            .unwrap_data_key(record_id, wrapped)
    }

    fn entries(&self) -> impl Iterator<Item = (&Kek, KekState)> {
        self.retiring
            .values()
            .map(|kek| (kek, KekState::Retiring))
            .chain(std::iter::once((&self.active, KekState::Active)))
    }
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring")
            .field("versions", &self.versions())
            .finish_non_exhaustive()
    }
}
