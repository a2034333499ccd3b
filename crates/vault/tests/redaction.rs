//! No key type prints its key, and no error message holds secrets.

mod common;

use common::{known_master, Fixture, KNOWN_MASTER_B64};
use dealervault_vault::{DataKey, Key, MasterKey, VaultError};

/// Every rendering of the known master key's bytes that a leak could take.
fn renderings() -> Vec<String> {
    let bytes: Vec<u8> = (0u8..32).collect();
    vec![
        KNOWN_MASTER_B64.to_owned(),
        hex::encode(&bytes),
        format!("{:?}", bytes),
        format!("{:?}", &bytes[..8])
            .trim_end_matches(']')
            .to_owned(),
    ]
}

#[test]
fn debug_of_every_key_type_is_redacted() {
    let fx = Fixture::new();
    let cases = [
        (format!("{:?}", Key::generate()), "Key([redacted])"),
        (
            format!("{:?}", MasterKey::generate()),
            "MasterKey([redacted])",
        ),
        (format!("{:?}", DataKey::generate()), "DataKey([redacted])"),
        (
            format!("{:?}", fx.keyring.active()),
            "Kek { version: 1, key: [redacted] }",
        ),
        (
            format!("{:?}", fx.keyring),
            "Keyring { versions: [(1, Active)], .. }",
        ),
        (
            format!("{:?}", fx.master.blind_index_key("customer", "mobile", 2)),
            "BlindIndex { entity: \"customer\", field: \"mobile\", version: 2, key: [redacted] }",
        ),
    ];
    for (shown, expected) in cases {
        assert_eq!(shown, expected);
    }
}

#[test]
fn a_known_key_never_shows_up_in_debug_output() {
    let master = known_master();
    let shown = [
        format!("{master:?}"),
        format!("{master:#?}"),
        format!("{:?}", master.blind_index_key("customer", "mobile", 1)),
    ];
    for text in shown {
        for leak in renderings() {
            assert!(!text.contains(&leak), "{text} contains {leak}");
        }
    }
}

#[test]
fn errors_carry_no_key_material() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let path = dir.path().join("master.key");
    // A key file whose key has the wrong length: the error names the problem, not the bytes.
    std::fs::write(
        &path,
        format!(
            "dealervault-master-key v1 plain {}AAAA\n",
            KNOWN_MASTER_B64.trim_end_matches('=')
        ),
    )
    .expect("write");
    let error = dealervault_vault::key_file::load(&path, None).err();
    assert!(
        matches!(error, Some(VaultError::CorruptKeyFile { .. })),
        "{error:?}"
    );
    let text = format!(
        "{} {:?}",
        error.as_ref().map(|e| e.to_string()).unwrap_or_default(),
        error
    );
    for leak in renderings() {
        assert!(!text.contains(&leak), "{text}");
    }
    assert!(!text.contains("AAECAwQF"), "{text}");
}

#[test]
fn key_types_can_be_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<MasterKey>();
    assert_send_sync::<DataKey>();
    assert_send_sync::<dealervault_vault::Kek>();
    assert_send_sync::<dealervault_vault::Keyring>();
    assert_send_sync::<dealervault_vault::BlindIndex>();
}
