//! DESIGN §3: row scopes are applied in SQL, and the SQL filter returns exactly the rows
//! the grant-by-grant decision allows, over random organisations and ownerships.

use dealervault_app::setup::{
    add_department, add_store, add_team, add_user, install_roles, Account, Place,
};
use dealervault_app::{Clock, KeyPaths, Vault};
use dealervault_domain::access::{Position, ScopeLevel};
use dealervault_domain::catalog::Entity;
use dealervault_domain::customer::CustomerRecord;
use dealervault_domain::ids::{CustomerId, UserId};
use dealervault_policy::{Action, Grant, RolePolicy, Subject};
use dealervault_store::testing::TestDb;
use dealervault_store::{CustomerQuery, PageRequest};
use proptest::prelude::*;
use std::collections::BTreeSet;

/// A seat in an organisation of 2 stores × 2 departments × 2 teams: (store, department,
/// team), where a team needs a department and a department needs a store.
type Seat = (Option<usize>, Option<usize>, Option<usize>);

#[derive(Debug, Clone)]
struct World {
    users: Vec<Seat>,
    subject: Seat,
    /// Owner of each customer, as an index into `users` (owners always have a store).
    owners: Vec<usize>,
    grants: Vec<(ScopeLevel, bool)>,
}

fn seat(with_store: bool) -> impl Strategy<Value = Seat> {
    // Mostly full seats, so that team and department scopes have something to tell apart.
    let store = if with_store {
        (0..2usize).prop_map(Some).boxed()
    } else {
        prop::option::weighted(0.85, 0..2usize).boxed()
    };
    (
        store,
        prop::option::weighted(0.8, 0..2usize),
        prop::option::weighted(0.8, 0..2usize),
    )
        .prop_map(|(s, d, t)| {
            let d = s.and(d);
            (s, d, d.and(t))
        })
}

fn world() -> impl Strategy<Value = World> {
    (
        prop::collection::vec(seat(true), 1..8),
        seat(false),
        prop::collection::vec(any::<prop::sample::Index>(), 0..30),
        prop::collection::vec(
            (
                prop::sample::select(ScopeLevel::ALL.to_vec()),
                prop::bool::weighted(0.7),
            ),
            0..4,
        ),
    )
        .prop_map(|(users, subject, owners, grants)| World {
            owners: owners.iter().map(|i| i.index(users.len() + 1)).collect(),
            users,
            subject,
            grants,
        })
}

