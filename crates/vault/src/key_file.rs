//! The master key file: one text line, versioned.
//!
//! ```text
//! dealervault-master-key v1 plain <key-b64>
//! dealervault-master-key v1 argon2id m=19456,t=2,p=1 <salt-b64> <nonce-b64> <ciphertext-b64>
//! ```
//!
//! In the `argon2id` form the key is sealed with AES-256-GCM under
//! Argon2id(passphrase, salt) with the given parameters; the AAD is the header, i.e. the
//! line up to and including the salt, so parameters and salt cannot be changed unnoticed.
//! Base64 is standard with padding; the line ends with `\n`. The file is created with
//! `create_new` and mode 0600 and is never overwritten.

use std::io;
use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::aead::{self, NONCE_LEN, TAG_LEN};
use crate::files;
use crate::key::{Key, KEY_LEN};
use crate::master::MasterKey;
use crate::passphrase::KdfParams;
use crate::VaultError;

const MAGIC: &str = "dealervault-master-key";
const VERSION: &str = "v1";
const PLAIN: &str = "plain";
const ARGON2ID: &str = "argon2id";
const SALT_LEN: usize = 16;
/// Far above any valid line; bounds what `load` reads.
const MAX_FILE_LEN: usize = 4096;

/// Generates a master key and writes it to a new file at `path` (mode 0600 on unix,
/// synced with its directory), sealed under `passphrase` if one is given.
///
/// Never overwrites: if anything exists at `path` the result is
/// [`VaultError::KeyFileExists`] and the existing file is untouched.
pub fn create(path: &Path, passphrase: Option<&SecretString>) -> Result<MasterKey, VaultError> {
    let key = Key::generate();
    let line = match passphrase {
        None => plain_line(&key),
        Some(passphrase) => sealed_line(&key, passphrase)?,
    };
    files::write_new(path, line.as_bytes()).map_err(|e| match e.kind() {
        io::ErrorKind::AlreadyExists => VaultError::KeyFileExists {
            path: path.to_path_buf(),
        },
        _ => VaultError::io(path, e),
    })?;
    Ok(MasterKey::from_key(key))
}

/// Reads the master key from `path`.
///
/// Errors: [`VaultError::MissingKeyFile`], [`VaultError::CorruptKeyFile`],
/// [`VaultError::PassphraseRequired`] (sealed file, no passphrase),
/// [`VaultError::UnexpectedPassphrase`] (plain file, passphrase given),
/// [`VaultError::EmptyPassphrase`], [`VaultError::WrongPassphrase`].
/// Does not check permissions: call [`check_permissions`] and warn.
pub fn load(path: &Path, passphrase: Option<&SecretString>) -> Result<MasterKey, VaultError> {
    let bytes = files::read_limited(path, MAX_FILE_LEN)
        .map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => VaultError::MissingKeyFile {
                path: path.to_path_buf(),
            },
            _ => VaultError::io(path, e),
        })?
        .ok_or_else(|| corrupt(path, "the file is too large to be a key file"))?;
    let text = std::str::from_utf8(&bytes).map_err(|_| corrupt(path, "the file is not text"))?;
    let line = text.strip_suffix('\n').unwrap_or(text);
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.contains(['\n', '\r']) {
        return Err(corrupt(path, "the file has more than one line"));
    }
    let tokens: Vec<&str> = line.split(' ').collect();
    let key = match tokens.as_slice() {
        [magic, ..] if *magic != MAGIC => {
            return Err(corrupt(path, "not a DealerVault master key file"))
        }
        [_, version, ..] if *version != VERSION => {
            return Err(corrupt(path, "unsupported key file version"))
        }
        [_, _, PLAIN, key] => open_plain(path, key, passphrase)?,
        [_, _, ARGON2ID, params, salt, nonce, ciphertext] => {
            open_sealed(path, [params, salt, nonce, ciphertext], passphrase)?
        }
        [_, _, PLAIN | ARGON2ID, ..] => return Err(corrupt(path, "wrong number of fields")),
        _ => return Err(corrupt(path, "unknown key protection")),
    };
    Ok(MasterKey::from_key(key))
}

