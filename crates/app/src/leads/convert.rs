//! A lead becomes a customer. The mobile's blind index finds an existing customer
//! (confirmed by decrypting): one the actor may see is linked rather than duplicated;
//! one it may not see is refused without a word about whose it is or what it holds.

use crate::actor::Actor;
use crate::audit_trail::{append, commit, event, refuse};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::customer::CustomerRecord;
use dealervault_domain::ids::{CustomerId, LeadId};
use dealervault_domain::values::Gender;
use dealervault_policy::Action;
use dealervault_store::StoreError;

/// The customer a lead became.
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Converted {
    pub customer_id: String,
    /// The customer existed already (the actor's own, or within its scope) and was
    /// linked, not created.
    pub linked_existing: bool,
}

/// Lead fields that carry over to the new customer.
const CARRIED: [&str; 5] = ["name", "mobile", "wechat", "source", "notes"];

impl App {
    pub async fn convert_lead(&self, actor: &Actor, id: &str) -> Result<Converted, AppError> {
        let filter = self
            .row_filter(actor, Entity::Lead, Action::Edit, "lead.convert")
            .await?;
        self.permit(actor, Entity::Customer, Action::Create, "lead.convert")
            .await?;
        let Some(lead_id) = LeadId::parse(id) else {
            return Err(self.lead_not_found(actor, "lead.convert", id).await);
        };
        let mut tx = self.store().write().await?;
        let found = tx.lead(&filter, &lead_id, false).await?;
        let Some(mut lead) = found.filter(|l| l.owner_id.is_some()) else {
            drop(tx);
            return Err(self.lead_not_found(actor, "lead.convert", id).await);
        };
        let mut ev = event(self, actor, "lead.convert", Entity::Lead, Outcome::Failed);
        ev.record_ids = vec![lead.id.to_string()];
        if let Some(customer) = &lead.customer_id {
            return Ok(Converted {
                customer_id: customer.to_string(),
                linked_existing: true,
            });
        }
        let wanted: Vec<String> = CARRIED.map(String::from).to_vec();
        let Some(values) = self.open_lead(&lead, &wanted)? else {
            drop(tx);
            return Err(self.lead_not_found(actor, "lead.convert", id).await);
        };
        let mobile = values.get("mobile").unwrap_or_default().to_string();
        let now = self.clock().now_ms();
        let (customer_id, linked) = match self.mobile_taken(&mut tx, &mobile, None).await? {
            Some((existing, _)) => {
                let sees = actor
                    .policy
                    .row_filter(Entity::Customer, Action::View, &actor.subject)
                    .ok();
                let visible = match &sees {
                    Some(f) => tx.customer(f, &existing).await?.is_some(),
                    None => false,
                };
                if !visible {
                    // The auditor may learn which customer it was; the actor may not.
                    ev.record_ids.push(existing.to_string());
                    ev.reason = Some("customer of another owner".into());
                    drop(tx);
                    return Err(
                        refuse(self, ev, AppError::Conflict("customer_exists_elsewhere")).await,
                    );
                }
                (existing, true)
            }
            None => {
                let owner = lead.owner_id.clone().ok_or(AppError::NotFound)?;
                let mut record = CustomerRecord::blank(
                    CustomerId::generate(),
                    lead.store_id.clone(),
                    lead.store_code.clone(),
                    owner,
                    now,
                    now,
                );
                for name in CARRIED {
                    record.set_governed(name, values.get(name).map(str::to_string));
                }
                record.set_governed("gender", Some(Gender::Unknown.code().to_string()));
                let (sealed, kek_version) = self.vault().seal_new(&record)?;
                match tx.insert_customer(&sealed, kek_version).await {
                    Ok(()) => {}
                    Err(StoreError::Conflict(_)) => {
                        drop(tx);
                        return Err(refuse(self, ev, AppError::Conflict("customer_exists")).await);
                    }
                    Err(e) => return Err(e.into()),
                }
                (record.id, false)
            }
        };
        lead.customer_id = Some(customer_id.clone());
        lead.worked_at = now;
        lead.updated_at = now;
        tx.update_lead(&lead).await?;
        ev.outcome = Outcome::Allowed;
        ev.record_ids.push(customer_id.to_string());
        if !linked {
            ev.fields = CARRIED.map(String::from).to_vec();
        }
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await?;
        Ok(Converted {
            customer_id: customer_id.to_string(),
            linked_existing: linked,
        })
    }
}
