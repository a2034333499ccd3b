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
use dealervault_domain::ids::{CustomerId, DepartmentId, RoleId, StoreId, TeamId, UserId};
use dealervault_store::{
    CustomerSort, DepartmentRow, PageRequest, RoleRow, SealedCustomer, Store, StoreRow, TeamRow,
    UserRow,
};

pub const T0: i64 = 1_767_225_600_000;

/// The KEK version the fixtures wrap data keys under.
pub const KEK: u32 = 1;

/// A page large enough for every customer a scenario creates.
pub const ALL: PageRequest = PageRequest {
    limit: 10_000,
    offset: 0,
    sort: CustomerSort::UpdatedDesc,
};

pub fn group() -> RowFilter {
    RowFilter::decided(RowBound::Group, None)
}

/// Every kind of bound, with and without exceptions, and whose customers (by owner) each
/// one lets through.
pub fn scope_cases(w: &World) -> Vec<(RowFilter, &'static [&'static str])> {
    vec![
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
            RowFilter::decided(
                RowBound::Department(w.sales1.id.clone()),
                Some(RowBound::Owner(w.bob.id.clone())),
            ),
            &["alice", "carol"],
        ),
        (
            RowFilter::decided(RowBound::Team(w.team_b.id.clone()), Some(RowBound::Group)),
            &[],
        ),
    ]
}

impl World {
    /// The salespeople whose customers the scenarios create.
    pub fn sales(&self) -> [&UserRow; 5] {
        [&self.alice, &self.bob, &self.carol, &self.dave, &self.erin]
    }

    /// Whether `customer` belongs to one of `owners` (by username).
    pub fn owned_by(&self, owners: &[&str], customer: &SealedCustomer) -> bool {
        self.sales()
            .into_iter()
            .any(|u| u.id == customer.owner_id && owners.contains(&u.username.as_str()))
    }
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
    /// Two customers per salesperson (alice..erin), in insertion order, each with an ID
    /// number; all keys under `KEK`.
    pub customers: Vec<SealedCustomer>,
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
        requires_mfa: false,
        mfa_marked_at: None,
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

/// Stand-in for an envelope: the store keeps bytes and never looks inside, so any bytes
/// do, as long as each field and customer gets its own (and some are not UTF-8).
pub fn envelope(field: &str, text: &str) -> Vec<u8> {
    let mut bytes = vec![0x01, 0x01, 0xff, 0x00];
    bytes.extend_from_slice(field.as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(text.as_bytes());
    bytes
}

/// Stand-in for a 16-byte blind index of value `n` of field `field` (1: mobile, 2: ID number).
pub fn blind_index(field: u8, n: usize) -> Vec<u8> {
    let mut bytes = vec![field, 0xb1, 0x1d, 0x00, 0x80, 0xff, 0x00, 0x7f];
    bytes.extend_from_slice(&(n as u64).to_be_bytes());
    bytes
}

/// Stand-in for a 65-byte wrapped data key: format 1, then the KEK version big-endian.
pub fn wrapped_key(kek_version: u32, n: usize) -> Vec<u8> {
    let mut bytes = vec![0x01];
    bytes.extend_from_slice(&kek_version.to_be_bytes());
    bytes.extend((0..60).map(|i| (n.wrapping_mul(31).wrapping_add(i) % 251) as u8));
    bytes
}

/// A customer whose sealed mobile and mobile index are derived from `n`, so they never
/// collide; optional fields absent.
pub fn customer(
    n: usize,
    store: &StoreRow,
    owner: &UserRow,
    name: &str,
    at: i64,
) -> SealedCustomer {
    SealedCustomer {
        id: CustomerId::generate(),
        store_id: store.id.clone(),
        store_code: store.code.clone(),
        owner_id: owner.id.clone(),
        name: envelope("name", name),
        mobile: envelope("mobile", &format!("139{n:08}")),
        id_number: None,
        email: None,
        address: None,
        wechat: None,
        birth_date: None,
        notes: None,
        mobile_index: blind_index(1, n),
        id_number_index: None,
        gender: "unknown".into(),
        source: "walk_in".into(),
        created_at: at,
        updated_at: at,
        data_key: Some(wrapped_key(KEK, n)),
    }
}

/// `customers` paired with `KEK`, for `insert_customers`.
pub fn under_kek(customers: &[SealedCustomer]) -> Vec<(SealedCustomer, u32)> {
    customers.iter().map(|c| (c.clone(), KEK)).collect()
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
            c.id_number = Some(envelope("id_number", &format!("11010519900101{n:04}")));
            c.id_number_index = Some(blind_index(2, n));
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
    tx.insert_customers(&under_kek(&customers))
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
