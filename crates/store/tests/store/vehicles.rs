//! The stock: row scopes (vehicles have no owner, so only store and group bounds reach
//! them, exceptions included), filters, the unique VIN, optimistic updates and the
//! stock-age counts.

use crate::fixtures::{scope_cases, seed, T0};
use crate::testing::TestDb;
use dealervault_domain::access::RowBound;
use dealervault_domain::ids::{StoreId, VehicleId};
use dealervault_store::{VehicleQuery, VehicleRow, VehicleSort, VinSearch, VIN_CONSTRAINT};
use std::collections::BTreeSet;

fn vehicle(
    store: &StoreId,
    vin: &str,
    model: &str,
    status: &str,
    arrived: Option<&str>,
) -> VehicleRow {
    VehicleRow {
        id: VehicleId::generate(),
        store_id: store.clone(),
        store_code: String::new(),
        vin: vin.to_string(),
        status: status.to_string(),
        model: model.to_string(),
        trim: String::new(),
        colour: String::new(),
        location: String::new(),
        list_price: 10_000_000,
        cost_price: Some(9_000_000),
        supplier_terms: None,
        arrived_on: arrived.map(str::to_string),
        created_at: T0,
        updated_at: T0,
    }
}

/// Whether a bound reaches a vehicle of `store`.
fn reaches(bound: &RowBound, store: &StoreId) -> bool {
    match bound {
        RowBound::Group => true,
        RowBound::Store(s) => s == store,
        _ => false,
    }
}

/// The VINs the whole group's stock matching `q`, in order.
async fn vins(db: &TestDb, q: VehicleQuery) -> Vec<String> {
    let mut tx = db.store().read().await.expect("read");
    let page = tx
        .vehicles(&crate::fixtures::group(), &q)
        .await
        .expect("list");
    page.items.into_iter().map(|v| v.vin).collect()
}

const ALL: VehicleQuery = VehicleQuery {
    status: None,
    model: None,
    vin: None,
    sort: VehicleSort::ArrivedAsc,
    limit: 1000,
    offset: 0,
};

#[tokio::test]
async fn scopes_filters_and_the_unique_vin() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        let rows = [
            vehicle(
                &w.s1.id,
                "LSVAU218XN2183294",
                "大众 帕萨特",
                "in_stock",
                Some("2026-01-01"),
            ),
            vehicle(
                &w.s1.id,
                "1M8GDM9AXKP042788",
                "Buick GL8 50%",
                "in_transit",
                None,
            ),
            vehicle(
                &w.s2.id,
                "11111111111111111",
                "丰田 凯美瑞",
                "reserved",
                Some("2025-09-01"),
            ),
        ];
        let mut tx = db.store().write().await.expect("begin");
        for r in &rows {
            tx.insert_vehicle(r).await.expect("insert");
        }
        // A second vehicle with a VIN already in stock, in any store, is a conflict that
        // leaves the transaction usable.
        let twin = vehicle(&w.s2.id, &rows[0].vin, "x", "in_stock", None);
        let err = tx.insert_vehicle(&twin).await.expect_err("duplicate VIN");
        assert!(err.is_conflict_on(VIN_CONSTRAINT), "[{label}] {err}");
        tx.commit().await.expect("commit");

        let mut tx = db.store().read().await.expect("read");
        for (filter, _) in scope_cases(&w) {
            let expected: BTreeSet<&str> = rows
                .iter()
                .filter(|v| {
                    reaches(filter.within(), &v.store_id)
                        && !filter.except().is_some_and(|e| reaches(e, &v.store_id))
                })
                .map(|v| v.vin.as_str())
                .collect();
            let page = tx.vehicles(&filter, &ALL).await.expect("list");
            let got: BTreeSet<&str> = page.items.iter().map(|v| v.vin.as_str()).collect();
            assert_eq!(got, expected, "[{label}] {filter:?}");
            assert_eq!(page.total, expected.len() as u64, "[{label}]");
            for v in &rows {
                let one = tx.vehicle(&filter, &v.id).await.expect("one");
                assert_eq!(
                    one.is_some(),
                    expected.contains(v.vin.as_str()),
                    "[{label}]"
                );
            }
        }

        drop(tx);
        let find = |q: VehicleQuery| vins(&db, q);
        let gl8 = vec![rows[1].vin.clone()];
        let model = |m: &str| VehicleQuery {
            model: Some(m.into()),
            ..ALL
        };
        assert_eq!(
            find(model("gl8 50%")).await,
            gl8,
            "[{label}] any case, % literal"
        );
        assert!(find(model("0_")).await.is_empty(), "[{label}] _ is literal");
        let tail = VehicleQuery {
            vin: Some(VinSearch::Suffix("042788".into())),
            ..ALL
        };
        assert_eq!(find(tail).await, gl8, "[{label}]");
        let status = VehicleQuery {
            status: Some("reserved".into()),
            ..ALL
        };
        assert_eq!(find(status).await, vec![rows[2].vin.clone()], "[{label}]");
        // Longest in stock first; vehicles in transit last.
        let order: Vec<String> = rows.iter().map(|v| v.vin.clone()).collect();
        assert_eq!(
            find(ALL).await,
            vec![order[2].clone(), order[0].clone(), order[1].clone()]
        );
        db.teardown().await;
    }
}

#[tokio::test]
async fn updates_are_optimistic_and_stock_age_counts_by_bucket() {
    for db in TestDb::all().await {
        let w = seed(db.store()).await;
        let label = db.label();
        let on_lot = [
            ("LSVAU218XN2183294", "A", "in_stock", "2026-03-01"),
            ("1M8GDM9AXKP042788", "A", "reserved", "2026-01-20"),
            ("11111111111111111", "B", "in_stock", "2025-12-01"),
            ("LFV2A21K6A3000001", "B", "sold", "2025-11-01"),
        ];
        let mut tx = db.store().write().await.expect("begin");
        let mut rows = Vec::new();
        for (vin, model, status, arrived) in on_lot {
            let v = vehicle(&w.s1.id, vin, model, status, Some(arrived));
            tx.insert_vehicle(&v).await.expect("insert");
            rows.push(v);
        }
        let mut changed = rows[0].clone();
        changed.status = "reserved".into();
        changed.updated_at = T0 + 1;
        assert!(
            tx.update_vehicle(&changed, T0).await.expect("update"),
            "[{label}]"
        );
        // A writer who read before that change writes nothing.
        assert!(
            !tx.update_vehicle(&changed, T0).await.expect("stale"),
            "[{label}]"
        );
        tx.commit().await.expect("commit");

        let mut tx = db.store().read().await.expect("read");
        // As of 2026-03-10: 30, 60 and 90 days back.
        let age = tx
            .stock_age(
                &crate::fixtures::group(),
                ["2026-02-08", "2026-01-09", "2025-12-10"],
            )
            .await
            .expect("stock age");
        let got: Vec<(String, [u64; 4])> = age.into_iter().map(|r| (r.model, r.buckets)).collect();
        // The sold one is off the lot.
        assert_eq!(
            got,
            [
                ("A".to_string(), [1, 1, 0, 0]),
                ("B".to_string(), [0, 0, 0, 1])
            ],
            "[{label}]"
        );
        let other_store =
            dealervault_domain::access::RowFilter::decided(RowBound::Store(w.s2.id.clone()), None);
        assert!(tx
            .stock_age(&other_store, ["a", "b", "c"])
            .await
            .expect("age")
            .is_empty());
        drop(tx);
        db.teardown().await;
    }
}
