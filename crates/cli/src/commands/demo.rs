use crate::cli::CommonArgs;
use crate::{config, server};
use anyhow::{bail, Result};
use dealervault_app::setup::installation_kind;
use dealervault_app::Clock;
use dealervault_demo::{
    load_customers, play_sales_floor, seed_organisation, DEMO_PASSWORD, DEMO_SEED,
};
use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;

/// How many days of the sales floor the demo plays.
const SALES_FLOOR_DAYS: i64 = 30;

pub async fn run(common: &CommonArgs, customers: u64, no_serve: bool) -> Result<ExitCode> {
    let config = config::resolve(common, Some("./dealervault-demo"))?;
    let store = super::open_store(&config).await?;
    let vault = match installation_kind(&store).await?.as_deref() {
        Some("demo") => {
            tracing::info!(data_dir = %config.data_dir.display(), "reusing the demo data");
            super::open_keys(&config, &store).await?
        }
        Some(_) => bail!(
            "{} holds a real installation (created by `init`); the demo never touches one",
            config.data_dir.display()
        ),
        None => {
            let vault = super::new_keys(&config)?;
            let clock = Clock::system();
            let org = seed_organisation(&store, &clock, &vault).await?;
            let bar = ProgressBar::new(customers).with_style(
                ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.set_message("loading demo customers");
            load_customers(&vault, &store, &clock, &org, customers, DEMO_SEED, |done| {
                bar.set_position(done)
            })
            .await?;
            bar.finish_with_message("demo customers loaded");
            let leads = play_sales_floor(&store, vault.clone(), SALES_FLOOR_DAYS).await?;
            tracing::info!(leads, "played the demo's sales floor");
            vault
        }
    };
    if no_serve {
        store.close().await;
        return Ok(ExitCode::SUCCESS);
    }
    {
        println!("DealerVault demo: http://{}/login", config.listen);
        println!("Accounts: admin, auditor, gm01, salesmgr01, sales01-03, sales11, service01, finance01, crm01, insurance01");
        println!("Password: {DEMO_PASSWORD}");
    }
    server::serve(
        super::app(&config, store, vault),
        &config.listen,
        config.secure_cookies,
    )
    .await?;
    Ok(ExitCode::SUCCESS)
}
