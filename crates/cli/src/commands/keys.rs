use crate::cli::CommonArgs;
use crate::config;
use anyhow::{bail, Result};
use dealervault_app::keys::KeyStatus;
use dealervault_app::AppError;
use dealervault_domain::ids::CustomerId;
use dealervault_store::DataKeyTable;
use dealervault_vault::KekState;
use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;
use std::time::Duration;

pub async fn status(common: &CommonArgs) -> Result<ExitCode> {
    let config = config::resolve(common, Some("."))?;
    let store = super::open_store(&config).await?;
    let app = super::app(
        &config,
        store.clone(),
        super::open_keys(&config, &store).await?,
    );
    let status = app.key_status().await?;
    println!("key-encryption keys ({}):", config.keys.keyring.display());
    for (version, state) in &status.versions {
        let state = match state {
            KekState::Active => "active",
            KekState::Retiring => "retiring",
        };
        println!("  v{version:<4} {state:<9} {}", wrapped(&status, *version));
    }
    for version in status.data_keys.keys() {
        if !status.versions.iter().any(|(v, _)| v == version) {
            println!(
                "  v{version:<4} DESTROYED {} (unreadable)",
                wrapped(&status, *version)
            );
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// "N data keys (C customers, L leads)": the total first, for scripts, then each table.
fn wrapped(status: &KeyStatus, version: u32) -> String {
    let tables = status.data_keys.get(&version);
    let count = |table| tables.and_then(|t| t.get(&table)).copied().unwrap_or(0);
    format!(
        "{} data keys ({} customers, {} leads)",
        status.wrapped_under(version),
        count(DataKeyTable::Customers),
        count(DataKeyTable::Leads),
    )
}

/// Rotates while servers keep running; safe to run again after an interruption.
pub async fn rotate(common: &CommonArgs, grace_secs: u64) -> Result<ExitCode> {
    let config = config::resolve(common, Some("."))?;
    let store = super::open_store(&config).await?;
    let app = super::app(
        &config,
        store.clone(),
        super::open_keys(&config, &store).await?,
    );
    let bar = progress_bar("re-wrapping data keys");
    let active = app
        .rotate_keys(Duration::from_secs(grace_secs), |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .await?;
    bar.finish();
    println!("key-encryption key v{active} is active; older versions are destroyed");
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Blind-index key rotation: every index computed again under the next version.
pub async fn reindex(common: &CommonArgs) -> Result<ExitCode> {
    let config = config::resolve(common, Some("."))?;
    let store = super::open_store(&config).await?;
    let app = super::app(
        &config,
        store.clone(),
        super::open_keys(&config, &store).await?,
    );
    let bar = progress_bar("re-indexing customers' mobiles and ID numbers, leads' mobiles");
    let version = app
        .rebuild_blind_indexes(|done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .await?;
    bar.finish();
    println!("blind indexes rebuilt under version {version}");
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

fn progress_bar(what: &str) -> ProgressBar {
    let template = format!("{what} [{{bar:40}}] {{pos}}/{{len}} ({{per_sec}}, {{eta}})");
    ProgressBar::new(0).with_style(
        ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    )
}

/// Crypto-erasure of one customer (the primitive a PIPL erasure request ends in): its data
/// key and those of the person's leads (converted into it, or with its mobile) are
/// deleted and the KEK rotated, older versions destroyed.
pub async fn erase_customer(
    common: &CommonArgs,
    customer_id: &str,
    grace_secs: u64,
) -> Result<ExitCode> {
    let Some(id) = CustomerId::parse(customer_id) else {
        bail!("{customer_id:?} is not a customer id");
    };
    let config = config::resolve(common, Some("."))?;
    let store = super::open_store(&config).await?;
    let app = super::app(
        &config,
        store.clone(),
        super::open_keys(&config, &store).await?,
    );
    let erased = app
        .erase_customer_key(&id, Duration::from_secs(grace_secs))
        .await;
    store.close().await;
    match erased {
        Ok(leads) => {
            println!("customer {id} is erased, with {leads} leads of the same person: their data keys are gone and the key-encryption key they were wrapped with is destroyed");
            println!("back up the database now: older backups can no longer be read");
            Ok(ExitCode::SUCCESS)
        }
        Err(AppError::NotFound) => bail!(
            "customer {id} has no data key: there is no such customer, or it was already \
             erased (if that erasure was interrupted, `dealervault keys rotate` completes it)"
        ),
        Err(e) => Err(e.into()),
    }
}
