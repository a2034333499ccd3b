//! What a role may see of each customer: the crawler's independent oracle, decided
//! from the role's policy and the record's place, grant by grant.

use crate::*;

/// What a role must see of one field of one customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Expect {
    /// The customer is out of the role's scope: nothing of it at all.
    OutOfScope,
    /// The field is hidden from the role: nothing of it, not even masked.
    Hidden,
    /// Only the mask form.
    Masked,
    /// In clear.
    Clear,
}

pub(crate) fn expect(
    policy: &RolePolicy,
    subject: &Subject,
    place: &RecordPlace,
    field: &str,
) -> Expect {
    if !policy.allows_record(Entity::Customer, Action::View, subject, place) {
        return Expect::OutOfScope;
    }
    match policy.field_level(Entity::Customer, field) {
        FieldLevel::Hidden => Expect::Hidden,
        FieldLevel::Masked => Expect::Masked,
        FieldLevel::Clear | FieldLevel::Editable => Expect::Clear,
    }
}

/// One personal value of one customer and what the role must see of it.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) customer: String,
    pub(crate) field: &'static str,
    pub(crate) value: String,
    pub(crate) mask: MaskRule,
    pub(crate) expect: Expect,
}

/// Every personal field (sensitivity ≥ Personal) of every customer, decided for the role.
pub(crate) fn entries(world: &World, policy: &RolePolicy, subject: &Subject) -> Vec<Entry> {
    let personal = CUSTOMER_FIELDS
        .iter()
        .filter(|f| f.kind == FieldKind::Governed && f.sensitivity >= Sensitivity::Personal);
    let mut out = vec![];
    for (record, place) in &world.customers {
        for spec in personal.clone() {
            let Some(value) = record.governed(spec.name).filter(|v| !v.is_empty()) else {
                continue;
            };
            out.push(Entry {
                customer: record.id.to_string(),
                field: spec.name,
                value: value.to_string(),
                mask: spec.mask,
                expect: expect(policy, subject, place, spec.name),
            });
        }
    }
    out
}
