use dealervault_domain::FieldError;
use dealervault_store::StoreError;

/// Every way a use case can end other than success. Messages never carry personal data
/// or internals; the web layer maps each variant to one status and error code.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("authentication required")]
    Unauthenticated,
    #[error("wrong username or password")]
    BadCredentials,
    #[error("the session has expired")]
    SessionExpired,
    #[error("the account is disabled")]
    AccountDisabled,
    /// Frozen by the store manager or the administrator (someone who left).
    #[error("the account is frozen")]
    AccountFrozen,
    #[error("the account is locked after repeated failed logins")]
    AccountLocked { retry_after_secs: i64 },
    #[error("too many attempts; try again later")]
    RateLimited,
    #[error("not permitted")]
    Forbidden,
    /// Not permitted for a reason the person can act on (their own request, another
    /// step's approver, a notice period), named by its code.
    #[error("not permitted: {0}")]
    Refused(&'static str),
    /// The account signed in with a one-time password and must change it first.
    #[error("the password must be changed first")]
    PasswordChangeRequired,
    /// The account signs in with a second step (a code from its authenticator or a
    /// recovery code) and none was given: no session was begun.
    #[error("a one-time code is required")]
    MfaRequired,
    /// A second step refused, named by its code: `totp_invalid`, `totp_reused`,
    /// `recovery_code_invalid`, `recovery_code_used`, or `login_expired` (the browser's
    /// pending sign-in is gone).
    #[error("second sign-in step refused: {0}")]
    SecondFactor(&'static str),
    /// The session may do nothing but set up two-step sign-in: the grace period of its
    /// role is over, or an administrator reset its authenticator.
    #[error("two-step sign-in must be set up first")]
    MfaEnrolmentRequired,
    #[error("field {0} may not be changed by this role")]
    FieldNotEditable(&'static str),
    #[error("field {0} cannot be revealed by this role")]
    FieldNotRevealable(&'static str),
    #[error("not found")]
    NotFound,
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("customer already exists")]
    DuplicateCustomer { owner_display_name: String },
    #[error("conflict")]
    Conflict(&'static str),
    #[error("daily reveal quota used up")]
    RevealQuotaExceeded { quota: i64 },
    /// The store's claims from the public pool per person per day are used up.
    #[error("daily claim limit reached")]
    ClaimLimitReached { limit: i64 },
    /// The audit trail could not be written, so the action was not carried out.
    #[error("the audit trail is unavailable")]
    AuditUnavailable,
    #[error("storage unavailable")]
    Storage(#[source] StoreError),
    /// Stored customer data failed authentication (moved, altered or under the wrong key):
    /// nothing of it is returned; the detail is logged with ids only.
    #[error("stored data failed its integrity check")]
    Integrity,
    /// The keys could not be used (a keyring file that cannot be read, for instance).
    #[error("the encryption keys are unavailable: {0}")]
    Keys(#[source] dealervault_vault::VaultError),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError::Storage(e)
    }
}

impl AppError {
    pub fn invalid(field: &'static str, rule: dealervault_domain::error::Rule) -> Self {
        AppError::Invalid(vec![FieldError::new(field, rule)])
    }
}
