//! The invented customer that the permission editor's preview shows: every field filled
//! with a value valid in form (the ID number carries its check digit), none of it any
//! real person's, so an administrator who sees no customer data can still see what a
//! role would.

use dealervault_domain::customer::CustomerRecord;
use dealervault_domain::ids::{CustomerId, StoreId, UserId};

pub(super) const OWNER_NAME: &str = "—";

pub(super) fn customer() -> CustomerRecord {
    let mut c = CustomerRecord::blank(
        CustomerId::from_stored("sample".into()),
        StoreId::from_stored("sample".into()),
        "SH01".into(),
        UserId::from_stored("sample".into()),
        0,
        0,
    );
    for (field, value) in [
        ("name", "欧阳明远"),
        ("mobile", "13800138000"),
        // GB 11643's own worked example.
        ("id_number", "11010519491231002X"),
        ("email", "ouyang.mingyuan@example.com"),
        ("address", "上海市浦东新区世纪大道100号"),
        ("wechat", "oymy_1949"),
        ("birth_date", "1949-12-31"),
        ("gender", "male"),
        ("source", "autohome"),
        ("notes", "关注新能源车型，周末到店"),
    ] {
        c.set_governed(field, Some(value.to_string()));
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use dealervault_domain::catalog::{governed_fields, Entity};
    use dealervault_domain::values::{Email, IdNumber, Mobile};

    #[test]
    fn every_field_is_filled_and_valid_in_form() {
        let c = customer();
        for f in governed_fields(Entity::Customer) {
            assert!(c.governed(f.name).is_some(), "{}", f.name);
        }
        assert!(Mobile::parse("mobile", &c.mobile).is_ok());
        assert!(IdNumber::parse("id_number", c.id_number.as_deref().unwrap_or("")).is_ok());
        assert!(Email::parse("email", c.email.as_deref().unwrap_or("")).is_ok());
    }
}
