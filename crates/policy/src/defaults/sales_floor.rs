//! The default roles' rights on the sales floor: leads and the public pool, follow-ups,
//! test drives and the stock. Contact data stays masked (revealed one field at a time,
//! audited), and so does a driver's licence number; a vehicle's cost price and supplier
//! terms are for finance and the general manager.

use crate::grant::{Action, FieldLevel, FieldRule, Grant};
use dealervault_domain::access::ScopeLevel;
use dealervault_domain::catalog::{governed_fields, Entity};

use Action::{Assign, Claim, Create, Edit, Reveal, View};
use FieldLevel::{Clear, Editable, Hidden, Masked};
use ScopeLevel::{Department, Own, Store};

/// Levels for an entity's governed fields, in catalog order; hidden ones get no rule.
fn levels(entity: Entity, levels: &[FieldLevel]) -> impl Iterator<Item = FieldRule> + '_ {
    governed_fields(entity)
        .zip(levels)
        .filter(|(_, level)| **level != Hidden)
        .map(move |(spec, level)| FieldRule {
            entity,
            field: spec.name.to_string(),
            level: *level,
            export: false,
        })
}

fn allow(entity: Entity, actions: &[Action], scope: ScopeLevel) -> Vec<Grant> {
    actions
        .iter()
        .map(|a| Grant::allow(entity, *a, scope))
        .collect()
}

//                          name      mobile  wechat  source    model     budget    notes
const LEAD_MANAGERS: [FieldLevel; 7] = [
    Clear, Masked, Masked, Editable, Editable, Editable, Editable,
];
const LEAD_SALES: [FieldLevel; 7] = [
    Editable, Masked, Masked, Editable, Editable, Editable, Editable,
];
//                              notes     next step
const FOLLOW_UP_WRITERS: [FieldLevel; 2] = [Editable, Editable];
//                               licence  feedback
const TEST_DRIVE_WRITERS: [FieldLevel; 2] = [Masked, Editable];
/// Customer care reads what people said after a drive, never their licence.
const TEST_DRIVE_CARE: [FieldLevel; 2] = [Hidden, Clear];
//                          model     trim      colour    location  list price cost     terms
const STOCK_GM: [FieldLevel; 7] = [
    Editable, Editable, Editable, Editable, Editable, Clear, Clear,
];
const STOCK_FINANCE: [FieldLevel; 7] = [Clear, Clear, Clear, Clear, Clear, Editable, Editable];
const STOCK_KEEPER: [FieldLevel; 7] = [
    Editable, Editable, Editable, Editable, Editable, Hidden, Hidden,
];
const STOCK_SALES: [FieldLevel; 7] = [Clear, Clear, Clear, Clear, Clear, Hidden, Hidden];

/// The grants and field rules a default role holds on the sales floor.
pub(super) fn rights(role: &str) -> (Vec<Grant>, Vec<FieldRule>) {
    use Entity::{FollowUp, Lead, TestDrive, Vehicle};
    let lead_work = [View, Create, Edit, Reveal];
    let follow_up_work = [View, Create, Edit];
    // Booking, completing and cancelling drives go with the leads one works.
    let test_drive_work = [View, Create, Edit];
    let (grants, fields): (Vec<Vec<Grant>>, Vec<Vec<FieldRule>>) = match role {
        "general_manager" => (
            vec![
                allow(Lead, &[View, Create, Edit, Reveal, Assign, Claim], Store),
                allow(FollowUp, &follow_up_work, Store),
                allow(TestDrive, &test_drive_work, Store),
                allow(Vehicle, &[View, Create, Edit], Store),
            ],
            vec![
                levels(Lead, &LEAD_MANAGERS).collect(),
                levels(FollowUp, &FOLLOW_UP_WRITERS).collect(),
                levels(TestDrive, &TEST_DRIVE_WRITERS).collect(),
                levels(Vehicle, &STOCK_GM).collect(),
            ],
        ),
        // A sales manager runs the department's leads and hands out the store's pool;
        // stock has no owner, so its scope is the store.
        "sales_manager" => (
            vec![
                allow(Lead, &[View, Create, Edit, Reveal, Assign], Department),
                allow(Lead, &[Claim], Store),
                allow(FollowUp, &follow_up_work, Department),
                allow(TestDrive, &test_drive_work, Department),
                allow(Vehicle, &[View, Create, Edit], Store),
            ],
            vec![
                levels(Lead, &LEAD_MANAGERS).collect(),
                levels(FollowUp, &FOLLOW_UP_WRITERS).collect(),
                levels(TestDrive, &TEST_DRIVE_WRITERS).collect(),
                levels(Vehicle, &STOCK_KEEPER).collect(),
            ],
        ),
        "sales_consultant" => (
            vec![
                allow(Lead, &lead_work, Own),
                allow(Lead, &[Claim], Store),
                allow(FollowUp, &follow_up_work, Own),
                allow(TestDrive, &test_drive_work, Own),
                allow(Vehicle, &[View], Store),
            ],
            vec![
                levels(Lead, &LEAD_SALES).collect(),
                levels(FollowUp, &FOLLOW_UP_WRITERS).collect(),
                levels(TestDrive, &TEST_DRIVE_WRITERS).collect(),
                levels(Vehicle, &STOCK_SALES).collect(),
            ],
        ),
        "finance" => (
            vec![allow(Vehicle, &[View, Edit], Store)],
            vec![levels(Vehicle, &STOCK_FINANCE).collect()],
        ),
        // Customer care makes the calls after a delivery (客服回访), and reads how a
        // test drive went.
        "customer_care" => (
            vec![
                allow(FollowUp, &[View, Edit], Store),
                allow(TestDrive, &[View], Store),
            ],
            vec![
                levels(FollowUp, &FOLLOW_UP_WRITERS).collect(),
                levels(TestDrive, &TEST_DRIVE_CARE).collect(),
            ],
        ),
        _ => (vec![], vec![]),
    };
    (grants.concat(), fields.concat())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::default_roles;

    #[test]
    fn the_level_tables_cover_every_governed_field() {
        assert_eq!(governed_fields(Entity::Lead).count(), LEAD_SALES.len());
        assert_eq!(
            governed_fields(Entity::FollowUp).count(),
            FOLLOW_UP_WRITERS.len()
        );
        assert_eq!(governed_fields(Entity::Vehicle).count(), STOCK_GM.len());
        assert_eq!(
            governed_fields(Entity::TestDrive).count(),
            TEST_DRIVE_WRITERS.len()
        );
    }

    #[test]
    fn a_licence_number_is_masked_for_the_floor_and_hidden_from_everyone_else() {
        for r in default_roles() {
            let level = r.policy.field_level(Entity::TestDrive, "licence_number");
            let expected = match r.code {
                "general_manager" | "sales_manager" | "sales_consultant" => Masked,
                _ => Hidden,
            };
            assert_eq!(level, expected, "{}", r.code);
        }
    }

    #[test]
    fn cost_price_is_for_finance_and_the_general_manager_only() {
        for r in default_roles() {
            for field in ["cost_price", "supplier_terms"] {
                let sees = r.policy.field_level(Entity::Vehicle, field) > Hidden;
                let expected = matches!(r.code, "finance" | "general_manager");
                assert_eq!(sees, expected, "{} {field}", r.code);
            }
        }
    }

    #[test]
    fn lead_contact_data_is_masked_for_every_role() {
        for r in default_roles() {
            for field in ["mobile", "wechat"] {
                assert!(
                    r.policy.field_level(Entity::Lead, field) <= Masked,
                    "{} {field}",
                    r.code
                );
            }
        }
    }
}
