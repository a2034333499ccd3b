//! The benchmark dealership: the demo organisation, topped up to [`OWNERS`] sales
//! consultants, and `N` synthetic customers spread over them. The secured side loads them
//! sealed through the application's bulk path; the plain side loads the very same people
//! in clear (`plain::load`).

use anyhow::Result;
use dealervault_app::auth::hash_password_blocking;
use dealervault_app::setup::{add_user, Account, Place};
use dealervault_app::{Clock, KeyPaths, Store, Vault};
use dealervault_demo::{load_customers, seed_organisation, DemoOrg, DEMO_PASSWORD, DEMO_SEED};
use indicatif::{ProgressBar, ProgressStyle};
use secrecy::SecretString;

/// Sales consultants who own the customers.
pub const OWNERS: usize = 200;

/// Customers are loaded this many at a time.
pub const LOAD_BATCH: u64 = 5_000;

/// The password of every account of the benchmark dealership (the demo's).
pub fn password() -> SecretString {
    SecretString::from(DEMO_PASSWORD.to_string())
}

/// New keys in a temporary directory (kept as long as the directory), for a database
/// that lives only as long as the run. The directory also holds the audit sink.
pub fn throwaway_keys() -> Result<(tempfile::TempDir, Vault)> {
    let dir = tempfile::tempdir()?;
    let vault = Vault::create(
        &KeyPaths::for_master_key(dir.path().join("master.key")),
        None,
    )?;
    Ok((dir, vault))
}

/// Seeds the demo organisation and adds consultants (`bench001`, …) across its sales teams
/// until there are [`OWNERS`] of them.
pub async fn seed_people(store: &Store, clock: &Clock, vault: &Vault) -> Result<DemoOrg> {
    let mut org = seed_organisation(store, clock, vault).await?;
    let hash = hash_password_blocking(&password())?;
    let mut tx = store.write().await?;
    let teams = tx.teams().await?;
    let stores = tx.stores().await?;
    for n in 0..OWNERS.saturating_sub(org.owners.len()) {
        let team = &teams[n % teams.len()];
        let code = stores
            .iter()
            .find(|s| s.id == team.store_id)
            .map(|s| s.code.clone())
            .unwrap_or_default();
        let username = format!("bench{:03}", n + 1);
        let account = Account {
            username: &username,
            display_name: &username,
            role_code: "sales_consultant",
            place: Place {
                store_id: Some(team.store_id.clone()),
                department_id: Some(team.department_id.clone()),
                team_id: Some(team.id.clone()),
            },
        };
        let id = add_user(&mut tx, clock, &account, &hash, false).await?;
        org.owners.push((id.clone(), team.store_id.clone(), code));
        org.users.push((username, id));
    }
    tx.commit().await?;
    Ok(org)
}

/// Loads `count` customers sealed, through the same bulk path as the demo.
pub async fn load_sealed(
    store: &Store,
    clock: &Clock,
    vault: &Vault,
    org: &DemoOrg,
    count: u64,
    label: &str,
) -> Result<()> {
    let bar = progress(count, label);
    load_customers(vault, store, clock, org, count, DEMO_SEED, |n| {
        bar.set_position(n)
    })
    .await?;
    bar.finish();
    Ok(())
}

/// A progress bar on standard error for loading `count` rows.
pub fn progress(count: u64, label: &str) -> ProgressBar {
    let bar = ProgressBar::new(count).with_style(
        ProgressStyle::with_template("{msg:28} [{bar:30}] {pos}/{len} ({per_sec}, {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(label.to_string());
    bar
}

/// The username of owner `id`.
pub fn username<'o>(org: &'o DemoOrg, id: &dealervault_domain::ids::UserId) -> &'o str {
    org.users
        .iter()
        .find(|(_, u)| u == id)
        .map_or("", |(name, _)| name.as_str())
}

/// Mobiles of customers owned by owner number `owner` (customer `i` belongs to owner
/// `i % owners`), at most `max`.
pub fn mobiles_of(owner: usize, owners: usize, customers: u64, max: usize) -> Vec<String> {
    (owner as u64..customers)
        .step_by(owners)
        .take(max)
        .map(|i| dealervault_demo::fake::customer(DEMO_SEED, i).mobile)
        .collect()
}
