//! Customers: every row-scope bound in SQL, round trips of every column, exact lookups by
//! blind index and by id list, unique constraints.

use crate::fixtures::{
    blind_index, customer, envelope, group, role, scope_cases, seed, store_row, user, wrapped_key,
    World, ALL, KEK, T0,
};
use crate::testing::TestDb;
use dealervault_domain::access::{RowBound, RowFilter};
use dealervault_domain::ids::{CustomerId, UserId};
use dealervault_store::DataKeyTable::Customers;
use dealervault_store::{
    CustomerQuery, PageRequest, SealedCustomer, Store, StoreError, Tx, SEALED_FIELDS,
};
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
    w.customers
        .iter()
        .filter(|c| w.owned_by(owners, c))
        .map(|c| c.id.clone())
        .collect()
}

/// The ids a query finds, checking that the total agrees with the rows.
async fn found(tx: &mut Tx, filter: &RowFilter, query: &CustomerQuery) -> BTreeSet<CustomerId> {
    let page = tx.customers(filter, query, &ALL).await.expect("list");
    assert_eq!(page.total as usize, page.items.len(), "{query:?}");
    page.items.into_iter().map(|c| c.id).collect()
}

async fn customer_total(tx: &mut Tx) -> u64 {
    tx.customers(&group(), &CustomerQuery::default(), &PageRequest::default())
        .await
        .expect("list")
        .total
}

async fn key_total(tx: &mut Tx) -> u64 {
    let counts = tx.data_key_counts(Customers).await.expect("key counts");
    counts.iter().map(|(_, n)| n).sum()
}

#[tokio::test]
async fn every_bound_is_applied_in_sql() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        let cases = scope_cases(&w);
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

/// A customer with every optional column set, to values that are not UTF-8.
fn full_customer(w: &World) -> SealedCustomer {
    let mut c = customer(500, &w.s2, &w.erin, "王小明", T0);
    c.id_number = Some(envelope("id_number", "110105194912310021"));
    c.email = Some(vec![0xff, 0xfe, 0x00, 0x01]);
    c.address = Some(envelope("address", "上海市浦东新区"));
    c.wechat = Some(envelope("wechat", "wxm"));
    c.birth_date = Some(envelope("birth_date", "1949-12-31"));
    c.notes = Some(envelope("notes", "VIP"));
    c.id_number_index = Some(blind_index(2, 500));
    c.gender = "male".into();
    c.source = "referral".into();
    c.updated_at = T0 + 5;
    c.data_key = Some(wrapped_key(7, 500));
    c.store_code = "ignored on write".into();
    c
}

