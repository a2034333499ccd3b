use crate::fake;
use crate::organisation::DemoOrg;
use dealervault_app::{AppError, Clock, Store, Vault};
use dealervault_domain::customer::CustomerRecord;
use dealervault_domain::ids::CustomerId;

/// Rows per transaction: large enough to amortise the commit, small enough that a
/// progress bar moves and memory stays flat.
const BATCH: u64 = 5_000;

/// Synthetic customer `index` of `seed` as the demo keeps it: owned by the demo's sales
/// consultants in turn, created some time in the two years before `now`. The same index
/// always gives the same person and the same owner. `org` needs at least one owner.
pub fn customer_record(org: &DemoOrg, seed: u64, index: u64, now: i64) -> CustomerRecord {
    let (owner_id, store_id, store_code) = &org.owners[(index % org.owners.len() as u64) as usize];
    let c = fake::customer(seed, index);
    // Spread creation over the last two years so lists have a history.
    let age_ms = ((index * 7_919) % (730 * 24 * 3600)) as i64 * 1000;
    CustomerRecord {
        id: CustomerId::generate(),
        store_id: store_id.clone(),
        store_code: store_code.clone(),
        owner_id: owner_id.clone(),
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
        created_at: now - age_ms,
        updated_at: now - age_ms / 2,
    }
}

/// Loads `count` synthetic customers, spread evenly over the demo's sales consultants,
/// through the store's bulk path. `progress` is told how many rows are in so far.
pub async fn load_customers(
    vault: &Vault,
    store: &Store,
    clock: &Clock,
    org: &DemoOrg,
    count: u64,
    seed: u64,
    progress: impl Fn(u64),
) -> Result<(), AppError> {
    if org.owners.is_empty() {
        return Ok(());
    }
    let now = clock.now_ms();
    let mut done = 0;
    while done < count {
        let end = (done + BATCH).min(count);
        let records: Vec<CustomerRecord> = (done..end)
            .map(|i| customer_record(org, seed, i, now))
            .collect();
        // Sealing (a data key, eight envelopes, two blind indexes each) happens before
        // the transaction, so the writer is held only for the inserts.
        let rows = records
            .iter()
            .map(|r| vault.seal_new(r))
            .collect::<Result<Vec<_>, _>>()?;
        let mut tx = store.write().await?;
        tx.insert_customers(&rows).await?;
        tx.commit().await?;
        done = end;
        progress(done);
    }
    Ok(())
}
