use crate::cli::CommonArgs;
use crate::{config, server};
use anyhow::{bail, Result};
use dealervault_app::setup::{grant_new_default_rights, installation_kind};
use std::process::ExitCode;

pub async fn run(common: &CommonArgs) -> Result<ExitCode> {
    let config = config::resolve(common, None)?;
    let store = super::open_store(&config).await?;
    if installation_kind(&store).await?.is_none() {
        bail!(
            "{} holds no installation: run `dealervault init --data-dir DIR` first",
            config.data_dir.display()
        );
    }
    let vault = super::open_keys(&config, &store).await?;
    grant_new_default_rights(&store, &dealervault_app::Clock::system()).await?;
    server::serve(
        super::app(&config, store, vault),
        &config.listen,
        config.secure_cookies,
    )
    .await?;
    Ok(ExitCode::SUCCESS)
}
