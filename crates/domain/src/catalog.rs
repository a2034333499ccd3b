//! The field catalog: every field of every entity declared once. Policy (field levels),
//! storage (plain or encrypted), masking, the UI, export and sync all read it; nothing
//! restates it.

use crate::mask::MaskRule;
use serde::{Deserialize, Serialize};

/// What the permission model talks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Customer,
    User,
    Role,
    Organisation,
    Settings,
    AuditLog,
    /// Anomaly alerts raised over the audit log: who did what unusual (ids and counts,
    /// never customer data).
    Alert,
    /// A sales lead (线索): a person interested in a car, owned by a salesperson or
    /// waiting in the store's public pool (公海).
    Lead,
    /// A follow-up on a lead: a call, visit or message, due, done or overdue.
    FollowUp,
    /// A vehicle of the stock, by VIN. Holds no personal data, but its cost price and
    /// supplier terms are the store's business secrets.
    Vehicle,
    /// A deal on a lead (报价/订单): the quote's price, discount, accessories,
    /// insurance, financing and trade-in; once signed, the order's contract, the
    /// vehicle allocated from stock, payments and delivery. Business terms, no
    /// personal data (the person is the lead's).
    Deal,
    /// A test drive (试驾) of a stock vehicle by a lead: slot, driving licence, waiver,
    /// feedback.
    TestDrive,
}

impl Entity {
    pub const ALL: [Entity; 12] = [
        Entity::Customer,
        Entity::Lead,
        Entity::FollowUp,
        Entity::TestDrive,
        Entity::Deal,
        Entity::Vehicle,
        Entity::User,
        Entity::Role,
        Entity::Organisation,
        Entity::Settings,
        Entity::AuditLog,
        Entity::Alert,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Entity::Customer => "customer",
            Entity::User => "user",
            Entity::Role => "role",
            Entity::Organisation => "organisation",
            Entity::Settings => "settings",
            Entity::AuditLog => "audit_log",
            Entity::Alert => "alert",
            Entity::Lead => "lead",
            Entity::FollowUp => "follow_up",
            Entity::Vehicle => "vehicle",
            Entity::Deal => "deal",
            Entity::TestDrive => "test_drive",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }

    /// Whether records of this entity hold personal data of customers (and so are
    /// sealed at rest, field by field, as the catalog says).
    pub const fn holds_personal_data(self) -> bool {
        matches!(
            self,
            Entity::Customer | Entity::Lead | Entity::FollowUp | Entity::TestDrive
        )
    }

    /// The dealership's business records (customers and the sales floor), as against
    /// the site's administration and its audit: the duties that never meet in one role.
    pub fn is_business(self) -> bool {
        matches!(
            self,
            Entity::Customer
                | Entity::Lead
                | Entity::FollowUp
                | Entity::Vehicle
                | Entity::Deal
                | Entity::TestDrive
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sensitivity {
    Public,
    Internal,
    Personal,
    Sensitive,
    Secret,
}

/// How a field is kept at rest. `Encrypted*` fields are sealed by the vault before they
/// reach the store; `Indexed` ones also get a blind index for exact search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Storage {
    Plain,
    Encrypted,
    EncryptedIndexed,
}

/// Record fields (ids, owner, times) come with every visible row and are never edited
/// by hand; governed fields are subject to per-role field levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Record,
    Governed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub entity: Entity,
    pub name: &'static str,
    pub kind: FieldKind,
    pub sensitivity: Sensitivity,
    pub storage: Storage,
    /// Exact search (and duplicate detection) may use this field.
    pub exact_lookup: bool,
    pub mask: MaskRule,
    pub exportable: bool,
    pub syncable: bool,
    pub label_zh: &'static str,
    pub label_en: &'static str,
}

mod customer;
mod define;
mod sales;
mod test_drive;

pub use customer::CUSTOMER_FIELDS;
pub use sales::{DEAL_FIELDS, FOLLOW_UP_FIELDS, LEAD_FIELDS, VEHICLE_FIELDS};
pub use test_drive::TEST_DRIVE_FIELDS;

pub fn fields(entity: Entity) -> &'static [FieldSpec] {
    match entity {
        Entity::Customer => CUSTOMER_FIELDS,
        Entity::Lead => LEAD_FIELDS,
        Entity::FollowUp => FOLLOW_UP_FIELDS,
        Entity::Vehicle => VEHICLE_FIELDS,
        Entity::Deal => DEAL_FIELDS,
        Entity::TestDrive => TEST_DRIVE_FIELDS,
        _ => &[],
    }
}

pub fn field(entity: Entity, name: &str) -> Option<&'static FieldSpec> {
    fields(entity).iter().find(|f| f.name == name)
}

/// Fields subject to field levels, in display order.
pub fn governed_fields(entity: Entity) -> impl Iterator<Item = &'static FieldSpec> {
    fields(entity)
        .iter()
        .filter(|f| f.kind == FieldKind::Governed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_field() -> impl Iterator<Item = &'static FieldSpec> {
        Entity::ALL.into_iter().flat_map(fields)
    }

    #[test]
    fn personal_data_is_never_stored_plain() {
        for f in every_field() {
            if f.entity.holds_personal_data() && f.sensitivity >= Sensitivity::Personal {
                assert_ne!(f.storage, Storage::Plain, "{:?}.{}", f.entity, f.name);
            }
        }
    }

    #[test]
    fn entities_without_personal_data_declare_none() {
        for f in every_field().filter(|f| !f.entity.holds_personal_data()) {
            assert!(
                !matches!(
                    f.sensitivity,
                    Sensitivity::Personal | Sensitivity::Sensitive
                ),
                "{:?}.{}",
                f.entity,
                f.name
            );
        }
    }

    #[test]
    fn names_are_unique_and_fields_know_their_entity() {
        for entity in Entity::ALL {
            let mut names: Vec<_> = fields(entity).iter().map(|f| f.name).collect();
            assert!(fields(entity).iter().all(|f| f.entity == entity));
            let n = names.len();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), n, "{entity:?}");
        }
    }

    #[test]
    fn exact_lookup_is_only_for_mobiles_and_id_numbers() {
        for name in ["mobile", "id_number"] {
            assert_eq!(
                field(Entity::Customer, name).map(|f| f.storage),
                Some(Storage::EncryptedIndexed)
            );
        }
        assert_eq!(
            field(Entity::Lead, "mobile").map(|f| f.storage),
            Some(Storage::EncryptedIndexed)
        );
        let lookups: Vec<_> = every_field()
            .filter(|f| f.exact_lookup)
            .map(|f| (f.entity, f.name))
            .collect();
        assert_eq!(
            lookups,
            [
                (Entity::Customer, "mobile"),
                (Entity::Customer, "id_number"),
                (Entity::Lead, "mobile"),
            ]
        );
    }

    #[test]
    fn codes_round_trip() {
        for e in Entity::ALL {
            assert_eq!(Entity::from_code(e.code()), Some(e));
        }
    }
}
