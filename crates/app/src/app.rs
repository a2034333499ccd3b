use crate::audit_trail::GroupCommit;
use crate::auth::{LoginLimits, PasswordHasher};
use crate::clock::Clock;
use crate::vault::Vault;
use dealervault_store::Store;
use std::path::PathBuf;
use std::sync::Arc;

/// Operational settings of the use cases, with the defaults a dealership gets.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Failed logins in a row that lock an account.
    pub lockout_threshold: i64,
    pub lockout_ms: i64,
    pub login_attempts_per_account_per_minute: u32,
    pub login_attempts_per_address_per_minute: u32,
    /// Argon2id takes 19 MiB and tens of milliseconds per hash; this many threads hash
    /// (at a low CPU priority), so a login flood cannot starve the server.
    pub max_concurrent_hashes: usize,
    /// Where the outside sink of audit checkpoints (`checkpoints.jsonl`) is written;
    /// `None`: checkpoints go to the database only.
    pub audit_sink_dir: Option<PathBuf>,
    /// A URL that receives each checkpoint as a JSON POST as well (plain `http://`).
    pub audit_checkpoint_webhook: Option<String>,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            lockout_threshold: 5,
            lockout_ms: 15 * 60 * 1000,
            login_attempts_per_account_per_minute: 10,
            login_attempts_per_address_per_minute: 30,
            // Half the cores: a login flood (every attempt a full hash, to hide which
            // accounts exist) must leave the other half to the people already working.
            max_concurrent_hashes: std::thread::available_parallelism()
                .map_or(1, |n| (n.get() / 2).max(1)),
            audit_sink_dir: None,
            audit_checkpoint_webhook: None,
        }
    }
}

/// The application: the store, the clock and the login machinery, cheap to clone.
#[derive(Debug, Clone)]
pub struct App {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    store: Store,
    vault: Arc<Vault>,
    clock: Clock,
    config: AppConfig,
    limits: LoginLimits,
    hasher: PasswordHasher,
    group_commit: GroupCommit,
}

impl App {
    pub fn new(store: Store, vault: Arc<Vault>, clock: Clock, config: AppConfig) -> Self {
        let limits = LoginLimits::new(&config);
        let hasher = PasswordHasher::new(config.max_concurrent_hashes);
        let inner = Inner {
            store,
            vault,
            clock,
            config,
            limits,
            hasher,
            group_commit: GroupCommit::default(),
        };
        Self {
            inner: Arc::new(inner),
        }
    }

    pub fn vault(&self) -> &Vault {
        &self.inner.vault
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    pub fn config(&self) -> &AppConfig {
        &self.inner.config
    }

    pub(crate) fn limits(&self) -> &LoginLimits {
        &self.inner.limits
    }

    pub(crate) fn hasher(&self) -> &PasswordHasher {
        &self.inner.hasher
    }

    pub(crate) fn group_commit(&self) -> &GroupCommit {
        &self.inner.group_commit
    }
}
