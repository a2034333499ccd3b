//! Crypto-erasure of one customer.

use super::key_event;
use crate::audit_trail::append;
use crate::error::AppError;
use crate::App;
use dealervault_domain::ids::CustomerId;
use dealervault_store::DataKeyTable;
use dealervault_vault::BLIND_INDEX_LEN;
use std::time::Duration;

/// Random bytes in place of a blind index: they match no number, so no search or
/// duplicate check finds the erased record, and a new record with the person's mobile is
/// not refused because of it.
fn unlinked_index() -> [u8; BLIND_INDEX_LEN] {
    rand::random()
}

impl App {
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
        tx.commit().await?;
        self.rotate_keys(grace, |_, _| {}).await?;
        Ok(())
    }
}
