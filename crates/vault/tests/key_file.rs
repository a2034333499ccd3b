//! The master key file: create, load, refusal to overwrite, passphrases, corruption,
//! permissions.

mod common;

use std::path::Path;

use dealervault_vault::{key_file, VaultError};
use secrecy::SecretString;
use tempfile::TempDir;

fn secret(s: &str) -> SecretString {
    SecretString::from(s)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("read key file")
}

#[test]
fn a_plain_key_file_loads_the_same_key() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("master.key");
    let created = key_file::create(&path, None).expect("create");
    let loaded = key_file::load(&path, None).expect("load");
    assert_eq!(created.check_value(), loaded.check_value());

    let text = read(&path);
    assert!(
        text.starts_with("dealervault-master-key v1 plain "),
        "{text}"
    );
    assert!(text.ends_with('\n'));
    assert_eq!(text.lines().count(), 1);
}

#[test]
fn a_passphrase_key_file_loads_the_same_key() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("master.key");
    let pass = secret("correct horse battery staple");
    let created = key_file::create(&path, Some(&pass)).expect("create");
    let loaded = key_file::load(&path, Some(&pass)).expect("load");
    assert_eq!(created.check_value(), loaded.check_value());

    let text = read(&path);
    let fields: Vec<&str> = text.trim_end().split(' ').collect();
    assert_eq!(
        fields[..4],
        [
            "dealervault-master-key",
            "v1",
            "argon2id",
            "m=19456,t=2,p=1"
        ]
    );
    assert_eq!(fields.len(), 7, "{text}");
    assert!(!text.contains("correct horse"));
}

#[test]
fn two_files_hold_two_different_keys() {
    let dir = TempDir::new().expect("temp dir");
    let a = key_file::create(&dir.path().join("a"), None).expect("create");
    let b = key_file::create(&dir.path().join("b"), None).expect("create");
    assert_ne!(a.check_value(), b.check_value());
}

#[test]
fn create_never_overwrites() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("master.key");
    let first = key_file::create(&path, None).expect("create");
    let before = read(&path);
    for passphrase in [None, Some(secret("p"))] {
        let result = key_file::create(&path, passphrase.as_ref());
        assert!(
            matches!(&result, Err(VaultError::KeyFileExists { path: p }) if p == &path),
            "{result:?}"
        );
    }
    assert_eq!(read(&path), before, "the existing file is untouched");
    let loaded = key_file::load(&path, None).expect("load");
    assert_eq!(loaded.check_value(), first.check_value());
}

#[test]
fn create_never_overwrites_any_existing_file() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("database.db");
    std::fs::write(&path, b"precious data").expect("write");
    assert!(matches!(
        key_file::create(&path, None),
        Err(VaultError::KeyFileExists { .. })
    ));
    assert_eq!(std::fs::read(&path).expect("read"), b"precious data");
}

#[cfg(unix)]
#[test]
fn create_refuses_a_dangling_symlink() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("master.key");
    let target = dir.path().join("elsewhere");
    std::os::unix::fs::symlink(&target, &path).expect("symlink");
    assert!(matches!(
        key_file::create(&path, None),
        Err(VaultError::KeyFileExists { .. })
    ));
    assert!(!target.exists(), "nothing written through the link");
}

#[test]
fn passphrase_errors_are_distinct() {
    let dir = TempDir::new().expect("temp dir");
    let sealed = dir.path().join("sealed.key");
    let plain = dir.path().join("plain.key");
    key_file::create(&sealed, Some(&secret("right"))).expect("create");
    key_file::create(&plain, None).expect("create");

    type Case<'a> = (&'a Path, Option<SecretString>, fn(&VaultError) -> bool);
    let cases: [Case; 5] = [
        (&sealed, Some(secret("wrong")), |e| {
            matches!(e, VaultError::WrongPassphrase)
        }),
        (&sealed, Some(secret("right ")), |e| {
            matches!(e, VaultError::WrongPassphrase)
        }),
        (&sealed, None, |e| {
            matches!(e, VaultError::PassphraseRequired)
        }),
        (&sealed, Some(secret("")), |e| {
            matches!(e, VaultError::EmptyPassphrase)
        }),
        (&plain, Some(secret("right")), |e| {
            matches!(e, VaultError::UnexpectedPassphrase)
        }),
    ];
    for (path, passphrase, expected) in cases {
        let result = key_file::load(path, passphrase.as_ref());
        match result {
            Err(e) => assert!(expected(&e), "{}: {e:?}", path.display()),
            Ok(_) => panic!("{} loaded", path.display()),
        }
    }
}

#[test]
fn an_empty_passphrase_is_refused_at_creation() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("master.key");
    assert!(matches!(
        key_file::create(&path, Some(&secret(""))),
        Err(VaultError::EmptyPassphrase)
    ));
    assert!(!path.exists());
}

