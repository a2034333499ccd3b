//! KEK rotation: a new KEK, every data key (customers' and leads') rewrapped under it,
//! then the old versions destroyed.

use super::key_event;
use crate::audit_trail::record;
use crate::error::AppError;
use crate::App;
use dealervault_store::DataKeyTable;
use dealervault_vault::KekState;
use std::time::Duration;

/// Data keys re-wrapped per transaction: small enough to keep the writer free for the
/// requests served meanwhile.
const REWRAP_BATCH: u32 = 500;

impl App {
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
        let status = self.key_status().await?;
        let total: u64 = status
            .data_keys
            .keys()
            .filter(|v| **v != active)
            .map(|v| status.wrapped_under(*v))
            .sum();
        let mut done = 0;
        progress(done, total);
        loop {
            done += self.rewrap_retiring(active, &progress, done, total).await?;
            tokio::time::sleep(grace).await;
            // Anything wrapped under an old version during the grace period is caught here;
            // only a pass that finds no key under an old version, in any table, lets the
            // old versions be destroyed.
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

    /// Re-wraps every data key, of every table, not under `active`; returns how many it
    /// did.
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
            .into_keys()
            .filter(|v| *v != active)
            .collect();
        let mut count = 0;
        for version in old {
            for table in DataKeyTable::ALL {
                loop {
                    let n = self.rewrap_batch(table, version, active).await?;
                    if n == 0 {
                        break;
                    }
                    count += n;
                    progress(done + count, total.max(done + count));
                }
            }
        }
        Ok(count)
    }

    /// Re-wraps one batch of `table`'s keys under `version` in one transaction; returns
    /// how many (0: none left).
    async fn rewrap_batch(
        &self,
        table: DataKeyTable,
        version: u32,
        active: u32,
    ) -> Result<u64, AppError> {
        let mut tx = self.store().write().await?;
        let batch = tx.data_keys_under(table, version, REWRAP_BATCH).await?;
        for (id, wrapped) in &batch {
            // A wrap is bound to its record's id, whichever table keeps it.
            let key = self.vault().unwrap_data_key(id, wrapped)?;
            let rewrapped = self
                .vault()
                .with_keyring(|k| k.active().wrap_data_key(id, &key))
                .map_err(AppError::Keys)?;
            tx.set_data_key(table, id, active, &rewrapped).await?;
        }
        tx.commit().await?;
        Ok(batch.len() as u64)
    }
}
