//! The one error shape of the API: `{"error": {"code", "message", "fields"?}}`.
//!
//! Every refusal, from a use case or from a request the server could not read, leaves
//! through [`ApiError`]. Messages are bilingual (Chinese first) and are built from fixed
//! text, field names and rule names only: never from a value the client sent, a stored
//! value or an internal error.

use super::field_rules::{describe_en, describe_zh, invalid_message};
use axum::http::header::{RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use dealervault_app::AppError;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable code, e.g. `not_found`, `invalid_input`.
    pub code: String,
    /// Human-readable, Chinese then English. Never contains personal data.
    pub message: String,
    /// For `invalid_input` and `bad_request`: which fields broke which rule.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldIssue>,
}

/// One field that was refused, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldIssue {
    pub field: String,
    /// e.g. `required`, `invalid_mobile`, `wrong_type`, `unknown_field`, `too_long`.
    pub rule: String,
    /// The length limit, for `too_long`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<usize>,
    /// The minimum length, for `too_short`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<usize>,
}

/// An error answer: status, body and the headers that go with it.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    fields: Vec<FieldIssue>,
    retry_after_secs: Option<i64>,
}

const NOT_FOUND_MESSAGE: &str = "未找到 / Not found";

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            fields: Vec::new(),
            retry_after_secs: None,
        }
    }

    /// The one answer for a record that is missing or out of scope, and for unknown
    /// routes: byte-identical every time.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", NOT_FOUND_MESSAGE)
    }

    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "需要登录 / Authentication required",
        )
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn payload_too_large(limit_bytes: usize) -> Self {
        let kib = limit_bytes / 1024;
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!(
                "请求体过大（上限 {kib} KiB） / The request body is too large (limit {kib} KiB)"
            ),
        )
    }

    pub fn unsupported_media_type() -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "请求体必须是 JSON（Content-Type: application/json） / \
             The request body must be JSON (Content-Type: application/json)",
        )
    }

    /// 422 naming each refused field and rule.
    pub fn invalid(fields: Vec<FieldIssue>) -> Self {
        let message = invalid_message(&fields);
        Self {
            fields,
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input", message)
        }
    }

    /// 400 for a query parameter that cannot be read, e.g. `page=abc`.
    pub fn bad_parameter(field: &str, rule: &'static str) -> Self {
        let issue = FieldIssue {
            field: field.to_string(),
            rule: rule.to_string(),
            max: None,
            min: None,
        };
        let message = format!(
            "请求参数无效：{} / Invalid request parameter: {}",
            describe_zh(&issue),
            describe_en(&issue)
        );
        Self {
            fields: vec![issue],
            ..Self::bad_request(message)
        }
    }

    /// The answer a bare status would get, for responses that were produced without a
    /// body of this shape (a method the route does not have, a body over the limit).
    pub fn for_status(status: StatusCode) -> Self {
        match status {
            StatusCode::NOT_FOUND => Self::not_found(),
            StatusCode::UNAUTHORIZED => Self::unauthenticated(),
            StatusCode::FORBIDDEN => AppError::Forbidden.into(),
            StatusCode::METHOD_NOT_ALLOWED => Self::new(
                status,
                "method_not_allowed",
                "不支持该请求方法 / Method not allowed",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => Self::payload_too_large(crate::api::BODY_LIMIT_BYTES),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::unsupported_media_type(),
            StatusCode::UNPROCESSABLE_ENTITY => Self::invalid(Vec::new()),
            StatusCode::TOO_MANY_REQUESTS => AppError::RateLimited.into(),
            s if s.is_client_error() => Self::bad_request("请求无效 / Bad request"),
            s => Self::new(
                s,
                "unavailable",
                "服务暂时不可用，请稍后再试 / Service unavailable; try again later",
            ),
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn code(&self) -> &'static str {
        self.code
    }

    pub fn fields(&self) -> &[FieldIssue] {
        &self.fields
    }

    fn with_retry_after(mut self, secs: i64) -> Self {
        self.retry_after_secs = Some(secs.max(1));
        self
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        use StatusCode as S;
        match e {
            AppError::Unauthenticated => Self::unauthenticated(),
            AppError::BadCredentials => {
                Self::new(S::UNAUTHORIZED, "bad_credentials", "用户名或密码错误 / Wrong username or password")
            }
            AppError::SessionExpired => Self::new(
                S::UNAUTHORIZED,
                "session_expired",
                "会话已过期，请重新登录 / The session has expired; please log in again",
            ),
            AppError::AccountDisabled => {
                Self::new(S::UNAUTHORIZED, "account_disabled", "账户已停用 / The account is disabled")
            }
            AppError::AccountFrozen => Self::new(
                S::FORBIDDEN,
                "account_frozen",
                "账户已冻结，请联系门店经理 / The account is frozen; ask your store manager",
            ),
            AppError::AccountLocked { retry_after_secs } => {
                let minutes = ((retry_after_secs.max(1) + 59) / 60).max(1);
                Self::new(
                    S::TOO_MANY_REQUESTS,
                    "account_locked",
                    format!(
                        "多次登录失败，账户已锁定，请 {minutes} 分钟后再试 / The account is locked \
                         after repeated failed logins; try again in {minutes} minute(s)"
                    ),
                )
                .with_retry_after(retry_after_secs)
            }
            AppError::RateLimited => Self::new(
                S::TOO_MANY_REQUESTS,
                "rate_limited",
                "尝试次数过多，请稍后再试 / Too many attempts; try again later",
            )
            .with_retry_after(60),
            AppError::Forbidden => Self::new(S::FORBIDDEN, "forbidden", "无权执行此操作 / Not permitted"),
            AppError::Refused(code) => Self::new(S::FORBIDDEN, code, refusal_message(code)),
            AppError::PasswordChangeRequired => Self::new(
                S::FORBIDDEN,
                "password_change_required",
                "请先修改一次性密码（POST /api/v1/auth/password） / Change the one-time password first (POST /api/v1/auth/password)",
            ),
            AppError::MfaRequired => Self::new(
                S::UNAUTHORIZED,
                "mfa_required",
                "该账户需要两步验证：请在登录请求中附上验证器应用的动态码（totp_code）或恢复码（recovery_code） / \
                 This account signs in with a second step: send the authenticator app's code (totp_code) or a recovery code (recovery_code) with the login",
            ),
            AppError::SecondFactor(code) => Self::new(S::UNAUTHORIZED, code, second_factor_message(code)),
            AppError::MfaEnrolmentRequired => Self::new(
                S::FORBIDDEN,
                "mfa_enrolment_required",
                "请先设置两步验证（POST /api/v1/auth/mfa/setup，再 POST /api/v1/auth/mfa/confirm） / \
                 Set up two-step sign-in first (POST /api/v1/auth/mfa/setup, then POST /api/v1/auth/mfa/confirm)",
            ),
            AppError::FieldNotEditable(field) => Self::new(
                S::FORBIDDEN,
                "field_not_editable",
                format!("无权修改字段 {field} / Field {field} may not be changed by this role"),
            ),
            AppError::FieldNotRevealable(field) => Self::new(
                S::FORBIDDEN,
                "field_not_revealable",
                format!("无权查看字段 {field} 的明文 / Field {field} cannot be revealed by this role"),
            ),
            AppError::NotFound => Self::not_found(),
            AppError::Invalid(errors) => Self::invalid(errors.iter().map(FieldIssue::from).collect()),
            AppError::DuplicateCustomer { owner_display_name } => Self::new(
                S::CONFLICT,
                "customer_exists",
                format!(
                    "该客户已存在，负责人：{owner_display_name} / Customer already exists, owned by \
                     {owner_display_name}"
                ),
            ),
            AppError::Conflict(code) => Self::new(S::CONFLICT, code, conflict_message(code)),
            AppError::RevealQuotaExceeded { quota } => Self::new(
                S::TOO_MANY_REQUESTS,
                "reveal_quota_exceeded",
                format!(
                    "今日查看明文次数已用完（每日 {quota} 次） / Today's reveal quota ({quota}) is used up"
                ),
            ),
            AppError::ClaimLimitReached { limit } => Self::new(
                S::TOO_MANY_REQUESTS,
                "claim_limit_reached",
                format!(
                    "今日领取公海线索已达上限（每日 {limit} 条） / Today's pool claims ({limit}) are used up"
                ),
            ),
            AppError::AuditUnavailable => Self::new(
                S::SERVICE_UNAVAILABLE,
                "audit_unavailable",
                "审计日志暂时无法写入，操作未执行 / The audit trail is unavailable; nothing was done",
            ),
            AppError::Integrity => Self::new(
                S::INTERNAL_SERVER_ERROR,
                "integrity_error",
                "记录完整性校验失败，未返回任何数据 / The record failed its integrity check; nothing was returned",
            ),
            AppError::Keys(source) => {
                tracing::error!(error = %source, "encryption keys unavailable while serving an API request");
                Self::for_status(S::SERVICE_UNAVAILABLE)
            }
            AppError::Storage(source) => {
                tracing::error!(error = %source, "storage error while serving an API request");
                Self::for_status(S::SERVICE_UNAVAILABLE)
            }
        }
    }
}

fn refusal_message(code: &str) -> &'static str {
    match code {
        "own_request" => "不能审批自己的申请 / You cannot decide your own request",
        "not_the_approver" => "该申请正在等待其他审批人 / The request waits for another approver",
        "notice_period" => "离职交接期间不能导出客户数据 / No exports during a notice period",
        "not_the_reviewer" => "该复核项由其他人复核 / Another person reviews this item",
        _ => "无权执行此操作 / Not permitted",
    }
}

