use crate::cli::CommonArgs;
use crate::config;
use anyhow::{bail, Context, Result};
use dealervault_app::setup::installation_kind;
use dealervault_app::AppError;
use std::path::Path;
use std::process::ExitCode;

/// Reads `file`, compares it with every export's manifest and prints the candidates as
/// JSON. The trace itself is recorded in the audit log as the system's.
pub async fn run(common: &CommonArgs, file: &Path) -> Result<ExitCode> {
    let config = config::resolve(common, Some("."))?;
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let store = super::open_store(&config).await?;
    if installation_kind(&store).await?.is_none() {
        bail!("{} holds no installation", config.data_dir.display());
    }
    let app = super::app(
        &config,
        store.clone(),
        super::open_keys(&config, &store).await?,
    );
    let traced = app.trace_leak_locally(&bytes).await;
    store.close().await;
    let report = match traced {
        Ok(report) => report,
        Err(AppError::Invalid(problems)) => {
            for p in problems {
                eprintln!("dealervault: {}: {p}", file.display());
            }
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e.into()),
    };
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(if report.candidates.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
