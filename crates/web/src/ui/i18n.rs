//! The staff UI's message catalog: Simplified Chinese first, English second. Every string a
//! page shows goes through [`Lang::t`]; field labels come from the domain field catalog.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use dealervault_domain::catalog::{field, Entity};
use dealervault_domain::error::{FieldError, Rule};
use std::convert::Infallible;

/// The cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

type Message = (&'static str, &'static str, &'static str);

/// Every message: the main catalog and those kept beside it, one per group of pages.
fn catalog() -> impl Iterator<Item = &'static Message> {
    MESSAGES
        .iter()
        .chain(super::i18n_alerts::ALERT_MESSAGES)
        .chain(super::i18n_admin::ADMIN_MESSAGES)
        .chain(super::i18n_sales::SALES_MESSAGES)
        .chain(super::i18n_stock::STOCK_MESSAGES)
        .chain(super::i18n_deals::DEAL_MESSAGES)
        .chain(super::i18n_reports::REPORT_MESSAGES)
        .chain(super::i18n_test_drives::TEST_DRIVE_MESSAGES)
        .chain(super::i18n_exports::EXPORT_MESSAGES)
        .chain(super::i18n_staff::STAFF_MESSAGES)
        .chain(super::i18n_reviews::REVIEW_MESSAGES)
        .chain(super::i18n_mfa::MFA_MESSAGES)
}

/// The catalog's entry for `key`.
fn entry(key: &str) -> Option<&'static Message> {
    catalog().find(|(k, _, _)| *k == key)
}

impl Lang {
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The value of `<html lang>`.
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn is_zh(self) -> bool {
        self == Lang::Zh
    }

    /// The message for `key`; an unknown key shows itself (and fails the catalog tests).
    pub fn t(self, key: &str) -> &'static str {
        match entry(key) {
            Some((_, zh, en)) => match self {
                Lang::Zh => zh,
                Lang::En => en,
            },
            None => {
                tracing::warn!(key, "missing UI message");
                "?"
            }
        }
    }

    /// A message with one `{}` placeholder filled in.
    /// The text of `key` in this language, if the catalog has the key.
    pub fn known(self, key: &str) -> Option<&'static str> {
        entry(key).map(|_| self.t(key))
    }

    pub fn t1(self, key: &str, arg: impl std::fmt::Display) -> String {
        self.t(key).replacen("{}", &arg.to_string(), 1)
    }

    /// The label of a customer field from the field catalog.
    pub fn field_label(self, name: &str) -> &'static str {
        self.label_of(Entity::Customer, name)
    }

    /// The label of a vehicle field from the field catalog.
    pub fn label_of_vehicle(self, name: &str) -> &'static str {
        self.label_of(Entity::Vehicle, name)
    }

    /// The label of a deal field from the field catalog.
    pub fn label_of_deal(self, name: &str) -> &'static str {
        self.label_of(Entity::Deal, name)
    }

    /// The label of any entity's field from the field catalog.
    pub fn label_of(self, entity: Entity, name: &str) -> &'static str {
        match field(entity, name) {
            Some(spec) if self.is_zh() => spec.label_zh,
            Some(spec) => spec.label_en,
            None => "?",
        }
    }

    /// A coded value (gender, source) in words; unknown codes (or masked ones) as given.
    pub fn code_label(self, field: &str, code: &str) -> String {
        let key = format!("{field}.{code}");
        if entry(&key).is_some() {
            self.t(&key).to_string()
        } else {
            code.to_string()
        }
    }

    /// Why a field was refused, in words.
    pub fn rule(self, error: &FieldError) -> String {
        match error.rule {
            Rule::Required => self.t("rule.required").into(),
            Rule::TooLong { max } => self.t1("rule.too_long", max),
            Rule::InvalidCharacters => self.t("rule.invalid_characters").into(),
            Rule::InvalidMobile => self.t("rule.invalid_mobile").into(),
            Rule::InvalidIdNumber => self.t("rule.invalid_id_number").into(),
            Rule::InvalidEmail => self.t("rule.invalid_email").into(),
            Rule::InvalidDate => self.t("rule.invalid_date").into(),
            Rule::InvalidWechat => self.t("rule.invalid_wechat").into(),
            Rule::UnknownValue => self.t("rule.unknown_value").into(),
            Rule::TooShort { min } => self.t1("rule.too_short", min),
            Rule::Incorrect => self.t("rule.incorrect").into(),
            Rule::NotAllowed => self.t("rule.not_allowed").into(),
            Rule::TooBroad => self.t("rule.too_broad").into(),
            Rule::HoldsPersonalData => self.t("rule.holds_personal_data").into(),
            Rule::PrivateNetworkOnly => self.t("rule.private_network_only").into(),
            Rule::TooFewKinds { min } => self.t1("rule.too_few_kinds", min),
            Rule::OutOfRange { min, max } => {
                self.t1("rule.out_of_range", format_args!("{min}–{max}"))
            }
            Rule::InvalidVin => self.t("rule.invalid_vin").into(),
            Rule::InvalidAmount => self.t("rule.invalid_amount").into(),
            Rule::NotAllowedNow => self.t("rule.not_allowed_now").into(),
            Rule::EmptyFile => self.t("rule.empty_file").into(),
            Rule::UnsupportedFile => self.t("rule.unsupported_file").into(),
            Rule::CorruptFile => self.t("rule.corrupt_file").into(),
            Rule::FileTooLarge => self.t("rule.file_too_large").into(),
        }
    }
}

