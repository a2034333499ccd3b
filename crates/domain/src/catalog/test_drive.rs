use super::define::{governed, record};
use super::{Entity, FieldSpec};
use crate::catalog::Sensitivity::{Personal, Sensitive};
use crate::mask::MaskRule as M;

const T: Entity = Entity::TestDrive;

/// Test-drive fields. The driving licence number is an ID number (sensitive, masked like
/// one, never searched by); what the person said after the drive is personal. Both are
/// sealed under the data key of the drive's lead, so erasing the lead erases them.
pub const TEST_DRIVE_FIELDS: &[FieldSpec] = &[
    record(T, "id", ("编号", "ID")),
    record(T, "lead_id", ("线索", "Lead")),
    record(T, "vehicle_id", ("车辆", "Vehicle")),
    record(T, "vin", ("车架号", "VIN")),
    record(T, "model", ("车型", "Model")),
    record(T, "starts_at", ("开始时间", "Starts")),
    record(T, "ends_at", ("结束时间", "Ends")),
    record(T, "state", ("状态", "State")),
    governed(
        T,
        "licence_number",
        Sensitive,
        false,
        M::DEFAULT_ID_NUMBER,
        ("驾驶证号", "Driving licence no."),
    ),
    record(T, "waiver_signed", ("已签免责协议", "Waiver signed")),
    governed(
        T,
        "feedback",
        Personal,
        false,
        M::Full,
        ("试驾反馈", "Feedback"),
    ),
    record(T, "owner_id", ("负责人", "Owner")),
    record(T, "store_code", ("门店", "Store")),
    record(T, "created_at", ("创建时间", "Created")),
];
