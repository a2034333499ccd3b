//! How a refused field is named and explained: rule codes for clients, and the
//! bilingual sentence of an `invalid_input` message. Built from field names and rules
//! only, never from values.

use super::error::FieldIssue;
use dealervault_domain::error::{FieldError, Rule};

impl From<&FieldError> for FieldIssue {
    fn from(e: &FieldError) -> Self {
        let (rule, max, min) = match e.rule {
            Rule::TooLong { max } => ("too_long", Some(max), None),
            Rule::TooShort { min } => ("too_short", None, Some(min)),
            Rule::Required => ("required", None, None),
            Rule::InvalidCharacters => ("invalid_characters", None, None),
            Rule::InvalidMobile => ("invalid_mobile", None, None),
            Rule::InvalidIdNumber => ("invalid_id_number", None, None),
            Rule::InvalidEmail => ("invalid_email", None, None),
            Rule::InvalidDate => ("invalid_date", None, None),
            Rule::InvalidWechat => ("invalid_wechat", None, None),
            Rule::UnknownValue => ("unknown_value", None, None),
            Rule::Incorrect => ("incorrect", None, None),
            Rule::NotAllowed => ("not_allowed", None, None),
            Rule::TooBroad => ("too_broad", None, None),
            Rule::OutOfRange { min, max } => ("out_of_range", Some(max), Some(min)),
            Rule::HoldsPersonalData => ("holds_personal_data", None, None),
            Rule::PrivateNetworkOnly => ("private_network_only", None, None),
            Rule::TooFewKinds { min } => ("too_few_kinds", None, Some(min)),
            Rule::InvalidVin => ("invalid_vin", None, None),
            Rule::InvalidAmount => ("invalid_amount", None, None),
            Rule::NotAllowedNow => ("not_allowed_now", None, None),
            Rule::EmptyFile => ("empty_file", None, None),
            Rule::UnsupportedFile => ("unsupported_file", None, None),
            Rule::CorruptFile => ("corrupt_file", None, None),
            Rule::FileTooLarge => ("file_too_large", None, None),
        };
        FieldIssue {
            field: e.field.to_string(),
            rule: rule.to_string(),
            max,
            min,
        }
    }
}

pub(super) fn describe_zh(issue: &FieldIssue) -> String {
    let why = match issue.rule.as_str() {
        "required" => "为必填项".to_string(),
        "too_long" => format!("超过 {} 个字符", issue.max.unwrap_or_default()),
        "invalid_characters" => "含有不允许的字符".to_string(),
        "invalid_mobile" => "不是有效的中国大陆手机号".to_string(),
        "invalid_id_number" => "不是有效的 18 位居民身份证号码".to_string(),
        "invalid_email" => "不是有效的电子邮箱地址".to_string(),
        "invalid_date" => "不是有效的日期（YYYY-MM-DD）".to_string(),
        "invalid_wechat" => "不是有效的微信号".to_string(),
        "unknown_value" => "不是允许的取值".to_string(),
        "too_short" => format!("少于 {} 个字符", issue.min.unwrap_or_default()),
        "incorrect" => "不正确".to_string(),
        "too_broad" => "匹配的记录太多，请缩小范围".to_string(),
        "holds_personal_data" => "不能包含手机号或身份证号（原因会写入审计日志）".to_string(),
        "out_of_range" => format!(
            "须在 {} 到 {} 之间",
            issue.min.unwrap_or_default(),
            issue.max.unwrap_or_default()
        ),
        "not_allowed" => "不被允许（不能与旧密码相同，也不能包含用户名）".to_string(),
        "private_network_only" => "只允许用于本机或内网地址的主机".to_string(),
        "too_few_kinds" => format!(
            "须至少包含小写字母、大写字母、数字、其他字符中的 {} 类",
            issue.min.unwrap_or_default()
        ),
        "invalid_vin" => "不是有效的 17 位车架号（VIN 校验位不符）".to_string(),
        "invalid_amount" => "不是有效的金额（元，最多两位小数，不超过 1 亿）".to_string(),
        "not_allowed_now" => "在当前状态下不能这样变更".to_string(),
        "empty_file" => "是空文件".to_string(),
        "unsupported_file" => "不是表格或 CSV 文件（请上传 .xlsx 或 .csv）".to_string(),
        "corrupt_file" => "已损坏，无法读取".to_string(),
        "file_too_large" => "太大（最大 64 MiB、100 万行）".to_string(),
        "wrong_type" => "类型不正确".to_string(),
        "unknown_field" => "不是可接受的字段".to_string(),
        "not_a_number" => "必须是非负整数".to_string(),
        _ => "无效".to_string(),
    };
    format!("{} {why}", issue.field)
}

pub(super) fn describe_en(issue: &FieldIssue) -> String {
    let why = match issue.rule.as_str() {
        "required" => "is required".to_string(),
        "too_long" => format!(
            "is longer than {} characters",
            issue.max.unwrap_or_default()
        ),
        "invalid_characters" => "contains characters that are not allowed".to_string(),
        "invalid_mobile" => "is not a valid mainland China mobile number".to_string(),
        "invalid_id_number" => "is not a valid 18-digit resident ID number (GB 11643)".to_string(),
        "invalid_email" => "is not a valid e-mail address".to_string(),
        "invalid_date" => "is not a valid date (YYYY-MM-DD)".to_string(),
        "invalid_wechat" => "is not a valid WeChat ID".to_string(),
        "unknown_value" => "is not one of the allowed values".to_string(),
        "too_short" => format!(
            "is shorter than {} characters",
            issue.min.unwrap_or_default()
        ),
        "incorrect" => "is not correct".to_string(),
        "too_broad" => "matches too many records; narrow it down".to_string(),
        "holds_personal_data" => {
            "must not contain a mobile or ID number (it is kept in the audit log)".to_string()
        }
        "out_of_range" => format!(
            "is not between {} and {}",
            issue.min.unwrap_or_default(),
            issue.max.unwrap_or_default()
        ),
        "not_allowed" => {
            "is not allowed (it must differ from the old password and not contain the username)"
                .to_string()
        }
        "private_network_only" => {
            "is allowed only for a loopback or private-network host".to_string()
        }
        "too_few_kinds" => format!(
            "must mix at least {} of: lower case, upper case, digits, other characters",
            issue.min.unwrap_or_default()
        ),
        "invalid_vin" => "is not a valid 17-character VIN (ISO 3779 check digit)".to_string(),
        "empty_file" => "is empty".to_string(),
        "unsupported_file" => "is not a spreadsheet or CSV file (upload .xlsx or .csv)".to_string(),
        "corrupt_file" => "is damaged and cannot be read".to_string(),
        "file_too_large" => "is too large (at most 64 MiB and 1,000,000 rows)".to_string(),
        "invalid_amount" => {
            "is not an amount in yuan with at most two decimals, up to 100 million".to_string()
        }
        "not_allowed_now" => "cannot change like this from the current status".to_string(),
        "wrong_type" => "has the wrong type".to_string(),
        "unknown_field" => "is not an accepted field".to_string(),
        "not_a_number" => "must be a whole number".to_string(),
        _ => "is invalid".to_string(),
    };
    format!("{} {why}", issue.field)
}

pub(super) fn invalid_message(fields: &[FieldIssue]) -> String {
    if fields.is_empty() {
        return "输入无效 / Invalid input".to_string();
    }
    let zh: Vec<String> = fields.iter().map(describe_zh).collect();
    let en: Vec<String> = fields.iter().map(describe_en).collect();
    format!(
        "输入无效：{} / Invalid input: {}",
        zh.join("；"),
        en.join("; ")
    )
}
