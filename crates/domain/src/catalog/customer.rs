use super::define::{governed, record};
use super::{Entity, FieldSpec};
use crate::catalog::Sensitivity::{Internal, Personal, Sensitive};
use crate::mask::MaskRule as M;

const C: Entity = Entity::Customer;

/// Customer fields in display order.
pub const CUSTOMER_FIELDS: &[FieldSpec] = &[
    record(C, "id", ("编号", "ID")),
    governed(C, "name", Personal, false, M::Name, ("姓名", "Name")),
    governed(C, "mobile", Personal, true, M::Mobile, ("手机号", "Mobile")),
    governed(
        C,
        "id_number",
        Sensitive,
        true,
        M::DEFAULT_ID_NUMBER,
        ("身份证号", "ID number"),
    ),
    governed(
        C,
        "email",
        Personal,
        false,
        M::Email,
        ("电子邮箱", "E-mail"),
    ),
    governed(
        C,
        "address",
        Personal,
        false,
        M::Address,
        ("地址", "Address"),
    ),
    governed(
        C,
        "wechat",
        Personal,
        false,
        M::Wechat,
        ("微信号", "WeChat"),
    ),
    governed(
        C,
        "birth_date",
        Personal,
        false,
        M::Date,
        ("出生日期", "Date of birth"),
    ),
    governed(C, "gender", Internal, false, M::Full, ("性别", "Gender")),
    governed(C, "source", Internal, false, M::Full, ("来源", "Source")),
    governed(C, "notes", Personal, false, M::Full, ("备注", "Notes")),
    record(C, "owner_id", ("负责人", "Owner")),
    record(C, "store_code", ("门店", "Store")),
    record(C, "created_at", ("创建时间", "Created")),
    record(C, "updated_at", ("更新时间", "Updated")),
];
