//! Who answers for an account's access: its direct manager, worked out from the rights
//! of the roles rather than from role codes, so that a renamed or new role finds its
//! place. Pure over the accounts and their policies.
//!
//! - Staff of a department: the department's manager — an active colleague of the same
//!   department whose role may hand customers over (customer `assign`) at department
//!   scope or wider.
//! - A department's head, and staff of a department without one (or of no department):
//!   the store's manager — an active account of the store that may hand customers over
//!   store-wide.
//! - A store's manager, group-level accounts, and anyone whose store has no manager: the
//!   administrator (an account that may edit accounts).
//! - An administrator: the auditor (separation of duties).
//!
//! Nobody reviews themselves; among several candidates the first by username is chosen.

use dealervault_domain::access::ScopeLevel;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::{DepartmentId, StoreId, UserId};
use dealervault_policy::{Action, RolePolicy};
use dealervault_store::UserRow;

/// An account with its role's rights.
#[derive(Debug, Clone)]
pub(crate) struct Staff {
    pub user: UserRow,
    pub policy: RolePolicy,
}

impl Staff {
    fn active(&self) -> bool {
        self.user.status == "active"
    }

    pub fn administers(&self) -> bool {
        self.policy.may(Entity::User, Action::Edit)
    }

    pub fn audits(&self) -> bool {
        self.policy.may(Entity::AuditLog, Action::View)
    }

    fn assigns_within(&self, level: ScopeLevel) -> bool {
        self.policy
            .effective_scope(Entity::Customer, Action::Assign)
            .is_some_and(|s| s >= level)
    }

    fn heads_department(&self) -> bool {
        self.assigns_within(ScopeLevel::Department)
    }

    fn heads_store(&self) -> bool {
        self.assigns_within(ScopeLevel::Store)
    }
}

/// Everyone, sorted by username.
#[derive(Debug, Clone)]
pub(crate) struct Org {
    staff: Vec<Staff>,
}

impl Org {
    pub fn new(mut staff: Vec<Staff>) -> Self {
        staff.sort_by(|a, b| a.user.username.cmp(&b.user.username));
        Self { staff }
    }

    pub fn staff(&self) -> &[Staff] {
        &self.staff
    }

    pub fn get(&self, id: &UserId) -> Option<&Staff> {
        self.staff.iter().find(|s| &s.user.id == id)
    }

    /// The first active account other than `except` that `qualifies`.
    fn first(&self, except: &UserId, qualifies: impl Fn(&Staff) -> bool) -> Option<UserId> {
        self.staff
            .iter()
            .find(|s| s.active() && &s.user.id != except && qualifies(s))
            .map(|s| s.user.id.clone())
    }

    pub fn administrator(&self, except: &UserId) -> Option<UserId> {
        self.first(except, Staff::administers)
    }

    pub fn auditor(&self, except: &UserId) -> Option<UserId> {
        self.first(except, Staff::audits)
    }

    /// The manager of `store` other than `except`: where an overdue item escalates.
    pub fn store_manager(&self, store: &StoreId, except: &UserId) -> Option<UserId> {
        self.first(except, |s| {
            s.user.store_id.as_ref() == Some(store) && s.heads_store()
        })
    }

    fn department_manager(&self, department: &DepartmentId, except: &UserId) -> Option<UserId> {
        self.first(except, |s| {
            s.user.department_id.as_ref() == Some(department) && s.heads_department()
        })
    }

    /// Who reviews `account` (see the module's rules); `None` when nobody can.
    pub fn reviewer_of(&self, account: &Staff) -> Option<UserId> {
        let me = &account.user.id;
        if account.administers() {
            return self.auditor(me);
        }
        let administrator = || self.administrator(me);
        let Some(store) = &account.user.store_id else {
            return administrator();
        };
        if account.heads_store() {
            return administrator();
        }
        let store_manager = || self.store_manager(store, me).or_else(administrator);
        if account.heads_department() {
            return store_manager();
        }
        account
            .user
            .department_id
            .as_ref()
            .and_then(|d| self.department_manager(d, me))
            .or_else(store_manager)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dealervault_domain::ids::{DepartmentId, RoleId, StoreId};
    use dealervault_policy::default_roles;

    fn staff(name: &str, role: &str, store: Option<&str>, department: Option<&str>) -> Staff {
        let policy = default_roles()
            .into_iter()
            .find(|r| r.code == role)
            .map(|r| r.policy)
            .unwrap_or_default();
        Staff {
            user: UserRow {
                id: UserId::from_stored(name.into()),
                username: name.into(),
                display_name: name.into(),
                password_hash: String::new(),
                role_id: RoleId::from_stored(role.into()),
                store_id: store.map(|s| StoreId::from_stored(s.into())),
                department_id: department.map(|d| DepartmentId::from_stored(d.into())),
                team_id: None,
                status: "active".into(),
                failed_logins: 0,
                locked_until: None,
                must_change_password: false,
                created_at: 0,
                updated_at: 0,
            },
            policy,
        }
    }

    fn demo() -> Org {
        Org::new(vec![
            staff("admin", "system_admin", None, None),
            staff("auditor", "auditor", None, None),
            staff(
                "gm01",
                "general_manager",
                Some("SH01"),
                Some("SH01-management"),
            ),
            staff(
                "salesmgr01",
                "sales_manager",
                Some("SH01"),
                Some("SH01-sales"),
            ),
            staff(
                "sales01",
                "sales_consultant",
                Some("SH01"),
                Some("SH01-sales"),
            ),
            staff(
                "service01",
                "service_advisor",
                Some("SH01"),
                Some("SH01-aftersales"),
            ),
            staff(
                "sales11",
                "sales_consultant",
                Some("SH02"),
                Some("SH02-sales"),
            ),
        ])
    }

    fn reviewer(org: &Org, name: &str) -> Option<String> {
        let account = org.get(&UserId::from_stored(name.into()))?;
        org.reviewer_of(account).map(|id| id.to_string())
    }

    #[test]
    fn each_account_goes_to_its_direct_manager() {
        let org = demo();
        for (account, expected) in [
            ("sales01", Some("salesmgr01")),
            ("salesmgr01", Some("gm01")),
            ("service01", Some("gm01")),
            ("gm01", Some("admin")),
            ("auditor", Some("admin")),
            ("admin", Some("auditor")),
            // SH02 has neither a sales manager nor a general manager.
            ("sales11", Some("admin")),
        ] {
            assert_eq!(reviewer(&org, account).as_deref(), expected, "{account}");
        }
        for s in org.staff() {
            assert_ne!(
                org.reviewer_of(s).as_ref(),
                Some(&s.user.id),
                "nobody reviews themselves"
            );
        }
    }

    #[test]
    fn inactive_managers_are_passed_over() {
        let mut staff = demo().staff().to_vec();
        for s in &mut staff {
            if s.user.username == "salesmgr01" {
                s.user.status = "frozen".into();
            }
        }
        let org = Org::new(staff);
        assert_eq!(reviewer(&org, "sales01").as_deref(), Some("gm01"));
        let store = StoreId::from_stored("SH01".into());
        let gm01 = UserId::from_stored("gm01".into());
        assert_eq!(org.store_manager(&store, &gm01), None, "not themselves");
    }

    #[test]
    fn without_an_auditor_nobody_reviews_the_administrator() {
        let staff: Vec<Staff> = demo()
            .staff()
            .iter()
            .filter(|s| s.user.username != "auditor")
            .cloned()
            .collect();
        assert_eq!(reviewer(&Org::new(staff), "admin"), None);
    }
}