fn second_factor_message(code: &str) -> &'static str {
    match code {
        "totp_reused" => {
            "该动态码已使用过，请等待下一个 / This code was used already; wait for the next one"
        }
        "recovery_code_invalid" => "恢复码不正确 / The recovery code is not right",
        "recovery_code_used" => "该恢复码已使用过 / This recovery code was used already",
        "login_expired" => {
            "登录已超时，请重新输入密码 / The sign-in has expired; enter the password again"
        }
        _ => "动态码不正确或已过期 / The code is wrong or has expired",
    }
}

fn conflict_message(code: &str) -> &'static str {
    match code {
        "customer_exists" => "该客户已存在 / Customer already exists",
        "lead_exists" => "本店已有该手机号的跟进中线索 / An open lead with this mobile already exists in the store",
        "customer_exists_elsewhere" => "该手机号已是本店其他顾问的客户，请联系销售经理 / This mobile belongs to another consultant's customer; ask your sales manager",
        "vehicle_exists" => "该车架号已在库存中 / A vehicle with this VIN is already in stock",
        "contract_exists" => "本店已有该合同编号 / This contract number is already used in the store",
        "vehicle_taken" => "该车辆已分配给其他订单 / This vehicle is already allocated to another order",
        "test_drive_slot_taken" => "该车此时段（starts_at）已有试驾预约 / The vehicle is already booked for a test drive at that time (starts_at)",
        "vehicle_changed" => "该车辆刚被他人修改，请刷新后重试 / Someone changed this vehicle meanwhile; reload and try again",
        "cannot_disable_self" => "不能停用自己的账户 / You cannot disable your own account",
        "cannot_change_self" => "不能在此修改自己的账户 / You cannot change your own account here",
        "unit_exists" => "同一位置已有相同代码或名称 / The same code or name is already used there",
        "username_taken" => "该用户名已被使用 / This username is taken",
        "unknown_role" => "角色不存在 / Unknown role",
        "own_alert" => "不能处理关于自己的告警 / You cannot handle an alert about yourself",
        "already_acknowledged" => "该告警已确认 / The alert is already acknowledged",
        "role_exists" => "该角色代码已存在 / A role with this code already exists",
        "role_changed" => "该角色已被他人修改，请重新打开后再改 / Someone changed this role meanwhile; open it again",
        "separation_of_duties" => "职责分离：管理账户或审计日志的角色不能接触客户数据，二者也不能合一 / Separation of duties: a role that administers or audits cannot see customer data, nor do both",
        "already_approved" => "您已审批过该申请 / You approved this request already",
        "export_expired" => "该导出申请已过期 / The export request has expired",
        "export_decided" => "该导出申请已有结果 / The export request is decided already",
        "export_not_approved" => "该导出尚未获批 / The export is not approved",
        "downloads_used" => "下载次数或期限已用完 / No downloads are left for this export",
        "no_colleague_to_hand_over_to" => "没有可接手的同组同事，请指定接手人 / No colleague of the team can take over; name one",
        "cannot_freeze_self" => "不能冻结自己的账户 / You cannot freeze your own account",
        "review_exists" => "该季度的权限复核已开始 / The quarter's access review has started already",
        "review_item_decided" => "该复核项已有结论 / The item is decided already",
        "mfa_already_enabled" => "两步验证已启用；更换手机请联系管理员重置 / Two-step sign-in is on already; for a new phone ask the administrator to reset it",
        "mfa_not_pending" => "请先开始设置两步验证 / Start setting up two-step sign-in first",
        "mfa_not_enabled" => "该账户未启用两步验证 / Two-step sign-in is not on for this account",
        "cannot_lock_out_self" => "不能取消自己角色的角色编辑权限 / You cannot take the right to edit roles from your own role",
        _ => "请求与当前状态冲突 / The request conflicts with the current state",
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message,
                fields: self.fields,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        let headers = response.headers_mut();
        if let Some(secs) = self.retry_after_secs {
            headers.insert(RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dealervault_domain::error::{FieldError, Rule};

    #[test]
    fn invalid_input_names_fields_and_rules_in_both_languages() {
        let e = ApiError::from(AppError::Invalid(vec![
            FieldError::new("mobile", Rule::InvalidMobile),
            FieldError::new("name", Rule::TooLong { max: 50 }),
        ]));
        assert_eq!(e.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(e.message.starts_with("输入无效：mobile"), "{}", e.message);
        assert!(
            e.message.contains("name is longer than 50 characters"),
            "{}",
            e.message
        );
        assert_eq!(e.fields[1].max, Some(50));
    }

    #[test]
    fn locked_accounts_are_told_how_long_to_wait() {
        let e = ApiError::from(AppError::AccountLocked {
            retry_after_secs: 900,
        });
        assert_eq!(e.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(e.message.contains("15"), "{}", e.message);
        assert_eq!(e.retry_after_secs, Some(900));
    }
}
