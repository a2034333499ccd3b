//! Customers: every row-scope bound in SQL, round trips, unique constraints.

use crate::fixtures::{customer, group, seed, World, ALL, T0};
use crate::testing::TestDb;
use dealervault_domain::access::{RowBound, RowFilter};
use dealervault_domain::customer::CustomerRecord;
use dealervault_domain::ids::CustomerId;
use dealervault_store::{CustomerQuery, Store, StoreError};
use std::collections::BTreeSet;

async fn visible(store: &Store, filter: &RowFilter) -> BTreeSet<CustomerId> {
    let mut tx = store.read().await.expect("begin");
    let page = tx
        .customers(filter, &CustomerQuery::default(), &ALL)
        .await
        .expect("list");
    assert_eq!(page.total as usize, page.items.len());
    page.items.into_iter().map(|c| c.id).collect()
}

fn owned_by(w: &World, owners: &[&str]) -> BTreeSet<CustomerId> {
    let ids: Vec<_> = [&w.alice, &w.bob, &w.carol, &w.dave, &w.erin]
        .into_iter()
        .filter(|u| owners.contains(&u.username.as_str()))
        .map(|u| u.id.clone())
        .collect();
    w.customers
        .iter()
        .filter(|c| ids.contains(&c.owner_id))
        .map(|c| c.id.clone())
        .collect()
}

#[tokio::test]
async fn every_bound_is_applied_in_sql() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        let cases: Vec<(RowFilter, &[&str])> = vec![
            (
                RowFilter::decided(RowBound::Owner(w.alice.id.clone()), None),
                &["alice"],
            ),
            (
                RowFilter::decided(RowBound::Team(w.team_a.id.clone()), None),
                &["alice", "bob"],
            ),
            (
                RowFilter::decided(RowBound::Department(w.sales1.id.clone()), None),
                &["alice", "bob", "carol"],
            ),
            (
                RowFilter::decided(RowBound::Store(w.s1.id.clone()), None),
                &["alice", "bob", "carol", "dave"],
            ),
            (
                RowFilter::decided(RowBound::Group, None),
                &["alice", "bob", "carol", "dave", "erin"],
            ),
            (
                RowFilter::decided(
                    RowBound::Store(w.s1.id.clone()),
                    Some(RowBound::Team(w.team_a.id.clone())),
                ),
                &["carol", "dave"],
            ),
            (
                RowFilter::decided(
                    RowBound::Group,
                    Some(RowBound::Department(w.sales1.id.clone())),
                ),
                &["dave", "erin"],
            ),
            (
                RowFilter::decided(RowBound::Team(w.team_b.id.clone()), Some(RowBound::Group)),
                &[],
            ),
        ];
        for (filter, owners) in &cases {
            assert_eq!(
                visible(db.store(), filter).await,
                owned_by(&w, owners),
                "{label}: {filter:?}"
            );
        }

        // The SQL agrees with the domain's own definition of each bound, row by row, and
        // `customer()` never loads a row outside the filter.
        let mut tx = db.store().read().await.expect("begin");
        let places = tx.customer_places().await.expect("places");
        assert_eq!(places.len(), w.customers.len());
        for (filter, _) in &cases {
            for (id, place) in &places {
                let expected = filter.within().contains(place)
                    && !filter.except().is_some_and(|e| e.contains(place));
                let got = tx.customer(filter, id).await.expect("get");
                assert_eq!(got.is_some(), expected, "{label}: {filter:?}");
            }
        }
        drop(tx);
        db.teardown().await;
    }
}

#[tokio::test]
async fn scopes_follow_the_owner_when_they_move() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let team_b = RowFilter::decided(RowBound::Team(w.team_b.id.clone()), None);
        assert_eq!(visible(db.store(), &team_b).await, owned_by(&w, &["carol"]));
        let mut tx = db.store().write().await.expect("begin");
        tx.set_user_position(
            &w.alice.id,
            Some(&w.s1.id),
            Some(&w.sales1.id),
            Some(&w.team_b.id),
            T0,
        )
        .await
        .expect("move");
        tx.commit().await.expect("commit");
        assert_eq!(
            visible(db.store(), &team_b).await,
            owned_by(&w, &["alice", "carol"]),
            "{}",
            db.label()
        );
        db.teardown().await;
    }
}

#[tokio::test]
async fn customer_reads_back_whole_with_its_store_code() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let mut tx = db.store().write().await.expect("begin");
        let mut c = customer(500, &w.s2, &w.erin, "王小明", T0);
        c.id_number = Some("110105194912310021".into());
        c.email = Some("w@example.com".into());
        c.address = Some("上海市浦东新区".into());
        c.wechat = Some("wxm".into());
        c.birth_date = Some("1949-12-31".into());
        c.notes = Some("VIP".into());
        c.store_code = "ignored on write".into();
        tx.insert_customer(&c).await.expect("insert");
        let got = tx
            .customer(&group(), &c.id)
            .await
            .expect("get")
            .expect("present");
        assert_eq!(
            got,
            CustomerRecord {
                store_code: "S2".into(),
                ..c.clone()
            },
            "{}",
            db.label()
        );

        let mut edited = got.clone();
        edited.name = "王大明".into();
        edited.email = None;
        edited.notes = Some("moved".into());
        edited.updated_at = T0 + 99;
        tx.update_customer(&edited).await.expect("update");
        let got = tx
            .customer(&group(), &c.id)
            .await
            .expect("get")
            .expect("present");
        assert_eq!(got, edited, "{}", db.label());

        let stranger = CustomerRecord {
            id: CustomerId::generate(),
            ..edited.clone()
        };
        assert!(matches!(
            tx.update_customer(&stranger).await,
            Err(StoreError::Other(_))
        ));
        tx.commit().await.expect("commit");
        db.teardown().await;
    }
}

#[tokio::test]
async fn duplicate_mobile_is_a_conflict_and_the_transaction_goes_on() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        let mut tx = db.store().write().await.expect("begin");
        let taken = w.customers[0].mobile.clone();
        let mut dup = customer(900, &w.s1, &w.bob, "dup", T0);
        dup.mobile = taken.clone();
        let err = tx
            .insert_customer(&dup)
            .await
            .expect_err("duplicate mobile");
        assert!(
            err.is_conflict_on("customers_mobile_key"),
            "{label}: {err:?}"
        );
        assert!(
            !err.to_string().contains(&taken),
            "{label}: the value stays out of the message"
        );

        let same_id = CustomerRecord {
            mobile: "13000000001".into(),
            ..w.customers[1].clone()
        };
        let err = tx
            .insert_customer(&same_id)
            .await
            .expect_err("duplicate id");
        assert!(err.is_conflict_on("customers_pkey"), "{label}: {err:?}");

        let mut moved = w.customers[2].clone();
        moved.mobile = taken.clone();
        let err = tx
            .update_customer(&moved)
            .await
            .expect_err("update onto a taken mobile");
        assert!(
            err.is_conflict_on("customers_mobile_key"),
            "{label}: {err:?}"
        );

        let found = tx.customer_by_mobile(&taken).await.expect("by mobile");
        assert_eq!(
            found,
            Some((w.customers[0].id.clone(), w.alice.id.clone())),
            "{label}"
        );
        assert_eq!(
            tx.customer_by_mobile("13000000000")
                .await
                .expect("by mobile"),
            None
        );
        dup.mobile = "13000000000".into();
        tx.insert_customer(&dup)
            .await
            .expect("the transaction is still usable");
        tx.commit().await.expect("commit");
        assert_eq!(
            visible(db.store(), &group()).await.len(),
            w.customers.len() + 1
        );
        db.teardown().await;
    }
}
