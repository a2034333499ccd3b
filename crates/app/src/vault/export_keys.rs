//! Export files at rest and their tracing keys. A file is kept as a run of chunks, each
//! AES-256-GCM under the master-derived export-file key, its AAD naming the export, the
//! chunk's position and whether it is the last: a chunk moved to another export or
//! position, a dropped tail or a reordering fails to open. The cells of every export are
//! indexed under one blind-index key of their own (`export`/`cell`), so a leaked file's
//! cells can be compared with an export's manifest without the manifest holding values.

use super::Vault;
use crate::error::AppError;
use dealervault_vault::{BlindIndex, FieldPlace};

const ENTITY: &str = "export_file";
const KEY_VERSION: u32 = 1;

/// Where chunk `seq` of an export sits; the caller keeps `field` alive.
fn place<'a>(export_id: &'a str, field: &'a str) -> FieldPlace<'a> {
    FieldPlace {
        entity: ENTITY,
        field,
        record_id: export_id,
        key_version: KEY_VERSION,
    }
}

/// `chunk:3`, or `last:7` for the file's last chunk.
fn field(seq: u32, last: bool) -> String {
    format!("{}:{seq}", if last { "last" } else { "chunk" })
}

impl Vault {
    pub(crate) fn seal_export_chunk(
        &self,
        export_id: &str,
        seq: u32,
        last: bool,
        clear: &[u8],
    ) -> Result<Vec<u8>, AppError> {
        let field = field(seq, last);
        self.master
            .export_file_key()
            .seal(&place(export_id, &field), clear)
            .map_err(AppError::Keys)
    }

    /// The clear bytes of chunk `seq`; any tampering is [`AppError::Integrity`].
    pub(crate) fn open_export_chunk(
        &self,
        export_id: &str,
        seq: u32,
        last: bool,
        sealed: &[u8],
    ) -> Result<Vec<u8>, AppError> {
        let field = field(seq, last);
        self.master
            .export_file_key()
            .open(&place(export_id, &field), sealed)
            .map(|clear| clear.to_vec())
            .map_err(|_| AppError::Integrity)
    }

    /// The key the cells of exports are indexed under, for manifests and tracing.
    pub(crate) fn export_cell_index(&self) -> BlindIndex {
        self.master.blind_index_key("export", "cell", 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::KeyPaths;

    #[test]
    fn chunks_open_only_in_their_place() {
        let dir = tempfile::tempdir().expect("dir");
        let vault = Vault::create(
            &KeyPaths::for_master_key(dir.path().join("master.key")),
            None,
        )
        .expect("vault");
        let sealed = vault
            .seal_export_chunk("e1", 0, false, b"row")
            .expect("seal");
        assert_eq!(
            vault
                .open_export_chunk("e1", 0, false, &sealed)
                .expect("open"),
            b"row"
        );
        assert!(
            vault.open_export_chunk("e2", 0, false, &sealed).is_err(),
            "other export"
        );
        assert!(
            vault.open_export_chunk("e1", 1, false, &sealed).is_err(),
            "other place"
        );
        assert!(
            vault.open_export_chunk("e1", 0, true, &sealed).is_err(),
            "not the last"
        );
    }
}
