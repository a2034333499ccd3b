//! A small organisation to run scenarios against:
//!
//! ```text
//! store S1 ── dept sales ── team A: alice, bob
//!          │             └─ team B: carol
//!          └─ dept service (no team): dave
//! store S2 ── dept sales ── team C: erin
//! group admin (no store): root
//! ```

use dealervault_domain::access::{RowBound, RowFilter};
use dealervault_domain::customer::CustomerRecord;
use dealervault_domain::ids::{CustomerId, DepartmentId, RoleId, StoreId, TeamId, UserId};
use dealervault_store::{
    CustomerSort, DepartmentRow, PageRequest, RoleRow, Store, StoreRow, TeamRow, UserRow,
};

pub const T0: i64 = 1_767_225_600_000;

/// A page large enough for every customer a scenario creates.
pub const ALL: PageRequest = PageRequest {
    limit: 10_000,
    offset: 0,
    sort: CustomerSort::UpdatedDesc,
};

pub fn group() -> RowFilter {
    RowFilter::decided(RowBound::Group, None)
}

#[derive(Debug)]
pub struct World {
    pub s1: StoreRow,
    pub s2: StoreRow,
    pub sales1: DepartmentRow,
    pub service1: DepartmentRow,
    pub sales2: DepartmentRow,
    pub team_a: TeamRow,
    pub team_b: TeamRow,
    pub team_c: TeamRow,
    pub role: RoleRow,
    pub alice: UserRow,
    pub bob: UserRow,
    pub carol: UserRow,
    pub dave: UserRow,
    pub erin: UserRow,
    pub root: UserRow,
    /// Two customers per salesperson (alice..erin), in insertion order.
    pub customers: Vec<CustomerRecord>,
}

pub fn store_row(code: &str) -> StoreRow {
    StoreRow {
        id: StoreId::generate(),
        code: code.into(),
        name_zh: format!("{code}店"),
        name_en: format!("{code} store"),
        timezone: "Asia/Shanghai".into(),
    }
}

pub fn department(store: &StoreRow, code: &str) -> DepartmentRow {
    DepartmentRow {
        id: DepartmentId::generate(),
        store_id: store.id.clone(),
        code: code.into(),
        name_zh: code.into(),
        name_en: code.into(),
    }
}

pub fn team(department: &DepartmentRow, name: &str) -> TeamRow {
    TeamRow {
        id: TeamId::generate(),
        department_id: department.id.clone(),
        store_id: department.store_id.clone(),
        name: name.into(),
    }
}

pub fn role(code: &str) -> RoleRow {
    RoleRow {
        id: RoleId::generate(),
        code: code.into(),
        name_zh: code.into(),
        name_en: code.into(),
        builtin: true,
        policy: r#"{"grants":[]}"#.into(),
        updated_at: T0,
    }
}

pub fn user(
    username: &str,
    role: &RoleRow,
    department: Option<&DepartmentRow>,
    team: Option<&TeamRow>,
) -> UserRow {
    UserRow {
        id: UserId::generate(),
        username: username.into(),
        display_name: format!("{username} display"),
        password_hash: format!("$argon2id$hash-of-{username}"),
        role_id: role.id.clone(),
        store_id: department.map(|d| d.store_id.clone()),
        department_id: department.map(|d| d.id.clone()),
        team_id: team.map(|t| t.id.clone()),
        status: "active".into(),
        failed_logins: 0,
        locked_until: None,
        must_change_password: false,
        created_at: T0,
        updated_at: T0,
    }
}

/// A customer whose mobile number is derived from `n`, so numbers never collide.
pub fn customer(
    n: usize,
    store: &StoreRow,
    owner: &UserRow,
    name: &str,
    at: i64,
) -> CustomerRecord {
    CustomerRecord {
        id: CustomerId::generate(),
        store_id: store.id.clone(),
        store_code: store.code.clone(),
        owner_id: owner.id.clone(),
        name: name.into(),
        mobile: format!("139{n:08}"),
        id_number: None,
        email: None,
        address: None,
        wechat: None,
        birth_date: None,
        gender: "unknown".into(),
        source: "walk_in".into(),
        notes: None,
        created_at: at,
        updated_at: at,
    }
}

pub async fn seed(store: &Store) -> World {
    let s1 = store_row("S1");
    let s2 = store_row("S2");
    let sales1 = department(&s1, "sales");
    let service1 = department(&s1, "service");
    let sales2 = department(&s2, "sales");
    let team_a = team(&sales1, "A");
    let team_b = team(&sales1, "B");
    let team_c = team(&sales2, "C");
    let role = role("sales");
    let alice = user("alice", &role, Some(&sales1), Some(&team_a));
    let bob = user("bob", &role, Some(&sales1), Some(&team_a));
    let carol = user("carol", &role, Some(&sales1), Some(&team_b));
    let dave = user("dave", &role, Some(&service1), None);
    let erin = user("erin", &role, Some(&sales2), Some(&team_c));
    let root = user("root", &role, None, None);

    let mut customers = Vec::new();
    for (i, (owner, store_row)) in [
        (&alice, &s1),
        (&bob, &s1),
        (&carol, &s1),
        (&dave, &s1),
        (&erin, &s2),
    ]
    .into_iter()
    .enumerate()
    {
        for j in 0..2 {
            let n = i * 2 + j;
            let mut c = customer(
                n,
                store_row,
                owner,
                &format!("{} customer {j}", owner.username),
                T0 + n as i64,
            );
            c.id_number = Some(format!("11010519900101{n:04}"));
            customers.push(c);
        }
    }

    let mut tx = store.write().await.expect("begin");
    for s in [&s1, &s2] {
        tx.insert_store(s).await.expect("insert store");
    }
    for d in [&sales1, &service1, &sales2] {
        tx.insert_department(d).await.expect("insert department");
    }
    for t in [&team_a, &team_b, &team_c] {
        tx.insert_team(t).await.expect("insert team");
    }
    tx.insert_role(&role).await.expect("insert role");
    for u in [&alice, &bob, &carol, &dave, &erin, &root] {
        tx.insert_user(u).await.expect("insert user");
    }
    tx.insert_customers(&customers)
        .await
        .expect("insert customers");
    tx.commit().await.expect("commit");

    World {
        s1,
        s2,
        sales1,
        service1,
        sales2,
        team_a,
        team_b,
        team_c,
        role,
        alice,
        bob,
        carol,
        dave,
        erin,
        root,
        customers,
    }
}
