//! The keyring: create, load, rotate, destroy, atomic saves, wrong master keys, tampering.

mod common;

use common::{dir_entries, Fixture};
use dealervault_vault::{DataKey, KekState, Keyring, MasterKey, VaultError};

#[test]
fn create_then_load_gives_the_same_keks() {
    let fx = Fixture::new();
    assert_eq!(fx.keyring.versions(), [(1, KekState::Active)]);
    assert_eq!(fx.keyring.active().version(), 1);
    let dek = DataKey::generate();
    let wrapped = fx.keyring.active().wrap_data_key("c1", &dek).expect("wrap");

    let loaded = fx.reload();
    assert_eq!(loaded.versions(), fx.keyring.versions());
    loaded
        .active()
        .unwrap_data_key("c1", &wrapped)
        .expect("the loaded KEK is the created one");
}

#[test]
fn create_never_overwrites() {
    let fx = Fixture::new();
    let before = std::fs::read(fx.keyring_path()).expect("read");
    let result = Keyring::create(&fx.keyring_path(), &fx.master);
    assert!(
        matches!(result, Err(VaultError::KeyringExists { .. })),
        "{result:?}"
    );
    let other = MasterKey::generate();
    assert!(matches!(
        Keyring::create(&fx.keyring_path(), &other),
        Err(VaultError::KeyringExists { .. })
    ));
    assert_eq!(std::fs::read(fx.keyring_path()).expect("read"), before);
}

#[test]
fn a_missing_keyring_is_named() {
    let fx = Fixture::new();
    let path = fx.dir.path().join("absent");
    let result = Keyring::load(&path, &fx.master);
    assert!(
        matches!(result, Err(VaultError::MissingKeyring { .. })),
        "{result:?}"
    );
}

#[test]
fn a_wrong_master_key_is_recognised() {
    let fx = Fixture::new();
    let result = Keyring::load(&fx.keyring_path(), &MasterKey::generate());
    assert!(
        matches!(result, Err(VaultError::WrongMasterKey)),
        "{result:?}"
    );
}

#[test]
fn saving_or_rotating_with_another_master_key_is_refused() {
    let mut fx = Fixture::new();
    let other = MasterKey::generate();
    assert!(matches!(
        fx.keyring.save(&fx.keyring_path(), &other),
        Err(VaultError::WrongMasterKey)
    ));
    assert!(matches!(
        fx.keyring.rotate(&other),
        Err(VaultError::WrongMasterKey)
    ));
    assert_eq!(fx.keyring.versions(), [(1, KekState::Active)]);
    fx.reload();
}

#[test]
fn rotation_adds_an_active_version_and_retires_the_old_one() {
    let mut fx = Fixture::new();
    assert_eq!(fx.keyring.rotate(&fx.master).expect("rotate"), 2);
    assert_eq!(fx.keyring.rotate(&fx.master).expect("rotate"), 3);
    let expected = [
        (1, KekState::Retiring),
        (2, KekState::Retiring),
        (3, KekState::Active),
    ];
    assert_eq!(fx.keyring.versions(), expected);
    assert_eq!(fx.keyring.active().version(), 3);
    for v in 1..=3 {
        assert_eq!(fx.keyring.get(v).map(|k| k.version()), Some(v));
    }
    assert!(fx.keyring.get(4).is_none());
    assert!(fx.keyring.get(0).is_none());

    fx.keyring
        .save(&fx.keyring_path(), &fx.master)
        .expect("save");
    assert_eq!(fx.reload().versions(), expected);
}

#[test]
fn an_old_wrapped_key_unwraps_until_its_version_is_destroyed() {
    let mut fx = Fixture::new();
    let dek = DataKey::generate();
    let wrapped_v1 = fx.keyring.active().wrap_data_key("c1", &dek).expect("wrap");

    fx.keyring.rotate(&fx.master).expect("rotate");
    fx.keyring
        .save(&fx.keyring_path(), &fx.master)
        .expect("save");
    let reloaded = fx.reload();
    reloaded
        .unwrap_data_key("c1", &wrapped_v1)
        .expect("v1 is retiring, still usable");
    let v1 = reloaded.get(1).expect("v1 kept");
    v1.unwrap_data_key("c1", &wrapped_v1)
        .expect("unwrap with v1");

    fx.keyring.destroy(1).expect("destroy v1");
    assert!(fx.keyring.get(1).is_none());
    assert!(matches!(
        fx.keyring.unwrap_data_key("c1", &wrapped_v1),
        Err(VaultError::UnknownKekVersion { version: 1 })
    ));
    fx.keyring
        .save(&fx.keyring_path(), &fx.master)
        .expect("save");
    let reloaded = fx.reload();
    assert_eq!(reloaded.versions(), [(2, KekState::Active)]);
    assert!(matches!(
        reloaded.unwrap_data_key("c1", &wrapped_v1),
        Err(VaultError::UnknownKekVersion { version: 1 })
    ));
    // Nor can the active KEK be talked into it.
    assert!(reloaded
        .active()
        .unwrap_data_key("c1", &wrapped_v1)
        .is_err());
}

#[test]
fn destroy_refuses_the_active_and_unknown_versions() {
    let mut fx = Fixture::new();
    assert!(matches!(
        fx.keyring.destroy(1),
        Err(VaultError::DestroyActiveKek { version: 1 })
    ));
    fx.keyring.rotate(&fx.master).expect("rotate");
    assert!(matches!(
        fx.keyring.destroy(2),
        Err(VaultError::DestroyActiveKek { version: 2 })
    ));
    assert!(matches!(
        fx.keyring.destroy(7),
        Err(VaultError::UnknownKekVersion { version: 7 })
    ));
    fx.keyring.destroy(1).expect("destroy retiring v1");
    assert!(matches!(
        fx.keyring.destroy(1),
        Err(VaultError::UnknownKekVersion { version: 1 })
    ));
    assert_eq!(fx.keyring.versions(), [(2, KekState::Active)]);
}

