//! Sealing for the records around a person on the sales floor (leads and their
//! follow-ups): one data key per lead, wrapped by the active KEK like a customer's, and
//! each field an envelope bound to its entity, field and record id.

use super::seal::DATA_KEY_VERSION;
use super::Vault;
use crate::error::AppError;
use dealervault_vault::{DataKey, FieldPlace, VaultError};

fn place<'a>(entity: &'a str, id: &'a str, field: &'a str) -> FieldPlace<'a> {
    FieldPlace {
        entity,
        field,
        record_id: id,
        key_version: DATA_KEY_VERSION,
    }
}

fn integrity(entity: &str, id: &str, field: &str, e: &VaultError) -> AppError {
    // Ids only: which record and field failed, never bytes of it.
    tracing::error!(entity, record_id = id, field, error = %e, "sealed data failed its integrity check");
    AppError::Integrity
}

/// A record's data key in clear, for one request.
pub(crate) struct RecordKey {
    key: DataKey,
}

impl Vault {
    /// A fresh data key for the record `id`: the key, its wrapped form and the KEK
    /// version that wrapped it.
    pub(crate) fn new_record_key(&self, id: &str) -> Result<(RecordKey, Vec<u8>, u32), AppError> {
        self.refresh().map_err(AppError::Keys)?;
        let key = DataKey::generate();
        let (wrapped, version) = self
            .with_keyring(|k| {
                let kek = k.active();
                kek.wrap_data_key(id, &key).map(|w| (w, kek.version()))
            })
            .map_err(AppError::Keys)?;
        Ok((RecordKey { key }, wrapped, version))
    }

    /// The data key of record `id`; a record whose key was erased reads as missing.
    pub(crate) fn record_key(
        &self,
        id: &str,
        wrapped: Option<&[u8]>,
    ) -> Result<RecordKey, AppError> {
        let wrapped = wrapped.ok_or(AppError::NotFound)?;
        Ok(RecordKey {
            key: self.unwrap_data_key(id, wrapped)?,
        })
    }
}

impl RecordKey {
    pub(crate) fn seal(
        &self,
        entity: &str,
        id: &str,
        field: &str,
        value: &str,
    ) -> Result<Vec<u8>, AppError> {
        self.key
            .seal(&place(entity, id, field), value.as_bytes())
            .map_err(AppError::Keys)
    }

    pub(crate) fn seal_optional(
        &self,
        entity: &str,
        id: &str,
        field: &str,
        value: Option<&str>,
    ) -> Result<Option<Vec<u8>>, AppError> {
        value.map(|v| self.seal(entity, id, field, v)).transpose()
    }

    pub(crate) fn open(
        &self,
        entity: &str,
        id: &str,
        field: &str,
        envelope: &[u8],
    ) -> Result<String, AppError> {
        let clear = self
            .key
            .open(&place(entity, id, field), envelope)
            .map_err(|e| integrity(entity, id, field, &e))?;
        String::from_utf8(clear.to_vec())
            .map_err(|_| integrity(entity, id, field, &VaultError::Integrity))
    }

    pub(crate) fn open_optional(
        &self,
        entity: &str,
        id: &str,
        field: &str,
        envelope: Option<&[u8]>,
    ) -> Result<Option<String>, AppError> {
        envelope
            .map(|e| self.open(entity, id, field, e))
            .transpose()
    }
}
