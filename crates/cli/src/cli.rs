use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// DealerVault: dealership management that keeps customer data inside a boundary.
#[derive(Debug, Parser)]
#[command(name = "dealervault", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the demo dealership in DIR (if it is not there yet) and serve it.
    Demo {
        #[command(flatten)]
        common: CommonArgs,
        /// Synthetic customers to create on first run.
        #[arg(long, default_value_t = 2000)]
        customers: u64,
        /// Only create the demo data; do not start the server.
        #[arg(long)]
        no_serve: bool,
    },
    /// Create a new, empty installation and print the administrator's one-time password.
    Init {
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Serve an installation.
    Serve {
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Apply pending database migrations and exit.
    Migrate {
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Work with the audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Work with the encryption keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Name the export(s) a leaked CSV or XLSX file most likely came from, best first,
    /// as JSON (`{"candidates": [...]}`). Exits 0 when an export matched, 1 when none
    /// did, 2 when the file cannot be read.
    TraceLeak {
        #[command(flatten)]
        common: CommonArgs,
        /// The leaked file.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Show the key-encryption key versions and how many data keys each wraps.
    Status {
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Make a new key-encryption key and re-wrap every data key under it, online and
    /// resumably, then destroy the old version.
    Rotate {
        #[command(flatten)]
        common: CommonArgs,
        /// Seconds to wait before destroying an old version, so running servers notice
        /// the new keyring first.
        #[arg(long, default_value_t = 5)]
        grace_secs: u64,
    },
    /// Crypto-erase one customer: delete its data key, then rotate the key-encryption key
    /// and destroy the old version, so neither this database nor any earlier copy of it
    /// can open the customer's data again. Back up the database afterwards: older backups
    /// become unreadable as a whole. If it is interrupted, `keys rotate` completes it.
    /// Index every mobile and ID number again under new blind-index keys (one
    /// transaction: writers wait while it runs; run it in a quiet hour).
    Reindex {
        #[command(flatten)]
        common: CommonArgs,
    },
    EraseCustomer {
        #[command(flatten)]
        common: CommonArgs,
        /// The customer's id (as the API and the audit log show it).
        customer_id: String,
        /// Seconds to wait before destroying the old key-encryption key, so running
        /// servers notice the new keyring first.
        #[arg(long, default_value_t = 5)]
        grace_secs: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the audit chain against its signed checkpoints (the sink outside the
    /// database, and the table): exit 0 if intact, 1 and the first bad entry if not.
    Verify {
        #[command(flatten)]
        common: CommonArgs,
        /// Verify this archive file on its own instead of the database.
        #[arg(long, value_name = "FILE")]
        archive: Option<PathBuf>,
    },
    /// Move the events older than a date out of the database into a self-verifying file.
    /// The date may not fall inside the retention period (site setting
    /// `audit.retention_days`, default three years).
    Archive {
        #[command(flatten)]
        common: CommonArgs,
        /// Archive the events stamped before this day (YYYY-MM-DD, UTC).
        #[arg(long, value_name = "YYYY-MM-DD")]
        before: String,
        /// The archive file to create (it must not exist).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// Where the installation lives. Flags win over the environment, which wins over
/// `dealervault.toml` in the data directory, which wins over the defaults.
#[derive(Debug, Clone, Args, Default)]
pub struct CommonArgs {
    /// The installation's directory (database, configuration).
    #[arg(long, env = "DEALERVAULT_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Address to listen on, e.g. 127.0.0.1:8080.
    #[arg(long, env = "DEALERVAULT_LISTEN")]
    pub listen: Option<String>,
    /// `sqlite://...` or `postgres://...`; without it, SQLite inside the data directory.
    #[arg(long, env = "DEALERVAULT_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// The master key file; the keyring sits beside it. Default: DIR/master.key.
    #[arg(long, env = "DEALERVAULT_MASTER_KEY_FILE")]
    pub master_key_file: Option<PathBuf>,
    /// The NAME of an environment variable holding a passphrase that seals the master key
    /// (the passphrase itself never goes on the command line).
    #[arg(long, value_name = "NAME")]
    pub master_key_passphrase_env: Option<String>,
    /// Directory of the audit checkpoint sink (`checkpoints.jsonl`); keep it outside the
    /// database's reach (another disk or a mounted log volume). Default: DIR/audit-sink.
    #[arg(long, env = "DEALERVAULT_AUDIT_SINK_DIR")]
    pub audit_sink_dir: Option<PathBuf>,
}
