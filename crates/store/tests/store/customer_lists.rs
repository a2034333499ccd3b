//! Customer lists: paging and sort order, the bulk loader, the keyset walk a name search
//! decrypts, and the per-owner counts behind list totals.

use crate::fixtures::{
    blind_index, customer, envelope, group, scope_cases, seed, under_kek, wrapped_key, World, ALL,
    KEK, T0,
};
use crate::testing::TestDb;
use dealervault_domain::access::{RowBound, RowFilter};
use dealervault_domain::ids::CustomerId;
use dealervault_store::DataKeyTable::Customers;
use dealervault_store::{CustomerQuery, CustomerSort, PageRequest, SealedCustomer, SearchRow, Tx};
use std::collections::{BTreeMap, BTreeSet};

#[tokio::test]
async fn pages_are_stable_and_sorted_with_id_tiebreak() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        // 23 more for bob, sharing timestamps in threes so the id has to break ties.
        let extra: Vec<_> = (0..23)
            .map(|i| customer(200 + i, &w.s1, &w.bob, "paged", T0 + 1_000 + (i / 3) as i64))
            .collect();
        let mut tx = db.store().write().await.expect("begin");
        tx.insert_customers(&under_kek(&extra))
            .await
            .expect("insert");
        tx.commit().await.expect("commit");

        let bob = RowFilter::decided(RowBound::Owner(w.bob.id.clone()), None);
        let mut all: Vec<&SealedCustomer> = w
            .customers
            .iter()
            .chain(&extra)
            .filter(|c| c.owner_id == w.bob.id)
            .collect();
        assert_eq!(all.len(), 25);
        for sort in [
            CustomerSort::UpdatedDesc,
            CustomerSort::CreatedDesc,
            CustomerSort::CreatedAsc,
        ] {
            match sort {
                CustomerSort::CreatedAsc => {
                    all.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)))
                }
                _ => all.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id))),
            }
            let expected: Vec<CustomerId> = all.iter().map(|c| c.id.clone()).collect();
            let mut got = Vec::new();
            let mut tx = db.store().read().await.expect("begin");
            for offset in (0..30).step_by(10) {
                let page = PageRequest {
                    limit: 10,
                    offset,
                    sort,
                };
                let page = tx
                    .customers(&bob, &CustomerQuery::default(), &page)
                    .await
                    .expect("page");
                assert_eq!(page.total, 25, "{label}");
                got.extend(page.items.into_iter().map(|c| c.id));
            }
            assert_eq!(got, expected, "{label}: {sort:?}");
            let empty = PageRequest {
                limit: 0,
                offset: 0,
                sort,
            };
            let page = tx
                .customers(&bob, &CustomerQuery::default(), &empty)
                .await
                .expect("page");
            assert_eq!((page.total, page.items.len()), (25, 0));
        }
        db.teardown().await;
    }
}

/// Bulk customer `i`: alternating stores, owners and KEK versions, and optional columns
/// present on some rows only, so every column and both key versions go through the loader.
fn bulk_customer(w: &World, i: usize) -> (SealedCustomer, u32) {
    let (owner, store) = if i % 2 == 0 {
        (&w.alice, &w.s1)
    } else {
        (&w.erin, &w.s2)
    };
    let n = 10_000 + i;
    let mut c = customer(n, store, owner, &format!("bulk {i}"), T0 + i as i64);
    if i % 3 == 0 {
        c.id_number = Some(envelope("id_number", &format!("{n:018}")));
        c.id_number_index = Some(blind_index(2, n));
        c.email = Some(envelope("email", &format!("{n}@example.com")));
        c.address = Some(envelope("address", "address"));
        c.wechat = Some(envelope("wechat", "wechat"));
        c.birth_date = Some(envelope("birth_date", "1990-01-01"));
        c.notes = Some(envelope("notes", &format!("note {i}")));
        c.gender = "female".into();
    }
    let kek = if i % 5 == 0 { 2 } else { KEK };
    c.data_key = Some(wrapped_key(kek, n));
    (c, kek)
}

