//! Two-step sign-in at rest: a step or a recovery code is spent by one conditional
//! statement, so it is spent once, whatever the order of the callers.

use crate::fixtures::{seed, T0};
use crate::testing::TestDb;
use dealervault_store::RecoveryCodeUse;

#[tokio::test]
async fn a_step_and_a_recovery_code_are_spent_once() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        let alice = &w.alice.id;
        let mut tx = db.store().write().await.expect("begin");
        assert!(tx.user_mfa(alice).await.expect("read").is_none(), "{label}");
        tx.begin_mfa(alice, b"sealed key", T0).await.expect("begin");
        assert!(
            !tx.use_totp_step(alice, 100).await.expect("use"),
            "{label}: nothing in force before the confirmation"
        );
        assert!(
            tx.confirm_mfa(alice, 100, T0).await.expect("confirm"),
            "{label}"
        );
        assert!(
            !tx.confirm_mfa(alice, 101, T0).await.expect("confirm"),
            "{label}: once"
        );
        let row = tx.user_mfa(alice).await.expect("read").expect("a row");
        assert!(row.in_force(), "{label}");
        assert_eq!(
            row.last_step,
            Some(100),
            "{label}: the confirming step is spent"
        );
        assert!(
            !format!("{row:?}").contains("sealed"),
            "{label}: no key in Debug"
        );

        assert!(
            !tx.use_totp_step(alice, 100).await.expect("use"),
            "{label}: spent"
        );
        assert!(
            !tx.use_totp_step(alice, 99).await.expect("use"),
            "{label}: older"
        );
        assert!(
            tx.use_totp_step(alice, 101).await.expect("use"),
            "{label}: later"
        );
        assert!(
            !tx.use_totp_step(alice, 101).await.expect("use"),
            "{label}: once"
        );

        let hashes = vec!["h1".to_string(), "h2".to_string()];
        tx.replace_recovery_codes(alice, &hashes, T0)
            .await
            .expect("codes");
        assert_eq!(
            tx.recovery_codes_left(alice).await.expect("left"),
            2,
            "{label}"
        );
        assert_eq!(
            tx.use_recovery_code(alice, "h1", T0).await.expect("use"),
            RecoveryCodeUse::Used,
            "{label}"
        );
        assert_eq!(
            tx.use_recovery_code(alice, "h1", T0).await.expect("use"),
            RecoveryCodeUse::AlreadyUsed,
            "{label}"
        );
        assert_eq!(
            tx.use_recovery_code(&w.bob.id, "h2", T0)
                .await
                .expect("use"),
            RecoveryCodeUse::Unknown,
            "{label}: not bob's"
        );
        assert_eq!(
            tx.recovery_codes_left(alice).await.expect("left"),
            1,
            "{label}"
        );

        tx.reset_mfa(alice, T0 + 1).await.expect("reset");
        let row = tx.user_mfa(alice).await.expect("read").expect("a row");
        assert!(
            !row.in_force() && row.must_enrol && row.secret.is_none(),
            "{label}"
        );
        assert_eq!(
            tx.recovery_codes_left(alice).await.expect("left"),
            0,
            "{label}"
        );
        // A new set-up keeps the reset's demand until it is confirmed.
        tx.begin_mfa(alice, b"new key", T0 + 2)
            .await
            .expect("begin");
        assert!(
            tx.user_mfa(alice)
                .await
                .expect("read")
                .expect("row")
                .must_enrol,
            "{label}"
        );
        tx.confirm_mfa(alice, 200, T0 + 2).await.expect("confirm");
        assert!(
            !tx.user_mfa(alice)
                .await
                .expect("read")
                .expect("row")
                .must_enrol,
            "{label}"
        );
        tx.commit().await.expect("commit");
        db.teardown().await;
    }
}
