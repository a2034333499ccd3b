use crate::cli::CommonArgs;
use anyhow::{Context, Result};
use dealervault_app::KeyPaths;
use secrecy::SecretString;
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "dealervault.toml";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// Beside the database, never inside it.
pub const MASTER_KEY_FILE: &str = "master.key";
/// The default directory of the audit checkpoint sink, inside the data directory.
pub const AUDIT_SINK_DIR: &str = "audit-sink";

/// `dealervault.toml` in the data directory: every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    database_url: Option<SecretString>,
    secure_cookies: Option<bool>,
    master_key_file: Option<PathBuf>,
    master_key_passphrase_env: Option<String>,
    audit_sink_dir: Option<PathBuf>,
    audit_checkpoint_webhook: Option<String>,
}

/// The resolved configuration of one run. `Debug` never shows the database URL, which
/// may carry a password.
pub struct Config {
    pub data_dir: PathBuf,
    pub listen: String,
    pub database_url: SecretString,
    /// `None`: decide from the listen address.
    pub secure_cookies: Option<bool>,
    pub keys: KeyPaths,
    /// The environment variable that holds the master key's passphrase, if it has one.
    pub passphrase_env: Option<String>,
    /// Where signed audit checkpoints are appended (`checkpoints.jsonl`).
    pub audit_sink_dir: PathBuf,
    /// A URL that receives each checkpoint as JSON too.
    pub audit_checkpoint_webhook: Option<String>,
}

impl Config {
    /// The master key's passphrase, read from the variable the operator named.
    pub fn passphrase(&self) -> Result<Option<SecretString>> {
        let Some(name) = &self.passphrase_env else {
            return Ok(None);
        };
        match std::env::var(name) {
            Ok(value) if !value.is_empty() => Ok(Some(SecretString::from(value))),
            _ => anyhow::bail!("the master key passphrase variable {name} is not set"),
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("listen", &self.listen)
            .field("database_url", &"[redacted]")
            .field("secure_cookies", &self.secure_cookies)
            .field("keys", &self.keys)
            .field("audit_sink_dir", &self.audit_sink_dir)
            .finish()
    }
}

/// Flags and environment (already merged by clap, flags first), then the data
/// directory's file, then defaults.
pub fn resolve(args: &CommonArgs, default_data_dir: Option<&str>) -> Result<Config> {
    let data_dir = args
        .data_dir
        .clone()
        .or_else(|| default_data_dir.map(PathBuf::from))
        .context("no data directory: pass --data-dir DIR or set DEALERVAULT_DATA_DIR")?;
    let file = read_file(&data_dir)?;
    let database_url = match args.database_url.clone() {
        Some(url) => SecretString::from(url),
        None => file
            .database_url
            .unwrap_or_else(|| SecretString::from(sqlite_url(&data_dir))),
    };
    let master_key = args
        .master_key_file
        .clone()
        .or(file.master_key_file)
        .unwrap_or_else(|| data_dir.join(MASTER_KEY_FILE));
    let audit_sink_dir = args
        .audit_sink_dir
        .clone()
        .or(file.audit_sink_dir)
        .unwrap_or_else(|| data_dir.join(AUDIT_SINK_DIR));
    Ok(Config {
        audit_sink_dir,
        audit_checkpoint_webhook: file.audit_checkpoint_webhook,
        listen: args
            .listen
            .clone()
            .or(file.listen)
            .unwrap_or_else(|| DEFAULT_LISTEN.to_string()),
        database_url,
        secure_cookies: file.secure_cookies,
        keys: KeyPaths::for_master_key(master_key),
        passphrase_env: args
            .master_key_passphrase_env
            .clone()
            .or(file.master_key_passphrase_env),
        data_dir,
    })
}

fn sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join("dealervault.db").display())
}

fn read_file(data_dir: &Path) -> Result<FileConfig> {
    let path = data_dir.join(CONFIG_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            toml::from_str(&text).with_context(|| format!("{} is not valid", path.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FileConfig::default()),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn flags_beat_the_file_which_beats_defaults() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "listen = \"0.0.0.0:9000\"\ndatabase_url = \"postgres://u:secret@db/x\"\n",
        )
        .expect("write");
        let mut args = CommonArgs {
            data_dir: Some(dir.path().into()),
            ..Default::default()
        };
        let from_file = resolve(&args, None).expect("config");
        assert_eq!(from_file.listen, "0.0.0.0:9000");
        assert_eq!(
            from_file.database_url.expose_secret(),
            "postgres://u:secret@db/x"
        );
        assert!(!format!("{from_file:?}").contains("secret"));

        args.listen = Some("127.0.0.1:1".into());
        assert_eq!(resolve(&args, None).expect("config").listen, "127.0.0.1:1");

        std::fs::remove_file(dir.path().join(CONFIG_FILE)).expect("rm");
        let defaults = resolve(&args, None).expect("config");
        assert!(defaults
            .database_url
            .expose_secret()
            .starts_with("sqlite://"));
    }

    #[test]
    fn the_audit_sink_defaults_inside_the_data_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut args = CommonArgs {
            data_dir: Some(dir.path().into()),
            ..Default::default()
        };
        let config = resolve(&args, None).expect("config");
        assert_eq!(config.audit_sink_dir, dir.path().join(AUDIT_SINK_DIR));
        assert_eq!(config.audit_checkpoint_webhook, None);

        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "audit_sink_dir = \"/mnt/log/dv\"\naudit_checkpoint_webhook = \"http://log:9000/c\"\n",
        )
        .expect("write");
        let config = resolve(&args, None).expect("config");
        assert_eq!(config.audit_sink_dir, PathBuf::from("/mnt/log/dv"));
        assert_eq!(
            config.audit_checkpoint_webhook.as_deref(),
            Some("http://log:9000/c")
        );
        args.audit_sink_dir = Some("/elsewhere".into());
        let config = resolve(&args, None).expect("config");
        assert_eq!(config.audit_sink_dir, PathBuf::from("/elsewhere"));
    }

    #[test]
    fn unknown_keys_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(CONFIG_FILE), "lisen = \"x\"\n").expect("write");
        let args = CommonArgs {
            data_dir: Some(dir.path().into()),
            ..Default::default()
        };
        assert!(resolve(&args, None).is_err());
    }
}