#[tokio::test]
async fn bulk_insert_loads_thousands_in_one_transaction() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        // Not a multiple of the chunk size, so the last statements are shorter.
        let bulk: Vec<_> = (0..2_001).map(|i| bulk_customer(&w, i)).collect();
        let mut tx = db.store().write().await.expect("begin");
        tx.insert_customers(&bulk).await.expect("bulk insert");
        tx.insert_customers(&[]).await.expect("empty insert");
        tx.commit().await.expect("commit");

        let mut tx = db.store().read().await.expect("begin");
        let page = tx
            .customers(&group(), &CustomerQuery::default(), &PageRequest::default())
            .await
            .expect("list");
        assert_eq!(page.total as usize, w.customers.len() + 2_001, "{label}");
        assert_eq!(page.items.len(), 50);
        assert_eq!(page.items[0].id, bulk[2_000].0.id, "{label}: newest first");
        let s2 = RowFilter::decided(RowBound::Store(w.s2.id.clone()), None);
        let page = tx
            .customers(&s2, &CustomerQuery::default(), &PageRequest::default())
            .await
            .expect("list");
        assert_eq!(page.total, 1_000 + 2, "{label}");
        assert!(page.items.iter().all(|c| c.store_code == "S2"));

        // Every row, every column, and its key, as written.
        let stored: BTreeMap<CustomerId, SealedCustomer> = tx
            .customers(&group(), &CustomerQuery::default(), &ALL)
            .await
            .expect("list")
            .items
            .into_iter()
            .map(|c| (c.id.clone(), c))
            .collect();
        for (c, _) in &bulk {
            let store_code = if c.store_id == w.s1.id { "S1" } else { "S2" };
            let expected = SealedCustomer {
                store_code: store_code.into(),
                ..c.clone()
            };
            assert_eq!(stored.get(&c.id), Some(&expected), "{label}");
        }
        let under_2 = bulk.iter().filter(|(_, k)| *k == 2).count() as u64;
        assert_eq!(
            tx.data_key_counts(Customers).await.expect("counts"),
            vec![
                (KEK, (w.customers.len() + bulk.len()) as u64 - under_2),
                (2, under_2)
            ],
            "{label}"
        );
        drop(tx);
        db.teardown().await;
    }
}

/// Walks `customer_search_rows` to the end in chunks of `limit`, checking that ids rise.
async fn walk(tx: &mut Tx, filter: &RowFilter, limit: u32) -> Vec<SearchRow> {
    let mut all: Vec<SearchRow> = Vec::new();
    let mut after: Option<CustomerId> = None;
    loop {
        let chunk = tx
            .customer_search_rows(filter, after.as_ref(), limit)
            .await
            .expect("search rows");
        assert!(chunk.len() <= limit as usize);
        for row in &chunk {
            if let Some(last) = all.last() {
                assert!(last.id < row.id, "ids rise strictly across chunks");
            }
            all.push(row.clone());
        }
        if chunk.len() < limit as usize {
            return all;
        }
        after = chunk.last().map(|r| r.id.clone());
    }
}

#[tokio::test]
async fn search_rows_walk_every_customer_in_scope_exactly_once() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        // More rows, some with notes, so chunks fill up and end inside one owner's rows.
        let extra: Vec<_> = (0..17)
            .map(|i| {
                let owner = w.sales()[i % 5];
                let store = if i % 5 == 4 { &w.s2 } else { &w.s1 };
                let mut c = customer(300 + i, store, owner, &format!("extra {i}"), T0 + 50);
                if i % 2 == 0 {
                    c.notes = Some(envelope("notes", &format!("note {i}")));
                }
                c
            })
            .collect();
        let mut tx = db.store().write().await.expect("begin");
        tx.insert_customers(&under_kek(&extra))
            .await
            .expect("insert");
        // An erased customer is still walked, without a key.
        assert!(tx
            .delete_data_key(Customers, extra[0].id.as_str())
            .await
            .expect("erase"));
        tx.commit().await.expect("commit");

        let all: Vec<SealedCustomer> = w.customers.iter().chain(&extra).cloned().collect();
        let mut tx = db.store().read().await.expect("begin");
        for (filter, owners) in scope_cases(&w) {
            let expected: BTreeMap<CustomerId, SearchRow> = all
                .iter()
                .filter(|c| w.owned_by(owners, c))
                .map(|c| {
                    let row = SearchRow {
                        id: c.id.clone(),
                        name: c.name.clone(),
                        notes: c.notes.clone(),
                        data_key: if c.id == extra[0].id {
                            None
                        } else {
                            c.data_key.clone()
                        },
                    };
                    (c.id.clone(), row)
                })
                .collect();
            for limit in [1, 3, 7, 1_000] {
                let rows = walk(&mut tx, &filter, limit).await;
                let got: BTreeMap<CustomerId, SearchRow> =
                    rows.iter().map(|r| (r.id.clone(), r.clone())).collect();
                assert_eq!(got.len(), rows.len(), "{label}: no row twice");
                assert_eq!(got, expected, "{label}: {filter:?}, chunks of {limit}");
            }
        }
        // Resuming after an id outside the scope, or one that does not exist, still works.
        let alice = RowFilter::decided(RowBound::Owner(w.alice.id.clone()), None);
        let erin_first = &w.customers[8].id;
        let rows = tx
            .customer_search_rows(&alice, Some(erin_first), 100)
            .await
            .expect("rows");
        assert!(rows.iter().all(|r| &r.id > erin_first), "{label}");
        assert!(tx
            .customer_search_rows(&group(), None, 0)
            .await
            .expect("rows")
            .is_empty());
        let debug = format!("{:?}", rows.first());
        assert!(!debug.contains('['), "{label}: no bytes in Debug: {debug}");
        drop(tx);
        db.teardown().await;
    }
}

