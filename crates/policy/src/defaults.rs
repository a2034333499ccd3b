//! The roles `init` creates. Customer access follows the principle of least privilege:
//! contact data is masked for everyone and opened one field at a time through an audited
//! reveal; the administrator and the auditor see no customer data at all.

use crate::grant::{Action, FieldLevel, FieldRule, Grant};
use crate::role_policy::RolePolicy;
use dealervault_domain::access::ScopeLevel;
use dealervault_domain::catalog::{governed_fields, Entity};

#[derive(Debug, Clone)]
pub struct RoleTemplate {
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub policy: RolePolicy,
}

use Action::{Assign, Create, Delete, Edit, Export, History, Reveal, View};
use FieldLevel::{Clear, Editable, Hidden, Masked};
use ScopeLevel::{Department, Group, Own, Store};

fn allow(
    entity: Entity,
    actions: &[Action],
    scope: ScopeLevel,
) -> impl Iterator<Item = Grant> + '_ {
    actions.iter().map(move |a| Grant::allow(entity, *a, scope))
}

/// Customer field levels in `catalog order; `export` marks which fields may leave in
/// an export (at the level shown).
fn customer_fields(levels: [FieldLevel; 10], export: bool) -> Vec<FieldRule> {
    governed_fields(Entity::Customer)
        .map(|f| f.name)
        .zip(levels)
        .filter(|(_, level)| *level != Hidden)
        .map(|(field, level)| FieldRule {
            entity: Entity::Customer,
            field: field.to_string(),
            level,
            export,
            export_clear: false,
        })
        .collect()
}

/// A role with its customer and administration rights, plus its rights on the sales
/// floor (`sales_floor.rs`).
fn role(
    code: &'static str,
    name_zh: &'static str,
    name_en: &'static str,
    mut grants: Vec<Grant>,
    mut fields: Vec<FieldRule>,
) -> RoleTemplate {
    let (floor_grants, floor_fields) = sales_floor::rights(code);
    grants.extend(floor_grants);
    fields.extend(floor_fields);
    RoleTemplate {
        code,
        name_zh,
        name_en,
        policy: RolePolicy { grants, fields }.normalised(),
    }
}

mod sales_floor;

pub fn default_roles() -> Vec<RoleTemplate> {
    let admin_entities = [
        Entity::User,
        Entity::Role,
        Entity::Organisation,
        Entity::Settings,
    ];
    let manage = [View, Create, Edit, Delete, Assign];
    //                       name      mobile  id_no   email   address wechat  birth   gender    source    notes
    let managers = [
        Clear, Masked, Masked, Masked, Masked, Masked, Clear, Editable, Editable, Editable,
    ];
    let sales = [
        Editable, Masked, Masked, Masked, Masked, Masked, Masked, Editable, Editable, Editable,
    ];
    let service = [
        Clear, Masked, Hidden, Hidden, Hidden, Hidden, Hidden, Clear, Hidden, Hidden,
    ];
    let finance = [
        Clear, Masked, Masked, Hidden, Masked, Hidden, Hidden, Clear, Hidden, Hidden,
    ];
    let care = [
        Masked, Masked, Hidden, Hidden, Hidden, Hidden, Hidden, Clear, Clear, Hidden,
    ];
    let insurance = [
        Clear, Masked, Masked, Hidden, Masked, Hidden, Masked, Clear, Hidden, Hidden,
    ];
    let store_readers = |levels| {
        (
            allow(Entity::Customer, &[View, Reveal], Store).collect(),
            customer_fields(levels, false),
        )
    };

    let (service_grants, service_fields) = store_readers(service);
    let (finance_grants, finance_fields) = store_readers(finance);
    let (care_grants, care_fields) = store_readers(care);
    let (insurance_grants, insurance_fields) = store_readers(insurance);
    vec![
        role(
            "system_admin",
            "系统管理员",
            "System administrator",
            admin_entities
                .iter()
                .flat_map(|e| allow(*e, &manage, Group).collect::<Vec<_>>())
                .collect(),
            vec![],
        ),
        role(
            "auditor",
            "审计员",
            "Auditor",
            allow(Entity::AuditLog, &[View, Export], Group)
                .chain(allow(Entity::Alert, &[View, Edit], Group))
                .collect(),
            vec![],
        ),
        role(
            "general_manager",
            "总经理",
            "General manager",
            // The store manager alone also reads who accessed a customer.
            allow(
                Entity::Customer,
                &[View, Create, Edit, Reveal, Export, Assign, History],
                Store,
            )
            .chain(allow(Entity::Alert, &[View, Edit], Store))
            .collect(),
            customer_fields(managers, true),
        ),
        role(
            "sales_manager",
            "销售经理",
            "Sales manager",
            allow(
                Entity::Customer,
                &[View, Create, Edit, Reveal, Export, Assign],
                Department,
            )
            .chain(allow(Entity::Alert, &[View, Edit], Department))
            .collect(),
            customer_fields(managers, true),
        ),
        role(
            "sales_consultant",
            "销售顾问",
            "Sales consultant",
            // A consultant may ask to export their own customers, contacts masked as
            // they see them; the store's approval chain decides each request.
            allow(Entity::Customer, &[View, Create, Edit, Reveal, Export], Own).collect(),
            customer_fields(sales, true),
        ),
        role(
            "service_advisor",
            "服务顾问",
            "Service advisor",
            service_grants,
            service_fields,
        ),
        role("finance", "财务", "Finance", finance_grants, finance_fields),
        role(
            "customer_care",
            "客服回访",
            "Customer care",
            care_grants,
            care_fields,
        ),
        role(
            "insurance",
            "保险专员",
            "Insurance specialist",
            insurance_grants,
            insurance_fields,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_level_tables_cover_every_governed_field() {
        // The tables above list ten levels each, in catalog order.
        assert_eq!(governed_fields(Entity::Customer).count(), 10);
    }

    #[test]
    fn there_are_nine_roles_with_unique_codes() {
        let roles = default_roles();
        let mut codes: Vec<_> = roles.iter().map(|r| r.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 9);
    }

    #[test]
    fn administrator_and_auditor_see_no_customer_data() {
        for r in default_roles()
            .iter()
            .filter(|r| matches!(r.code, "system_admin" | "auditor"))
        {
            for entity in Entity::ALL.into_iter().filter(|e| e.is_business()) {
                for action in Action::ALL {
                    assert!(
                        !r.policy.may(entity, action),
                        "{} {entity:?} {action:?}",
                        r.code
                    );
                }
            }
            assert!(
                r.policy.fields.iter().all(|f| !f.entity.is_business()),
                "{}",
                r.code
            );
        }
    }

    #[test]
    fn alerts_are_read_by_auditor_and_managers_only() {
        for r in default_roles() {
            let reads = r.policy.may(Entity::Alert, View);
            let expected = matches!(r.code, "auditor" | "general_manager" | "sales_manager");
            assert_eq!(reads, expected, "{}", r.code);
        }
    }

    #[test]
    fn contact_data_is_masked_for_every_role() {
        for r in default_roles() {
            for field in ["mobile", "id_number"] {
                assert!(
                    r.policy.field_level(Entity::Customer, field) <= Masked,
                    "{} {field}",
                    r.code
                );
            }
        }
    }

    #[test]
    fn every_field_rule_names_a_catalog_field() {
        for r in default_roles() {
            for f in &r.policy.fields {
                assert!(
                    dealervault_domain::catalog::field(f.entity, &f.field).is_some(),
                    "{}",
                    f.field
                );
            }
        }
    }
}
