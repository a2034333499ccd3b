//! Field envelopes: round trips, tampering, wrong places, versioning.

mod common;

use common::place;
use dealervault_vault::{envelope_key_version, DataKey, FieldPlace, VaultError};
use proptest::prelude::*;

const HERE: FieldPlace<'static> = FieldPlace {
    entity: "customer",
    field: "mobile",
    record_id: "0190f3a2-7c1e-7a4b-9a43-2f5d7e1c0b11",
    key_version: 1,
};

#[test]
fn values_round_trip() {
    let dek = DataKey::generate();
    let long = "备注".repeat(5_000);
    for plaintext in [
        &b""[..],
        b"13800138000",
        "张三".as_bytes(),
        b"\x00\xff\x00binary",
        long.as_bytes(),
    ] {
        let envelope = dek.seal(&HERE, plaintext).expect("seal");
        assert_eq!(envelope.len(), 6 + 12 + plaintext.len() + 16);
        let opened = dek.open(&HERE, &envelope).expect("open");
        assert_eq!(opened.as_slice(), plaintext);
    }
}

#[test]
fn the_layout_is_format_algorithm_version_nonce_ciphertext_tag() {
    let dek = DataKey::generate();
    let at = place("customer", "name", "c1", 0x0102_0304);
    let envelope = dek.seal(&at, b"abc").expect("seal");
    assert_eq!(envelope[0], 1, "format");
    assert_eq!(envelope[1], 1, "algorithm: AES-256-GCM");
    assert_eq!(&envelope[2..6], &[1, 2, 3, 4], "key version, big-endian");
    assert_eq!(envelope.len(), 6 + 12 + 3 + 16);
    assert_eq!(envelope_key_version(&envelope), Some(0x0102_0304));
    assert!(
        !envelope.windows(3).any(|w| w == b"abc"),
        "no plaintext in the envelope"
    );
}

#[test]
fn every_seal_uses_a_fresh_nonce() {
    let dek = DataKey::generate();
    let a = dek.seal(&HERE, b"13800138000").expect("seal");
    let b = dek.seal(&HERE, b"13800138000").expect("seal");
    assert_ne!(a[6..18], b[6..18], "nonces differ");
    assert_ne!(a, b);
}

#[test]
fn altering_any_byte_fails_without_data() {
    let dek = DataKey::generate();
    let envelope = dek.seal(&HERE, b"110101199003077777").expect("seal");
    for i in 0..envelope.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut altered = envelope.clone();
            altered[i] ^= flip;
            let result = dek.open(&HERE, &altered);
            match i {
                0 | 1 => assert!(
                    matches!(result, Err(VaultError::UnsupportedEnvelope { .. })),
                    "byte {i}: {result:?}"
                ),
                _ => assert!(
                    matches!(result, Err(VaultError::Integrity)),
                    "byte {i}: {result:?}"
                ),
            }
        }
    }
}

#[test]
fn truncated_or_extended_envelopes_fail() {
    let dek = DataKey::generate();
    let envelope = dek.seal(&HERE, b"13800138000").expect("seal");
    for len in 0..envelope.len() {
        let result = dek.open(&HERE, &envelope[..len]);
        assert!(
            matches!(result, Err(VaultError::Integrity)),
            "len {len}: {result:?}"
        );
    }
    let mut longer = envelope.clone();
    longer.push(0);
    assert!(matches!(
        dek.open(&HERE, &longer),
        Err(VaultError::Integrity)
    ));
}

#[test]
fn a_ciphertext_opens_only_at_its_own_place() {
    let dek = DataKey::generate();
    let at = place("customer", "mobile", "c1", 1);
    let envelope = dek.seal(&at, b"13800138000").expect("seal");
    let elsewhere = [
        ("another record", place("customer", "mobile", "c2", 1)),
        ("another field", place("customer", "id_number", "c1", 1)),
        ("another entity", place("vehicle", "mobile", "c1", 1)),
        ("another key version", place("customer", "mobile", "c1", 2)),
        (
            "entity/field split moved",
            place("customerm", "obile", "c1", 1),
        ),
        (
            "field/record split moved",
            place("customer", "mobilec", "1", 1),
        ),
        ("empty record id", place("customer", "mobile", "", 1)),
    ];
    for (case, other) in elsewhere {
        let result = dek.open(&other, &envelope);
        assert!(
            matches!(result, Err(VaultError::Integrity)),
            "{case}: {result:?}"
        );
    }
    assert!(dek.open(&at, &envelope).is_ok());
}

#[test]
fn another_data_key_cannot_open() {
    let envelope = DataKey::generate()
        .seal(&HERE, b"13800138000")
        .expect("seal");
    let result = DataKey::generate().open(&HERE, &envelope);
    assert!(matches!(result, Err(VaultError::Integrity)));
}

#[test]
fn unknown_formats_and_algorithms_are_refused_as_such() {
    let dek = DataKey::generate();
    let envelope = dek.seal(&HERE, b"x").expect("seal");
    for (format, algorithm) in [(0, 1), (2, 1), (1, 0), (1, 2), (0xff, 0xff)] {
        let mut other = envelope.clone();
        other[0] = format;
        other[1] = algorithm;
        let result = dek.open(&HERE, &other);
        assert!(
            matches!(result, Err(VaultError::UnsupportedEnvelope { format: f, algorithm: a }) if f == format && a == algorithm),
            "{format}/{algorithm}: {result:?}"
        );
        assert_eq!(envelope_key_version(&other), None);
    }
    assert_eq!(envelope_key_version(&[]), None);
    assert_eq!(envelope_key_version(&[1, 1, 0]), None);
}

proptest! {
    #[test]
    fn any_value_round_trips_at_any_place(
        plaintext in proptest::collection::vec(any::<u8>(), 0..512),
        entity in "[a-z_]{1,12}",
        field in "[a-z_]{1,12}",
        record_id in ".{0,40}",
        key_version in any::<u32>(),
    ) {
        let dek = DataKey::generate();
        let at = place(&entity, &field, &record_id, key_version);
        let envelope = dek.seal(&at, &plaintext).expect("seal");
        prop_assert_eq!(envelope_key_version(&envelope), Some(key_version));
        let opened = dek.open(&at, &envelope).expect("open");
        prop_assert_eq!(opened.as_slice(), plaintext.as_slice());
    }

    #[test]
    fn any_other_place_fails(
        a in ("[a-c]{0,3}", "[a-c]{0,3}", "[a-c]{0,3}", 0u32..3),
        b in ("[a-c]{0,3}", "[a-c]{0,3}", "[a-c]{0,3}", 0u32..3),
    ) {
        prop_assume!(a != b);
        let dek = DataKey::generate();
        let sealed_at = place(&a.0, &a.1, &a.2, a.3);
        let opened_at = place(&b.0, &b.1, &b.2, b.3);
        let envelope = dek.seal(&sealed_at, b"secret").expect("seal");
        prop_assert!(matches!(dek.open(&opened_at, &envelope), Err(VaultError::Integrity)));
    }
}