#[tokio::test]
async fn every_column_reads_back_as_written() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        let mut tx = db.store().write().await.expect("begin");
        let c = full_customer(&w);
        tx.insert_customer(&c, 7).await.expect("insert");
        let expected = SealedCustomer {
            store_code: "S2".into(),
            ..c.clone()
        };
        let got = tx.customer(&group(), &c.id).await.expect("get");
        assert_eq!(got.as_ref(), Some(&expected), "{label}: customer()");
        let got = tx.sealed_customer_unscoped(&c.id).await.expect("get");
        assert_eq!(got.as_ref(), Some(&expected), "{label}: unscoped");
        let only = CustomerQuery {
            ids: Some(vec![c.id.clone()]),
            ..CustomerQuery::default()
        };
        let page = tx.customers(&group(), &only, &ALL).await.expect("list");
        assert_eq!(page.items, vec![expected.clone()], "{label}: customers()");
        assert!(
            tx.data_key_counts(Customers)
                .await
                .expect("counts")
                .contains(&(7, 1)),
            "{label}: the key row carries the KEK version given"
        );

        // An update writes every sealed field, both indexes, gender, source and
        // updated_at; owner, store, creation time and the key stay as they were.
        let mut edited = expected.clone();
        edited.name = envelope("name", "王大明");
        edited.mobile = envelope("mobile", "13900000999");
        edited.id_number = None;
        edited.email = Some(vec![0x00]);
        edited.address = None;
        edited.wechat = Some(envelope("wechat", "wdm"));
        edited.birth_date = None;
        edited.notes = Some(envelope("notes", "moved"));
        edited.mobile_index = blind_index(1, 999);
        edited.id_number_index = None;
        edited.gender = "female".into();
        edited.source = "online".into();
        edited.updated_at = T0 + 99;
        let mut attempt = edited.clone();
        attempt.owner_id = w.alice.id.clone();
        attempt.store_id = w.s1.id.clone();
        attempt.created_at = T0 - 1;
        attempt.data_key = Some(wrapped_key(8, 500));
        tx.update_customer(&attempt).await.expect("update");
        let got = tx.customer(&group(), &c.id).await.expect("get");
        assert_eq!(got.as_ref(), Some(&edited), "{label}: after update");

        let stranger = SealedCustomer {
            id: CustomerId::generate(),
            mobile_index: blind_index(1, 998),
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

#[test]
fn sealed_fields_by_catalog_name_and_a_quiet_debug() {
    let s1 = store_row("S1");
    let alice = user("alice", &role("sales"), None, None);
    let mut c = customer(1, &s1, &alice, "name", T0);
    for field in SEALED_FIELDS {
        let envelope = envelope(field, "new value");
        c.set_sealed(field, Some(envelope.clone()));
        assert_eq!(c.sealed(field), Some(envelope.as_slice()), "{field}");
    }
    for field in SEALED_FIELDS {
        c.set_sealed(field, None);
    }
    // Name and mobile are required: clearing them is ignored.
    assert_eq!(
        c.sealed("name"),
        Some(envelope("name", "new value").as_slice())
    );
    assert_eq!(
        c.sealed("mobile"),
        Some(envelope("mobile", "new value").as_slice())
    );
    for field in &SEALED_FIELDS[2..] {
        assert_eq!(c.sealed(field), None, "{field}");
    }
    let before = c.clone();
    c.set_sealed("gender", Some(vec![1]));
    c.set_sealed("mobile_index", Some(vec![1]));
    assert_eq!(c, before, "only sealed fields are set by name");
    assert_eq!(c.sealed("gender"), None);
    assert_eq!(c.sealed("mobile_index"), None);

    let debug = format!("{c:?}");
    assert!(
        debug.contains(c.id.as_str()) && debug.contains("S1"),
        "{debug}"
    );
    assert!(!debug.contains('['), "no bytes in Debug: {debug}");
    assert!(!debug.contains("unknown") && !debug.contains("walk_in"));
}

#[tokio::test]
async fn a_customer_without_its_key_is_refused_and_nothing_is_left_half_written() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        let mut tx = db.store().write().await.expect("begin");
        let before = (customer_total(&mut tx).await, key_total(&mut tx).await);

        let mut keyless = customer(600, &w.s1, &w.bob, "keyless", T0);
        keyless.data_key = None;
        let err = tx.insert_customer(&keyless, KEK).await.expect_err("no key");
        assert!(matches!(err, StoreError::Other(_)), "{label}: {err:?}");
        let err = tx
            .insert_customers(&[
                (customer(601, &w.s1, &w.bob, "fine", T0), KEK),
                (keyless.clone(), KEK),
            ])
            .await
            .expect_err("no key in bulk");
        assert!(matches!(err, StoreError::Other(_)), "{label}: {err:?}");

        // The customer row goes in first; when its key row fails (here: not a wrapped
        // key), the customer row is undone with it.
        let mut bad_key = customer(602, &w.s1, &w.bob, "bad key", T0);
        bad_key.data_key = Some(vec![1; 64]);
        let err = tx
            .insert_customer(&bad_key, KEK)
            .await
            .expect_err("64 bytes");
        assert!(matches!(err, StoreError::Other(_)), "{label}: {err:?}");
        assert_eq!(
            tx.sealed_customer_unscoped(&bad_key.id).await.expect("get"),
            None,
            "{label}: no customer without its key"
        );
        assert_eq!(
            (customer_total(&mut tx).await, key_total(&mut tx).await),
            before,
            "{label}: counts untouched"
        );

        // A clear value where a blind index belongs is refused.
        let mut clear = customer(603, &w.s1, &w.bob, "clear", T0);
        clear.mobile_index = b"13900000603".to_vec();
        let err = tx.insert_customer(&clear, KEK).await.expect_err("clear");
        assert!(matches!(err, StoreError::Other(_)), "{label}: {err:?}");
        assert!(!err.to_string().contains("13900000603"), "{label}: {err}");

        let fine = customer(604, &w.s1, &w.bob, "fine", T0);
        tx.insert_customer(&fine, KEK)
            .await
            .expect("the transaction is still usable");
        tx.commit().await.expect("commit");
        assert_eq!(
            visible(db.store(), &group()).await.len(),
            w.customers.len() + 1,
            "{label}"
        );
        db.teardown().await;
    }
}