fn open_plain(
    path: &Path,
    key: &str,
    passphrase: Option<&SecretString>,
) -> Result<Key, VaultError> {
    let key = Zeroizing::new(
        STANDARD
            .decode(key)
            .map_err(|_| corrupt(path, "the key is not valid base64"))?,
    );
    let key = Key::from_slice(&key).ok_or_else(|| corrupt(path, "the key is not 32 bytes"))?;
    match passphrase {
        Some(_) => Err(VaultError::UnexpectedPassphrase),
        None => Ok(key),
    }
}

/// Opens the `argon2id` form from its fields as written: parameters, salt, nonce, ciphertext.
fn open_sealed(
    path: &Path,
    [params, salt, nonce, ciphertext]: [&str; 4],
    passphrase: Option<&SecretString>,
) -> Result<Key, VaultError> {
    let kdf = KdfParams::parse(params).ok_or_else(|| corrupt(path, "bad argon2id parameters"))?;
    let salt_bytes = decode_len(salt, 8..=64).ok_or_else(|| corrupt(path, "bad salt"))?;
    let mut sealed =
        decode_len(nonce, NONCE_LEN..=NONCE_LEN).ok_or_else(|| corrupt(path, "bad nonce"))?;
    let body = KEY_LEN + TAG_LEN;
    sealed.extend(
        decode_len(ciphertext, body..=body).ok_or_else(|| corrupt(path, "bad ciphertext"))?,
    );

    let passphrase = passphrase.ok_or(VaultError::PassphraseRequired)?;
    if passphrase.expose_secret().is_empty() {
        return Err(VaultError::EmptyPassphrase);
    }
    let wrapping = kdf
        .derive(passphrase, &salt_bytes)
        .ok_or_else(|| corrupt(path, "argon2 rejected the parameters"))?;
    // The AAD is the header exactly as written: parameters and salt are bound.
    let header = format!("{MAGIC} {VERSION} {ARGON2ID} {params} {salt}");
    let plain = aead::open(&wrapping, header.as_bytes(), &sealed)
        .map_err(|_| VaultError::WrongPassphrase)?;
    Key::from_slice(&plain).ok_or_else(|| corrupt(path, "the sealed key is not 32 bytes"))
}

fn corrupt(path: &Path, reason: &'static str) -> VaultError {
    VaultError::CorruptKeyFile {
        path: path.to_path_buf(),
        reason,
    }
}

/// Refuses a key file (or keyring) that its group or others can access (unix: any of the
/// mode bits 0o077). Start-up should warn, or refuse, on this error. Elsewhere a no-op.
pub fn check_permissions(path: &Path) -> Result<(), VaultError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let metadata = std::fs::metadata(path).map_err(|e| VaultError::io(path, e))?;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(VaultError::InsecurePermissions {
                path: path.to_path_buf(),
                mode,
            });
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
    }
    Ok(())
}

fn plain_line(key: &Key) -> Zeroizing<String> {
    // Sized up front so the encoded key is never copied by a reallocation.
    let mut line = Zeroizing::new(String::with_capacity(128));
    line.push_str(MAGIC);
    line.push(' ');
    line.push_str(VERSION);
    line.push(' ');
    line.push_str(PLAIN);
    line.push(' ');
    STANDARD.encode_string(key.expose(), &mut line);
    line.push('\n');
    line
}

fn sealed_line(key: &Key, passphrase: &SecretString) -> Result<Zeroizing<String>, VaultError> {
    if passphrase.expose_secret().is_empty() {
        return Err(VaultError::EmptyPassphrase);
    }
    let mut salt = [0u8; SALT_LEN];
    OsRng.fill_bytes(&mut salt);
    let kdf = KdfParams::DEFAULT;
    let wrapping = kdf.derive(passphrase, &salt).ok_or(VaultError::Kdf)?;
    let header = format!(
        "{MAGIC} {VERSION} {ARGON2ID} {kdf} {}",
        STANDARD.encode(salt)
    );
    let mut sealed = Vec::new();
    aead::seal_append(&wrapping, header.as_bytes(), key.expose(), &mut sealed)?;
    let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
    Ok(Zeroizing::new(format!(
        "{header} {} {}\n",
        STANDARD.encode(nonce),
        STANDARD.encode(ciphertext)
    )))
}

/// Decodes base64 whose decoded length must lie in `len`.
fn decode_len(text: &str, len: std::ops::RangeInclusive<usize>) -> Option<Vec<u8>> {
    STANDARD
        .decode(text)
        .ok()
        .filter(|bytes| len.contains(&bytes.len()))
}
