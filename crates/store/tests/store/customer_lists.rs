//! Customer lists: search, paging and sort order, and the bulk loader.

use crate::fixtures::{customer, group, seed, ALL, T0};
use crate::testing::TestDb;
use dealervault_domain::access::{RowBound, RowFilter};
use dealervault_domain::customer::CustomerRecord;
use dealervault_domain::ids::CustomerId;
use dealervault_store::{CustomerPage, CustomerQuery, CustomerSort, PageRequest};
use std::collections::BTreeSet;

#[tokio::test]
async fn search_by_text_mobile_and_id_number() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        let mut tx = db.store().write().await.expect("begin");
        let mut a = customer(100, &w.s1, &w.alice, "Zhang Wei", T0);
        a.notes = Some("prefers 50% deposit".into());
        let mut b = customer(101, &w.s1, &w.alice, "Li_Na", T0);
        b.notes = Some("test drive on 5005".into());
        let mut c = customer(102, &w.s2, &w.erin, "Zhang San", T0);
        c.notes = Some("backslash \\ note".into());
        tx.insert_customers(&[a.clone(), b.clone(), c.clone()])
            .await
            .expect("insert");
        tx.commit().await.expect("commit");

        let mut tx = db.store().read().await.expect("begin");
        let ids = |page: CustomerPage| -> BTreeSet<CustomerId> {
            assert_eq!(page.total as usize, page.items.len());
            page.items.into_iter().map(|c| c.id).collect()
        };
        let q = |text: &str| CustomerQuery {
            q: Some(text.into()),
            search_notes: true,
            ..CustomerQuery::default()
        };
        let names_only = |text: &str| CustomerQuery {
            q: Some(text.into()),
            ..CustomerQuery::default()
        };
        let s1 = RowFilter::decided(RowBound::Store(w.s1.id.clone()), None);

        let zhang = ids(tx.customers(&group(), &q("zhang"), &ALL).await.expect("q"));
        assert_eq!(
            zhang,
            [a.id.clone(), c.id.clone()].into(),
            "{label}: case-insensitive name match"
        );
        let zhang_s1 = ids(tx.customers(&s1, &q("Zhang"), &ALL).await.expect("q"));
        assert_eq!(
            zhang_s1,
            [a.id.clone()].into(),
            "{label}: search stays inside the scope"
        );
        let percent = ids(tx.customers(&group(), &q("50%"), &ALL).await.expect("q"));
        assert_eq!(
            percent,
            [a.id.clone()].into(),
            "{label}: % is literal (5005 must not match)"
        );
        let hidden_notes = ids(tx
            .customers(&group(), &names_only("50%"), &ALL)
            .await
            .expect("q"));
        assert!(
            hidden_notes.is_empty(),
            "{label}: notes are searched only when asked"
        );
        let names = ids(tx
            .customers(&group(), &names_only("zhang"), &ALL)
            .await
            .expect("q"));
        assert_eq!(names, zhang, "{label}");
        let underscore = ids(tx.customers(&group(), &q("i_n"), &ALL).await.expect("q"));
        assert_eq!(underscore, [b.id.clone()].into(), "{label}: _ is literal");
        let underscore_any = ids(tx.customers(&group(), &q("g_w"), &ALL).await.expect("q"));
        assert!(
            underscore_any.is_empty(),
            "{label}: _ does not match a space"
        );
        let backslash = ids(tx.customers(&group(), &q("\\"), &ALL).await.expect("q"));
        assert_eq!(
            backslash,
            [c.id.clone()].into(),
            "{label}: backslash is literal"
        );

        let by_mobile = CustomerQuery {
            mobile: Some(b.mobile.clone()),
            ..CustomerQuery::default()
        };
        let found = ids(tx
            .customers(&group(), &by_mobile, &ALL)
            .await
            .expect("mobile"));
        assert_eq!(found, [b.id.clone()].into(), "{label}");
        let partial = CustomerQuery {
            mobile: Some(b.mobile[..7].to_string()),
            ..CustomerQuery::default()
        };
        assert!(ids(tx
            .customers(&group(), &partial, &ALL)
            .await
            .expect("mobile"))
        .is_empty());
        let out_of_scope = RowFilter::decided(RowBound::Owner(w.bob.id.clone()), None);
        assert!(ids(tx
            .customers(&out_of_scope, &by_mobile, &ALL)
            .await
            .expect("mobile"))
        .is_empty());

        let wanted = w.customers[3].clone();
        let by_id_number = CustomerQuery {
            id_number: wanted.id_number.clone(),
            ..CustomerQuery::default()
        };
        let found = ids(tx
            .customers(&group(), &by_id_number, &ALL)
            .await
            .expect("id number"));
        assert_eq!(found, [wanted.id.clone()].into(), "{label}");
        drop(tx);
        db.teardown().await;
    }
}

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
        tx.insert_customers(&extra).await.expect("insert");
        tx.commit().await.expect("commit");

        let bob = RowFilter::decided(RowBound::Owner(w.bob.id.clone()), None);
        let mut all: Vec<&CustomerRecord> = w
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

#[tokio::test]
async fn bulk_insert_loads_thousands_in_one_transaction() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        // Not a multiple of the chunk size, so the last statement is shorter.
        let bulk: Vec<_> = (0..2_001)
            .map(|i| {
                let owner = if i % 2 == 0 { &w.alice } else { &w.erin };
                let store = if i % 2 == 0 { &w.s1 } else { &w.s2 };
                customer(
                    10_000 + i,
                    store,
                    owner,
                    &format!("bulk {i}"),
                    T0 + i as i64,
                )
            })
            .collect();
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
        assert_eq!(page.items[0].id, bulk[2_000].id, "{label}: newest first");
        let s2 = RowFilter::decided(RowBound::Store(w.s2.id.clone()), None);
        let page = tx
            .customers(&s2, &CustomerQuery::default(), &PageRequest::default())
            .await
            .expect("list");
        assert_eq!(page.total, 1_000 + 2, "{label}");
        assert!(page.items.iter().all(|c| c.store_code == "S2"));
        let last = tx
            .customer(&group(), &bulk[1_999].id)
            .await
            .expect("get")
            .expect("present");
        assert_eq!(last, bulk[1_999], "{label}");
        drop(tx);
        db.teardown().await;
    }
}