#[tokio::test]
async fn duplicate_mobile_index_is_a_conflict_and_the_transaction_goes_on() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        let mut tx = db.store().write().await.expect("begin");
        let before = (customer_total(&mut tx).await, key_total(&mut tx).await);
        let taken = w.customers[0].mobile_index.clone();
        let mut dup = customer(900, &w.s1, &w.bob, "dup", T0);
        dup.mobile_index = taken.clone();
        let err = tx
            .insert_customer(&dup, KEK)
            .await
            .expect_err("duplicate mobile index");
        assert!(
            err.is_conflict_on("customers_mobile_key"),
            "{label}: {err:?}"
        );
        assert_eq!(
            (customer_total(&mut tx).await, key_total(&mut tx).await),
            before,
            "{label}: neither the row nor its key went in"
        );

        let same_id = SealedCustomer {
            mobile_index: blind_index(1, 901),
            ..w.customers[1].clone()
        };
        let err = tx
            .insert_customer(&same_id, KEK)
            .await
            .expect_err("duplicate id");
        assert!(err.is_conflict_on("customers_pkey"), "{label}: {err:?}");

        let mut moved = w.customers[2].clone();
        moved.mobile_index = taken.clone();
        let err = tx
            .update_customer(&moved)
            .await
            .expect_err("update onto a taken mobile index");
        assert!(
            err.is_conflict_on("customers_mobile_key"),
            "{label}: {err:?}"
        );
        let err = tx
            .set_blind_indexes(&moved.id, &taken, None)
            .await
            .expect_err("reindex onto a taken mobile index");
        assert!(
            err.is_conflict_on("customers_mobile_key"),
            "{label}: {err:?}"
        );

        let found = tx
            .customer_by_mobile_index(&taken)
            .await
            .expect("by mobile index");
        assert_eq!(
            found,
            Some((w.customers[0].id.clone(), w.alice.id.clone())),
            "{label}"
        );
        assert_eq!(
            tx.customer_by_mobile_index(&blind_index(1, 902))
                .await
                .expect("by mobile index"),
            None
        );
        dup.mobile_index = blind_index(1, 902);
        tx.insert_customer(&dup, KEK)
            .await
            .expect("the transaction is still usable");
        tx.commit().await.expect("commit");
        assert_eq!(
            visible(db.store(), &group()).await.len(),
            w.customers.len() + 1
        );
        let mut tx = db.store().read().await.expect("begin");
        assert_eq!(
            tx.customer(&group(), &w.customers[2].id)
                .await
                .expect("get")
                .as_ref(),
            Some(&SealedCustomer {
                store_code: "S1".into(),
                ..w.customers[2].clone()
            }),
            "{label}: the refused update changed nothing"
        );
        drop(tx);
        db.teardown().await;
    }
}

#[tokio::test]
async fn exact_lookups_never_leave_the_scope() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        let mut tx = db.store().read().await.expect("begin");
        for (filter, owners) in scope_cases(&w) {
            for c in &w.customers {
                let expected: BTreeSet<_> = if w.owned_by(owners, c) {
                    [c.id.clone()].into()
                } else {
                    BTreeSet::new()
                };
                let by_mobile = CustomerQuery {
                    mobile_index: Some(c.mobile_index.clone()),
                    ..CustomerQuery::default()
                };
                assert_eq!(
                    found(&mut tx, &filter, &by_mobile).await,
                    expected,
                    "{label}: mobile index under {filter:?}"
                );
                let by_id_number = CustomerQuery {
                    id_number_index: c.id_number_index.clone(),
                    ..CustomerQuery::default()
                };
                assert_eq!(
                    found(&mut tx, &filter, &by_id_number).await,
                    expected,
                    "{label}: ID number index under {filter:?}"
                );
                let both = CustomerQuery {
                    mobile_index: Some(c.mobile_index.clone()),
                    id_number_index: c.id_number_index.clone(),
                    ids: Some(vec![c.id.clone()]),
                    owner: Some(c.owner_id.clone()),
                    source: Some(c.source.clone()),
                };
                assert_eq!(found(&mut tx, &filter, &both).await, expected, "{label}");
            }
        }
        // Terms combine with AND; indexes of other fields or values match nothing.
        let a = &w.customers[0];
        let b = &w.customers[1];
        let mixed = CustomerQuery {
            mobile_index: Some(a.mobile_index.clone()),
            id_number_index: b.id_number_index.clone(),
            ..CustomerQuery::default()
        };
        assert!(found(&mut tx, &group(), &mixed).await.is_empty(), "{label}");
        let cross_field = CustomerQuery {
            mobile_index: a.id_number_index.clone(),
            ..CustomerQuery::default()
        };
        assert!(found(&mut tx, &group(), &cross_field).await.is_empty());
        drop(tx);
        db.teardown().await;
    }
}

