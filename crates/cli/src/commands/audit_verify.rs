use crate::cli::CommonArgs;
use crate::config;
use anyhow::{bail, Context, Result};
use dealervault_app::checkpoints::verify_archive;
use dealervault_app::setup::installation_kind;
use std::path::Path;
use std::process::ExitCode;

/// Verifies the database's chain against the signed checkpoints, or an archive file on
/// its own; prints the report and exits 1 naming the first bad entry.
pub async fn run(common: &CommonArgs, archive: Option<&Path>) -> Result<ExitCode> {
    let config = config::resolve(common, Some("."))?;
    let store = super::open_store(&config).await?;
    if installation_kind(&store).await?.is_none() {
        bail!("{} holds no installation", config.data_dir.display());
    }
    let vault = super::open_keys(&config, &store).await?;
    if let Some(path) = archive {
        let key = vault.audit_verifying_key();
        store.close().await;
        let report = verify_archive(path, &key)
            .with_context(|| format!("cannot read {}", path.display()))?;
        return Ok(match (&report.problem, &report.header) {
            (None, Some(h)) => {
                println!(
                    "audit archive intact: events {}..={} ({} events), end checkpoint signed",
                    h.first_seq, h.last_seq, report.events
                );
                ExitCode::SUCCESS
            }
            (problem, _) => {
                println!(
                    "audit archive BROKEN: {}",
                    problem.as_deref().unwrap_or("no header")
                );
                ExitCode::from(1)
            }
        });
    }
    let app = super::app(&config, store, vault);
    let report = app.verify_audit().await?;
    app.store().close().await;
    let rate = report.events_per_sec();
    if report.intact() {
        println!(
            "audit chain intact: events {}..={} ({} events, {} signed checkpoints, {:.0} events/s)",
            report.anchor_seq + 1,
            report.last_seq,
            report.events,
            report.checkpoints,
            rate
        );
        return Ok(ExitCode::SUCCESS);
    }
    for (i, p) in report.problems.iter().enumerate() {
        if i == 0 {
            println!("audit chain BROKEN: {p}");
        } else {
            println!("  also: {p}");
        }
    }
    println!(
        "({} events checked from {}, {:.0} events/s)",
        report.events,
        report.anchor_seq + 1,
        rate
    );
    Ok(ExitCode::from(1))
}
