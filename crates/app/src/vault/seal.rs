//! Customers between their two forms: `CustomerRecord` (clear, in memory, for one
//! request) and `SealedCustomer` (envelopes and blind indexes, in the store).

use super::Vault;
use crate::error::AppError;
use dealervault_domain::catalog::{governed_fields, Entity, FieldSpec, Storage};
use dealervault_domain::customer::CustomerRecord;
use dealervault_store::SealedCustomer;
use dealervault_vault::{DataKey, FieldPlace, VaultError};

/// Data keys are never replaced (rotation re-wraps them), so every envelope is under
/// version 1 of its customer's data key.
pub const DATA_KEY_VERSION: u32 = 1;

const ENTITY: &str = "customer";

/// The customer fields the catalog keeps encrypted.
fn sealed_fields() -> impl Iterator<Item = &'static FieldSpec> {
    governed_fields(Entity::Customer).filter(|f| f.storage != Storage::Plain)
}

fn place<'a>(id: &'a str, field: &'a str) -> FieldPlace<'a> {
    FieldPlace {
        entity: ENTITY,
        field,
        record_id: id,
        key_version: DATA_KEY_VERSION,
    }
}

fn integrity(record: &str, field: &str, e: &VaultError) -> AppError {
    // Logged with ids only: which record and field failed, never bytes of it.
    tracing::error!(record_id = record, field, error = %e, "customer data failed its integrity check");
    AppError::Integrity
}

impl Vault {
    /// A new customer sealed under a fresh data key, wrapped by the active KEK; returns
    /// the KEK version used.
    pub fn seal_new(&self, record: &CustomerRecord) -> Result<(SealedCustomer, u32), AppError> {
        self.refresh().map_err(AppError::Keys)?;
        let dek = DataKey::generate();
        let (wrapped, version) = self
            .with_keyring(|k| {
                let kek = k.active();
                kek.wrap_data_key(record.id.as_str(), &dek)
                    .map(|w| (w, kek.version()))
            })
            .map_err(AppError::Keys)?;
        let mut sealed = SealedCustomer {
            id: record.id.clone(),
            store_id: record.store_id.clone(),
            store_code: record.store_code.clone(),
            owner_id: record.owner_id.clone(),
            name: vec![],
            mobile: vec![],
            id_number: None,
            email: None,
            address: None,
            wechat: None,
            birth_date: None,
            notes: None,
            mobile_index: vec![],
            id_number_index: None,
            gender: String::new(),
            source: String::new(),
            created_at: record.created_at,
            updated_at: record.updated_at,
            data_key: Some(wrapped),
        };
        let every_field = governed_fields(Entity::Customer).map(|f| f.name);
        self.seal_fields(&dek, record, &mut sealed, every_field)?;
        Ok((sealed, version))
    }

    /// Seals the changed `fields` of an edited record into its stored form, under the
    /// customer's own data key; the other envelopes are left as they are (and were never
    /// opened).
    pub(crate) fn reseal<'f>(
        &self,
        record: &CustomerRecord,
        sealed: &mut SealedCustomer,
        fields: impl IntoIterator<Item = &'f str>,
    ) -> Result<(), AppError> {
        let dek = self.data_key(sealed)?;
        self.seal_fields(&dek, record, sealed, fields)
    }

    fn seal_fields<'f>(
        &self,
        dek: &DataKey,
        record: &CustomerRecord,
        sealed: &mut SealedCustomer,
        fields: impl IntoIterator<Item = &'f str>,
    ) -> Result<(), AppError> {
        let id = record.id.as_str();
        for field in fields {
            if sealed_fields().any(|f| f.name == field) {
                let envelope = match record.governed(field) {
                    Some(value) => Some(
                        dek.seal(&place(id, field), value.as_bytes())
                            .map_err(AppError::Keys)?,
                    ),
                    None => None,
                };
                sealed.set_sealed(field, envelope);
            }
            match field {
                "mobile" => sealed.mobile_index = self.mobile_index(&record.mobile),
                "id_number" => {
                    sealed.id_number_index =
                        record.id_number.as_deref().map(|n| self.id_number_index(n))
                }
                "gender" => sealed.gender.clone_from(&record.gender),
                "source" => sealed.source.clone_from(&record.source),
                _ => {}
            }
        }
        sealed.updated_at = record.updated_at;
        Ok(())
    }

    /// The customer's data key. An erased customer (no key any more) reads as missing.
    fn data_key(&self, sealed: &SealedCustomer) -> Result<DataKey, AppError> {
        let wrapped = sealed.data_key.as_deref().ok_or(AppError::NotFound)?;
        self.unwrap_data_key(sealed.id.as_str(), wrapped)
    }

    /// Unwraps with whichever KEK the key names, re-reading the keyring once if the
    /// version is new to this process (another process rotated).
    pub(crate) fn unwrap_data_key(&self, id: &str, wrapped: &[u8]) -> Result<DataKey, AppError> {
        let attempt = || self.with_keyring(|k| k.unwrap_data_key(id, wrapped));
        let result = match attempt() {
            Err(VaultError::UnknownKekVersion { .. }) => {
                self.refresh().map_err(AppError::Keys)?;
                attempt()
            }
            other => other,
        };
        result.map_err(|e| integrity(id, "data_key", &e))
    }

    /// Opens the sealed `fields` a use case needs in clear (a page opens only what the
    /// role sees); the others stay empty. `None` for a customer whose data key was erased.
    pub fn open_customer(
        &self,
        sealed: &SealedCustomer,
        fields: &[String],
    ) -> Result<Option<CustomerRecord>, AppError> {
        let Some(wrapped) = sealed.data_key.as_deref() else {
            return Ok(None);
        };
        let id = sealed.id.as_str();
        let dek = self.unwrap_data_key(id, wrapped)?;
        let mut record = CustomerRecord::blank(
            sealed.id.clone(),
            sealed.store_id.clone(),
            sealed.store_code.clone(),
            sealed.owner_id.clone(),
            sealed.created_at,
            sealed.updated_at,
        );
        record.gender.clone_from(&sealed.gender);
        record.source.clone_from(&sealed.source);
        for spec in sealed_fields().filter(|f| fields.iter().any(|w| w == f.name)) {
            let Some(envelope) = sealed.sealed(spec.name) else {
                continue;
            };
            let clear = dek
                .open(&place(id, spec.name), envelope)
                .map_err(|e| integrity(id, spec.name, &e))?;
            let text = String::from_utf8(clear.to_vec())
                .map_err(|_| integrity(id, spec.name, &VaultError::Integrity))?;
            record.set_governed(spec.name, Some(text));
        }
        Ok(Some(record))
    }

    /// Opens one field of a search row (name or notes) for matching in memory.
    pub(crate) fn open_one(
        &self,
        id: &str,
        field: &str,
        dek: &DataKey,
        envelope: &[u8],
    ) -> Result<String, AppError> {
        let clear = dek
            .open(&place(id, field), envelope)
            .map_err(|e| integrity(id, field, &e))?;
        String::from_utf8(clear.to_vec()).map_err(|_| integrity(id, field, &VaultError::Integrity))
    }
}
