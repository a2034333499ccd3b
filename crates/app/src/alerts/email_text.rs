//! The words of alert e-mails, Chinese first, English second. Kept in the app (the
//! delivery loop has no request and no page): the rule kinds, severities and actions in
//! words, and the labels of the plain-text body.

use super::email::MailLang;

/// `(key, zh, en)`.
pub(crate) const MAIL_MESSAGES: &[(&str, &str, &str)] = &[
    ("subject.prefix", "DealerVault 告警", "DealerVault alert"),
    ("heading", "DealerVault 异常行为告警", "DealerVault anomaly alert"),
    ("label.rule", "规则", "Rule"),
    ("label.severity", "级别", "Severity"),
    ("label.person", "人员", "Person"),
    ("label.store", "门店", "Store"),
    ("label.time", "时间", "Time"),
    ("label.evidence", "依据", "Evidence"),
    ("label.action", "自动处置", "Action taken"),
    ("label.id", "告警编号", "Alert id"),
    ("label.link", "查看详情", "Details"),
    ("store.none", "集团（不属于门店）", "Group (no store)"),
    ("zone", "北京时间，Asia/Shanghai", "China Standard Time, Asia/Shanghai"),
    ("evidence", "{count} 次（阈值 {threshold}，{minutes} 分钟内）", "{count} (threshold {threshold}, within {minutes} min)"),
    ("link", "登录 DealerVault 后打开 {path}", "sign in to DealerVault and open {path}"),
    ("footer", "本邮件只含人员、告警编号和次数，不含任何客户信息。请在系统内确认和处理告警。", "This message holds people, alert ids and counts only, never customer data. Acknowledge and handle the alert in DealerVault."),
    ("severity.info", "提示", "Info"),
    ("severity.warning", "警告", "Warning"),
    ("severity.critical", "严重", "Critical"),
    ("action.none", "无", "None"),
    ("action.require_relogin", "强制重新登录", "Require sign-in again"),
    ("action.freeze", "冻结账户", "Freeze the account"),
    ("kind.bulk_view", "疑似批量查看客户", "Bulk viewing of customers"),
    ("kind.bulk_reveal", "频繁查看明文", "Frequent reveals"),
    ("kind.off_hours", "非工作时间访问", "Out-of-hours access"),
    ("kind.outside_network", "非办公网络访问", "Access from outside the network"),
    ("kind.large_export", "大批量导出", "Large export"),
    ("kind.frequent_exports", "频繁导出", "Frequent exports"),
    ("kind.refused_attempts", "越权尝试", "Refused attempts"),
    ("kind.failed_logins", "登录失败", "Failed logins"),
    ("kind.notice_period", "离职交接期访问", "Access during notice period"),
    ("kind.honeytoken", "诱饵客户被打开", "Honeytoken opened"),
    ("kind.access_review_overdue", "权限复核逾期", "Access review overdue"),
];

/// The words of `key` in `lang`; an unknown key (a rule kind added without words) as
/// the key itself, so that a mail still goes out.
pub(crate) fn word(lang: MailLang, key: &str) -> String {
    MAIL_MESSAGES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, zh, en)| match lang {
            MailLang::Zh => (*zh).to_string(),
            MailLang::En => (*en).to_string(),
        })
        .unwrap_or_else(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::rules::{RuleAction, RuleKind, Severity};
    use std::collections::HashSet;

    #[test]
    fn every_rule_severity_and_action_has_words_in_both_languages() {
        let keys: HashSet<&str> = MAIL_MESSAGES.iter().map(|(k, _, _)| *k).collect();
        assert_eq!(keys.len(), MAIL_MESSAGES.len(), "keys are unique");
        for (key, zh, en) in MAIL_MESSAGES {
            assert!(!zh.is_empty() && !en.is_empty(), "{key}");
        }
        let mut wanted: Vec<String> = RuleKind::ALL
            .iter()
            .map(|k| format!("kind.{}", k.code()))
            .collect();
        wanted.extend(
            Severity::ALL
                .iter()
                .map(|s| format!("severity.{}", s.code())),
        );
        wanted.extend(
            RuleAction::ALL
                .iter()
                .map(|a| format!("action.{}", a.code())),
        );
        for key in wanted {
            assert!(keys.contains(key.as_str()), "{key} has no words");
        }
    }
}