#[tokio::test]
async fn an_id_list_restricts_the_list_within_the_scope() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        let mut tx = db.store().read().await.expect("begin");
        // Every other customer, and an id that exists nowhere.
        let mut ids: Vec<CustomerId> = w
            .customers
            .iter()
            .step_by(2)
            .map(|c| c.id.clone())
            .collect();
        ids.push(CustomerId::generate());
        for (filter, owners) in scope_cases(&w) {
            let expected: BTreeSet<_> = w
                .customers
                .iter()
                .step_by(2)
                .filter(|c| w.owned_by(owners, c))
                .map(|c| c.id.clone())
                .collect();
            let query = CustomerQuery {
                ids: Some(ids.clone()),
                ..CustomerQuery::default()
            };
            assert_eq!(
                found(&mut tx, &filter, &query).await,
                expected,
                "{label}: {filter:?}"
            );
        }

        // The total counts the matches, not the page.
        let query = CustomerQuery {
            ids: Some(ids.clone()),
            ..CustomerQuery::default()
        };
        let small = PageRequest { limit: 2, ..ALL };
        let page = tx.customers(&group(), &query, &small).await.expect("page");
        assert_eq!((page.total, page.items.len()), (5, 2), "{label}");

        let none = CustomerQuery {
            ids: Some(Vec::new()),
            ..CustomerQuery::default()
        };
        let page = tx.customers(&group(), &none, &ALL).await.expect("empty");
        assert_eq!((page.total, page.items.len()), (0, 0), "{label}");

        // Far more ids than either backend takes parameters in one statement.
        let mut many: Vec<CustomerId> = (0..70_000).map(|_| CustomerId::generate()).collect();
        many.push(w.customers[3].id.clone());
        many.push(w.customers[8].id.clone());
        let query = CustomerQuery {
            ids: Some(many),
            ..CustomerQuery::default()
        };
        let s1 = RowFilter::decided(RowBound::Store(w.s1.id.clone()), None);
        assert_eq!(
            found(&mut tx, &s1, &query).await,
            [w.customers[3].id.clone()].into(),
            "{label}: customers[8] is erin's, in S2"
        );

        // Ids are data, not SQL.
        let hostile = CustomerQuery {
            ids: Some(vec![CustomerId::from_stored("x') OR 1=1 --\"]".into())]),
            ..CustomerQuery::default()
        };
        assert!(
            found(&mut tx, &group(), &hostile).await.is_empty(),
            "{label}"
        );
        drop(tx);
        db.teardown().await;
    }
}

#[tokio::test]
async fn the_owner_of_a_mobile_index_is_found_whatever_the_scope() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let mut tx = db.store().read().await.expect("begin");
        for c in &w.customers {
            let owner: UserId = c.owner_id.clone();
            assert_eq!(
                tx.customer_by_mobile_index(&c.mobile_index)
                    .await
                    .expect("lookup"),
                Some((c.id.clone(), owner)),
                "{}",
                db.label()
            );
            let unscoped = tx
                .sealed_customer_unscoped(&c.id)
                .await
                .expect("get")
                .expect("present");
            assert_eq!(unscoped.mobile, c.mobile);
        }
        assert_eq!(
            tx.sealed_customer_unscoped(&CustomerId::generate())
                .await
                .expect("get"),
            None
        );
        drop(tx);
        db.teardown().await;
    }
}
