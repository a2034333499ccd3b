//! The keyring file: versioned text, key material only ever sealed.
//!
//! ```text
//! dealervault-keyring v1
//! check <b64: the master key's check value>
//! kek <version> <active|retiring> <b64: nonce || sealed KEK || tag>
//! …one line per KEK version, ascending…
//! mac <b64: HMAC-SHA256 of every byte above>
//! ```
//!
//! Each KEK is sealed with AES-256-GCM under K_seal = HKDF(master, enc("dealervault/
//! keyring-seal/v1")) with AAD = enc("dealervault/kek/v1", version). The `mac` line is
//! HMAC-SHA256 under K_mac = HKDF(master, enc("dealervault/keyring-mac/v1")) over the whole
//! file before it, so states cannot be swapped nor lines dropped, reordered or replayed
//! unnoticed. The `check` line tells a wrong master key ([`VaultError::WrongMasterKey`])
//! from an altered file ([`VaultError::CorruptKeyring`]).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::Mac;

use crate::aead;
use crate::encoding::Encoder;
use crate::kek::Kek;
use crate::key::{Key, KEY_LEN};
use crate::keyring::KekState;
use crate::mac::hmac_sha256;
use crate::master::MasterKey;
use crate::VaultError;

const HEADER: &str = "dealervault-keyring v1";
const MAGIC_PREFIX: &str = "dealervault-keyring ";

/// The decoded contents: the active KEK and the retiring ones by version.
pub(crate) struct Contents {
    pub(crate) active: Kek,
    pub(crate) retiring: BTreeMap<u32, Kek>,
}

fn seal_key(master: &MasterKey) -> Key {
    master.derive(&Encoder::new("dealervault/keyring-seal/v1").finish())
}

fn mac_key(master: &MasterKey) -> Key {
    master.derive(&Encoder::new("dealervault/keyring-mac/v1").finish())
}

fn kek_aad(version: u32) -> Vec<u8> {
    Encoder::new("dealervault/kek/v1").u32(version).finish()
}

fn state_name(state: KekState) -> &'static str {
    match state {
        KekState::Active => "active",
        KekState::Retiring => "retiring",
    }
}

/// Renders the file, sealing every KEK afresh (new nonces) under `master`.
pub(crate) fn encode<'a>(
    master: &MasterKey,
    keks: impl IntoIterator<Item = (&'a Kek, KekState)>,
) -> Result<String, VaultError> {
    let seal = seal_key(master);
    let mut text = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(text, "{HEADER}");
    let _ = writeln!(text, "check {}", STANDARD.encode(master.check_value()));
    for (kek, state) in keks {
        let mut sealed = Vec::with_capacity(KEY_LEN + aead::OVERHEAD);
        aead::seal_append(
            &seal,
            &kek_aad(kek.version()),
            kek.key().expose(),
            &mut sealed,
        )?;
        let _ = writeln!(
            text,
            "kek {} {} {}",
            kek.version(),
            state_name(state),
            STANDARD.encode(&sealed)
        );
    }
    let mut mac = hmac_sha256(mac_key(master).expose());
    mac.update(text.as_bytes());
    let _ = writeln!(text, "mac {}", STANDARD.encode(mac.finalize().into_bytes()));
    Ok(text)
}

/// Parses and authenticates the file, and checks its structure: at least one KEK,
/// versions strictly ascending, exactly one active and it the newest.
pub(crate) fn decode(path: &Path, master: &MasterKey, text: &str) -> Result<Contents, VaultError> {
    let corrupt = |reason| VaultError::CorruptKeyring {
        path: path.to_path_buf(),
        reason,
    };
    let body = text
        .strip_suffix('\n')
        .ok_or(corrupt("the file is truncated"))?;
    let lines: Vec<&str> = body.split('\n').collect();
    let Some((&first, _)) = lines.split_first() else {
        return Err(corrupt("the file is empty"));
    };
    if first != HEADER {
        return Err(corrupt(if first.starts_with(MAGIC_PREFIX) {
            "unsupported keyring version"
        } else {
            "not a DealerVault keyring"
        }));
    }
    let check = lines
        .get(1)
        .and_then(|line| line.strip_prefix("check "))
        .and_then(|b64| STANDARD.decode(b64).ok())
        .ok_or(corrupt("missing check line"))?;
    master.verify_check_value(&check)?;

    let (&mac_line, entries) = lines
        .get(2..)
        .and_then(<[&str]>::split_last)
        .ok_or(corrupt("the file is truncated"))?;
    let tag = mac_line
        .strip_prefix("mac ")
        .and_then(|b64| STANDARD.decode(b64).ok())
        .ok_or(corrupt("missing mac line"))?;
    let signed = &text[..text.len() - mac_line.len() - 1];
    let mut mac = hmac_sha256(mac_key(master).expose());
    mac.update(signed.as_bytes());
    mac.verify_slice(&tag)
        .map_err(|_| corrupt("integrity check failed: the file was altered"))?;

    let seal = seal_key(master);
    let mut active = None;
    let mut retiring = BTreeMap::new();
    let mut last = None;
    for line in entries {
        let (version, state, sealed) = parse_entry(line).ok_or(corrupt("malformed kek line"))?;
        if last.is_some_and(|last| version <= last) || active.is_some() {
            return Err(corrupt(
                "versions out of order, or the active one is not the newest",
            ));
        }
        last = Some(version);
        let plain = aead::open(&seal, &kek_aad(version), &sealed)
            .map_err(|_| corrupt("a sealed KEK does not open"))?;
        let key = Key::from_slice(&plain).ok_or(corrupt("a sealed KEK is not 32 bytes"))?;
        let kek = Kek::new(version, key);
        match state {
            KekState::Active => active = Some(kek),
            KekState::Retiring => {
                retiring.insert(version, kek);
            }
        }
    }
    let active = active.ok_or(corrupt("no active KEK"))?;
    Ok(Contents { active, retiring })
}

fn parse_entry(line: &str) -> Option<(u32, KekState, Vec<u8>)> {
    let mut parts = line.split(' ');
    if parts.next()? != "kek" {
        return None;
    }
    let version = parts.next()?;
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let version = version.parse().ok()?;
    let state = match parts.next()? {
        "active" => KekState::Active,
        "retiring" => KekState::Retiring,
        _ => return None,
    };
    let sealed = STANDARD.decode(parts.next()?).ok()?;
    parts.next().is_none().then_some((version, state, sealed))
}
