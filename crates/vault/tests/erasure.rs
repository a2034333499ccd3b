//! Crypto-shredding end to end, with a map standing in for the database: erasing one
//! customer leaves the others readable and that customer unreadable, in the live database
//! and in a copy taken before the erasure.

mod common;

use std::collections::BTreeMap;

use common::{place, Fixture};
use dealervault_vault::{kek_version_of, DataKey, Keyring, VaultError};

/// One customer's rows: the wrapped data key and an encrypted mobile.
#[derive(Clone)]
struct Row {
    wrapped_dek: Vec<u8>,
    mobile: Vec<u8>,
}

type Database = BTreeMap<String, Row>;

fn insert(db: &mut Database, keyring: &Keyring, id: &str, mobile: &str) {
    let dek = DataKey::generate();
    let row = Row {
        wrapped_dek: keyring.active().wrap_data_key(id, &dek).expect("wrap"),
        mobile: dek
            .seal(&place("customer", "mobile", id, 1), mobile.as_bytes())
            .expect("seal"),
    };
    db.insert(id.to_owned(), row);
}

fn read_mobile(db: &Database, keyring: &Keyring, id: &str) -> Result<String, VaultError> {
    let row = db.get(id).ok_or(VaultError::Integrity)?;
    let dek = keyring.unwrap_data_key(id, &row.wrapped_dek)?;
    let plain = dek.open(&place("customer", "mobile", id, 1), &row.mobile)?;
    Ok(String::from_utf8_lossy(&plain).into_owned())
}

/// The rewrap loop of a rotation: resumable, since each row says its KEK version.
fn rewrap_some(db: &mut Database, keyring: &Keyring, limit: usize) -> usize {
    let active = keyring.active();
    let mut done = 0;
    for (id, row) in db.iter_mut() {
        if done == limit {
            break;
        }
        if kek_version_of(&row.wrapped_dek) != Some(active.version()) {
            let dek = keyring
                .unwrap_data_key(id, &row.wrapped_dek)
                .expect("unwrap");
            row.wrapped_dek = active.wrap_data_key(id, &dek).expect("wrap");
            done += 1;
        }
    }
    done
}

#[test]
fn erasing_a_customer_reaches_old_copies_of_the_database() {
    let mut fx = Fixture::new();
    let mut db = Database::new();
    insert(&mut db, &fx.keyring, "alice", "13800000001");
    insert(&mut db, &fx.keyring, "bob", "13800000002");
    insert(&mut db, &fx.keyring, "carol", "13800000003");
    let backup = db.clone();
    assert_eq!(
        read_mobile(&backup, &fx.keyring, "bob").expect("read"),
        "13800000002"
    );

    // Erase bob: delete his wrapped key, rotate, rewrap the rest (crashing halfway once),
    // destroy the old version.
    db.remove("bob");
    fx.keyring.rotate(&fx.master).expect("rotate");
    fx.keyring
        .save(&fx.keyring_path(), &fx.master)
        .expect("save");
    assert_eq!(
        rewrap_some(&mut db, &fx.keyring, 1),
        1,
        "crash after one row"
    );
    let resumed = fx.reload();
    assert_eq!(rewrap_some(&mut db, &resumed, usize::MAX), 1, "the rest");
    assert_eq!(
        rewrap_some(&mut db, &resumed, usize::MAX),
        0,
        "nothing left"
    );
    assert!(db
        .values()
        .all(|row| kek_version_of(&row.wrapped_dek) == Some(2)));
    fx.keyring.destroy(1).expect("destroy");
    fx.keyring
        .save(&fx.keyring_path(), &fx.master)
        .expect("save");

    let keyring = fx.reload();
    assert_eq!(
        read_mobile(&db, &keyring, "alice").expect("alice"),
        "13800000001"
    );
    assert_eq!(
        read_mobile(&db, &keyring, "carol").expect("carol"),
        "13800000003"
    );
    assert!(
        read_mobile(&db, &keyring, "bob").is_err(),
        "gone from the live database"
    );

    // The old copy still holds bob's wrapped key, but only under the destroyed KEK.
    let old = read_mobile(&backup, &keyring, "bob");
    assert!(
        matches!(old, Err(VaultError::UnknownKekVersion { version: 1 })),
        "{old:?}"
    );
    // Moving bob's old wrapped key into a live row does not help either.
    let mut forged = db.clone();
    let mut row = forged["alice"].clone();
    row.wrapped_dek = backup["bob"].wrapped_dek.clone();
    forged.insert("bob".to_owned(), row);
    assert!(read_mobile(&forged, &keyring, "bob").is_err());
}

#[test]
fn field_ciphertexts_do_not_move_between_customers() {
    let fx = Fixture::new();
    let mut db = Database::new();
    insert(&mut db, &fx.keyring, "alice", "13800000001");
    insert(&mut db, &fx.keyring, "bob", "13800000002");
    let stolen = db["alice"].mobile.clone();
    if let Some(bob) = db.get_mut("bob") {
        bob.mobile = stolen;
    }
    let result = read_mobile(&db, &fx.keyring, "bob");
    assert!(matches!(result, Err(VaultError::Integrity)), "{result:?}");
    assert_eq!(
        read_mobile(&db, &fx.keyring, "alice").expect("alice"),
        "13800000001"
    );
}
