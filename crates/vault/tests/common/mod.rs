//! Helpers shared by the vault's integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use dealervault_vault::{key_file, FieldPlace, Keyring, MasterKey};
use tempfile::TempDir;

/// The fixed master key of the known-answer tests: bytes 0x00 … 0x1f.
pub const KNOWN_MASTER_B64: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

/// Loads a master key with known bytes, through a plain key file.
pub fn known_master() -> MasterKey {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("master.key");
    std::fs::write(
        &path,
        format!("dealervault-master-key v1 plain {KNOWN_MASTER_B64}\n"),
    )
    .expect("write key file");
    key_file::load(&path, None).expect("load known key")
}

/// A temporary directory holding a fresh keyring for a fresh master key.
pub struct Fixture {
    pub dir: TempDir,
    pub master: MasterKey,
    pub keyring: Keyring,
}

impl Fixture {
    pub fn new() -> Self {
        let dir = TempDir::new().expect("temp dir");
        let master = MasterKey::generate();
        let keyring = Keyring::create(&dir.path().join("keyring"), &master).expect("keyring");
        Self {
            dir,
            master,
            keyring,
        }
    }

    pub fn keyring_path(&self) -> PathBuf {
        self.dir.path().join("keyring")
    }

    pub fn reload(&self) -> Keyring {
        Keyring::load(&self.keyring_path(), &self.master).expect("reload keyring")
    }
}

pub fn place<'a>(
    entity: &'a str,
    field: &'a str,
    record_id: &'a str,
    key_version: u32,
) -> FieldPlace<'a> {
    FieldPlace {
        entity,
        field,
        record_id,
        key_version,
    }
}

/// The names of the entries in `dir`, sorted.
pub fn dir_entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|entry| {
            entry
                .expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}