#[tokio::test]
async fn list_totals_follow_inserts_refusals_and_moves() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        let cases = scope_cases(&w);
        // Each list total (from customer_counts) must equal the rows a walk finds.
        async fn check(db: &TestDb, cases: &[(RowFilter, &[&str])], when: &str) {
            let mut tx = db.store().read().await.expect("begin");
            for (filter, _) in cases {
                let total = tx
                    .customers(filter, &CustomerQuery::default(), &PageRequest::default())
                    .await
                    .expect("list")
                    .total;
                let rows = walk(&mut tx, filter, 1_000).await.len() as u64;
                assert_eq!(total, rows, "{}: {when}: {filter:?}", db.label());
            }
        }
        check(&db, &cases, "after the seed").await;

        let mut tx = db.store().write().await.expect("begin");
        let bulk: Vec<_> = (0..40)
            .map(|i| customer(700 + i, &w.s1, w.sales()[i % 4], "more", T0))
            .collect();
        tx.insert_customers(&under_kek(&bulk)).await.expect("bulk");
        let single = customer(800, &w.s2, &w.erin, "single", T0);
        tx.insert_customer(&single, KEK).await.expect("insert");
        let mut refused = customer(801, &w.s2, &w.erin, "refused", T0);
        refused.mobile_index = single.mobile_index.clone();
        tx.insert_customer(&refused, KEK)
            .await
            .expect_err("duplicate");
        let mut bad_key = customer(802, &w.s1, &w.dave, "bad key", T0);
        bad_key.data_key = Some(vec![0; 10]);
        tx.insert_customer(&bad_key, KEK)
            .await
            .expect_err("bad key");
        let mut edited = single.clone();
        edited.name = envelope("name", "edited");
        edited.updated_at = T0 + 1;
        tx.update_customer(&edited).await.expect("update");
        assert!(tx
            .delete_data_key(Customers, bulk[0].id.as_str())
            .await
            .expect("erase"));
        tx.commit().await.expect("commit");
        check(
            &db,
            &cases,
            "after inserts, refusals, an edit and an erasure",
        )
        .await;

        let mut tx = db.store().write().await.expect("begin");
        tx.set_user_position(
            &w.dave.id,
            Some(&w.s1.id),
            Some(&w.sales1.id),
            Some(&w.team_a.id),
            T0,
        )
        .await
        .expect("move");
        tx.commit().await.expect("commit");
        check(&db, &cases, "after moving dave into team A").await;

        // A search counts what it matches; an id list counts only ids in scope.
        let mut tx = db.store().read().await.expect("begin");
        let ids = CustomerQuery {
            ids: Some(bulk.iter().map(|c| c.id.clone()).collect()),
            ..CustomerQuery::default()
        };
        let team_a = RowFilter::decided(RowBound::Team(w.team_a.id.clone()), None);
        let page = tx
            .customers(&team_a, &ids, &PageRequest::default())
            .await
            .expect("list");
        let in_team_a = bulk
            .iter()
            .filter(|c| [&w.alice.id, &w.bob.id, &w.dave.id].contains(&&c.owner_id))
            .count();
        assert_eq!(page.total as usize, in_team_a, "{label}");
        let ids: BTreeSet<_> = page.items.into_iter().map(|c| c.id).collect();
        assert_eq!(ids.len(), in_team_a.min(50), "{label}");
        drop(tx);
        db.teardown().await;
    }
}
