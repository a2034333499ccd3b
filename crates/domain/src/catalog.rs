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
}

impl Entity {
    pub const ALL: [Entity; 7] = [
        Entity::Customer,
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
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }

    /// Whether records of this entity hold personal data of customers.
    pub fn holds_personal_data(self) -> bool {
        matches!(self, Entity::Customer)
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

const fn governed(
    name: &'static str,
    sensitivity: Sensitivity,
    exact_lookup: bool,
    mask: MaskRule,
    label_zh: &'static str,
    label_en: &'static str,
) -> FieldSpec {
    FieldSpec {
        entity: Entity::Customer,
        name,
        kind: FieldKind::Governed,
        sensitivity,
        // Personal data is sealed at rest; fields used for exact search also get a blind
        // index. Internal fields (gender, source) stay plain so lists can filter on them.
        storage: match (sensitivity, exact_lookup) {
            (Personal | Sensitive | Sensitivity::Secret, true) => Storage::EncryptedIndexed,
            (Personal | Sensitive | Sensitivity::Secret, false) => Storage::Encrypted,
            _ => Storage::Plain,
        },
        exact_lookup,
        mask,
        exportable: true,
        syncable: !matches!(sensitivity, Sensitive | Sensitivity::Secret),
        label_zh,
        label_en,
    }
}

const fn record(name: &'static str, label_zh: &'static str, label_en: &'static str) -> FieldSpec {
    FieldSpec {
        entity: Entity::Customer,
        name,
        kind: FieldKind::Record,
        sensitivity: Internal,
        storage: Storage::Plain,
        exact_lookup: false,
        mask: MaskRule::Full,
        exportable: true,
        syncable: true,
        label_zh,
        label_en,
    }
}

use MaskRule as M;
use Sensitivity::{Internal, Personal, Sensitive};

/// Customer fields in display order.
pub const CUSTOMER_FIELDS: &[FieldSpec] = &[
    record("id", "编号", "ID"),
    governed("name", Personal, false, M::Name, "姓名", "Name"),
    governed("mobile", Personal, true, M::Mobile, "手机号", "Mobile"),
    governed(
        "id_number",
        Sensitive,
        true,
        M::DEFAULT_ID_NUMBER,
        "身份证号",
        "ID number",
    ),
    governed("email", Personal, false, M::Email, "电子邮箱", "E-mail"),
    governed("address", Personal, false, M::Address, "地址", "Address"),
    governed("wechat", Personal, false, M::Wechat, "微信号", "WeChat"),
    governed(
        "birth_date",
        Personal,
        false,
        M::Date,
        "出生日期",
        "Date of birth",
    ),
    governed("gender", Internal, false, M::Full, "性别", "Gender"),
    governed("source", Internal, false, M::Full, "来源", "Source"),
    governed("notes", Personal, false, M::Full, "备注", "Notes"),
    record("owner_id", "负责人", "Owner"),
    record("store_code", "门店", "Store"),
    record("created_at", "创建时间", "Created"),
    record("updated_at", "更新时间", "Updated"),
];

pub fn fields(entity: Entity) -> &'static [FieldSpec] {
    match entity {
        Entity::Customer => CUSTOMER_FIELDS,
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

    #[test]
    fn personal_fields_are_never_stored_plain() {
        for f in CUSTOMER_FIELDS {
            if f.sensitivity >= Personal {
                assert_ne!(
                    f.storage,
                    Storage::Plain,
                    "{} is personal but stored plain",
                    f.name
                );
            }
        }
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<_> = CUSTOMER_FIELDS.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CUSTOMER_FIELDS.len());
    }

    #[test]
    fn only_mobile_and_id_number_allow_exact_lookup() {
        for name in ["mobile", "id_number"] {
            assert_eq!(
                field(Entity::Customer, name).map(|f| f.exact_lookup),
                Some(true)
            );
        }
        let lookups = CUSTOMER_FIELDS.iter().filter(|f| f.exact_lookup).count();
        assert_eq!(lookups, 2);
    }
}