/// The language of a request: the `lang` cookie, Chinese by default.
impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_request_parts(parts, state).await?;
        Ok(jar
            .get(LANG_COOKIE)
            .and_then(|c| Lang::from_code(c.value()))
            .unwrap_or_default())
    }
}

/// Gender and source codes, in catalog order, for selects.
pub const GENDER_CODES: [&str; 3] = ["male", "female", "unknown"];
pub const SOURCE_CODES: [&str; 9] = [
    "walk_in",
    "phone",
    "website",
    "autohome",
    "dongchedi",
    "referral",
    "auto_show",
    "campaign",
    "other",
];

/// Suggested reasons for a reveal (the person may type their own).
pub const REVEAL_REASON_KEYS: [&str; 5] = [
    "reveal.reason.follow_up",
    "reveal.reason.paperwork",
    "reveal.reason.identity",
    "reveal.reason.delivery",
    "reveal.reason.complaint",
];

/// key, 简体中文, English.
pub const MESSAGES: &[(&str, &str, &str)] = &[
    ("app.name", "DealerVault", "DealerVault"),
    ("app.tagline", "经销商数据保险库", "Dealer Data Vault"),
    ("app.skip", "跳到主要内容", "Skip to main content"),
    ("footer.notice", "所有访问均被记录 · 请勿拍摄或外传客户信息", "All access is recorded · Do not photograph or share customer data"),
    ("nav.home", "首页", "Home"),
    ("nav.customers", "客户", "Customers"),
    ("nav.new_customer", "新建客户", "New customer"),
    ("nav.accounts", "员工账户", "Accounts"),
    ("nav.audit", "审计日志", "Audit log"),
    ("nav.label", "主导航", "Main navigation"),
    ("filter.any", "全部", "All"),
    ("filter.owner", "负责人", "Owner"),
    ("filter.source", "来源", "Source"),
    ("search.forbidden_filter", "您的角色看不到该字段，不能按它筛选。", "Your role does not see this field, so it cannot filter by it."),
    ("user.group", "集团总部", "Group head office"),
    ("user.store", "门店", "Store"),
    ("action.logout", "退出登录", "Sign out"),
    ("lang.label", "语言", "Language"),
    ("lang.zh", "中文", "中文"),
    ("lang.en", "English", "English"),
    // Sign-in
    ("login.title", "登录", "Sign in"),
    ("password.title", "修改密码", "Change password"),
    ("password.lead", "新密码至少 10 个字符，不能与旧密码相同，也不能包含用户名。修改后，其他设备上的登录将全部退出。", "At least 10 characters, different from the old password and without the username. Sessions on other devices end."),
    ("password.lead_forced", "您正在使用一次性密码。请先设置自己的新密码，然后才能继续使用系统。", "You signed in with a one-time password. Set a password of your own before you continue."),
    ("password.current", "当前密码", "Current password"),
    ("password.new", "新密码", "New password"),
    ("password.confirm", "确认新密码", "Confirm new password"),
    ("password.mismatch", "两次输入的新密码不一致。", "The two new passwords do not match."),
    ("password.submit", "保存新密码", "Save new password"),
    ("action.change_password", "修改密码", "Change password"),
    ("login.heading", "员工登录", "Staff sign-in"),
    ("login.lead", "请使用门店分配的账户登录。", "Sign in with the account your store gave you."),
    ("login.username", "用户名", "Username"),
    ("login.password", "密码", "Password"),
    ("login.submit", "登录", "Sign in"),
    ("login.failed", "用户名或密码错误。", "Wrong username or password."),
    ("login.locked", "登录失败次数过多，账户已被临时锁定，请在 {} 分钟后重试。", "Too many failed sign-ins: the account is locked for now. Try again in {} minutes."),
    ("login.rate_limited", "尝试次数过多，请稍后再试。", "Too many attempts. Please try again later."),
    ("login.disabled", "该账户已停用，请联系系统管理员。", "This account is disabled. Please contact your system administrator."),
    ("login.frozen", "该账户已冻结（离职或停职），请联系门店经理。", "This account is frozen (the person left or was suspended). Please contact your store manager."),
    ("login.expired", "会话已超时，请重新登录。", "Your session has ended. Please sign in again."),
    ("login.signed_out", "您已安全退出。", "You have signed out."),
    ("login.required", "请输入用户名和密码。", "Please enter your username and password."),
    ("login.unavailable", "系统暂时无法登录，请稍后再试。", "Signing in is not possible right now. Please try again later."),
    ("login.notice", "本系统存有受保护的客户个人信息，所有访问均被记录并可追溯。", "This system holds protected personal data of customers. Every access is recorded."),
    // Home
    ("home.title", "首页", "Home"),
    ("home.hello", "您好，{}", "Hello, {}"),
    ("home.customers.title", "我的客户", "My customers"),
    ("home.customers.desc", "浏览、搜索和维护您有权访问的客户资料。", "Browse, search and keep up to date the customers you are responsible for."),
    ("home.customers.go", "进入客户列表", "Open customer list"),
    ("home.new.title", "新建客户", "New customer"),
    ("home.new.desc", "登记到店或来电的新客户，系统会自动检查是否重复。", "Register a walk-in or phone customer; duplicates are detected automatically."),
    ("home.new.go", "新建", "Create"),
    ("home.lookup.title", "按手机号查找", "Find by mobile"),
    ("home.lookup.desc", "精确匹配手机号，号码不会出现在网址或浏览记录中。", "Exact match on the mobile number; the number never appears in the address bar or history."),
    ("home.privacy.title", "数据保护提示", "Data protection"),
    ("home.privacy.desc", "联系方式默认脱敏显示。需要查看完整信息时，请点击“查看”并填写原因：每次查看都会记入审计日志，并计入每日限额。", "Contact details are masked by default. To see a full value, click “Reveal” and give a reason: every reveal is written to the audit log and counts against a daily limit."),
    ("home.caps.title", "您可以使用的功能", "What you can do"),
    ("home.admin.title", "系统管理", "System administration"),
    ("home.admin.desc", "您的角色负责管理员工账户：停用、启用账户和调整角色。按照职责分离原则，系统管理员无法查看任何客户数据。", "Your role manages staff accounts: disabling, enabling and changing roles. By separation of duties, the system administrator cannot see any customer data."),
    ("home.auditor.title", "审计", "Audit"),
    ("home.auditor.desc", "您的角色负责查阅审计日志，核查每一次数据访问是否合规。按照职责分离原则，审计员无法查看客户资料本身。", "Your role reads the audit log to check that every access to data was proper. By separation of duties, the auditor cannot see customer records themselves."),
    ("home.none.desc", "您的角色目前没有任何权限。如需开通，请联系系统管理员。", "Your role has no permissions yet. Please ask your system administrator."),
    ("cap.users", "员工账户管理", "Staff accounts"),
    ("cap.users.desc", "查看所有员工账户，停用或重新启用账户，调整账户角色。", "See every staff account, disable or re-enable accounts, change their role."),
    ("cap.users.go", "管理员工账户", "Manage accounts"),
    ("cap.audit", "审计日志", "Audit log"),
    ("cap.audit.desc", "按人员、客户、操作和日期查询访问记录，查看谁看过某位客户。", "Search access records by person, customer, action and date; see who looked at a customer."),
    ("cap.audit.go", "查看审计日志", "Open the audit log"),
    // Staff accounts
    ("accounts.title", "员工账户", "Staff accounts"),
    ("accounts.heading", "员工账户", "Staff accounts"),
    ("accounts.total", "共 {} 个账户", "{} accounts"),
    ("accounts.lead", "停用账户会立即结束该账户的所有登录；修改角色在该账户的下一次请求时生效。账户管理不涉及任何客户数据。", "Disabling an account ends all of its sessions at once; a new role applies on the account's next request. Managing accounts involves no customer data."),
    ("accounts.caption", "员工账户列表", "Staff accounts"),
    ("accounts.col.username", "用户名", "Username"),
    ("accounts.col.name", "姓名", "Name"),
    ("accounts.col.role", "角色", "Role"),
    ("accounts.col.store", "门店", "Store"),
    ("accounts.col.status", "状态", "Status"),
    ("accounts.status.active", "正常", "Active"),
    ("accounts.status.disabled", "已停用", "Disabled"),
    ("accounts.me", "当前登录", "You"),
    ("accounts.self", "不能在此修改自己的账户", "Your own account cannot be changed here"),
    ("accounts.role.label", "{}的角色", "Role of {}"),
    ("accounts.role.submit", "修改角色", "Change role"),
    ("accounts.disable", "停用", "Disable"),
    ("accounts.disable.label", "停用账户 {}", "Disable account {}"),
    ("accounts.enable", "启用", "Enable"),
    ("accounts.enable.label", "启用账户 {}", "Enable account {}"),
    ("accounts.done.disabled", "已停用{}的账户，其所有登录已立即失效。", "The account of {} is disabled; all of its sessions have ended."),
    ("accounts.done.enabled", "已重新启用{}的账户。", "The account of {} is enabled again."),
    ("accounts.done.role", "已修改{}的角色，该账户的下一次请求即按新角色处理。", "The role of {} is changed; it applies on the account's next request."),
    ("accounts.error.self", "不能停用您自己正在使用的账户。", "You cannot disable the account you are signed in with."),
    ("accounts.error.not_found", "该账户不存在。", "This account does not exist."),
    ("accounts.error.role", "请选择列表中的角色。", "Choose one of the listed roles."),
    ("accounts.hint", "每一次修改都记入审计日志。", "Every change is written to the audit log."),
    // Audit log
    ("audit.title", "审计日志", "Audit log"),
    ("audit.lead", "每一次登录、查看、查看明文和修改都记录在这里：只有记录编号和字段名，没有客户资料本身。", "Every sign-in, view, reveal and change is recorded here: record IDs and field names only, never the customer data itself."),
    ("audit.filter.legend", "筛选审计事件", "Filter events"),
    ("audit.filter.actor", "操作人（用户名）", "Person (username)"),
    ("audit.filter.actor.placeholder", "例如 sales01", "e.g. sales01"),
    ("audit.filter.customer_id", "客户编号", "Customer ID"),
    ("audit.filter.customer_id.placeholder", "完整的客户编号", "The full customer ID"),
    ("audit.filter.action", "操作", "Action"),
    ("audit.filter.action.all", "全部操作", "All actions"),
    ("access.title", "谁看过这个客户", "Who accessed this customer"),
    ("access.link", "谁看过", "Access history"),
    ("access.back", "返回客户详情", "Back to the customer"),
    ("access.lead", "审计日志中对该客户的查看、显示、修改、导出与同步记录。客户编号", "Views, reveals, edits, exports and syncs of this customer in the audit log. Customer ID"),
    ("access.list_appearances", "此外，该客户在列表页中出现过 {} 次（列表中为脱敏显示）。", "Besides, this customer appeared on {} list pages (masked there)."),
    ("access.empty", "还没有人查看过这个客户。", "Nobody has accessed this customer yet."),
    ("access.truncated", "仅显示最近 200 条；完整记录请审计员在审计日志中查询。", "Only the latest 200 are shown; the auditor can read them all in the audit log."),
    ("timeline.title", "{} 的操作时间线", "Activity of {}"),
    ("timeline.lead", "按日统计（北京时间）：浏览、查看、显示明文、修改、导出、登录与被拒绝的操作。", "Per day (China Standard Time): lists, views, reveals, changes, exports, sign-ins and refusals."),
    ("timeline.all_events", "查看全部事件", "All events"),
    ("timeline.open", "时间线", "Timeline"),
    ("timeline.hint", "想看此人按日的操作量，与平时相比有无异常？", "How much does this person do per day, and is anything unusual?"),
    ("timeline.span", "统计范围", "Span"),
    ("timeline.days", "近 {} 天", "Last {} days"),
    ("timeline.caption", "每日操作统计", "Events per day"),
    ("timeline.empty", "这段时间内没有任何操作。", "No activity in this span."),
    ("timeline.recent", "最近的事件", "Latest events"),
    ("timeline.col.date", "日期", "Date"),
    ("timeline.col.lists", "浏览列表", "Lists"),
    ("timeline.col.views", "查看详情", "Views"),
    ("timeline.col.reveals", "显示明文", "Reveals"),
    ("timeline.col.changes", "新建/修改", "Changes"),
    ("timeline.col.exports", "导出", "Exports"),
    ("timeline.col.logins", "登录", "Sign-ins"),
    ("timeline.col.refused", "被拒绝/失败", "Refused"),
    ("timeline.col.total", "合计", "Total"),
    ("audit.filter.outcome", "结果", "Outcome"),
    ("audit.filter.outcome.all", "全部结果", "All outcomes"),
    ("audit.filter.since", "开始日期", "From"),
    ("audit.filter.until", "结束日期（含当天）", "To (inclusive)"),
    ("audit.filter.submit", "查询", "Apply"),
    ("audit.filter.hint", "日期按北京时间（UTC+8）计算。查阅审计日志本身也会被记录。", "Dates are in China Standard Time (UTC+8). Reading the audit log is recorded too."),
    ("audit.error.customer_id", "请输入完整的客户编号。", "Enter a complete customer ID."),
    ("audit.error.range", "结束日期不能早于开始日期。", "The end date must not be before the start date."),
    ("audit.customer.banner", "以下是与客户 {} 相关的全部事件：谁在何时查看、查看明文或修改过这位客户。", "All events on customer {}: who viewed, revealed or changed this customer, and when."),
    ("audit.caption", "审计事件，按时间由新到旧排列", "Audit events, newest first"),
    ("audit.col.seq", "序号", "No."),
    ("audit.col.at", "时间（北京时间）", "Time (UTC+8)"),
    ("audit.col.actor", "操作人", "Person"),
    ("audit.col.action", "操作", "Action"),
    ("audit.col.entity", "对象", "Object"),
    ("audit.col.records", "记录", "Records"),
    ("audit.col.fields", "字段", "Fields"),
    ("audit.col.reason", "原因", "Reason"),
    ("audit.col.outcome", "结果", "Outcome"),
    ("audit.col.client", "客户端地址", "Client address"),
    ("audit.actor.unknown", "未知账户", "Unknown account"),
    ("audit.actor.filter", "只看此人的操作", "Only this person's actions"),
    ("audit.records.who", "谁看过这个客户", "Who looked at this customer"),
    ("audit.records.more", "另外 {} 条", "{} more"),
    ("audit.records.hint", "点击客户编号，即可查看谁看过这个客户；将鼠标停在编号上可看到完整编号。", "Click a customer ID to see who looked at this customer; hover over an ID to see it in full."),
    ("audit.empty", "没有符合条件的审计事件。", "No events match."),
    ("audit.empty.hint", "请放宽筛选条件后重试。", "Try wider filters."),
    ("audit.shown", "本页 {} 条，按时间由新到旧排列", "{} events on this page, newest first"),
    ("audit.pagination", "审计日志分页", "Audit log pages"),
    ("audit.older", "更早的记录", "Older events"),
    ("audit.newest", "回到最新", "Back to newest"),
    ("audit.action.customer.list", "浏览客户列表", "Customer list viewed"),
    ("audit.action.customer.view", "查看客户详情", "Customer details viewed"),
    ("audit.action.customer.create", "新建客户", "Customer created"),
    ("audit.action.customer.edit", "修改客户", "Customer edited"),
    ("audit.action.customer.reveal", "查看明文", "Value revealed"),
    ("audit.action.lead.list", "查看线索列表", "Lead list viewed"),
    ("audit.action.lead.pool", "查看公海", "Pool viewed"),
    ("audit.action.lead.view", "查看线索", "Lead viewed"),
    ("audit.action.lead.create", "新建线索", "Lead created"),
    ("audit.action.lead.edit", "修改线索", "Lead changed"),
    ("audit.action.lead.reveal", "查看线索明文", "Lead value revealed"),
    ("audit.action.lead.claim", "领取公海线索", "Lead claimed"),
    ("audit.action.lead.assign", "分配线索", "Lead assigned"),
    ("audit.action.lead.release", "放回公海", "Lead released"),
    ("audit.action.lead.return", "自动回收公海", "Lead returned to the pool"),
    ("audit.action.lead.convert", "线索转客户", "Lead made customer"),
    ("audit.action.lead.rules", "修改线索规则", "Lead rules changed"),
    ("audit.action.follow_up.create", "新增跟进", "Follow-up added"),
    ("audit.action.follow_up.complete", "完成跟进", "Follow-up done"),
    ("audit.action.follow_up.list", "查看跟进列表", "Follow-ups listed"),
    ("audit.action.customer.history", "查看访问记录", "Access history read"),
    ("audit.action.customer.export", "导出客户", "Customers exported"),
    ("audit.action.customer.sync", "同步客户", "Customers synced"),
    ("audit.action.auth.login", "登录", "Sign-in"),
    ("audit.action.auth.logout", "退出登录", "Sign-out"),
    ("audit.action.user.list", "浏览员工账户", "Accounts listed"),
    ("audit.action.user.create", "创建账户", "Account created"),
    ("audit.action.user.edit", "修改账户", "Account changed"),
    ("audit.action.user.password_change", "修改密码", "Password changed"),
    ("audit.action.user.freeze", "冻结账户", "Account frozen"),
    ("audit.action.user.resign", "登记离职", "Resignation recorded"),
    ("audit.action.user.handover", "移交客户", "Book handed over"),
    ("audit.action.customer.ownership", "查看客户归属记录", "Customer ownership read"),
    ("audit.action.user.risk_report", "查看离职风险报告", "Departure-risk report read"),
    ("audit.action.role.list", "浏览角色", "Roles listed"),
    ("audit.action.audit.view", "查阅审计日志", "Audit log read"),
    ("audit.action.system.install", "系统初始化", "System installed"),
    ("audit.action.alert.raise", "触发告警", "Alert raised"),
    ("audit.action.alert.list", "查看告警列表", "Alert list"),
    ("audit.action.alert.view", "查看告警", "Alert viewed"),
    ("audit.action.alert.acknowledge", "确认告警", "Alert acknowledged"),
    ("audit.action.alert.comment", "告警评论", "Alert comment"),
    ("audit.action.alert.configure", "配置告警", "Alerts configured"),
    ("audit.action.honeytoken.plant", "布设诱饵客户", "Honeytoken planted"),
    ("audit.action.honeytoken.retire", "撤下诱饵客户", "Honeytoken retired"),
    ("audit.entity.customer", "客户", "Customer"),
    ("audit.entity.user", "员工账户", "Account"),
    ("audit.entity.role", "角色", "Role"),
    ("audit.entity.organisation", "组织架构", "Organisation"),
    ("audit.entity.settings", "系统设置", "Settings"),
    ("audit.entity.audit_log", "审计日志", "Audit log"),
    ("audit.entity.alert", "告警", "Alert"),
    ("audit.entity.lead", "线索", "Lead"),
    ("audit.entity.follow_up", "跟进", "Follow-up"),
    ("audit.outcome.allowed", "允许", "Allowed"),
    ("audit.outcome.denied", "拒绝", "Denied"),
    ("audit.outcome.failed", "失败", "Failed"),
    ("audit.field.status", "账户状态", "Account status"),
    ("audit.field.role", "角色", "Role"),
    // Customer list
    ("customers.title", "客户", "Customers"),
    ("customers.heading", "客户列表", "Customer list"),
    ("search.legend", "查找客户", "Find customers"),
    ("search.q", "姓名 / 备注", "Name / notes"),
    ("search.q.placeholder", "输入姓名或备注关键词", "Name or note keyword"),
    ("search.mobile", "手机号（精确）", "Mobile (exact)"),
    ("search.mobile.placeholder", "11 位手机号", "11-digit mobile"),
    ("search.id_number", "身份证号（精确）", "ID number (exact)"),
    ("search.id_number.placeholder", "18 位身份证号", "18-digit ID number"),
    ("search.submit", "搜索", "Search"),
    ("search.reset", "清除条件", "Clear"),
    ("search.forbidden", "您无权按此字段搜索。", "You may not search by this field."),
    ("search.private", "查找条件不会出现在网址中。", "Search terms never appear in the address bar."),
    ("sort.label", "排序", "Sort"),
    ("sort.updated_desc", "最近更新", "Recently updated"),
    ("sort.created_desc", "最新创建", "Newest first"),
    ("sort.created_asc", "最早创建", "Oldest first"),
    ("list.total", "共 {} 位客户", "{} customers"),
    ("list.empty", "没有找到符合条件的客户。", "No customers match."),
    ("list.empty.hint", "请检查查找条件，或新建客户。", "Check the search terms, or create a customer."),
    ("list.page", "第 {} 页", "Page {}"),
    ("list.of_pages", "共 {} 页", "of {}"),
    ("list.pagination", "分页", "Pagination"),
    ("page.prev", "上一页", "Previous"),
    ("page.next", "下一页", "Next"),
    ("col.actions", "操作", "Actions"),
    ("action.view", "详情", "Details"),
    ("action.edit", "编辑", "Edit"),
    ("action.back", "返回列表", "Back to list"),
    ("action.save", "保存", "Save"),
    ("action.cancel", "取消", "Cancel"),
    ("action.create", "创建客户", "Create customer"),
    ("action.home", "返回首页", "Back to home"),
    // Customer detail and reveal
    ("detail.title", "客户详情", "Customer details"),
    ("detail.section.profile", "基本资料", "Profile"),
    ("detail.section.record", "档案信息", "Record"),
    ("detail.masked", "已脱敏", "Masked"),
    ("detail.saved", "已保存修改。", "Changes saved."),
    ("detail.created", "客户已创建。", "Customer created."),
    ("value.empty", "未填写", "Not provided"),
    ("reveal.button", "查看", "Reveal"),
    ("reveal.reason", "查看原因", "Reason"),
    ("reveal.reason.placeholder", "例如：电话回访", "e.g. follow-up call"),
    ("reveal.submit", "确认查看", "Reveal now"),
    ("reveal.hint", "查看明文将记入审计日志，并计入每日查看限额。", "Revealing is written to the audit log and counts against your daily limit."),
    ("reveal.shown", "已显示「{}」明文，仅本次显示。", "{} shown in clear, this once."),
    ("reveal.left", "今日剩余查看次数：{}", "Reveals left today: {}"),
    ("reveal.revealed", "明文", "Clear text"),
    ("reveal.quota", "今日查看次数已用完（每日上限 {} 次），请明天再试或联系经理。", "You have used all reveals for today (limit {}). Try again tomorrow or ask your manager."),
    ("reveal.reason.follow_up", "电话回访", "Follow-up call"),
    ("reveal.reason.paperwork", "办理购车手续", "Purchase paperwork"),
    ("reveal.reason.identity", "核对客户身份", "Verify identity"),
    ("reveal.reason.delivery", "交车联系", "Vehicle delivery"),
    ("reveal.reason.complaint", "处理客户投诉", "Handle a complaint"),
    // Customer forms
    ("form.new.title", "新建客户", "New customer"),
    ("form.edit.title", "编辑客户", "Edit customer"),
    ("form.required", "必填", "Required"),
    ("form.readonly", "只读", "Read-only"),
    ("form.fix", "请修正标出的字段后重试。", "Please correct the marked fields and try again."),
    ("form.duplicate", "该客户已存在，负责人：{}", "This customer already exists. Owner: {}"),
    ("form.duplicate_plain", "该客户已存在。", "This customer already exists."),
    ("form.not_editable", "您无权填写此字段。", "You may not fill in this field."),
    ("form.choose", "请选择", "Please choose"),
    ("form.new.lead", "手机号将用于查重；同一手机号只能登记一位客户。", "The mobile number is used to detect duplicates: one customer per number."),
    ("form.edit.lead", "只有您有权修改的字段可以编辑，其余字段为只读。", "Only the fields you may change can be edited; the rest are read-only."),
    ("gender.male", "男", "Male"),
    ("gender.female", "女", "Female"),
    ("gender.unknown", "未知", "Unknown"),
    ("source.walk_in", "到店", "Walk-in"),
    ("source.phone", "来电", "Phone"),
    ("source.website", "官网", "Website"),
    ("source.autohome", "汽车之家", "Autohome"),
    ("source.dongchedi", "懂车帝", "Dongchedi"),
    ("source.referral", "老客户转介绍", "Referral"),
    ("source.auto_show", "车展", "Auto show"),
    ("source.campaign", "营销活动", "Campaign"),
    ("source.other", "其他", "Other"),
    ("rule.required", "此项为必填项。", "This field is required."),
    ("rule.too_long", "不能超过 {} 个字符。", "Must not be longer than {} characters."),
    ("rule.invalid_characters", "包含不允许的字符。", "Contains characters that are not allowed."),
    ("rule.invalid_mobile", "请输入有效的中国大陆手机号（11 位）。", "Enter a valid mainland China mobile number (11 digits)."),
    ("rule.invalid_id_number", "请输入有效的 18 位居民身份证号码。", "Enter a valid 18-digit resident ID number."),
    ("rule.invalid_email", "请输入有效的电子邮箱地址。", "Enter a valid e-mail address."),
    ("rule.invalid_date", "请输入有效的日期（年-月-日）。", "Enter a valid date (YYYY-MM-DD)."),
    ("rule.invalid_wechat", "请输入有效的微信号。", "Enter a valid WeChat ID."),
    ("rule.unknown_value", "请从列表中选择。", "Choose one of the listed values."),
    ("rule.too_short", "至少需要 {} 个字符。", "Must be at least {} characters long."),
    ("rule.incorrect", "不正确。", "Is not correct."),
    ("rule.holds_personal_data", "请不要填写手机号或身份证号：原因会永久保存在审计日志中。", "Please leave out mobile and ID numbers: the reason is kept in the audit log for good."),
    ("rule.out_of_range", "须在 {} 范围内。", "Must be within {}."),
    ("rule.not_allowed", "不能与旧密码相同，也不能包含用户名。", "Must differ from the old password and not contain the username."),
    ("rule.invalid_vin", "请输入有效的 17 位车架号（VIN），第 9 位校验位须正确。", "Enter a valid 17-character VIN with a correct check digit (position 9)."),
    ("rule.invalid_amount", "请输入以元为单位的金额，最多两位小数，不超过 1 亿元。", "Enter an amount in yuan with at most two decimals, up to 100 million."),
    ("rule.not_allowed_now", "当前状态下不能这样变更。", "This change is not possible from the current status."),
    ("rule.empty_file", "文件是空的。", "The file is empty."),
    ("rule.unsupported_file", "不是表格或 CSV 文件，请上传 .xlsx 或 .csv。", "Not a spreadsheet or CSV file; upload .xlsx or .csv."),
    ("rule.corrupt_file", "文件已损坏，无法读取。", "The file is damaged and cannot be read."),
    ("rule.file_too_large", "文件太大（最大 64 MiB、100 万行）。", "The file is too large (at most 64 MiB and 1,000,000 rows)."),
    // Errors
    ("error.title", "出错了", "Something went wrong"),
    ("error.not_found.title", "未找到", "Not found"),
    ("error.not_found.desc", "您要找的页面或记录不存在，或不在您的访问范围内。", "The page or record does not exist, or is outside what you may access."),
    ("error.forbidden.title", "无权访问", "Not permitted"),
    ("error.forbidden.desc", "您的角色没有执行此操作的权限。如确有需要，请联系您的经理或系统管理员。", "Your role may not do this. If you need it, ask your manager or system administrator."),
    ("error.csrf.title", "表单已失效", "Form expired"),
    ("error.csrf.desc", "无法确认此表单来自本系统的页面。请返回上一页，刷新后重试。", "This form could not be verified as coming from this site. Go back, reload the page and try again."),
    ("error.invalid.title", "请求无效", "Invalid request"),
    ("error.invalid.desc", "提交的内容不符合要求，请返回修改后重试。", "What was sent is not valid. Go back, correct it and try again."),
    ("error.conflict.title", "操作冲突", "Conflict"),
    ("error.conflict.desc", "数据刚刚被他人修改或已存在，请刷新后重试。", "The data was just changed by someone else or already exists. Reload and try again."),
    ("error.rate.title", "操作过于频繁", "Too many requests"),
    ("error.rate.desc", "请稍候片刻再试。", "Please wait a moment and try again."),
    ("error.unavailable.title", "服务暂时不可用", "Service unavailable"),
    ("error.integrity.title", "数据完整性校验失败", "Integrity check failed"),
    ("error.integrity.desc", "这条记录的加密数据未通过完整性校验，系统没有显示任何内容。此事件已记录，请通知 IT 管理员。", "This record's encrypted data failed its integrity check, so nothing of it is shown. The event is logged; tell your IT administrator."),
    ("rule.too_few_kinds", "密码须至少包含小写字母、大写字母、数字、其他字符中的 {} 类。", "The password must mix at least {} of: lower case, upper case, digits, other characters."),
    ("rule.private_network_only", "不加密（none）只允许用于本机或内网地址的主机，请改用 STARTTLS 或 TLS。", "Unencrypted (none) is allowed only for a loopback or private-network host; use STARTTLS or TLS."),
    ("rule.too_broad", "匹配的记录太多，请输入更具体的关键词。", "Matches too many records; be more specific."),
    ("error.unavailable.desc", "系统暂时无法完成此操作，请稍后再试。若问题持续，请联系 IT 管理员。", "The system cannot complete this right now. Try again later; if it persists, contact your IT administrator."),
    ("error.audit.desc", "审计日志暂时无法写入。为保护数据安全，本次操作未执行。", "The audit log cannot be written right now. To keep data safe, nothing was done."),
    ("error.code", "状态码", "Status"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_key_is_unique_and_has_both_languages() {
        let mut seen = HashSet::new();
        for (key, zh, en) in catalog() {
            assert!(seen.insert(*key), "duplicate key {key}");
            assert!(!zh.trim().is_empty(), "{key} has no Chinese text");
            assert!(!en.trim().is_empty(), "{key} has no English text");
            assert_eq!(
                zh.matches("{}").count(),
                en.matches("{}").count(),
                "{key}: placeholders differ"
            );
        }
    }

    #[test]
    fn every_key_used_by_templates_and_code_exists() {
        let sources = [
            include_str!("../../templates/base.html"),
            include_str!("../../templates/login.html"),
            include_str!("../../templates/home.html"),
            include_str!("../../templates/error.html"),
            include_str!("../../templates/customers/list.html"),
            include_str!("../../templates/customers/detail.html"),
            include_str!("../../templates/customers/form.html"),
            include_str!("../../templates/accounts.html"),
            include_str!("../../templates/audit.html"),
            include_str!("../../templates/password.html"),
            include_str!("../ui.rs"),
            include_str!("errors.rs"),
            include_str!("home.rs"),
            include_str!("layout.rs"),
            include_str!("login.rs"),
            include_str!("customers.rs"),
            include_str!("customers/list.rs"),
            include_str!("customers/detail.rs"),
            include_str!("customers/form.rs"),
            include_str!("accounts.rs"),
            include_str!("audit.rs"),
            include_str!("password.rs"),
            include_str!("../../templates/alerts/inbox.html"),
            include_str!("../../templates/alerts/detail.html"),
            include_str!("../../templates/alerts/admin.html"),
            include_str!("../../templates/alerts/honeytokens.html"),
            include_str!("alerts.rs"),
            include_str!("alert_admin.rs"),
            include_str!("../../templates/roles/list.html"),
            include_str!("../../templates/roles/editor.html"),
            include_str!("../../templates/roles/preview.html"),
            include_str!("../../templates/roles/review.html"),
            include_str!("roles.rs"),
            include_str!("roles/list.rs"),
            include_str!("roles/editor.rs"),
            include_str!("roles/form.rs"),
            include_str!("../../templates/accounts/new.html"),
            include_str!("../../templates/accounts/detail.html"),
            include_str!("../../templates/accounts/one_time.html"),
            include_str!("accounts/new.rs"),
            include_str!("accounts/detail.rs"),
            include_str!("accounts/units.rs"),
            include_str!("../../templates/settings.html"),
            include_str!("settings.rs"),
            include_str!("../../templates/accounts/org.html"),
            include_str!("accounts/org.rs"),
            include_str!("../../templates/leads/list.html"),
            include_str!("../../templates/leads/detail.html"),
            include_str!("../../templates/leads/follow_ups.html"),
            include_str!("../../templates/leads/rules.html"),
            include_str!("leads.rs"),
            include_str!("leads/list.rs"),
            include_str!("leads/detail.rs"),
            include_str!("leads/form.rs"),
            include_str!("leads/actions.rs"),
            include_str!("leads/follow_ups.rs"),
            include_str!("leads/rules.rs"),
            include_str!("../../templates/vehicles/list.html"),
            include_str!("../../templates/vehicles/detail.html"),
            include_str!("../../templates/vehicles/form.html"),
            include_str!("../../templates/vehicles/report.html"),
            include_str!("vehicles.rs"),
            include_str!("vehicles/list.rs"),
            include_str!("vehicles/detail.rs"),
            include_str!("vehicles/form.rs"),
            include_str!("vehicles/report.rs"),
            include_str!("../../templates/reports/funnel.html"),
            include_str!("../../templates/reports/tabs.html"),
            include_str!("reports/funnel.rs"),
            include_str!("reports/funnel_tables.rs"),
            include_str!("../../templates/test_drives/section.html"),
            include_str!("../../templates/test_drives/detail.html"),
            include_str!("../../templates/test_drives/day.html"),
            include_str!("test_drives.rs"),
            include_str!("test_drives/section.rs"),
            include_str!("test_drives/detail.rs"),
            include_str!("test_drives/day.rs"),
            include_str!("../../templates/deals/list.html"),
            include_str!("../../templates/deals/quote.html"),
            include_str!("../../templates/deals/detail.html"),
            include_str!("deals.rs"),
            include_str!("deals/list.rs"),
            include_str!("deals/quote.rs"),
            include_str!("deals/detail.rs"),
            include_str!("deals/actions.rs"),
            include_str!("../../templates/exports/list.html"),
            include_str!("../../templates/exports/new.html"),
            include_str!("../../templates/exports/detail.html"),
            include_str!("../../templates/exports/rules.html"),
            include_str!("../../templates/exports/trace.html"),
            include_str!("exports.rs"),
            include_str!("exports/list.rs"),
            include_str!("exports/new.rs"),
            include_str!("exports/detail.rs"),
            include_str!("exports/actions.rs"),
            include_str!("exports/rules.rs"),
            include_str!("exports/trace.rs"),
            include_str!("../../templates/staff/list.html"),
            include_str!("../../templates/staff/detail.html"),
            include_str!("../../templates/staff/handover.html"),
            include_str!("../../templates/staff/risk.html"),
            include_str!("staff.rs"),
            include_str!("staff/list.rs"),
            include_str!("staff/detail.rs"),
            include_str!("staff/handover.rs"),
            include_str!("staff/risk.rs"),
            include_str!("../../templates/reviews/index.html"),
            include_str!("../../templates/reviews/campaign.html"),
            include_str!("../../templates/reviews/report.html"),
            include_str!("../../templates/reviews/tabs.html"),
            include_str!("../../templates/reviews/rights.html"),
            include_str!("reviews.rs"),
            include_str!("reviews/index.rs"),
            include_str!("reviews/campaign.rs"),
            include_str!("reviews/decide.rs"),
            include_str!("reviews/report.rs"),
            include_str!("../../templates/login_code.html"),
            include_str!("../../templates/account/mfa.html"),
            include_str!("../../templates/account/mfa_setup.html"),
            include_str!("../../templates/account/recovery_codes.html"),
            include_str!("login_code.rs"),
            include_str!("mfa.rs"),
        ];
        let keys: HashSet<&str> = catalog().map(|(k, _, _)| *k).collect();
        let mut used = 0;
        for source in sources {
            for call in [".t(\"", ".t1(\""] {
                for (at, _) in source.match_indices(call) {
                    let rest = &source[at + call.len()..];
                    let key = rest.split('"').next().unwrap_or_default();
                    assert!(
                        keys.contains(key),
                        "message key {key:?} is not in the catalog"
                    );
                    used += 1;
                }
            }
        }
        assert!(used > 50, "the scan found only {used} uses");
        for key in REVEAL_REASON_KEYS {
            assert!(keys.contains(key));
        }
        for code in GENDER_CODES {
            assert!(keys.contains(format!("gender.{code}").as_str()));
        }
        for code in SOURCE_CODES {
            assert!(keys.contains(format!("source.{code}").as_str()));
        }
    }

    #[test]
    fn nothing_is_announced_that_does_not_exist() {
        for (key, zh, en) in catalog() {
            assert!(!zh.contains("即将推出"), "{key}");
            assert!(!en.to_lowercase().contains("coming soon"), "{key}");
        }
    }

    #[test]
    fn select_codes_match_the_domain() {
        use dealervault_domain::values::{Gender, Source};
        let genders: Vec<_> = Gender::ALL.iter().map(|g| g.code()).collect();
        let sources: Vec<_> = Source::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(genders, GENDER_CODES);
        assert_eq!(sources, SOURCE_CODES);
    }

    #[test]
    fn lookups_follow_the_language() {
        assert_eq!(Lang::Zh.t("nav.customers"), "客户");
        assert_eq!(Lang::En.t("nav.customers"), "Customers");
        assert_eq!(Lang::Zh.t1("list.total", 3), "共 3 位客户");
        assert_eq!(Lang::En.field_label("mobile"), "Mobile");
        assert_eq!(Lang::Zh.field_label("id_number"), "身份证号");
        assert_eq!(Lang::Zh.code_label("source", "autohome"), "汽车之家");
        assert_eq!(Lang::Zh.code_label("gender", "*"), "*");
        assert_eq!(Lang::from_code("fr"), None);
    }
}
