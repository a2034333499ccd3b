//! Key operations on a running installation: status, KEK rotation (online, resumable),
//! the blind-index rebuild and crypto-erasure of one customer.
//!
//! Customers and leads each have data keys of their own (`customer_keys`, `lead_keys`),
//! wrapped by the same KEKs, and their mobiles share one blind-index key: every operation
//! here goes through both tables, or a KEK version would be destroyed under a lead's key
//! and a rebuilt index would no longer find the leads.

mod erasure;
mod reindex;
mod rotation;

use crate::audit_trail::system_event;
use crate::error::AppError;
use crate::App;
use dealervault_audit::AuditEvent;
use dealervault_store::{DataKeyTable, Tx};
use dealervault_vault::KekState;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyStatus {
    /// Every KEK version in the keyring, the active one last.
    pub versions: Vec<(u32, KekState)>,
    /// Wrapped data keys by KEK version (ascending), then by table; a version that wraps
    /// none is absent, and so is a table with none under a version.
    pub data_keys: BTreeMap<u32, BTreeMap<DataKeyTable, u64>>,
}

impl KeyStatus {
    /// How many data keys KEK `version` wraps, every table together.
    pub fn wrapped_under(&self, version: u32) -> u64 {
        self.data_keys
            .get(&version)
            .map_or(0, |tables| tables.values().sum())
    }
}

/// A key operation in the audit log, with what it did in the reason.
fn key_event(
    app: &App,
    action: &str,
    record_ids: Vec<String>,
    reason: Option<String>,
) -> AuditEvent {
    AuditEvent {
        reason,
        ..system_event(app.clock().now_ms(), action, "key", record_ids)
    }
}

impl App {
    pub async fn key_status(&self) -> Result<KeyStatus, AppError> {
        self.vault().refresh().map_err(AppError::Keys)?;
        let versions = self.vault().with_keyring(|k| k.versions());
        let mut tx = self.store().read().await?;
        Ok(KeyStatus {
            versions,
            data_keys: data_key_counts(&mut tx).await?,
        })
    }
}

/// Wrapped data keys by KEK version, then by table, as `KeyStatus::data_keys` has them.
async fn data_key_counts(
    tx: &mut Tx,
) -> Result<BTreeMap<u32, BTreeMap<DataKeyTable, u64>>, AppError> {
    let mut counts: BTreeMap<u32, BTreeMap<DataKeyTable, u64>> = BTreeMap::new();
    for table in DataKeyTable::ALL {
        for (version, n) in tx.data_key_counts(table).await? {
            counts.entry(version).or_default().insert(table, n);
        }
    }
    Ok(counts)
}
