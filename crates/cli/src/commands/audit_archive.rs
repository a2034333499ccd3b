use crate::cli::CommonArgs;
use crate::config;
use anyhow::{bail, Context, Result};
use dealervault_app::setup::installation_kind;
use std::path::Path;
use std::process::ExitCode;
use time::macros::format_description;

/// Midnight UTC of `YYYY-MM-DD`, in Unix milliseconds.
fn day_start_ms(day: &str) -> Result<i64> {
    let date = time::Date::parse(day, format_description!("[year]-[month]-[day]"))
        .with_context(|| format!("{day:?} is not a date of the form YYYY-MM-DD"))?;
    let at = date.midnight().assume_utc().unix_timestamp_nanos() / 1_000_000;
    Ok(i64::try_from(at)?)
}

pub async fn run(common: &CommonArgs, before: &str, out: &Path) -> Result<ExitCode> {
    let before_ms = day_start_ms(before)?;
    let config = config::resolve(common, Some("."))?;
    let store = super::open_store(&config).await?;
    if installation_kind(&store).await?.is_none() {
        bail!("{} holds no installation", config.data_dir.display());
    }
    let vault = super::open_keys(&config, &store).await?;
    let app = super::app(&config, store, vault);
    let result = app.archive_audit(before_ms, out).await;
    app.store().close().await;
    let summary = result?;
    println!(
        "archived events {}..={} ({} events) to {}; the database chain now starts after event {}",
        summary.first_seq,
        summary.last_seq,
        summary.events,
        summary.path.display(),
        summary.last_seq
    );
    Ok(ExitCode::SUCCESS)
}
