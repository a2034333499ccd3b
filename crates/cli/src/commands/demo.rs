use crate::cli::CommonArgs;
use crate::{config, server};
use anyhow::{bail, Result};
use dealervault_app::setup::installation_kind;
use dealervault_app::Clock;
use dealervault_demo::{load_customers, seed_organisation, DEMO_PASSWORD};
use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;

/// The seed of the demo's synthetic customers: every demo has the same people.
const SEED: u64 = 2026;

pub async fn run(common: &CommonArgs, customers: u64, no_serve: bool) -> Result<ExitCode> {
    let config = config::resolve(common, Some("./dealervault-demo"))?;
    let store = super::open_store(&config).await?;
    match installation_kind(&store).await?.as_deref() {
        Some("demo") => {
            tracing::info!(data_dir = %config.data_dir.display(), "reusing the demo data")
        }
        Some(_) => bail!(
            "{} holds a real installation (created by `init`); the demo never touches one",
            config.data_dir.display()
        ),
        None => {
            let clock = Clock::system();
            let org = seed_organisation(&store, &clock).await?;
            let bar = ProgressBar::new(customers).with_style(
                ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.set_message("loading demo customers");
            load_customers(&store, &clock, &org, customers, SEED, |done| {
                bar.set_position(done)
            })
            .await?;
            bar.finish_with_message("demo customers loaded");
        }
    }
    if no_serve {
        store.close().await;
        return Ok(ExitCode::SUCCESS);
    }
    {
        println!("DealerVault demo: http://{}/login", config.listen);
        println!("Accounts: admin, auditor, gm01, salesmgr01, sales01-03, sales11, service01, finance01, crm01, insurance01");
        println!("Password: {DEMO_PASSWORD}");
    }
    server::serve(super::app(store), &config.listen, config.secure_cookies).await?;
    Ok(ExitCode::SUCCESS)
}
