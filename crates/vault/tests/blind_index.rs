//! Blind indexes and the key-check value, including known answers computed independently
//! from the documented derivation.

mod common;

use common::known_master;
use dealervault_vault::{MasterKey, VaultError, BLIND_INDEX_LEN};

#[test]
fn known_answers() {
    let master = known_master();
    // HMAC-SHA256(0x00…0x1f, "dealervault/key-check/v1")
    assert_eq!(
        hex::encode(master.check_value()),
        "b1ceab1335358043d409d9f112ff8efd62e96baf60b00647808712500cba412a"
    );
    // HMAC-SHA256(HKDF-SHA256(0x00…0x1f, enc("dealervault/blind-index/v1", "customer",
    // "mobile", 1)), "13800138000")[..16]
    let index = master
        .blind_index_key("customer", "mobile", 1)
        .index("13800138000");
    assert_eq!(hex::encode(index), "4434db1c630753c712308a9a497513e0");
}

#[test]
fn an_index_is_deterministic_and_16_bytes() {
    let master = MasterKey::generate();
    let key = master.blind_index_key("customer", "mobile", 1);
    let a = key.index("13800138000");
    assert_eq!(a.len(), BLIND_INDEX_LEN);
    assert_eq!(a, key.index("13800138000"));
    assert_eq!(
        a,
        master
            .blind_index_key("customer", "mobile", 1)
            .index("13800138000")
    );
    assert_ne!(a, key.index("13800138001"));
    assert_ne!(key.index(""), key.index(" "));
}

#[test]
fn indexes_differ_per_entity_field_version_and_master_key() {
    let master = MasterKey::generate();
    let value = "110101199003077777";
    let base = master
        .blind_index_key("customer", "id_number", 1)
        .index(value);
    let others = [
        master.blind_index_key("customer", "mobile", 1).index(value),
        master
            .blind_index_key("customer", "id_number", 2)
            .index(value),
        master
            .blind_index_key("customer", "id_number", 0)
            .index(value),
        master
            .blind_index_key("vehicle", "id_number", 1)
            .index(value),
        master
            .blind_index_key("customeri", "d_number", 1)
            .index(value),
        MasterKey::generate()
            .blind_index_key("customer", "id_number", 1)
            .index(value),
    ];
    for (i, other) in others.iter().enumerate() {
        assert_ne!(&base, other, "case {i}");
    }
}

#[test]
fn the_key_knows_what_it_indexes() {
    let key = MasterKey::generate().blind_index_key("customer", "mobile", 3);
    assert_eq!(
        (key.entity(), key.field(), key.version()),
        ("customer", "mobile", 3)
    );
}

#[test]
fn the_check_value_recognises_its_master_key() {
    let master = MasterKey::generate();
    let stored = master.check_value();
    master.verify_check_value(&stored).expect("same key");
    let other = MasterKey::generate();
    assert_ne!(other.check_value(), stored);
    for bad in [&stored[..31], &[][..], &other.check_value()[..]] {
        assert!(matches!(
            master.verify_check_value(bad),
            Err(VaultError::WrongMasterKey)
        ));
    }
}
