//! The one error type of the vault.
//!
//! No message carries key material, plaintext or the contents of a key file: every
//! `reason` is a fixed `&'static str` written here, and the only dynamic parts are paths,
//! version numbers, format bytes and file modes.

use std::io;
use std::path::PathBuf;

/// Everything that can go wrong in key management and field crypto.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// The master key file is not there. At start-up this stops the server: a new key is
    /// never made in its place, because existing encrypted data would become unreadable.
    #[error("master key file {path} does not exist")]
    MissingKeyFile { path: PathBuf },

    /// `create` found a file already at the path and left it alone.
    #[error("master key file {path} already exists; refusing to overwrite it")]
    KeyFileExists { path: PathBuf },

    /// The key file is sealed with a passphrase, but none was given.
    #[error("the master key file is protected by a passphrase, but no passphrase was given")]
    PassphraseRequired,

    /// A passphrase was given, but the key file is not sealed with one. Refused rather than
    /// ignored: it means the configuration and the key file disagree.
    #[error("a passphrase was given, but the master key file is not protected by a passphrase")]
    UnexpectedPassphrase,

    /// The passphrase does not open the key file (or the sealed part was altered).
    #[error("wrong passphrase for the master key file (or the file was altered)")]
    WrongPassphrase,

    /// An empty passphrase protects nothing; almost always an unset environment variable.
    #[error("the master key passphrase is empty")]
    EmptyPassphrase,

    /// The key file could not be parsed.
    #[error("master key file {path} is corrupt: {reason}")]
    CorruptKeyFile { path: PathBuf, reason: &'static str },

    /// The file is open to its group or to others (unix mode shown in octal).
    #[error("{path} is accessible by group or others (mode {mode:o}); it must be 0600")]
    InsecurePermissions { path: PathBuf, mode: u32 },

    /// The keyring file is not there.
    #[error("keyring file {path} does not exist")]
    MissingKeyring { path: PathBuf },

    /// `Keyring::create` found a file already at the path and left it alone.
    #[error("keyring file {path} already exists; refusing to overwrite it")]
    KeyringExists { path: PathBuf },

    /// The keyring file could not be parsed or failed its integrity check.
    #[error("keyring file {path} is corrupt: {reason}")]
    CorruptKeyring { path: PathBuf, reason: &'static str },

    /// The master key is not the one the keyring (or stored check value) was made with.
    #[error("wrong master key: it is not the key this data was encrypted with")]
    WrongMasterKey,

    /// The active KEK is the one new data keys are wrapped with; it cannot be destroyed.
    #[error("KEK version {version} is active and cannot be destroyed; rotate first")]
    DestroyActiveKek { version: u32 },

    /// No KEK of that version is in the keyring (never made, or already destroyed).
    #[error("KEK version {version} is not in the keyring")]
    UnknownKekVersion { version: u32 },

    /// Rotation ran out of version numbers.
    #[error("no KEK version number is left to rotate to")]
    KekVersionsExhausted,

    /// A wrapped data key names a different KEK version than the KEK asked to unwrap it.
    #[error("the data key is wrapped by KEK version {wrapped}, not by version {kek}")]
    KekMismatch { wrapped: u32, kek: u32 },

    /// Authentication failed: the ciphertext was altered, truncated, or does not belong to
    /// this place (entity, field, record, key version) or key. No data is returned.
    #[error("integrity check failed: the ciphertext was altered or does not belong here")]
    Integrity,

    /// A field envelope with a format or algorithm this build does not know.
    #[error("unsupported field envelope (format {format}, algorithm {algorithm})")]
    UnsupportedEnvelope { format: u8, algorithm: u8 },

    /// A wrapped data key with a format this build does not know.
    #[error("unsupported wrapped data key (format {format})")]
    UnsupportedWrappedKey { format: u8 },

    /// Argon2 refused its parameters while sealing a new key file.
    #[error("deriving the passphrase key failed")]
    Kdf,

    /// AES-GCM refused to encrypt: the input exceeds its limit of about 64 GiB.
    #[error("encryption failed: the input is too large for AES-256-GCM")]
    Encrypt,

    /// Reading or writing a key file or keyring failed.
    #[error("I/O error on {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl VaultError {
    pub(crate) fn io(path: &std::path::Path, source: io::Error) -> Self {
        Self::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
