//! Blind-index key rotation by rebuilding: customers' mobiles and ID numbers, and leads'
//! mobiles (indexed with the customers' mobile key, so that a lead is matched to its
//! customer), all moved to the next version together.

use super::{data_key_counts, key_event};
use crate::audit_trail::append;
use crate::error::AppError;
use crate::settings::{Settings, BLIND_INDEX_VERSION};
use crate::vault::BlindIndexes;
use crate::App;
use dealervault_store::Tx;

/// Records re-indexed per read: bounds memory, not the transaction (there is one).
const BATCH: u32 = 1_000;

/// How far the rebuild has got, for the caller's progress display.
struct Progress<F> {
    report: F,
    done: u64,
    total: u64,
}

impl<F: Fn(u64, u64)> Progress<F> {
    fn add(&mut self, n: u64) {
        self.done += n;
        (self.report)(self.done, self.total.max(self.done));
    }
}

impl App {
    /// Re-keys the blind indexes: every customer's mobile and ID number, and every lead's
    /// mobile, is indexed again under the next version's keys, and the version setting
    /// moves on, all in one transaction so that searches, duplicate checks and lead
    /// conversions never see a mix of versions. Writers wait while it runs (minutes for a
    /// million records): run it in a quiet hour. Returns the new version.
    pub async fn rebuild_blind_indexes(
        &self,
        progress: impl Fn(u64, u64),
    ) -> Result<u32, AppError> {
        let mut tx = self.store().write().await?;
        let version = Settings::load(&mut tx).await?.blind_index_version + 1;
        let indexes = self.vault().blind_indexes(version);
        let mut progress = Progress {
            report: progress,
            done: 0,
            // Every record with a data key is re-indexed; erased ones are skipped.
            total: data_key_counts(&mut tx)
                .await?
                .values()
                .flat_map(|t| t.values())
                .sum(),
        };
        self.reindex_customers(&mut tx, &indexes, &mut progress)
            .await?;
        self.reindex_leads(&mut tx, &indexes, &mut progress).await?;
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

    async fn reindex_customers(
        &self,
        tx: &mut Tx,
        indexes: &BlindIndexes,
        progress: &mut Progress<impl Fn(u64, u64)>,
    ) -> Result<(), AppError> {
        let fields = ["mobile".to_string(), "id_number".to_string()];
        let mut after = None;
        loop {
            let batch = tx.customers_for_reindex(after.as_ref(), BATCH).await?;
            let mut done = 0;
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
            progress.add(done);
            match batch.last() {
                Some(last) if batch.len() == BATCH as usize => after = Some(last.id.clone()),
                _ => return Ok(()),
            }
        }
    }

    async fn reindex_leads(
        &self,
        tx: &mut Tx,
        indexes: &BlindIndexes,
        progress: &mut Progress<impl Fn(u64, u64)>,
    ) -> Result<(), AppError> {
        let fields = ["mobile".to_string()];
        let mut after = None;
        loop {
            let batch = tx.leads_for_reindex(after.as_ref(), BATCH).await?;
            let mut done = 0;
            for lead in &batch {
                // An erased lead keeps the meaningless index its erasure gave it.
                let Some(mobile) = self
                    .open_lead(lead, &fields)?
                    .and_then(|values| values.get("mobile").map(str::to_string))
                else {
                    continue;
                };
                tx.set_lead_mobile_index(&lead.id, &indexes.mobile(&mobile))
                    .await?;
                done += 1;
            }
            progress.add(done);
            match batch.last() {
                Some(last) if batch.len() == BATCH as usize => after = Some(last.id.clone()),
                _ => return Ok(()),
            }
        }
    }
}
