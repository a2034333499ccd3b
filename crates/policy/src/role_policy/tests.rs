use super::*;
use dealervault_domain::access::Position;
use dealervault_domain::ids::{DepartmentId, StoreId, TeamId, UserId};
use proptest::prelude::*;

const C: Entity = Entity::Customer;

fn subject() -> Subject {
    Subject {
        user_id: UserId::from_stored("me".into()),
        position: Position {
            store_id: Some(StoreId::from_stored("s1".into())),
            department_id: Some(DepartmentId::from_stored("d1".into())),
            team_id: Some(TeamId::from_stored("t1".into())),
        },
    }
}

fn policy(grants: &[Grant]) -> RolePolicy {
    RolePolicy {
        grants: grants.to_vec(),
        fields: vec![],
    }
}

#[test]
fn a_new_role_may_do_nothing() {
    let p = RolePolicy::default();
    for action in Action::ALL {
        assert_eq!(p.row_filter(C, action, &subject()), Err(Forbidden));
        assert!(!p.may(C, action));
    }
    assert_eq!(p.field_level(C, "mobile"), FieldLevel::Hidden);
}

#[test]
fn the_widest_allow_wins_among_allows() {
    let p = policy(&[
        Grant::allow(C, Action::View, ScopeLevel::Own),
        Grant::allow(C, Action::View, ScopeLevel::Store),
    ]);
    let f = p.row_filter(C, Action::View, &subject()).expect("allowed");
    assert_eq!(
        f.within(),
        &RowBound::Store(StoreId::from_stored("s1".into()))
    );
    assert_eq!(f.except(), None);
}

#[test]
fn a_deny_as_wide_as_the_allow_forbids() {
    let p = policy(&[
        Grant::allow(C, Action::View, ScopeLevel::Team),
        Grant::deny(C, Action::View, ScopeLevel::Store),
    ]);
    assert_eq!(p.row_filter(C, Action::View, &subject()), Err(Forbidden));
    assert!(!p.may(C, Action::View));
}

#[test]
fn a_narrower_deny_cuts_a_hole() {
    let p = policy(&[
        Grant::allow(C, Action::View, ScopeLevel::Store),
        Grant::deny(C, Action::View, ScopeLevel::Own),
    ]);
    let f = p.row_filter(C, Action::View, &subject()).expect("allowed");
    assert_eq!(
        f.except(),
        Some(&RowBound::Owner(UserId::from_stored("me".into())))
    );
}

#[test]
fn missing_units_round_allows_down_and_denies_up() {
    let mut s = subject();
    s.position.team_id = None;
    let allow = policy(&[Grant::allow(C, Action::View, ScopeLevel::Team)]);
    assert_eq!(
        allow
            .row_filter(C, Action::View, &s)
            .expect("allowed")
            .within(),
        &RowBound::Owner(s.user_id.clone())
    );
    let deny = policy(&[
        Grant::allow(C, Action::View, ScopeLevel::Store),
        Grant::deny(C, Action::View, ScopeLevel::Team),
    ]);
    assert_eq!(
        deny.row_filter(C, Action::View, &s)
            .expect("allowed")
            .except(),
        Some(&RowBound::Department(DepartmentId::from_stored(
            "d1".into()
        )))
    );
}

#[test]
fn policies_round_trip_through_json() {
    let roles = crate::default_roles();
    for r in roles {
        assert_eq!(
            RolePolicy::from_json(&r.policy.to_json()).expect("json"),
            r.policy
        );
    }
}

fn arb_level() -> impl Strategy<Value = ScopeLevel> {
    prop::sample::select(ScopeLevel::ALL.to_vec())
}

fn arb_grant() -> impl Strategy<Value = Grant> {
    (arb_level(), any::<bool>()).prop_map(|(scope, allow)| {
        if allow {
            Grant::allow(C, Action::View, scope)
        } else {
            Grant::deny(C, Action::View, scope)
        }
    })
}

/// Places consistent with an organisation in which team tN sits in department dN of
/// store sN, and `me` sits in t1: scopes nest there, as they do in real data.
fn arb_place() -> impl Strategy<Value = RecordPlace> {
    (
        0..3u8,
        prop::option::of(0..2u8),
        prop::option::of(0..2u8),
        0..2u8,
    )
        .prop_map(|(o, team, dept, store)| {
            let (team, dept, store) = match (o, team, dept) {
                (0, ..) => (Some(1), Some(1), 1),
                (_, Some(t), _) => (Some(t), Some(t), t),
                (_, None, Some(d)) => (None, Some(d), d),
                (_, None, None) => (None, None, store),
            };
            RecordPlace {
                owner_id: UserId::from_stored(if o == 0 { "me".into() } else { format!("u{o}") }),
                owner_team_id: team.map(|t| TeamId::from_stored(format!("t{t}"))),
                owner_department_id: dept.map(|d| DepartmentId::from_stored(format!("d{d}"))),
                store_id: StoreId::from_stored(format!("s{store}")),
            }
        })
}

proptest! {
    /// The filter (within/except) and the grant-by-grant decision agree on every record.
    #[test]
    fn filter_agrees_with_per_record_decision(grants in prop::collection::vec(arb_grant(), 0..5), place in arb_place()) {
        let p = policy(&grants);
        let s = subject();
        let by_filter = match p.row_filter(C, Action::View, &s) {
            Ok(f) => f.within().contains(&place) && !f.except().is_some_and(|e| e.contains(&place)),
            Err(Forbidden) => false,
        };
        prop_assert_eq!(by_filter, p.allows_record(C, Action::View, &s, &place));
    }
}
