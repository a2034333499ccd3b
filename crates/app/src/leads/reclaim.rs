//! The pool's automatic return: an owned lead nobody has worked for as many days as its
//! store allows goes back to the pool, by the system, written in the ledger and the log.

use super::sealing::ENTITY;
use crate::audit_trail::{append, commit, system_event};
use crate::error::AppError;
use crate::App;
use dealervault_store::OwnerChange;

/// Leads returned per transaction: one transaction holds the writer briefly.
const BATCH: u32 = 200;

impl App {
    /// Returns every stale lead to its pool; how many were returned.
    pub async fn return_stale_leads(&self) -> Result<usize, AppError> {
        let mut returned = 0;
        loop {
            let now = self.clock().now_ms();
            let mut tx = self.store().write().await?;
            let stale = tx.stale_leads(now, BATCH).await?;
            if stale.is_empty() {
                return Ok(returned);
            }
            let mut ids = Vec::with_capacity(stale.len());
            for lead in &stale {
                tx.return_lead_to_pool(&lead.id, now).await?;
                let cancelled = tx.cancel_open_follow_ups(&lead.id, now).await?;
                let drives = tx.pass_booked_test_drives(&lead.id, None, now).await?;
                tx.record_owner_change(OwnerChange {
                    entity: ENTITY,
                    record_id: lead.id.as_str(),
                    store_id: &lead.store_id,
                    owner_id: None,
                    reason: "returned",
                    changed_by: None,
                    at: now,
                })
                .await?;
                ids.push(lead.id.to_string());
                ids.extend(cancelled.iter().map(ToString::to_string));
                ids.extend(drives.iter().map(ToString::to_string));
            }
            let mut ev = system_event(now, "lead.return", "lead", ids);
            ev.reason = Some("not followed up in time".into());
            let seq = append(&mut tx, ev).await?;
            commit(self, tx, seq).await?;
            returned += stale.len();
            if stale.len() < BATCH as usize {
                return Ok(returned);
            }
        }
    }
}
