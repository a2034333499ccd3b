use super::define::{governed, record};
use super::{Entity, FieldSpec};
use crate::catalog::Sensitivity::{Internal, Personal, Secret};
use crate::mask::MaskRule as M;

const L: Entity = Entity::Lead;
const F: Entity = Entity::FollowUp;
const V: Entity = Entity::Vehicle;

/// Lead fields in display order. A lead's contact data is personal and sealed under the
/// lead's own data key; its mobile has a blind index, for turning the lead into a
/// customer without a duplicate.
pub const LEAD_FIELDS: &[FieldSpec] = &[
    record(L, "id", ("编号", "ID")),
    governed(L, "name", Personal, false, M::Name, ("姓名", "Name")),
    governed(L, "mobile", Personal, true, M::Mobile, ("手机号", "Mobile")),
    governed(
        L,
        "wechat",
        Personal,
        false,
        M::Wechat,
        ("微信号", "WeChat"),
    ),
    governed(L, "source", Internal, false, M::Full, ("来源", "Source")),
    governed(
        L,
        "intended_model",
        Internal,
        false,
        M::Full,
        ("意向车型", "Model of interest"),
    ),
    governed(L, "budget", Internal, false, M::Full, ("预算", "Budget")),
    governed(L, "notes", Personal, false, M::Full, ("备注", "Notes")),
    record(L, "status", ("状态", "Status")),
    record(L, "lost_reason", ("战败原因", "Reason lost")),
    record(L, "owner_id", ("负责人", "Owner")),
    record(L, "store_code", ("门店", "Store")),
    record(L, "next_follow_up_at", ("下次跟进", "Next follow-up")),
    record(L, "customer_id", ("客户", "Customer")),
    record(L, "created_at", ("创建时间", "Created")),
    record(L, "updated_at", ("更新时间", "Updated")),
];

/// Follow-up fields. What was said and what comes next are about a person: sealed, under
/// the data key of the follow-up's lead.
pub const FOLLOW_UP_FIELDS: &[FieldSpec] = &[
    record(F, "id", ("编号", "ID")),
    record(F, "lead_id", ("线索", "Lead")),
    record(F, "kind", ("方式", "Channel")),
    record(F, "purpose", ("类型", "Purpose")),
    record(F, "due_at", ("计划时间", "Due")),
    record(F, "done_at", ("完成时间", "Done")),
    governed(F, "notes", Personal, false, M::Full, ("跟进记录", "Notes")),
    governed(
        F,
        "next_step",
        Personal,
        false,
        M::Full,
        ("下一步", "Next step"),
    ),
    record(F, "owner_id", ("负责人", "Owner")),
    record(F, "store_code", ("门店", "Store")),
    record(F, "created_at", ("创建时间", "Created")),
];

/// Vehicle fields. The VIN and status come with every row; cost price and supplier
/// terms are for finance and the general manager.
pub const VEHICLE_FIELDS: &[FieldSpec] = &[
    record(V, "id", ("编号", "ID")),
    record(V, "vin", ("车架号", "VIN")),
    record(V, "status", ("状态", "Status")),
    governed(V, "model", Internal, false, M::Full, ("车型", "Model")),
    governed(V, "trim", Internal, false, M::Full, ("配置", "Trim")),
    governed(V, "colour", Internal, false, M::Full, ("颜色", "Colour")),
    governed(
        V,
        "location",
        Internal,
        false,
        M::Full,
        ("库位", "Location"),
    ),
    governed(
        V,
        "list_price",
        Internal,
        false,
        M::Full,
        ("指导价", "List price"),
    ),
    governed(
        V,
        "cost_price",
        Secret,
        false,
        M::Full,
        ("采购成本", "Cost price"),
    ),
    governed(
        V,
        "supplier_terms",
        Secret,
        false,
        M::Full,
        ("供应商条款", "Supplier terms"),
    ),
    record(V, "store_code", ("门店", "Store")),
    record(V, "arrived_on", ("入库日期", "In stock since")),
    record(V, "created_at", ("创建时间", "Created")),
    record(V, "updated_at", ("更新时间", "Updated")),
];

const D: Entity = Entity::Deal;

/// Deal fields: the quote's terms, then the order's. No personal data (the person is
/// the lead's), so nothing is sealed and nothing is declared personal; the financing
/// terms are kept from roles that do not arrange them by field levels.
pub const DEAL_FIELDS: &[FieldSpec] = &[
    record(D, "id", ("编号", "ID")),
    record(D, "lead_id", ("线索", "Lead")),
    record(D, "state", ("状态", "State")),
    governed(D, "model", Internal, false, M::Full, ("车型", "Model")),
    governed(
        D,
        "price",
        Internal,
        false,
        M::Full,
        ("车价", "Vehicle price"),
    ),
    governed(
        D,
        "discount",
        Internal,
        false,
        M::Full,
        ("优惠", "Discount"),
    ),
    governed(
        D,
        "accessories",
        Internal,
        false,
        M::Full,
        ("精品附件", "Accessories"),
    ),
    governed(
        D,
        "accessories_price",
        Internal,
        false,
        M::Full,
        ("附件金额", "Accessories price"),
    ),
    governed(
        D,
        "insurance_plan",
        Internal,
        false,
        M::Full,
        ("保险方案", "Insurance"),
    ),
    governed(
        D,
        "insurance_premium",
        Internal,
        false,
        M::Full,
        ("保费", "Insurance premium"),
    ),
    governed(
        D,
        "financing",
        Internal,
        false,
        M::Full,
        ("付款方式", "Financing"),
    ),
    governed(
        D,
        "loan_amount",
        Internal,
        false,
        M::Full,
        ("贷款金额", "Loan amount"),
    ),
    governed(
        D,
        "loan_term_months",
        Internal,
        false,
        M::Full,
        ("贷款期数", "Loan term (months)"),
    ),
    governed(
        D,
        "trade_in",
        Internal,
        false,
        M::Full,
        ("置换车辆", "Trade-in"),
    ),
    governed(
        D,
        "trade_in_value",
        Internal,
        false,
        M::Full,
        ("置换评估价", "Trade-in value"),
    ),
    governed(D, "total", Internal, false, M::Full, ("合计", "Total")),
    governed(
        D,
        "contract_number",
        Internal,
        false,
        M::Full,
        ("合同编号", "Contract number"),
    ),
    governed(D, "deposit", Internal, false, M::Full, ("定金", "Deposit")),
    governed(D, "paid", Internal, false, M::Full, ("已收款", "Paid")),
    governed(
        D,
        "delivery_date",
        Internal,
        false,
        M::Full,
        ("交车日期", "Delivery date"),
    ),
    record(D, "vehicle_id", ("车辆", "Vehicle")),
    record(D, "vin", ("车架号", "VIN")),
    record(D, "owner_id", ("负责人", "Owner")),
    record(D, "store_code", ("门店", "Store")),
    record(D, "ordered_at", ("签约时间", "Ordered")),
    record(D, "delivered_at", ("交车时间", "Delivered")),
    record(D, "created_at", ("创建时间", "Created")),
    record(D, "updated_at", ("更新时间", "Updated")),
];
