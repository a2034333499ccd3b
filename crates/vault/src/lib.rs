//! # dealervault-vault: key management and field encryption
//!
//! Pure crypto and key files: this crate never talks to the database. It gives the store
//! and the application the keys, envelopes and blind indexes; they decide where the bytes
//! go. Everything here is RustCrypto (`aes-gcm`, `hmac`, `hkdf`, `sha2`, `argon2`).
//!
//! ## Key hierarchy
//!
//! ```text
//! master key            key file, 0600, beside (not inside) the database;
//! │                     optionally sealed under Argon2id(passphrase)
//! ├── check value       HMAC-SHA256(master, "dealervault/key-check/v1")   → database
//! ├── audit signing    Ed25519 seed = HKDF-SHA256(master, enc("dealervault/audit-signing/v1"))
//! ├── blind-index keys  HKDF-SHA256(master, enc("dealervault/blind-index/v1",
//! │                                        entity, field, version))      (derived, never stored)
//! └── keyring           file beside the master key, 0600: KEK v1 … vn,
//!     │                 each sealed under HKDF(master, enc("dealervault/keyring-seal/v1"))
//!     └── data key      one per customer, wrapped by the active KEK        → database
//!         └── fields    AES-256-GCM envelopes                              → database
//! ```
//!
//! The database holds only the check value, wrapped data keys, envelopes and blind
//! indexes. The master key and the KEKs are outside it, so a copy of the database alone
//! decrypts nothing, and destroying a KEK version makes every data key wrapped under it
//! unreadable in every copy of the database (see *Erasure*).
//!
//! | type | where it lives | API |
//! |---|---|---|
//! | [`MasterKey`] | key file ([`key_file::create`] / [`key_file::load`]) | [`MasterKey::check_value`], [`MasterKey::blind_index_key`] |
//! | [`Kek`] (versioned) | keyring file ([`Keyring`]) | [`Kek::wrap_data_key`], [`Kek::unwrap_data_key`] |
//! | [`DataKey`] (per customer) | database, wrapped | [`DataKey::seal`], [`DataKey::open`] |
//! | [`BlindIndex`] (per field, version) | derived on start-up | [`BlindIndex::index`] |
//!
//! ## Encodings for AAD and HKDF info: `enc(…)`
//!
//! `enc(label, a, b, …)`: each string is its byte length as a big-endian `u64` followed by
//! its UTF-8 bytes; a `u32` is 4 big-endian bytes, a `u8` one byte. The first item is always
//! a versioned label naming the purpose, so no two purposes, and no two ways of splitting
//! the same characters among fields, encode alike.
//!
//! | use | encoding |
//! |---|---|
//! | field AAD | `enc("dealervault/field/v1", entity, field, record_id, key_version: u32, algorithm: u8)` |
//! | wrapped data key AAD | `enc("dealervault/dek/v1", record_id, kek_version: u32)` |
//! | sealed KEK AAD | `enc("dealervault/kek/v1", kek_version: u32)` |
//! | audit signing key info | `enc("dealervault/audit-signing/v1")` |
//! | blind-index key info | `enc("dealervault/blind-index/v1", entity, field, version: u32)` |
//! | keyring seal / MAC key info | `enc("dealervault/keyring-seal/v1")`, `enc("dealervault/keyring-mac/v1")` |
//!
//! HKDF is HKDF-SHA256 with no salt (the master key is uniformly random) and a 32-byte output.
//!
//! ## Field envelope, format 1
//!
//! ```text
//! offset  size  content
//!      0     1  format      = 1
//!      1     1  algorithm   = 1 (AES-256-GCM; SM4-GCM would be another number)
//!      2     4  key version (u32, big-endian): the data key version
//!      6    12  nonce (random, from the OS)
//!     18     n  ciphertext (n = plaintext length)
//!   18+n    16  GCM tag
//! ```
//!
//! Overhead: 34 bytes per value. The header's key version must equal the caller's
//! [`FieldPlace::key_version`]; version and algorithm are also in the AAD. A ciphertext
//! copied to another record, field, entity or key version, or altered or truncated in any
//! way, fails with [`VaultError::Integrity`] and yields no data. An unknown format or
//! algorithm byte is [`VaultError::UnsupportedEnvelope`]. [`envelope_key_version`] reads
//! the key version without a key.
//!
//! ## Wrapped data key, format 1 (65 bytes)
//!
//! ```text
//! offset  size  content
//!      0     1  format = 1 (AES-256-GCM)
//!      1     4  KEK version (u32, big-endian)
//!      5    12  nonce
//!     17    32  encrypted data key
//!     49    16  GCM tag
//! ```
//!
//! [`kek_version_of`] reads the KEK version without a key, so rotation can find the data
//! keys still under an old KEK. A wrapped key moved to another customer's row does not
//! unwrap (the record id is in the AAD).
//!
//! ## Files
//!
//! Master key file, one line ([`key_file`]):
//!
//! ```text
//! dealervault-master-key v1 plain <key-b64>
//! dealervault-master-key v1 argon2id m=19456,t=2,p=1 <salt-b64> <nonce-b64> <ciphertext-b64>
//! ```
//!
//! The sealed form is AES-256-GCM under Argon2id(passphrase, 16-byte salt), with the
//! header up to and including the salt as AAD. Keyring file ([`Keyring`]):
//!
//! ```text
//! dealervault-keyring v1
//! check <b64 check value of the master key>
//! kek <version> <active|retiring> <b64 nonce || sealed KEK || tag>   (ascending)
//! mac <b64 HMAC-SHA256 under HKDF(master, keyring-mac) of all lines above>
//! ```
//!
//! Both are created with `create_new` and mode 0600 and are never overwritten by
//! `create`; the keyring is replaced only by [`Keyring::save`] (temporary file in the same
//! directory, fsync, rename, fsync of the directory). [`key_file::check_permissions`]
//! refuses files open to group or others.
//!
//! ## Blind indexes
//!
//! `index = first 16 bytes of HMAC-SHA256(K_field, normalised value)`, with one key per
//! (entity, field, version). The caller normalises (the domain's parsed form of a mobile or
//! ID number) and confirms each candidate after decryption.
//!
//! **Leakage:** within one field and version, equal values have equal indexes, so the index
//! column shows which records share a value and how often values repeat (frequency
//! analysis against outside knowledge of common values is possible for low-entropy fields).
//! It shows nothing across fields, entities or versions (independent keys), and nothing
//! about the value without the master key. 128 bits make accidental collisions negligible.
//! Rotating a blind-index key means computing every index again under `version + 1`.
//!
//! ## Procedures for the callers
//!
//! **Start-up.** Load the master key ([`key_file::load`]); a missing file, missing or wrong
//! passphrase or a corrupt file stops the server with the error's message, and a new key
//! is never created in its place while encrypted data exists. Warn on
//! [`key_file::check_permissions`]. Compare the check value stored in the database with
//! [`MasterKey::verify_check_value`] before reading or writing anything, then
//! [`Keyring::load`] (which also refuses a keyring of another master key).
//!
//! **KEK rotation** (online, resumable): [`Keyring::rotate`], then [`Keyring::save`]
//! *before* anything is wrapped with the new version; then, batch by batch, every wrapped
//! data key whose [`kek_version_of`] is not the active version is unwrapped
//! ([`Keyring::unwrap_data_key`]) and wrapped again with [`Keyring::active`]. After a crash,
//! run the same loop again: the versions tell what is left. When no wrapped key uses a
//! retiring version any more, [`Keyring::destroy`] it and save.
//!
//! **Erasure of one customer**: delete the customer's wrapped data key row(s), then run a
//! full rotation and destroy every older version. The database, and every earlier copy of
//! it, now holds that customer's data key only under KEK versions that no longer exist.
//! Consequences the operator must know: (1) an older database backup becomes unreadable as
//! a whole, not just for the erased customer, so back up again after each rotation;
//! (2) a backup of the *keyring* file would undo erasures, so the keyring must not be kept
//! in long-lived backups; (3) the file system may keep the replaced keyring's old blocks
//! (journals, SSD remapping): erasure relies on the old keyring not being recoverable.
//!
//! ## Secrets in memory
//!
//! [`Key`], [`MasterKey`], [`Kek`], [`DataKey`] and [`BlindIndex`] hold their bytes in
//! `Zeroizing` buffers, are not `Clone`, and print as `[redacted]`. Decrypted values come back
//! as `Zeroizing<Vec<u8>>`. The AES key schedule and Argon2's initial and final hashes are
//! wiped (their crates' `zeroize` features). Not wiped: the GHASH subkey inside an
//! `Aes256Gcm` (it does not reveal the AES key), Argon2's memory blocks, the internal state
//! of `hmac`/`hkdf` instances (those crates offer no zeroization), and copies the caller
//! makes.
//! [`VaultError`] messages hold no key material, plaintext or file contents.

mod aead;
mod blind_index;
mod data_key;
mod encoding;
mod envelope;
mod error;
mod files;
mod kek;
mod key;
pub mod key_file;
mod keyring;
mod keyring_file;
mod mac;
mod master;
mod passphrase;

pub use blind_index::{BlindIndex, BLIND_INDEX_LEN};
pub use data_key::DataKey;
pub use envelope::{envelope_key_version, FieldPlace};
pub use error::VaultError;
pub use kek::{kek_version_of, Kek, WRAPPED_DATA_KEY_LEN};
pub use key::{Key, KEY_LEN};
pub use keyring::{KekState, Keyring};
pub use master::MasterKey;
pub use zeroize::Zeroizing;
