//! Wrapped data keys (KEK rotation, crypto-erasure) and the blind-index rebuild.

use crate::fixtures::{blind_index, customer, group, seed, wrapped_key, ALL, KEK, T0};
use crate::testing::TestDb;
use dealervault_domain::access::{RowBound, RowFilter};
use dealervault_domain::ids::CustomerId;
use dealervault_store::DataKeyTable::Customers;
use dealervault_store::{CustomerQuery, SealedCustomer, StoreError};
use std::collections::BTreeSet;

#[tokio::test]
async fn keys_are_counted_rewrapped_and_erased() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        let mut tx = db.store().write().await.expect("begin");
        let newer: Vec<_> = (0..5)
            .map(|i| {
                let mut c = customer(400 + i, &w.s1, &w.carol, "newer", T0);
                c.data_key = Some(wrapped_key(2, 400 + i));
                c
            })
            .collect();
        for c in &newer {
            tx.insert_customer(c, 2).await.expect("insert");
        }
        assert_eq!(
            tx.data_key_counts(Customers).await.expect("counts"),
            vec![(KEK, 10), (2, 5)],
            "{label}"
        );

        // Rotation: take the keys still under the old KEK a few at a time, rewrap them
        // under the new one; each batch leaves the set, until none is left.
        let mut rewrapped = Vec::new();
        loop {
            let batch = tx.data_keys_under(Customers, KEK, 3).await.expect("batch");
            if batch.is_empty() {
                break;
            }
            assert!(batch.len() <= 3);
            assert!(batch.windows(2).all(|p| p[0].0 < p[1].0), "by id");
            for (id, wrapped) in batch {
                let n = w
                    .customers
                    .iter()
                    .position(|c| c.id.as_str() == id)
                    .expect("a seeded customer");
                assert_eq!(Some(&wrapped), w.customers[n].data_key.as_ref(), "{label}");
                assert!(tx
                    .set_data_key(Customers, id.as_str(), 3, &wrapped_key(3, n))
                    .await
                    .expect("rewrap"));
                rewrapped.push(id);
            }
        }
        assert_eq!(rewrapped.len(), 10, "{label}");
        assert_eq!(
            tx.data_key_counts(Customers).await.expect("counts"),
            vec![(2, 5), (3, 10)],
            "{label}"
        );
        let c0 = tx
            .customer(&group(), &w.customers[0].id)
            .await
            .expect("get")
            .expect("present");
        assert_eq!(c0.data_key, Some(wrapped_key(3, 0)), "{label}");

        // Erasure: the key goes, the row stays, and nothing brings the key back.
        assert!(tx
            .delete_data_key(Customers, c0.id.as_str())
            .await
            .expect("erase"));
        assert!(!tx
            .delete_data_key(Customers, c0.id.as_str())
            .await
            .expect("erase again"));
        let erased = tx
            .customer(&group(), &c0.id)
            .await
            .expect("get")
            .expect("the row stays");
        assert_eq!(
            erased,
            SealedCustomer {
                data_key: None,
                ..c0.clone()
            },
            "{label}"
        );
        assert_eq!(
            tx.sealed_customer_unscoped(&c0.id)
                .await
                .expect("get")
                .and_then(|c| c.data_key),
            None
        );
        assert!(!tx
            .set_data_key(Customers, c0.id.as_str(), 3, &wrapped_key(3, 0))
            .await
            .expect("rewrap an erased customer"));
        assert_eq!(
            tx.data_key_counts(Customers).await.expect("counts"),
            vec![(2, 5), (3, 9)],
            "{label}"
        );
        assert!(tx
            .data_keys_under(Customers, 3, 100)
            .await
            .expect("keys")
            .iter()
            .all(|(id, _)| id != c0.id.as_str()));
        let page = tx
            .customers(&group(), &CustomerQuery::default(), &ALL)
            .await
            .expect("list");
        assert_eq!(page.total as usize, page.items.len());
        assert_eq!(
            page.items.len(),
            15,
            "{label}: erased rows are still listed"
        );
        let listed = page.items.iter().find(|c| c.id == c0.id).expect("listed");
        assert_eq!(listed.data_key, None);

        let nobody = CustomerId::generate();
        assert!(!tx
            .delete_data_key(Customers, nobody.as_str())
            .await
            .expect("erase"));
        assert!(!tx
            .set_data_key(Customers, nobody.as_str(), 3, &wrapped_key(3, 99))
            .await
            .expect("rewrap"));
        assert!(tx
            .data_keys_under(Customers, KEK, 10)
            .await
            .expect("keys")
            .is_empty());
        assert!(tx
            .data_keys_under(Customers, 3, 0)
            .await
            .expect("keys")
            .is_empty());
        tx.commit().await.expect("commit");
        db.teardown().await;
    }
}

