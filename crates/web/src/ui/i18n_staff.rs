//! The message catalog of the staff pages (员工): the store manager's staff list, a
//! person's page with resignation, freeze and handover, the one-by-one handover and the
//! departure-risk report (Chinese first, English second).

pub const STAFF_MESSAGES: &[(&str, &str, &str)] = &[
    ("nav.staff", "员工", "Staff"),
    ("staff.title", "员工", "Staff"),
    (
        "staff.lead",
        "本店员工及其名下客户、线索与待办。离职、冻结与客户移交都在这里办理。",
        "Your store's staff and the customers, leads and tasks in their hands. Resignations, freezes and handovers are done here.",
    ),
    ("staff.empty", "本店还没有员工账号。", "Your store has no staff accounts yet."),
    ("staff.col.name", "姓名", "Name"),
    ("staff.col.role", "岗位", "Role"),
    ("staff.col.place", "门店 / 部门 / 小组", "Store / department / team"),
    ("staff.col.standing", "状态", "Standing"),
    ("staff.col.customers", "客户", "Customers"),
    ("staff.col.leads", "进行中线索", "Open leads"),
    ("staff.col.follow_ups", "待办跟进", "Open follow-ups"),
    ("staff.standing.active", "在职", "Active"),
    ("staff.standing.leaving", "离职中", "Leaving"),
    ("staff.standing.frozen", "已冻结", "Frozen"),
    ("staff.standing.disabled", "已停用", "Disabled"),
    (
        "staff.self",
        "这是您本人的账号：自己不能登记离职、冻结或移交自己的客户。",
        "This is your own account: nobody records their own resignation, freezes themselves or hands over their own book.",
    ),
    (
        "staff.frozen.note",
        "账号已冻结：会话与 API 令牌均已失效，无法登录。冻结于",
        "Account frozen: its sessions and API tokens are revoked and it cannot sign in. Frozen at",
    ),
    (
        "staff.leaving.note",
        "离职登记已生效：通知期内禁止导出、每日查看完整信息次数降为五分之一，并在最后工作日门店打烊时自动冻结。最后工作日：",
        "Resignation recorded: during the notice period exports are refused and the daily reveal quota is cut to a fifth; the account freezes by itself at the store's closing time on the last day. Last day:",
    ),
    ("staff.rule", "客户移交方式", "Hand the book over"),
    (
        "staff.rule.round_robin_team",
        "同组同岗同事轮流分配",
        "Round-robin over teammates of the same role",
    ),
    ("staff.rule.teammates", "将依次分给：", "In turn to:"),
    (
        "staff.rule.no_teammates",
        "本组没有同岗同事可以接手，请指定一位同事。",
        "No teammate of the same role can take over: name a colleague.",
    ),
    ("staff.rule.to_user", "全部移交给一位同事", "Everything to one colleague"),
    ("staff.rule.pick", "— 选择同事 —", "— choose a colleague —"),
    ("staff.rule.pick_someone", "请选择接手的同事。", "Choose the colleague who takes over."),
    ("staff.handover.heading", "移交客户与任务", "Hand over customers and tasks"),
    (
        "staff.handover.hint",
        "立即把此人名下的客户、进行中线索（连同待办跟进和已预约试驾）和其余待办移交出去，每次移交都记入客户归属记录。",
        "Move this person's customers, open leads (with their open follow-ups and booked test drives) and remaining tasks now; every move goes into the ownership ledger.",
    ),
    ("staff.handover.submit", "立即移交", "Hand over now"),
    ("staff.handover.one_by_one", "逐一选择接手人…", "Choose one by one…"),
    ("staff.resign.heading", "登记离职", "Record a resignation"),
    (
        "staff.resign.hint",
        "登记最后工作日。通知期内禁止导出，查看完整信息的次数减少，审计规则重点关注；最后工作日门店打烊时账号自动冻结，客户按下面的方式移交。",
        "Record the last working day. During the notice period exports are refused, fewer reveals are allowed and the alert rules watch; at the store's closing time on the last day the account freezes by itself and the book goes as chosen below.",
    ),
    ("staff.resign.last_day", "最后工作日", "Last working day"),
    ("staff.resign.submit", "登记离职", "Record resignation"),
    ("staff.resign.update", "更新离职登记", "Update resignation"),
    ("staff.freeze.heading", "立即冻结（辞退）", "Freeze now (dismissal)"),
    (
        "staff.freeze.hint",
        "立即冻结账号：所有会话和 API 令牌当即失效，登录被拒绝，名下客户与任务同时移交。",
        "Freeze the account at once: every session and API token ends now, sign-in is refused, and the book is handed over in the same step.",
    ),
    ("staff.freeze.reason", "冻结原因", "Reason"),
    (
        "staff.freeze.reason.hint",
        "写入审计日志，请勿填写手机号或身份证号。",
        "Goes into the audit log: no mobile or ID numbers.",
    ),
    (
        "staff.freeze.confirm",
        "我确认立即冻结此账号，此人将马上无法登录。",
        "I confirm: freeze this account now; the person can no longer sign in.",
    ),
    (
        "staff.freeze.confirm.missing",
        "请勾选确认后再冻结。",
        "Tick the confirmation to freeze.",
    ),
    ("staff.freeze.submit", "立即冻结", "Freeze now"),
    ("staff.done.resigned", "离职已登记。", "Resignation recorded."),
    (
        "staff.done.frozen",
        "账号已冻结。已移交：客户 {} 位，线索 {} 条，跟进 {} 条。",
        "Account frozen. Handed over: {} customers, {} leads, {} follow-ups.",
    ),
    (
        "staff.done.handed",
        "已移交：客户 {} 位，线索 {} 条，跟进 {} 条。",
        "Handed over: {} customers, {} leads, {} follow-ups.",
    ),
    (
        "staff.conflict.no_colleague_to_hand_over_to",
        "没有可以接手的同事：请指定一位同事，或先为小组增加同岗员工。",
        "Nobody can take over: name a colleague, or add someone of the same role to the team first.",
    ),
    (
        "staff.conflict.cannot_freeze_self",
        "不能冻结自己的账号。",
        "You cannot freeze your own account.",
    ),
    (
        "staff.conflict.cannot_change_self",
        "不能为自己办理此事。",
        "You cannot do this for your own account.",
    ),
    ("staff.pick.title", "逐一移交", "Hand over one by one"),
    (
        "staff.pick.lead",
        "为每位客户或线索选择接手的同事；保留“暂不移交”的记录留在原处，冻结时再按规则移交。",
        "Choose a colleague for each customer or lead; those left on “keep for now” stay put and go by the rule at the freeze.",
    ),
    ("staff.pick.detail", "说明", "Details"),
    ("staff.pick.to", "移交给", "Hand to"),
    ("staff.pick.keep", "暂不移交", "Keep for now"),
    ("staff.pick.since", "建档", "Since"),
    ("staff.pick.submit", "移交所选", "Hand over the chosen"),
    ("staff.pick.back", "返回员工页面", "Back to the person's page"),
    ("staff.pick.empty", "这里没有需要移交的记录。", "Nothing left to hand over here."),
    (
        "staff.pick.nobody",
        "本店没有可以接手的在职同事。",
        "No active colleague of the store can take over.",
    ),
    (
        "staff.pick.none",
        "请至少为一条记录选择接手的同事。",
        "Choose a colleague for at least one record.",
    ),
    (
        "staff.pick.stale",
        "有记录已被移交或同事已不可选，页面已刷新，请重新选择。",
        "A record was handed over meanwhile or a colleague is no longer available; the page is up to date now, choose again.",
    ),
    ("staff.risk.open", "离职风险报告", "Departure-risk report"),
    ("staff.risk.title", "离职风险报告", "Departure-risk report"),
    (
        "staff.risk.lead",
        "近 30 天和 90 天的客户数据访问，与本店同岗 {} 位同事的平均值对比；数据来自审计日志。",
        "Customer-data access over the last 30 and 90 days, against the average of {} colleagues of the same role in the store; counted from the audit log.",
    ),
    (
        "staff.risk.elevated",
        "有 {} 项明显高于同岗平均值（超过两倍），请留意。",
        "{} figures are well above the peers' average (more than twice): worth a look.",
    ),
    (
        "staff.risk.calm",
        "各项均未明显高于同岗平均值。",
        "No figure is well above the peers' average.",
    ),
    ("staff.risk.measure", "指标", "Measure"),
    ("staff.risk.days", "近 {} 天", "Last {} days"),
    ("staff.risk.person", "本人", "Person"),
    ("staff.risk.peers", "同岗平均", "Peers' average"),
    ("staff.risk.views", "查看客户详情", "Customer details viewed"),
    ("staff.risk.customers_seen", "接触的客户数", "Different customers seen"),
    ("staff.risk.reveals", "查看完整信息", "Masked values revealed"),
    ("staff.risk.export_requests", "导出申请", "Export requests"),
    ("staff.risk.customers_exported", "导出的客户数", "Customers exported"),
    (
        "staff.risk.hint",
        "查看本报告本身也记入审计日志。",
        "Reading this report is itself recorded in the audit log.",
    ),
    ("home.staff.title", "员工动态", "Staff on the move"),
    ("home.staff.leaving", "离职中，最后工作日 {}", "leaving, last day {}"),
    (
        "home.staff.book_left",
        "已冻结，仍有 {} 位客户、{} 条线索与待办未移交",
        "frozen, still holding {} customers and {} leads and tasks",
    ),
    ("home.staff.go", "管理员工", "Manage staff"),
    (
        "accounts.leaving.link",
        "离职、冻结与移交…",
        "Leaving, freezing and handover…",
    ),
];

#[cfg(test)]
mod tests {
    use super::super::i18n::Lang;

    #[test]
    fn every_key_built_at_run_time_exists() {
        for code in ["active", "leaving", "frozen", "disabled"] {
            let key = format!("staff.standing.{code}");
            assert_ne!(Lang::En.t(&key), key, "{key}");
        }
        for code in [
            "no_colleague_to_hand_over_to",
            "cannot_freeze_self",
            "cannot_change_self",
        ] {
            assert!(Lang::Zh.known(&format!("staff.conflict.{code}")).is_some());
        }
        for key in [
            "staff.risk.views",
            "staff.risk.customers_seen",
            "staff.risk.reveals",
            "staff.risk.export_requests",
            "staff.risk.customers_exported",
        ] {
            assert!(Lang::En.known(key).is_some(), "{key}");
        }
    }
}
