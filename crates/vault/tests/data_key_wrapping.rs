//! Wrapping per-customer data keys with a KEK.

mod common;

use common::{place, Fixture};
use dealervault_vault::{kek_version_of, DataKey, VaultError, WRAPPED_DATA_KEY_LEN};

/// True if `a` opens what `b` sealed: the two are the same key.
fn same_key(a: &DataKey, b: &DataKey) -> bool {
    let at = place("customer", "name", "c1", 1);
    let envelope = b.seal(&at, b"probe").expect("seal");
    a.open(&at, &envelope).is_ok()
}

#[test]
fn a_wrapped_data_key_unwraps_to_the_same_key() {
    let fx = Fixture::new();
    let kek = fx.keyring.active();
    let dek = DataKey::generate();
    let wrapped = kek.wrap_data_key("c1", &dek).expect("wrap");
    let unwrapped = kek.unwrap_data_key("c1", &wrapped).expect("unwrap");
    assert!(same_key(&unwrapped, &dek));
    assert!(
        !same_key(&DataKey::generate(), &dek),
        "the probe tells keys apart"
    );
}

#[test]
fn the_layout_is_format_version_nonce_key_tag() {
    let fx = Fixture::new();
    let wrapped = fx
        .keyring
        .active()
        .wrap_data_key("c1", &DataKey::generate())
        .expect("wrap");
    assert_eq!(wrapped.len(), WRAPPED_DATA_KEY_LEN);
    assert_eq!(WRAPPED_DATA_KEY_LEN, 1 + 4 + 12 + 32 + 16);
    assert_eq!(wrapped[0], 1, "format");
    assert_eq!(&wrapped[1..5], &1u32.to_be_bytes(), "KEK version");
    assert_eq!(kek_version_of(&wrapped), Some(1));
}

#[test]
fn another_record_cannot_unwrap() {
    let fx = Fixture::new();
    let kek = fx.keyring.active();
    let wrapped = kek.wrap_data_key("c1", &DataKey::generate()).expect("wrap");
    for other in ["c2", "", "c1 ", "C1"] {
        let result = kek.unwrap_data_key(other, &wrapped);
        assert!(
            matches!(result, Err(VaultError::Integrity)),
            "{other:?}: {result:?}"
        );
    }
}

#[test]
fn another_kek_of_the_same_version_cannot_unwrap() {
    let ours = Fixture::new();
    let theirs = Fixture::new();
    let wrapped = ours
        .keyring
        .active()
        .wrap_data_key("c1", &DataKey::generate())
        .expect("wrap");
    let result = theirs.keyring.active().unwrap_data_key("c1", &wrapped);
    assert!(matches!(result, Err(VaultError::Integrity)), "{result:?}");
}

#[test]
fn a_kek_of_another_version_says_which_one_is_needed() {
    let mut fx = Fixture::new();
    let wrapped = fx
        .keyring
        .active()
        .wrap_data_key("c1", &DataKey::generate())
        .expect("wrap");
    fx.keyring.rotate(&fx.master).expect("rotate");
    let result = fx.keyring.active().unwrap_data_key("c1", &wrapped);
    assert!(
        matches!(result, Err(VaultError::KekMismatch { wrapped: 1, kek: 2 })),
        "{result:?}"
    );
    assert!(
        fx.keyring.unwrap_data_key("c1", &wrapped).is_ok(),
        "the keyring picks v1"
    );
}

#[test]
fn altering_or_truncating_a_wrapped_key_fails() {
    let fx = Fixture::new();
    let kek = fx.keyring.active();
    let wrapped = kek.wrap_data_key("c1", &DataKey::generate()).expect("wrap");
    for i in 0..wrapped.len() {
        let mut altered = wrapped.clone();
        altered[i] ^= 0x01;
        let result = kek.unwrap_data_key("c1", &altered);
        let expected = match i {
            0 => matches!(result, Err(VaultError::UnsupportedWrappedKey { format: 0 })),
            // The version bytes: another version is named.
            1..=4 => matches!(result, Err(VaultError::KekMismatch { kek: 1, .. })),
            _ => matches!(result, Err(VaultError::Integrity)),
        };
        assert!(expected, "byte {i}: {result:?}");
    }
    for len in 0..wrapped.len() {
        let result = kek.unwrap_data_key("c1", &wrapped[..len]);
        assert!(
            matches!(result, Err(VaultError::Integrity)),
            "len {len}: {result:?}"
        );
    }
}

#[test]
fn kek_version_of_reads_only_well_formed_wrapped_keys() {
    let mut fx = Fixture::new();
    fx.keyring.rotate(&fx.master).expect("rotate");
    fx.keyring.rotate(&fx.master).expect("rotate");
    let wrapped = fx
        .keyring
        .active()
        .wrap_data_key("c1", &DataKey::generate())
        .expect("wrap");
    assert_eq!(kek_version_of(&wrapped), Some(3));
    assert_eq!(kek_version_of(&[]), None);
    assert_eq!(kek_version_of(&wrapped[..5]), None, "truncated");
    assert_eq!(
        kek_version_of(&[wrapped.as_slice(), &[0]].concat()),
        None,
        "too long"
    );
    let mut other_format = wrapped.clone();
    other_format[0] = 2;
    assert_eq!(kek_version_of(&other_format), None);
}

#[test]
fn wrapping_twice_gives_different_bytes() {
    let fx = Fixture::new();
    let dek = DataKey::generate();
    let kek = fx.keyring.active();
    let a = kek.wrap_data_key("c1", &dek).expect("wrap");
    let b = kek.wrap_data_key("c1", &dek).expect("wrap");
    assert_ne!(a, b);
}
