//! The two shapes of field declaration, so that each entity's list reads as a table.

use super::{Entity, FieldKind, FieldSpec, Sensitivity, Storage};
use crate::mask::MaskRule;

/// A field subject to field levels.
pub(super) const fn governed(
    entity: Entity,
    name: &'static str,
    sensitivity: Sensitivity,
    exact_lookup: bool,
    mask: MaskRule,
    labels: (&'static str, &'static str),
) -> FieldSpec {
    use Sensitivity::{Personal, Secret, Sensitive};
    let personal = matches!(sensitivity, Personal | Sensitive | Secret);
    FieldSpec {
        entity,
        name,
        kind: FieldKind::Governed,
        sensitivity,
        // Personal data is sealed at rest; fields used for exact search also get a blind
        // index. Internal fields (gender, source, models, prices) stay plain so lists can
        // filter and sum them; so do a vehicle's secret prices, which are the store's and
        // no person's (field levels keep them from the roles that may not see them).
        storage: match (personal && entity.holds_personal_data(), exact_lookup) {
            (true, true) => Storage::EncryptedIndexed,
            (true, false) => Storage::Encrypted,
            (false, _) => Storage::Plain,
        },
        exact_lookup,
        mask,
        exportable: true,
        syncable: !matches!(sensitivity, Sensitive | Secret),
        label_zh: labels.0,
        label_en: labels.1,
    }
}

/// A field that comes with every visible row (ids, owner, status, times) and is never
/// edited through field levels.
pub(super) const fn record(
    entity: Entity,
    name: &'static str,
    labels: (&'static str, &'static str),
) -> FieldSpec {
    FieldSpec {
        entity,
        name,
        kind: FieldKind::Record,
        sensitivity: Sensitivity::Internal,
        storage: Storage::Plain,
        exact_lookup: false,
        mask: MaskRule::Full,
        exportable: true,
        syncable: true,
        label_zh: labels.0,
        label_en: labels.1,
    }
}
