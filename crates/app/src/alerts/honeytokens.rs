//! Honeytoken customers: invented customers the administrator plants in a store, owned
//! by one of its people. They are stored through the very path of every customer (sealed
//! under their own data key, counted, listed, searchable), so nothing a customer path
//! shows tells them apart; only the `honeytokens` table, which no customer path reads,
//! knows. Opening one (view, reveal, edit, export, sync) raises a critical alert.
//!
//! The administrator sees ids, store, owner and times, never the invented data: the
//! administrator reads no customer data, invented or not.

use crate::actor::Actor;
use crate::audit_trail::{append, event};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::customer::CustomerRecord;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::CustomerId;
use dealervault_policy::Action;
use dealervault_store::{HoneytokenListing, HoneytokenRow, StoreError};
use rand::Rng;
use serde::Serialize;

/// Fresh inventions tried before giving up on a mobile blind-index collision.
const ATTEMPTS: usize = 5;
/// Planted customers look as if created some time in the last two years.
const MAX_AGE_MS: i64 = 730 * 24 * 3600 * 1000;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HoneytokenView {
    pub customer_id: String,
    pub store: String,
    pub owner: String,
    pub planted_by: String,
    pub planted_at: i64,
    /// When it stopped alerting; absent while live.
    pub retired_at: Option<i64>,
}

impl From<HoneytokenListing> for HoneytokenView {
    fn from(h: HoneytokenListing) -> Self {
        Self {
            customer_id: h.customer_id,
            store: h.store_code,
            owner: h.owner_username,
            planted_by: h.planted_by_username,
            planted_at: h.planted_at,
            retired_at: h.retired_at,
        }
    }
}

/// An invented customer from a random seed, backdated like a real one.
fn invent(id: CustomerId, base: &CustomerRecord, now: i64) -> CustomerRecord {
    let mut rng = rand::thread_rng();
    let c = dealervault_synthetic::customer(rng.gen(), rng.gen_range(0..1_000_000));
    let created = now - rng.gen_range(7 * 24 * 3600 * 1000..MAX_AGE_MS);
    let updated = rng.gen_range(created..=now);
    CustomerRecord {
        id,
        name: c.name,
        mobile: c.mobile,
        id_number: Some(c.id_number),
        email: c.email,
        address: Some(c.address),
        wechat: c.wechat,
        birth_date: Some(c.birth_date),
        gender: c.gender.to_string(),
        source: c.source.to_string(),
        notes: c.notes,
        created_at: created,
        updated_at: updated,
        ..base.clone()
    }
}

impl App {
    /// Plants a decoy customer in `store_code`, owned by `owner` (a username of that
    /// store).
    pub async fn plant_honeytoken(
        &self,
        actor: &Actor,
        store_code: &str,
        owner: &str,
    ) -> Result<HoneytokenView, AppError> {
        self.permit(actor, Entity::Settings, Action::Create, "honeytoken.plant")
            .await?;
        let now = self.clock().now_ms();
        let mut tx = self.store().write().await?;
        let store = tx
            .store_by_code(store_code.trim())
            .await?
            .ok_or(AppError::invalid("store", Rule::UnknownValue))?;
        let owner = tx
            .user_by_username(owner.trim())
            .await?
            .filter(|u| u.store_id.as_ref() == Some(&store.id))
            .ok_or(AppError::invalid("owner", Rule::UnknownValue))?;
        let id = CustomerId::generate();
        let base = CustomerRecord::blank(
            id.clone(),
            store.id.clone(),
            store.code.clone(),
            owner.id.clone(),
            now,
            now,
        );
        let mut planted = false;
        for _ in 0..ATTEMPTS {
            let record = invent(id.clone(), &base, now);
            let (sealed, kek_version) = self.vault().seal_new(&record)?;
            match tx.insert_customer(&sealed, kek_version).await {
                Ok(()) => {
                    planted = true;
                    break;
                }
                // The invented mobile is someone's already: invent another.
                Err(StoreError::Conflict(_)) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        if !planted {
            return Err(AppError::Conflict("customer_exists"));
        }
        tx.insert_honeytoken(&HoneytokenRow {
            customer_id: id.clone(),
            store_id: store.id.clone(),
            planted_by: actor.user_id.clone(),
            planted_at: now,
            retired_at: None,
        })
        .await?;
        let mut ev = event(
            self,
            actor,
            "honeytoken.plant",
            Entity::Settings,
            Outcome::Allowed,
        );
        ev.record_ids = vec![id.to_string()];
        append(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(HoneytokenView {
            customer_id: id.to_string(),
            store: store.code,
            owner: owner.username,
            planted_by: actor.username.clone(),
            planted_at: now,
            retired_at: None,
        })
    }

    pub async fn list_honeytokens(&self, actor: &Actor) -> Result<Vec<HoneytokenView>, AppError> {
        self.permit(actor, Entity::Settings, Action::View, "honeytoken.list")
            .await?;
        let mut tx = self.store().read().await?;
        Ok(tx
            .honeytokens()
            .await?
            .into_iter()
            .map(HoneytokenView::from)
            .collect())
    }

    /// Stops a honeytoken from alerting. The invented customer stays where it is: taking
    /// it away would show its owner that it was a decoy.
    pub async fn retire_honeytoken(&self, actor: &Actor, id: &str) -> Result<(), AppError> {
        self.permit(actor, Entity::Settings, Action::Delete, "honeytoken.retire")
            .await?;
        let id = CustomerId::parse(id).ok_or(AppError::NotFound)?;
        let now = self.clock().now_ms();
        let mut tx = self.store().write().await?;
        if !tx.retire_honeytoken(&id, now).await? {
            return Err(AppError::NotFound);
        }
        let mut ev = event(
            self,
            actor,
            "honeytoken.retire",
            Entity::Settings,
            Outcome::Allowed,
        );
        ev.record_ids = vec![id.to_string()];
        append(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(())
    }
}
