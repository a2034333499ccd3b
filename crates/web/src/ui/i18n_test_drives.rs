//! The message catalog of the test-drive pages: the lead page's section, one drive and
//! the store's schedule (Chinese first, English second).

pub const TEST_DRIVE_MESSAGES: &[(&str, &str, &str)] = &[
    ("nav.test_drives", "试驾", "Test drives"),
    ("perm.entity.test_drive", "试驾", "Test drives"),
    ("audit.entity.test_drive", "试驾", "Test drive"),
    (
        "audit.action.test_drive.list",
        "查看试驾列表",
        "Test drives listed",
    ),
    (
        "audit.action.test_drive.view",
        "查看试驾详情",
        "Test drive viewed",
    ),
    (
        "audit.action.test_drive.create",
        "预约试驾",
        "Test drive booked",
    ),
    (
        "audit.action.test_drive.complete",
        "完成试驾",
        "Test drive done",
    ),
    (
        "audit.action.test_drive.cancel",
        "取消试驾",
        "Test drive cancelled",
    ),
    (
        "audit.action.test_drive.no_show",
        "试驾爽约",
        "Test drive missed",
    ),
    ("test_drives.title", "试驾日程", "Test-drive schedule"),
    (
        "test_drives.lead",
        "本店一天的试驾预约，按车辆排列。",
        "A day's test-drive bookings of the store, by vehicle.",
    ),
    ("test_drives.day", "日期", "Day"),
    ("test_drives.show", "查看", "Show"),
    (
        "test_drives.empty",
        "这一天没有试驾",
        "No test drives that day",
    ),
    ("test_drives.section", "试驾", "Test drives"),
    ("test_drives.none", "还没有试驾", "No test drives yet"),
    ("test_drives.book", "预约试驾", "Book a test drive"),
    (
        "test_drives.no_vehicle",
        "本店暂无在库车辆可供试驾。",
        "The store has no vehicle in stock to drive.",
    ),
    ("test_drive.title", "试驾", "Test drive"),
    ("test_drive.vehicle", "试驾车辆", "Vehicle"),
    ("test_drive.starts_at", "开始时间", "Starts"),
    ("test_drive.duration_minutes", "时长", "Length"),
    ("test_drive.minutes", "{} 分钟", "{} min"),
    ("test_drive.slot", "时段", "Slot"),
    (
        "test_drive.lead_hidden",
        "（无权查看线索）",
        "(lead not visible to you)",
    ),
    (
        "test_drive.waiver_signed",
        "客户已签署试驾免责协议",
        "The driver signed the waiver",
    ),
    ("test_drive.waiver.yes", "已签", "Signed"),
    ("test_drive.waiver.no", "未签", "Not signed"),
    ("test_drive.complete", "完成试驾", "Complete"),
    ("test_drive.cancel", "取消预约", "Cancel booking"),
    ("test_drive.no_show", "客户未到", "Did not come"),
    (
        "test_drive.done.booked",
        "试驾已预约。",
        "Test drive booked.",
    ),
    (
        "test_drive.done.completed",
        "试驾已完成，线索已推进到试驾阶段。",
        "Test drive done; the lead moved on to test drive.",
    ),
    (
        "test_drive.done.cancelled",
        "预约已取消。",
        "Booking cancelled.",
    ),
    (
        "test_drive.done.no_show",
        "已记录客户未到。",
        "Recorded as missed.",
    ),
    ("test_drive_state.booked", "已预约", "Booked"),
    ("test_drive_state.done", "已完成", "Done"),
    ("test_drive_state.cancelled", "已取消", "Cancelled"),
    ("test_drive_state.no_show", "未到", "No-show"),
    (
        "lead.conflict.test_drive_slot_taken",
        "该车此时段已有试驾预约，请换一个开始时间或车辆。",
        "The vehicle is already booked at that time; pick another start time or vehicle.",
    ),
];