#[tokio::test]
async fn blind_indexes_are_rebuilt_over_every_customer() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        let mut tx = db.store().write().await.expect("begin");
        let erased = &w.customers[4];
        assert!(tx
            .delete_data_key(Customers, erased.id.as_str())
            .await
            .expect("erase"));

        // The walk is unscoped, by id, every row once, erased ones included.
        let mut seen = Vec::new();
        let mut after: Option<CustomerId> = None;
        loop {
            let chunk = tx
                .customers_for_reindex(after.as_ref(), 3)
                .await
                .expect("chunk");
            for c in &chunk {
                let n = w
                    .customers
                    .iter()
                    .position(|s| s.id == c.id)
                    .expect("a seeded customer");
                assert_eq!(c.data_key.is_none(), c.id == erased.id, "{label}");
                assert_eq!(c.mobile_index, w.customers[n].mobile_index);
                // Every other customer loses its ID number index.
                let id_number_index = (n % 2 == 0).then(|| blind_index(4, n));
                tx.set_blind_indexes(&c.id, &blind_index(3, n), id_number_index.as_deref())
                    .await
                    .expect("set indexes");
                seen.push(c.id.clone());
            }
            if chunk.len() < 3 {
                break;
            }
            after = chunk.last().map(|c| c.id.clone());
        }
        assert!(seen.windows(2).all(|p| p[0] < p[1]), "{label}: by id");
        let expected: BTreeSet<_> = w.customers.iter().map(|c| c.id.clone()).collect();
        assert_eq!(seen.iter().cloned().collect::<BTreeSet<_>>(), expected);
        assert_eq!(seen.len(), expected.len(), "{label}: each once");

        for (n, c) in w.customers.iter().enumerate() {
            assert_eq!(
                tx.customer_by_mobile_index(&c.mobile_index)
                    .await
                    .expect("old"),
                None,
                "{label}: the old index finds nothing"
            );
            assert_eq!(
                tx.customer_by_mobile_index(&blind_index(3, n))
                    .await
                    .expect("new")
                    .map(|(id, _)| id),
                Some(c.id.clone()),
                "{label}"
            );
            let stored = tx
                .sealed_customer_unscoped(&c.id)
                .await
                .expect("get")
                .expect("present");
            // Only the indexes changed: not the envelopes, not updated_at.
            let expected = SealedCustomer {
                store_code: stored.store_code.clone(),
                mobile_index: blind_index(3, n),
                id_number_index: (n % 2 == 0).then(|| blind_index(4, n)),
                data_key: stored.data_key.clone(),
                ..c.clone()
            };
            assert_eq!(stored, expected, "{label}");
        }
        let by_id_number = CustomerQuery {
            id_number_index: Some(blind_index(4, 2)),
            ..CustomerQuery::default()
        };
        let bob = RowFilter::decided(RowBound::Owner(w.bob.id.clone()), None);
        let page = tx.customers(&bob, &by_id_number, &ALL).await.expect("list");
        assert_eq!(
            page.items.iter().map(|c| &c.id).collect::<Vec<_>>(),
            vec![&w.customers[2].id],
            "{label}"
        );

        let err = tx
            .set_blind_indexes(&CustomerId::generate(), &blind_index(3, 999), None)
            .await
            .expect_err("no such customer");
        assert!(matches!(err, StoreError::Other(_)), "{label}: {err:?}");
        let err = tx
            .set_blind_indexes(&w.customers[0].id, &[1, 2, 3], None)
            .await
            .expect_err("not a blind index");
        assert!(matches!(err, StoreError::Other(_)), "{label}: {err:?}");
        tx.commit().await.expect("the transaction is still usable");
        db.teardown().await;
    }
}
