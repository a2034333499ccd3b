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
            export_clear: false,
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

// Deals, in catalog order: model, price, discount, accessories, accessories price,
// insurance plan, premium, financing, loan amount, loan term, trade-in, trade-in value,
// total, contract number, deposit, paid, delivery date. Salespeople write the terms
// and take the deposit; finance records the payments and the loan; insurance and
// customer care see what their work needs and no finances.
const DEAL_SELLERS: [FieldLevel; 17] = [
    Editable, Editable, Editable, Editable, Editable, Editable, Editable, Editable, Editable,
    Editable, Editable, Editable, Clear, Editable, Editable, Clear, Editable,
];
const DEAL_FINANCE: [FieldLevel; 17] = [
    Clear, Clear, Clear, Clear, Clear, Clear, Clear, Editable, Editable, Editable, Clear, Clear,
    Clear, Clear, Editable, Editable, Clear,
];
const DEAL_INSURANCE: [FieldLevel; 17] = [
    Clear, Hidden, Hidden, Hidden, Hidden, Clear, Clear, Hidden, Hidden, Hidden, Hidden, Hidden,
    Hidden, Hidden, Hidden, Hidden, Clear,
];
const DEAL_CARE: [FieldLevel; 17] = [
    Clear, Hidden, Hidden, Clear, Hidden, Hidden, Hidden, Hidden, Hidden, Hidden, Hidden, Hidden,
    Hidden, Hidden, Hidden, Hidden, Clear,
];

/// The grants and field rules a default role holds on the sales floor.
pub(super) fn rights(role: &str) -> (Vec<Grant>, Vec<FieldRule>) {
    use Entity::{Deal, FollowUp, Lead, TestDrive, Vehicle};
    let lead_work = [View, Create, Edit, Reveal];
    let follow_up_work = [View, Create, Edit];
    // Booking, completing and cancelling drives go with the leads one works.
    let test_drive_work = [View, Create, Edit];
    let deal_work = [View, Create, Edit];
    let (grants, fields): (Vec<Vec<Grant>>, Vec<Vec<FieldRule>>) = match role {
        "general_manager" => (
            vec![
                allow(Lead, &[View, Create, Edit, Reveal, Assign, Claim], Store),
                allow(FollowUp, &follow_up_work, Store),
                allow(TestDrive, &test_drive_work, Store),
                allow(Vehicle, &[View, Create, Edit], Store),
                allow(Deal, &deal_work, Store),
            ],
            vec![
                levels(Lead, &LEAD_MANAGERS).collect(),
                levels(FollowUp, &FOLLOW_UP_WRITERS).collect(),
                levels(TestDrive, &TEST_DRIVE_WRITERS).collect(),
                levels(Vehicle, &STOCK_GM).collect(),
                levels(Deal, &DEAL_SELLERS).collect(),
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
                allow(Deal, &deal_work, Department),
            ],
            vec![
                levels(Lead, &LEAD_MANAGERS).collect(),
                levels(FollowUp, &FOLLOW_UP_WRITERS).collect(),
                levels(TestDrive, &TEST_DRIVE_WRITERS).collect(),
                levels(Vehicle, &STOCK_KEEPER).collect(),
                levels(Deal, &DEAL_SELLERS).collect(),
            ],
        ),
        "sales_consultant" => (
            vec![
                allow(Lead, &lead_work, Own),
                allow(Lead, &[Claim], Store),
                allow(FollowUp, &follow_up_work, Own),
                allow(TestDrive, &test_drive_work, Own),
                allow(Vehicle, &[View], Store),
                allow(Deal, &deal_work, Own),
            ],
            vec![
                levels(Lead, &LEAD_SALES).collect(),
                levels(FollowUp, &FOLLOW_UP_WRITERS).collect(),
                levels(TestDrive, &TEST_DRIVE_WRITERS).collect(),
                levels(Vehicle, &STOCK_SALES).collect(),
                levels(Deal, &DEAL_SELLERS).collect(),
            ],
        ),
        "finance" => (
            vec![
                allow(Vehicle, &[View, Edit], Store),
                allow(Deal, &[View, Edit], Store),
            ],
            vec![
                levels(Vehicle, &STOCK_FINANCE).collect(),
                levels(Deal, &DEAL_FINANCE).collect(),
            ],
        ),
        // Customer care makes the calls after a delivery (客服回访): it reads how a test
        // drive went, and what was bought and when it was handed over, nothing of the
        // money.
        "customer_care" => (
            vec![
                allow(FollowUp, &[View, Edit], Store),
                allow(TestDrive, &[View], Store),
                allow(Deal, &[View], Store),
            ],
            vec![
                levels(FollowUp, &FOLLOW_UP_WRITERS).collect(),
                levels(TestDrive, &TEST_DRIVE_CARE).collect(),
                levels(Deal, &DEAL_CARE).collect(),
            ],
        ),
        // Insurance sells the policy on a delivered car: model, plan, premium, date.
        "insurance" => (
            vec![allow(Deal, &[View], Store)],
            vec![levels(Deal, &DEAL_INSURANCE).collect()],
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
        assert_eq!(governed_fields(Entity::Deal).count(), DEAL_SELLERS.len());
        assert_eq!(
            governed_fields(Entity::TestDrive).count(),
            TEST_DRIVE_WRITERS.len()
        );
    }

    #[test]
    fn financing_terms_are_for_sellers_finance_and_managers_only() {
        for r in default_roles() {
            for field in ["financing", "loan_amount", "loan_term_months", "paid"] {
                let sees = r.policy.field_level(Entity::Deal, field) > Hidden;
                let expected = matches!(
                    r.code,
                    "finance" | "general_manager" | "sales_manager" | "sales_consultant"
                );
                assert_eq!(sees, expected, "{} {field}", r.code);
            }
        }
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
