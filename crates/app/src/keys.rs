//! Key operations on a running installation: status, KEK rotation (online, resumable)
//! and crypto-erasure of one customer.

use crate::audit_trail::{append, record, system_event};
use crate::error::AppError;
use crate::settings::{Settings, BLIND_INDEX_VERSION};
use crate::App;
use dealervault_audit::AuditEvent;
use dealervault_domain::ids::CustomerId;
use dealervault_vault::{KekState, BLIND_INDEX_LEN};
use std::time::Duration;

/// Data keys re-wrapped per transaction: small enough to keep the writer free for the
/// requests served meanwhile.
const REWRAP_BATCH: u32 = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyStatus {
    /// Every KEK version in the keyring, the active one last.
    pub versions: Vec<(u32, KekState)>,
    /// Wrapped data keys per KEK version.
    pub data_keys: Vec<(u32, u64)>,
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
            data_keys: tx.data_key_counts().await?,
        })
    }

    /// Makes a new KEK active and re-wraps every data key under it, batch by batch, while
    /// the server keeps serving; then destroys the versions nothing uses any more.
    ///
    /// Resumable: if a previous run stopped halfway (a retiring version is still in the
    /// keyring) this run finishes it instead of starting another. `grace` is how long to
    /// wait before destroying a version, so that a server that has not yet noticed the new
    /// keyring finishes the request it is wrapping a key for; stragglers are re-wrapped.
    pub async fn rotate_keys(
        &self,
        grace: Duration,
        progress: impl Fn(u64, u64),
    ) -> Result<u32, AppError> {
        self.vault().refresh().map_err(AppError::Keys)?;
        let interrupted = self
            .vault()
            .with_keyring(|k| k.versions().iter().any(|(_, s)| *s == KekState::Retiring));
        let active = if interrupted {
            self.vault().with_keyring(|k| k.active().version())
        } else {
            self.vault()
                .update_keyring(|k, master| k.rotate(master))
                .map_err(AppError::Keys)?
        };
        record(
            self,
            key_event(self, "keys.rotate", vec![], Some(format!("kek v{active}"))),
        )
        .await?;
        let total: u64 = self
            .key_status()
            .await?
            .data_keys
            .iter()
            .filter(|(v, _)| *v != active)
            .map(|(_, n)| n)
            .sum();
        let mut done = 0;
        progress(done, total);
        loop {
            done += self.rewrap_retiring(active, &progress, done, total).await?;
            tokio::time::sleep(grace).await;
            // Anything wrapped under an old version during the grace period is caught here.
            if self.rewrap_retiring(active, &progress, done, total).await? == 0 {
                break;
            }
        }
        let retiring: Vec<u32> = self.vault().with_keyring(|k| {
            k.versions()
                .into_iter()
                .filter(|(_, s)| *s == KekState::Retiring)
                .map(|(v, _)| v)
                .collect()
        });
        for version in retiring {
            self.vault()
                .update_keyring(|k, _| k.destroy(version))
                .map_err(AppError::Keys)?;
            record(
                self,
                key_event(
                    self,
                    "keys.destroy",
                    vec![],
                    Some(format!("kek v{version}")),
                ),
            )
            .await?;
        }
        Ok(active)
    }

    /// Re-wraps every data key not under `active`; returns how many it did.
    async fn rewrap_retiring(
        &self,
        active: u32,
        progress: &impl Fn(u64, u64),
        done: u64,
        total: u64,
    ) -> Result<u64, AppError> {
        let old: Vec<u32> = self
            .key_status()
            .await?
            .data_keys
            .iter()
            .map(|(v, _)| *v)
            .filter(|v| *v != active)
            .collect();
        let mut count = 0;
        for version in old {
            loop {
                let mut tx = self.store().write().await?;
                let batch = tx.data_keys_under(version, REWRAP_BATCH).await?;
                if batch.is_empty() {
                    break;
                }
                for (id, wrapped) in &batch {
                    let key = self.vault().unwrap_data_key(id.as_str(), wrapped)?;
                    let rewrapped = self
                        .vault()
                        .with_keyring(|k| k.active().wrap_data_key(id.as_str(), &key))
                        .map_err(AppError::Keys)?;
                    tx.set_data_key(id, active, &rewrapped).await?;
                }
                tx.commit().await?;
                count += batch.len() as u64;
                progress(done + count, total.max(done + count));
            }
        }
        Ok(count)
    }

    /// Crypto-erasure of one customer: its data key is deleted and the KEK rotated, so the
    /// customer cannot be read here or in any earlier copy of the database (the KEK that
    /// wrapped its key in those copies is destroyed). The row stays, unreadable, and its
    /// blind indexes are replaced, so no search or duplicate check finds it any more.
    pub async fn erase_customer_key(
        &self,
        id: &CustomerId,
        grace: Duration,
    ) -> Result<(), AppError> {
        let mut tx = self.store().write().await?;
        if !tx.delete_data_key(id).await? {
            return Err(AppError::NotFound);
        }
        // The blind indexes would still find the row by the person's mobile or ID number:
        // a search would count it, and a new customer with that mobile would be refused as
        // a duplicate. Random bytes match nothing.
        let unlinked: [u8; BLIND_INDEX_LEN] = rand::random();
        tx.set_blind_indexes(id, &unlinked, None).await?;
        append(
            &mut tx,
            key_event(self, "customer.erase_key", vec![id.to_string()], None),
        )
        .await?;
        tx.commit().await?;
        self.rotate_keys(grace, |_, _| {}).await?;
        Ok(())
    }
}

impl App {
    /// Re-keys the blind indexes: every mobile and ID number is indexed again under the
    /// next version's keys, and the version setting moves on, all in one transaction so
    /// that searches and duplicate checks never see a mix of versions. Writers wait while
    /// it runs (minutes for a million customers): run it in a quiet hour. Returns the new
    /// version.
    pub async fn rebuild_blind_indexes(
        &self,
        progress: impl Fn(u64, u64),
    ) -> Result<u32, AppError> {
        const BATCH: u32 = 1_000;
        let mut tx = self.store().write().await?;
        let version = Settings::load(&mut tx).await?.blind_index_version + 1;
        let indexes = self.vault().blind_indexes(version);
        let total: u64 = tx.data_key_counts().await?.iter().map(|(_, n)| n).sum();
        let fields = ["mobile".to_string(), "id_number".to_string()];
        let (mut done, mut after) = (0, None);
        loop {
            let batch = tx.customers_for_reindex(after.as_ref(), BATCH).await?;
            for sealed in &batch {
                // An erased customer keeps the meaningless index its erasure gave it.
                let Some(record) = self.vault().open_customer(sealed, &fields)? else {
                    continue;
                };
                let id_number = record.id_number.as_deref().map(|n| indexes.id_number(n));
                tx.set_blind_indexes(
                    &sealed.id,
                    &indexes.mobile(&record.mobile),
                    id_number.as_deref(),
                )
                .await?;
                done += 1;
            }
            progress(done, total.max(done));
            match batch.last() {
                Some(last) if batch.len() == BATCH as usize => after = Some(last.id.clone()),
                _ => break,
            }
        }
        tx.put_setting(BLIND_INDEX_VERSION, &version.to_string())
            .await?;
        append(
            &mut tx,
            key_event(
                self,
                "keys.reindex",
                vec![],
                Some(format!("blind index v{version}")),
            ),
        )
        .await?;
        tx.commit().await?;
        self.vault().use_blind_index_version(version);
        Ok(version)
    }
}
