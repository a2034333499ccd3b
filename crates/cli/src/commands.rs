//! One file per subcommand.

mod audit_verify;
mod demo;
mod init;
mod migrate;
mod serve;

use crate::cli::{AuditCommand, Command};
use crate::config::Config;
use anyhow::{Context, Result};
use dealervault_app::{App, AppConfig, Clock, Store};
use secrecy::ExposeSecret;
use std::process::ExitCode;

pub async fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Demo {
            common,
            customers,
            no_serve,
        } => demo::run(&common, customers, no_serve).await,
        Command::Init { common } => init::run(&common).await,
        Command::Serve { common } => serve::run(&common).await,
        Command::Migrate { common } => migrate::run(&common).await,
        Command::Audit {
            command: AuditCommand::Verify { common },
        } => audit_verify::run(&common).await,
    }
}

/// Opens the configured database (creating the data directory for SQLite) and applies
/// pending migrations.
async fn open_store(config: &Config) -> Result<Store> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create data directory {}", config.data_dir.display()))?;
    restrict_permissions(&config.data_dir);
    let store = Store::open(config.database_url.expose_secret())
        .await
        .context("cannot open the database")?;
    store
        .migrate()
        .await
        .context("cannot apply database migrations")?;
    Ok(store)
}

/// The data directory holds the database: only its owner should read it.
fn restrict_permissions(dir: &std::path::Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Err(e) = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)) {
            tracing::warn!(error = %e, "cannot restrict the data directory's permissions");
        }
    }
}

fn app(store: Store) -> App {
    App::new(store, Clock::system(), AppConfig::default())
}