#[test]
fn versions_are_never_reused_after_destruction() {
    let mut fx = Fixture::new();
    fx.keyring.rotate(&fx.master).expect("rotate");
    fx.keyring.destroy(1).expect("destroy");
    assert_eq!(fx.keyring.rotate(&fx.master).expect("rotate"), 3);
    fx.keyring
        .save(&fx.keyring_path(), &fx.master)
        .expect("save");
    assert_eq!(
        fx.reload().versions(),
        [(2, KekState::Retiring), (3, KekState::Active)]
    );
}

#[test]
fn save_replaces_the_file_atomically_and_leaves_nothing_behind() {
    let mut fx = Fixture::new();
    let before = std::fs::read_to_string(fx.keyring_path()).expect("read");
    assert_eq!(dir_entries(fx.dir.path()), ["keyring"]);
    fx.keyring.rotate(&fx.master).expect("rotate");
    fx.keyring
        .save(&fx.keyring_path(), &fx.master)
        .expect("save");
    let after = std::fs::read_to_string(fx.keyring_path()).expect("read");
    assert_ne!(before, after);
    assert_eq!(
        dir_entries(fx.dir.path()),
        ["keyring"],
        "no temporary file left"
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(fx.keyring_path())
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[cfg(unix)]
#[test]
fn a_failed_save_keeps_the_old_file_and_leaves_no_temporary_file() {
    let fx = Fixture::new();
    let before = std::fs::read(fx.keyring_path()).expect("read");
    // A directory where the file should be: the rename fails after the temp file is written.
    let target = fx.dir.path().join("taken");
    std::fs::create_dir(&target).expect("mkdir");
    std::fs::write(target.join("x"), b"x").expect("write");
    let result = fx.keyring.save(&target, &fx.master);
    assert!(matches!(result, Err(VaultError::Io { .. })), "{result:?}");
    assert_eq!(dir_entries(fx.dir.path()), ["keyring", "taken"]);
    assert_eq!(std::fs::read(fx.keyring_path()).expect("read"), before);
}

#[test]
fn the_file_holds_no_key_material_in_the_clear() {
    let fx = Fixture::new();
    let text = std::fs::read_to_string(fx.keyring_path()).expect("read");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "dealervault-keyring v1");
    assert!(lines[1].starts_with("check "));
    assert!(lines[2].starts_with("kek 1 active "));
    assert!(lines[3].starts_with("mac "));
    assert_eq!(lines.len(), 4);
    // Saving again seals afresh: the sealed bytes change, the keys do not.
    fx.keyring
        .save(&fx.keyring_path(), &fx.master)
        .expect("save");
    let again = std::fs::read_to_string(fx.keyring_path()).expect("read");
    assert_ne!(text, again);
}

#[test]
fn an_altered_keyring_is_refused() {
    let mut fx = Fixture::new();
    fx.keyring.rotate(&fx.master).expect("rotate");
    fx.keyring
        .save(&fx.keyring_path(), &fx.master)
        .expect("save");
    let text = std::fs::read_to_string(fx.keyring_path()).expect("read");
    let lines: Vec<&str> = text.lines().collect();
    let join = |lines: &[&str]| format!("{}\n", lines.join("\n"));
    let swap_states = text
        .replace("retiring", "ACTIVE")
        .replace("active", "retiring")
        .replace("ACTIVE", "active");
    let mut flipped: Vec<u8> = text.clone().into_bytes();
    let at = text.find("kek 2 active ").expect("kek line") + 20;
    flipped[at] = if flipped[at] == b'A' { b'B' } else { b'A' };
    let cases: Vec<(&str, String)> = vec![
        ("empty", String::new()),
        ("no final newline", text.trim_end().to_owned()),
        (
            "other magic",
            text.replacen("dealervault-keyring", "other-keyring", 1),
        ),
        (
            "other version",
            text.replacen("keyring v1", "keyring v2", 1),
        ),
        ("states swapped", swap_states),
        (
            "a kek dropped",
            join(&[lines[0], lines[1], lines[3], lines[4]]),
        ),
        (
            "keks reordered",
            join(&[lines[0], lines[1], lines[3], lines[2], lines[4]]),
        ),
        ("mac dropped", join(&lines[..4])),
        (
            "sealed byte flipped",
            String::from_utf8(flipped).expect("utf-8"),
        ),
        ("line appended", format!("{text}kek 9 retiring AAAA\n")),
    ];
    for (case, contents) in cases {
        std::fs::write(fx.keyring_path(), contents).expect("write");
        let result = Keyring::load(&fx.keyring_path(), &fx.master);
        assert!(
            matches!(result, Err(VaultError::CorruptKeyring { .. })),
            "{case}: {result:?}"
        );
    }
}

#[test]
fn an_old_copy_of_the_keyring_does_not_pass_for_another_master_key() {
    // The check line names the master key; with another key it is a wrong key, never
    // "corrupt", whatever else the file holds.
    let fx = Fixture::new();
    let other = Fixture::new();
    std::fs::copy(other.keyring_path(), fx.keyring_path()).expect("copy");
    assert!(matches!(
        Keyring::load(&fx.keyring_path(), &fx.master),
        Err(VaultError::WrongMasterKey)
    ));
}