#[test]
fn altering_the_sealed_file_reads_as_a_wrong_passphrase() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("master.key");
    let pass = secret("right");
    key_file::create(&path, Some(&pass)).expect("create");
    let text = read(&path);
    let fields: Vec<String> = text.trim_end().split(' ').map(str::to_owned).collect();
    // The parameters, salt, nonce and ciphertext are all bound.
    let with = |i: usize, value: &str| {
        let mut f = fields.clone();
        f[i] = value.to_owned();
        format!("{}\n", f.join(" "))
    };
    let other_salt = base64_of(&[7u8; 16]);
    let other_nonce = base64_of(&[7u8; 12]);
    let other_ciphertext = base64_of(&[7u8; 48]);
    for altered in [
        with(3, "m=19456,t=3,p=1"),
        with(4, &other_salt),
        with(5, &other_nonce),
        with(6, &other_ciphertext),
    ] {
        std::fs::write(&path, &altered).expect("write");
        let result = key_file::load(&path, Some(&pass));
        assert!(
            matches!(result, Err(VaultError::WrongPassphrase)),
            "{altered}: {result:?}"
        );
    }
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn a_missing_file_is_named() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("nowhere.key");
    let result = key_file::load(&path, None);
    assert!(
        matches!(&result, Err(VaultError::MissingKeyFile { path: p }) if p == &path),
        "{result:?}"
    );
    let message = result.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("nowhere.key"), "{message}");
}

#[test]
fn corrupt_files_are_refused_with_a_reason() {
    let key = common::KNOWN_MASTER_B64;
    let short = base64_of(&[1u8; 31]);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", b"".to_vec()),
        ("newline only", b"\n".to_vec()),
        ("garbage", b"hello world\n".to_vec()),
        ("not utf-8", vec![0xff, 0xfe, 0x00]),
        (
            "other magic",
            format!("other-key v1 plain {key}\n").into_bytes(),
        ),
        (
            "other version",
            format!("dealervault-master-key v2 plain {key}\n").into_bytes(),
        ),
        (
            "unknown protection",
            format!("dealervault-master-key v1 rot13 {key}\n").into_bytes(),
        ),
        (
            "bad base64",
            b"dealervault-master-key v1 plain !!!!\n".to_vec(),
        ),
        (
            "31-byte key",
            format!("dealervault-master-key v1 plain {short}\n").into_bytes(),
        ),
        (
            "extra field",
            format!("dealervault-master-key v1 plain {key} x\n").into_bytes(),
        ),
        ("missing key", b"dealervault-master-key v1 plain\n".to_vec()),
        (
            "two lines",
            format!("dealervault-master-key v1 plain {key}\n\n").into_bytes(),
        ),
        (
            "double space",
            format!("dealervault-master-key v1  plain {key}\n").into_bytes(),
        ),
        ("huge", vec![b'a'; 10_000]),
        (
            "argon2id missing fields",
            b"dealervault-master-key v1 argon2id m=19456,t=2,p=1 AAAA\n".to_vec(),
        ),
        (
            "argon2id absurd memory",
            format!(
                "dealervault-master-key v1 argon2id m=4000000,t=2,p=1 {} {} {}\n",
                base64_of(&[0; 16]),
                base64_of(&[0; 12]),
                base64_of(&[0; 48])
            )
            .into_bytes(),
        ),
        (
            "argon2id short nonce",
            format!(
                "dealervault-master-key v1 argon2id m=19456,t=2,p=1 {} {} {}\n",
                base64_of(&[0; 16]),
                base64_of(&[0; 11]),
                base64_of(&[0; 48])
            )
            .into_bytes(),
        ),
        (
            "argon2id short salt",
            format!(
                "dealervault-master-key v1 argon2id m=19456,t=2,p=1 {} {} {}\n",
                base64_of(&[0; 4]),
                base64_of(&[0; 12]),
                base64_of(&[0; 48])
            )
            .into_bytes(),
        ),
    ];
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("master.key");
    for (case, contents) in cases {
        std::fs::write(&path, &contents).expect("write");
        let result = key_file::load(&path, Some(&secret("p")));
        assert!(
            matches!(result, Err(VaultError::CorruptKeyFile { .. })),
            "{case}: {result:?}"
        );
        let result = key_file::load(&path, None);
        assert!(
            matches!(result, Err(VaultError::CorruptKeyFile { .. })),
            "{case} (no passphrase): {result:?}"
        );
    }
}

#[test]
fn a_crlf_line_ending_is_tolerated() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("master.key");
    let key = common::KNOWN_MASTER_B64;
    std::fs::write(&path, format!("dealervault-master-key v1 plain {key}\r\n")).expect("write");
    let loaded = key_file::load(&path, None).expect("load");
    assert_eq!(loaded.check_value(), common::known_master().check_value());
}

#[test]
fn a_missing_directory_is_an_io_error() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("no").join("such").join("master.key");
    assert!(matches!(
        key_file::create(&path, None),
        Err(VaultError::Io { .. })
    ));
}

#[cfg(unix)]
#[test]
fn key_files_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new().expect("temp dir");
    for (name, passphrase) in [("plain.key", None), ("sealed.key", Some(secret("p")))] {
        let path = dir.path().join(name);
        key_file::create(&path, passphrase.as_ref()).expect("create");
        let mode = std::fs::metadata(&path)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600, "{name}");
        key_file::check_permissions(&path).expect("0600 passes");
    }
}

#[cfg(unix)]
#[test]
fn check_permissions_refuses_group_or_other_access() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("master.key");
    key_file::create(&path, None).expect("create");
    for mode in [0o640, 0o604, 0o644, 0o660, 0o602, 0o610] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
        let result = key_file::check_permissions(&path);
        assert!(
            matches!(result, Err(VaultError::InsecurePermissions { mode: m, .. }) if m == mode),
            "{mode:o}: {result:?}"
        );
    }
    for mode in [0o600, 0o400] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
        key_file::check_permissions(&path).expect("owner-only passes");
    }
    assert!(matches!(
        key_file::check_permissions(&dir.path().join("missing")),
        Err(VaultError::Io { .. })
    ));
}
