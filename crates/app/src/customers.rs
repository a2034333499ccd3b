//! Customers through the gate: list, detail, create, edit, reveal and access history.

mod create;
mod detail;
mod edit;
mod figures;
mod history;
mod list;
mod ownership;
mod reveal;
mod view;

pub use figures::{OwnerFigure, TeamFigures};
pub use history::{AccessEntry, AccessHistory, ACCESS_ACTIONS, HISTORY_LIMIT};
pub use list::{CustomerListQuery, CustomerPage};
pub use ownership::OwnershipSpell;
pub use reveal::Revealed;
pub use view::CustomerView;

use crate::actor::Actor;
use crate::error::AppError;
use crate::App;
use dealervault_domain::access::RowFilter;
use dealervault_domain::catalog::Entity;
use dealervault_domain::customer::CustomerRecord;
use dealervault_domain::ids::{CustomerId, UserId};
use dealervault_store::{SealedCustomer, Tx};

/// The display name of an owner (empty if the account is gone): the only thing about a
/// colleague a customer view or a duplicate refusal shows.
async fn owner_name(tx: &mut Tx, owner: &UserId) -> Result<String, AppError> {
    let mut names = tx.user_display_names(std::slice::from_ref(owner)).await?;
    Ok(names.remove(owner).unwrap_or_default())
}

impl App {
    /// The customer other than `this` that already has `mobile`, with its owner's name.
    /// Unscoped on purpose: a duplicate must be refused even when the actor cannot see it.
    /// The blind index finds a candidate; decrypting its mobile confirms it.
    pub(crate) async fn mobile_taken(
        &self,
        tx: &mut Tx,
        mobile: &str,
        this: Option<&CustomerId>,
    ) -> Result<Option<(CustomerId, String)>, AppError> {
        let index = self.vault().mobile_index(mobile);
        let Some((id, owner)) = tx.customer_by_mobile_index(&index).await? else {
            return Ok(None);
        };
        if Some(&id) == this {
            return Ok(None);
        }
        let confirmed = match tx.sealed_customer_unscoped(&id).await? {
            Some(sealed) => self
                .vault()
                .open_customer(&sealed, &["mobile".to_string()])?
                .is_some_and(|other| other.mobile == mobile),
            None => false,
        };
        if confirmed {
            Ok(Some((id, owner_name(tx, &owner).await?)))
        } else {
            Ok(None)
        }
    }

    /// The customer if it exists, lies in `filter` and still has its data key, opened
    /// for `opening`. `None` tells missing, out of scope and erased apart for nobody.
    async fn load_customer(
        &self,
        tx: &mut Tx,
        filter: &RowFilter,
        id: &CustomerId,
        fields: &[String],
    ) -> Result<Option<(SealedCustomer, CustomerRecord)>, AppError> {
        let Some(sealed) = tx.customer(filter, id).await? else {
            return Ok(None);
        };
        Ok(self
            .vault()
            .open_customer(&sealed, fields)?
            .map(|record| (sealed, record)))
    }

    /// Records an attempt on a record that is missing or out of scope (the two are not
    /// told apart, here or in the answer) and returns `NotFound`.
    async fn customer_not_found(&self, actor: &Actor, verb: &str, id: &str) -> AppError {
        // Only well-formed ids are recorded: the rest is whatever a client typed.
        let id = CustomerId::parse(id).map(|id| id.to_string());
        self.not_found(actor, verb, Entity::Customer, id).await
    }
}