async fn check(db: &TestDb, world: &World) -> Result<(), String> {
    let clock = Clock::manual(1_780_000_000_000);
    let mut tx = db.store().write().await.map_err(|e| e.to_string())?;
    let keys = tempfile::tempdir().map_err(|e| e.to_string())?;
    let vault = Vault::create(
        &KeyPaths::for_master_key(keys.path().join("master.key")),
        None,
    )
    .map_err(|e| e.to_string())?;
    install_roles(&mut tx, &clock, "test", &vault)
        .await
        .map_err(|e| e.to_string())?;
    let mut stores = vec![];
    let mut depts = vec![];
    let mut teams = vec![];
    for s in 0..2 {
        let store = add_store(&mut tx, &format!("S{s}"), "店", "Store")
            .await
            .map_err(|e| e.to_string())?;
        for d in 0..2 {
            let dept = add_department(&mut tx, &store, &format!("d{d}"), "部", "Dept")
                .await
                .map_err(|e| e.to_string())?;
            for t in 0..2 {
                teams.push(
                    add_team(&mut tx, &store, &dept, &format!("t{t}"))
                        .await
                        .map_err(|e| e.to_string())?,
                );
            }
            depts.push(dept);
        }
        stores.push(store);
    }
    let place = |(s, d, t): Seat| Place {
        store_id: s.map(|s| stores[s].clone()),
        department_id: s.zip(d).map(|(s, d)| depts[s * 2 + d].clone()),
        team_id: s
            .zip(d)
            .zip(t)
            .map(|((s, d), t)| teams[(s * 2 + d) * 2 + t].clone()),
    };
    // The subject is the last account; it may own customers too.
    let mut seats = world.users.clone();
    seats.push(world.subject);
    let mut ids: Vec<UserId> = vec![];
    for (i, s) in seats.iter().enumerate() {
        let account = Account {
            username: &format!("u{i}"),
            display_name: "用户",
            role_code: "sales_consultant",
            place: place(*s),
        };
        ids.push(
            add_user(&mut tx, &clock, &account, "x", false)
                .await
                .map_err(|e| e.to_string())?,
        );
    }
    let customers: Vec<CustomerRecord> = world
        .owners
        .iter()
        .enumerate()
        .filter_map(|(n, &o)| {
            let store = seats[o].0?;
            Some(CustomerRecord {
                id: CustomerId::generate(),
                store_id: stores[store].clone(),
                store_code: format!("S{store}"),
                owner_id: ids[o].clone(),
                name: "客户".into(),
                mobile: format!("139{n:08}"),
                id_number: None,
                email: None,
                address: None,
                wechat: None,
                birth_date: None,
                gender: "unknown".into(),
                source: "other".into(),
                notes: None,
                created_at: n as i64,
                updated_at: n as i64,
            })
        })
        .collect();
    let customers = customers
        .iter()
        .map(|c| vault.seal_new(c))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    tx.insert_customers(&customers)
        .await
        .map_err(|e| e.to_string())?;

    let subject_place = place(world.subject);
    let subject = Subject {
        user_id: ids[seats.len() - 1].clone(),
        position: Position {
            store_id: subject_place.store_id,
            department_id: subject_place.department_id,
            team_id: subject_place.team_id,
        },
    };
    let policy = RolePolicy {
        grants: world
            .grants
            .iter()
            .map(|&(scope, allow)| {
                if allow {
                    Grant::allow(Entity::Customer, Action::View, scope)
                } else {
                    Grant::deny(Entity::Customer, Action::View, scope)
                }
            })
            .collect(),
        fields: vec![],
    };
    let expected: BTreeSet<String> = tx
        .customer_places()
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|(_, p)| policy.allows_record(Entity::Customer, Action::View, &subject, p))
        .map(|(id, _)| id.to_string())
        .collect();
    let by_sql: BTreeSet<String> = match policy.row_filter(Entity::Customer, Action::View, &subject)
    {
        Ok(filter) => {
            let page = PageRequest {
                limit: 1000,
                ..PageRequest::default()
            };
            let found = tx
                .customers(&filter, &CustomerQuery::default(), &page)
                .await
                .map_err(|e| e.to_string())?;
            if found.total != found.items.len() as u64 {
                return Err(format!(
                    "total {} but {} items",
                    found.total,
                    found.items.len()
                ));
            }
            found.items.iter().map(|c| c.id.to_string()).collect()
        }
        Err(_) => BTreeSet::new(),
    };
    tx.rollback().await.map_err(|e| e.to_string())?;
    if by_sql == expected {
        Ok(())
    } else {
        Err(format!(
            "{}: SQL returned {by_sql:?}, the per-record decision allows {expected:?}",
            db.label()
        ))
    }
}

fn run(world: &World, postgres: bool) -> Result<(), TestCaseError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let db = if postgres {
            TestDb::postgres().await
        } else {
            Some(TestDb::sqlite().await)
        };
        let Some(db) = db else { return Ok(()) };
        let result = check(&db, world).await;
        db.teardown().await;
        result.map_err(TestCaseError::fail)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]
    #[test]
    fn sqlite_filter_matches_per_record_decision(world in world()) {
        run(&world, false)?;
    }
}

proptest! {
    // Each case creates and drops a PostgreSQL database: fewer cases, same property.
    #![proptest_config(ProptestConfig::with_cases(12))]
    #[test]
    fn postgres_filter_matches_per_record_decision(world in world()) {
        run(&world, true)?;
    }
}
