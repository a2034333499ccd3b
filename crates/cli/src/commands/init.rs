use crate::cli::CommonArgs;
use crate::config;
use anyhow::{bail, Result};
use dealervault_app::setup::{install, installation_kind};
use dealervault_app::Clock;
use secrecy::ExposeSecret;
use std::process::ExitCode;

pub async fn run(common: &CommonArgs) -> Result<ExitCode> {
    let config = config::resolve(common, None)?;
    let store = super::open_store(&config).await?;
    if let Some(kind) = installation_kind(&store).await? {
        bail!(
            "{} already holds an installation (created by `{kind}`)",
            config.data_dir.display()
        );
    }
    let vault = super::new_keys(&config)?;
    let password = install(&store, &Clock::system(), &vault).await?;
    store.close().await;
    {
        println!("DealerVault installed in {}", config.data_dir.display());
        println!("Administrator account: admin");
        println!("One-time password:     {}", password.expose_secret());
        println!(
            "Master key:            {} (keep a copy apart from the database backups)",
            config.keys.master_key.display()
        );
        println!("It must be changed at first login. Start the server with:");
        println!(
            "  dealervault serve --data-dir {}",
            config.data_dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
