//! The message catalog of the alert and honeytoken pages (Chinese first, English
//! second), kept beside the main catalog, which `Lang::t` searches first.

pub const ALERT_MESSAGES: &[(&str, &str, &str)] = &[
    ("nav.alerts", "告警", "Alerts"),
    ("nav.alert_admin", "告警设置", "Alert rules"),
    ("alerts.title", "告警", "Alerts"),
    ("alerts.heading", "异常行为告警", "Anomaly alerts"),
    ("alerts.total", "共 {} 条告警", "{} alert(s)"),
    ("alerts.lead", "系统根据审计日志自动发现的异常访问：批量查看、频繁查看明文、非工作时间或非办公网络访问、被拒绝的越权尝试、诱饵客户被打开等。告警只包含编号和次数，不含客户信息。", "Unusual access found automatically in the audit log: bulk viewing, frequent reveals, access out of hours or from outside the office network, refused attempts, honeytoken customers opened. Alerts hold ids and counts only, never customer data."),
    ("alerts.filter.all", "全部告警", "All alerts"),
    ("alerts.filter.open", "只看未处理", "Open only"),
    ("alerts.empty", "暂无告警", "No alerts"),
    ("alerts.hint", "只显示您管辖范围内人员的告警。查看、确认和评论告警都会记入审计日志。", "Only alerts about people in your scope are shown. Viewing, acknowledging and commenting are recorded in the audit log."),
    ("alerts.col.time", "时间", "Time"),
    ("alerts.col.severity", "级别", "Severity"),
    ("alerts.col.kind", "规则", "Rule"),
    ("alerts.col.subject", "人员", "Person"),
    ("alerts.col.store", "门店", "Store"),
    ("alerts.col.summary", "依据", "Evidence"),
    ("alerts.col.status", "状态", "Status"),
    ("alerts.col.action", "自动处置", "Action taken"),
    ("alerts.col.records", "相关记录编号", "Related record ids"),
    ("alerts.summary", "{} 次（阈值 {}，{} 分钟内）", "{} (threshold {}, within {} min)"),
    ("alerts.status.open", "未处理", "Open"),
    ("alerts.status.acknowledged", "已确认", "Acknowledged"),
    ("alerts.severity.info", "提示", "Info"),
    ("alerts.severity.warning", "警告", "Warning"),
    ("alerts.severity.critical", "严重", "Critical"),
    ("alerts.action.none", "无", "None"),
    ("alerts.action.require_relogin", "强制重新登录", "Require sign-in again"),
    ("alerts.action.freeze", "冻结账户", "Freeze the account"),
    ("alerts.kind.bulk_view", "批量查看客户", "Bulk viewing"),
    ("alerts.kind.bulk_view.desc", "一人在时间窗口内查看（列表或详情）的不同客户数。", "Distinct customers one person saw (lists and details) within the window."),
    ("alerts.kind.bulk_reveal", "频繁查看明文", "Frequent reveals"),
    ("alerts.kind.bulk_reveal.desc", "一人在时间窗口内查看明文的次数。", "Reveals by one person within the window."),
    ("alerts.kind.off_hours", "非工作时间访问", "Out-of-hours access"),
    ("alerts.kind.off_hours.desc", "在所属门店营业时间以外（按门店时区）访问客户信息的次数。", "Customer data accessed outside the store's business hours (in the store's zone)."),
    ("alerts.kind.outside_network", "非办公网络访问", "Access from outside the network"),
    ("alerts.kind.outside_network.desc", "从门店允许网络以外的地址访问客户信息（仅在门店配置了网络时检查）。", "Customer data accessed from outside the store's allowed networks (checked only when networks are set)."),
    ("alerts.kind.large_export", "大批量导出", "Large export"),
    ("alerts.kind.large_export.desc", "单次导出的记录数达到阈值。", "One export with at least the threshold of records."),
    ("alerts.kind.frequent_exports", "频繁导出", "Frequent exports"),
    ("alerts.kind.frequent_exports.desc", "时间窗口内提交的导出申请数达到阈值。", "At least the threshold of export requests within the window."),
    ("alerts.kind.refused_attempts", "越权尝试", "Refused attempts"),
    ("alerts.kind.refused_attempts.desc", "一人在时间窗口内被拒绝的客户访问次数（试探他人的记录）。", "Refused customer accesses by one person within the window (probing other people's records)."),
    ("alerts.kind.failed_logins", "登录失败", "Failed logins"),
    ("alerts.kind.failed_logins.desc", "同一账户在时间窗口内登录失败或被拒绝的次数。失败登录可能由任何人造成，因此不能自动处置该账户。", "Failed or refused logins of one account within the window. Anyone can cause them, so no action is taken on the account."),
    ("alerts.kind.notice_period", "离职交接期访问", "Access during notice period"),
    ("alerts.kind.notice_period.desc", "已设定离职日期、尚未离职的员工访问客户信息。", "Customer data accessed by someone whose last day is set and not yet past."),
    ("alerts.kind.honeytoken", "诱饵客户被打开", "Honeytoken opened"),
    ("alerts.kind.honeytoken.desc", "诱饵客户被查看、查看明文、修改、导出或同步（出现在列表中不算）。", "A honeytoken customer viewed, revealed, edited, exported or synced (appearing in a list does not count)."),
    ("alerts.detail.title", "告警详情", "Alert"),
    ("alerts.back", "返回告警列表", "Back to alerts"),
    ("alerts.comments", "处理记录", "Comments"),
    ("alerts.comments.none", "还没有评论。", "No comments yet."),
    ("alerts.comment.optional", "处理说明（可选）", "Note (optional)"),
    ("alerts.acknowledge", "确认告警", "Acknowledge"),
    ("alerts.comment.label", "评论", "Comment"),
    ("alerts.comment.submit", "添加评论", "Add comment"),
    ("alerts.done.acknowledged", "告警已确认。", "The alert is acknowledged."),
    ("alerts.done.commented", "评论已添加。", "The comment is added."),
    ("alerts.error.own", "不能处理关于自己的告警。", "You cannot handle an alert about yourself."),
    ("alerts.error.acknowledged", "该告警已被确认。", "The alert is already acknowledged."),
    ("alerts.admin.title", "告警设置", "Alert settings"),
    ("alerts.admin.heading", "告警规则与通知", "Alert rules and delivery"),
    ("alerts.admin.lead", "设置每条规则的阈值、时间窗口、级别和自动处置，告警的推送地址和邮件通知，以及各门店的营业时间和办公网络。系统管理员只做设置，看不到告警内容。", "Set each rule's threshold, window, severity and action, where alerts are delivered (webhook, e-mail), and each store's business hours and networks. The administrator configures but does not read alerts."),
    ("alerts.admin.rules", "规则", "Rules"),
    ("alerts.admin.col.settings", "设置", "Settings"),
    ("alerts.admin.enabled", "启用", "Enabled"),
    ("alerts.admin.threshold", "阈值", "Threshold"),
    ("alerts.admin.window", "窗口（分钟）", "Window (min)"),
    ("alerts.admin.save", "保存", "Save"),
    ("alerts.admin.saved", "设置已保存。", "Saved."),
    ("alerts.admin.webhook", "Webhook 推送", "Webhook"),
    ("alerts.admin.webhook.url", "推送地址（留空则关闭）", "URL (blank turns it off)"),
    ("alerts.admin.webhook.secret", "签名密钥（至少 16 个字符）", "Signing secret (at least 16 characters)"),
    ("alerts.admin.webhook.secret_set", "已设置，留空则不变", "Set; leave blank to keep it"),
    ("alerts.admin.webhook.hint", "每条告警以 JSON POST 到该地址，带 X-DealerVault-Timestamp 和 X-DealerVault-Signature（sha256=HMAC-SHA256(密钥, 时间戳 + \".\" + 正文)）。失败会自动重试。密钥保存后不再显示。", "Each alert is POSTed as JSON with X-DealerVault-Timestamp and X-DealerVault-Signature (sha256=HMAC-SHA256(secret, timestamp + \".\" + body)); failures are retried. The secret is never shown again."),
    ("alerts.admin.email", "邮件通知（SMTP）", "E-mail (SMTP)"),
    ("alerts.admin.email.host", "SMTP 服务器（留空则关闭）", "SMTP server (blank turns it off)"),
    ("alerts.admin.email.port", "端口", "Port"),
    ("alerts.admin.email.security", "加密方式", "Security"),
    ("alerts.admin.email.security.starttls", "STARTTLS（推荐，端口 587）", "STARTTLS (recommended, port 587)"),
    ("alerts.admin.email.security.tls", "TLS（端口 465）", "TLS (port 465)"),
    ("alerts.admin.email.security.none", "不加密（仅限本机或内网服务器）", "None (loopback or private network only)"),
    ("alerts.admin.email.username", "用户名（可选）", "Username (optional)"),
    ("alerts.admin.email.password", "密码（可选）", "Password (optional)"),
    ("alerts.admin.email.password_set", "已设置，留空则不变", "Set; leave blank to keep it"),
    ("alerts.admin.email.from", "发件人地址", "From address"),
    ("alerts.admin.email.recipients", "收件人（逗号或换行分隔，最多 20 个）", "Recipients (comma or newline separated, at most 20)"),
    ("alerts.admin.email.min_severity", "最低发送级别", "Lowest severity mailed"),
    ("alerts.admin.email.lang", "邮件语言", "Language of the mails"),
    ("alerts.admin.email.lang.zh", "中文", "Chinese"),
    ("alerts.admin.email.lang.en", "英文", "English"),
    ("alerts.admin.email.hint", "达到最低级别的告警会以纯文本邮件发送：规则、级别、人员、门店、时间（北京时间）、次数和告警链接路径，不含任何客户信息。失败会自动重试。密码保存后不再显示。", "Alerts at or above the lowest severity are mailed as plain text: rule, severity, person, store, time (Asia/Shanghai), counts and the alert's link path, never customer data. Failures are retried. The password is never shown again."),
    ("alerts.admin.stores", "门店营业时间与办公网络", "Store hours and networks"),
    ("alerts.admin.open", "开门时间", "Opens"),
    ("alerts.admin.close", "关门时间（HH:MM，24:00 表示午夜）", "Closes (HH:MM, 24:00 for midnight)"),
    ("alerts.admin.networks", "允许的网络（CIDR，每行一个）", "Allowed networks (CIDR, one a line)"),
    ("alerts.admin.networks.hint", "例如 10.1.0.0/16。留空表示不检查网络。", "For example 10.1.0.0/16. Blank means the network is not checked."),
    ("honeytokens.title", "诱饵客户", "Honeytokens"),
    ("honeytokens.heading", "诱饵客户", "Honeytoken customers"),
    ("honeytokens.total", "共 {} 个", "{} planted"),
    ("honeytokens.lead", "诱饵客户是系统虚构的客户，与真实客户无法区分。任何人打开它（查看、查看明文、修改、导出）都会立即触发严重告警。这里只显示编号、门店和负责人，不显示任何客户信息。", "A honeytoken is an invented customer, indistinguishable from real ones. Anyone who opens it (view, reveal, edit, export) raises a critical alert at once. Only ids, store and owner are shown here, never customer data."),
    ("honeytokens.plant", "布设诱饵客户", "Plant a honeytoken"),
    ("honeytokens.plant.submit", "布设", "Plant"),
    ("honeytokens.col.id", "客户编号", "Customer id"),
    ("honeytokens.col.store", "门店", "Store"),
    ("honeytokens.col.owner", "负责人（用户名）", "Owner (username)"),
    ("honeytokens.col.planted", "布设时间", "Planted"),
    ("honeytokens.retire", "撤下", "Retire"),
    ("honeytokens.retired", "已撤下", "Retired"),
    ("honeytokens.hint", "撤下后不再告警；虚构客户仍保留在原处，以免其负责人察觉。", "A retired honeytoken no longer alerts; the invented customer stays where it is, so that its owner cannot tell."),
    ("honeytokens.done.planted", "诱饵客户已布设。", "The honeytoken is planted."),
    ("honeytokens.done.retired", "诱饵客户已撤下。", "The honeytoken is retired."),
];

#[cfg(test)]
mod tests {
    use super::super::i18n::Lang;
    use dealervault_app::alerts::rules::{RuleAction, RuleKind, Severity};
    use dealervault_app::alerts::{MailLang, SmtpSecurity};

    #[test]
    fn every_rule_severity_and_action_has_words() {
        for lang in [Lang::Zh, Lang::En] {
            for k in RuleKind::ALL {
                assert_ne!(lang.t(&format!("alerts.kind.{}", k.code())), "?");
                assert_ne!(lang.t(&format!("alerts.kind.{}.desc", k.code())), "?");
            }
            for s in Severity::ALL {
                assert_ne!(lang.t(&format!("alerts.severity.{}", s.code())), "?");
            }
            for a in RuleAction::ALL {
                assert_ne!(lang.t(&format!("alerts.action.{}", a.code())), "?");
            }
            for s in SmtpSecurity::ALL {
                let key = format!("alerts.admin.email.security.{}", s.code());
                assert_ne!(lang.t(&key), "?");
            }
            for l in MailLang::ALL {
                assert_ne!(
                    lang.t(&format!("alerts.admin.email.lang.{}", l.code())),
                    "?"
                );
            }
        }
    }
}
