//! Crypto-erasure of one person: the customer, the leads converted into it, and the
//! leads with the same mobile that never were.

use super::key_event;
use crate::audit_trail::append;
use crate::error::AppError;
use crate::App;
use dealervault_domain::ids::CustomerId;
use dealervault_store::{DataKeyTable, Tx};
use dealervault_vault::BLIND_INDEX_LEN;
use std::time::Duration;

/// Random bytes in place of a blind index: they match no number, so no search or
/// duplicate check finds the erased record, and a new record with the person's mobile is
/// not refused because of it.
fn unlinked_index() -> [u8; BLIND_INDEX_LEN] {
    rand::random()
}

impl App {
    /// Crypto-erasure of one customer: its data key is deleted, and so are the data keys
    /// of the same person's leads — converted into it, or carrying its mobile in any store
    /// without having been converted — with the follow-up notes, test-drive licences and
    /// feedback sealed under those keys; then the KEK is rotated, so none of them
    /// can be read here or in any earlier copy of the database (the KEK that wrapped
    /// their keys in those copies is destroyed). The rows stay, unreadable, and their
    /// blind indexes are replaced, so no search or duplicate check finds them any more.
    /// Returns how many leads were erased with the customer.
    pub async fn erase_customer_key(
        &self,
        id: &CustomerId,
        grace: Duration,
    ) -> Result<usize, AppError> {
        let mut tx = self.store().write().await?;
        // Read before it is replaced: the person's leads are found by it.
        let Some(mobile_index) = tx
            .sealed_customer_unscoped(id)
            .await?
            .map(|c| c.mobile_index)
        else {
            return Err(AppError::NotFound);
        };
        if !tx
            .delete_data_key(DataKeyTable::Customers, id.as_str())
            .await?
        {
            return Err(AppError::NotFound);
        }
        tx.set_blind_indexes(id, &unlinked_index(), None).await?;
        append(
            &mut tx,
            key_event(self, "customer.erase_key", vec![id.to_string()], None),
        )
        .await?;
        let leads = self.erase_leads_of(&mut tx, id, &mobile_index).await?;
        tx.commit().await?;
        self.rotate_keys(grace, |_, _| {}).await?;
        Ok(leads)
    }

    /// Erases, inside the customer's erasure, the person's leads: keys deleted, mobile
    /// indexes replaced, one audit event naming them. Returns how many.
    async fn erase_leads_of(
        &self,
        tx: &mut Tx,
        customer: &CustomerId,
        mobile_index: &[u8],
    ) -> Result<usize, AppError> {
        let leads = tx.leads_of_person(customer, mobile_index).await?;
        if leads.is_empty() {
            return Ok(0);
        }
        for lead in &leads {
            // `false` for a lead erased before: its index is replaced all the same.
            tx.delete_data_key(DataKeyTable::Leads, lead.as_str())
                .await?;
            tx.set_lead_mobile_index(lead, &unlinked_index()).await?;
        }
        append(
            tx,
            key_event(
                self,
                "lead.erase_key",
                leads.iter().map(ToString::to_string).collect(),
                Some(format!("leads of erased customer {customer}")),
            ),
        )
        .await?;
        Ok(leads.len())
    }
}
