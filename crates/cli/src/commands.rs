//! One file per subcommand.

mod audit_archive;
mod audit_verify;
mod demo;
mod init;
mod keys;
mod migrate;
mod serve;
mod trace_leak;

use crate::cli::{AuditCommand, Command, KeysCommand};
use crate::config::Config;
use anyhow::{Context, Result};
use dealervault_app::setup::verify_keys;
use dealervault_app::{App, AppConfig, Clock, Store, Vault};
use secrecy::ExposeSecret;
use std::process::ExitCode;
use std::sync::Arc;

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
            command: AuditCommand::Verify { common, archive },
        } => audit_verify::run(&common, archive.as_deref()).await,
        Command::Audit {
            command:
                AuditCommand::Archive {
                    common,
                    before,
                    out,
                },
        } => audit_archive::run(&common, &before, &out).await,
        Command::Keys {
            command: KeysCommand::Status { common },
        } => keys::status(&common).await,
        Command::Keys {
            command: KeysCommand::Rotate { common, grace_secs },
        } => keys::rotate(&common, grace_secs).await,
        Command::Keys {
            command: KeysCommand::Reindex { common },
        } => keys::reindex(&common).await,
        Command::Keys {
            command:
                KeysCommand::EraseCustomer {
                    common,
                    customer_id,
                    grace_secs,
                },
        } => keys::erase_customer(&common, &customer_id, grace_secs).await,
        Command::TraceLeak { common, file } => trace_leak::run(&common, &file).await,
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

/// The keys of an existing installation, checked against its database before anything
/// is read or written. A missing or wrong key stops here; a new one is never made.
async fn open_keys(config: &Config, store: &Store) -> Result<Arc<Vault>> {
    let vault = Vault::open(&config.keys, config.passphrase()?.as_ref()).with_context(|| {
        format!(
            "cannot load the encryption keys ({})",
            config.keys.master_key.display()
        )
    })?;
    verify_keys(store, &vault).await.with_context(|| {
        format!(
            "{} is not the master key of this database",
            config.keys.master_key.display()
        )
    })?;
    Ok(Arc::new(vault))
}

/// Keys for a new installation: created beside the database, or, if key files are
/// already there (a database recreated beside them), those.
fn new_keys(config: &Config) -> Result<Arc<Vault>> {
    let passphrase = config.passphrase()?;
    let vault = if config.keys.master_key.exists() {
        Vault::open(&config.keys, passphrase.as_ref())
    } else {
        Vault::create(&config.keys, passphrase.as_ref())
    };
    Ok(Arc::new(vault.with_context(|| {
        format!(
            "cannot set up the encryption keys ({})",
            config.keys.master_key.display()
        )
    })?))
}

fn app(config: &Config, store: Store, vault: Arc<Vault>) -> App {
    let app_config = AppConfig {
        audit_sink_dir: Some(config.audit_sink_dir.clone()),
        audit_checkpoint_webhook: config.audit_checkpoint_webhook.clone(),
        ..AppConfig::default()
    };
    App::new(store, vault, Clock::system(), app_config)
}
