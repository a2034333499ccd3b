use crate::cli::CommonArgs;
use crate::config;
use anyhow::Result;
use std::process::ExitCode;

pub async fn run(common: &CommonArgs) -> Result<ExitCode> {
    let config = config::resolve(common, Some("."))?;
    let store = super::open_store(&config).await?;
    store.close().await;
    println!("migrations applied");
    Ok(ExitCode::SUCCESS)
}
