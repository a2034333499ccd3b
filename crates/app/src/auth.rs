//! Who is asking: passwords, two-step sign-in (TOTP and recovery codes), login limits
//! and sessions.

mod limits;
mod mfa;
mod password;
mod password_change;
mod recovery;
mod session;
mod sign_in;
mod totp;
mod two_step;

pub(crate) use limits::LoginLimits;
pub use mfa::{AccountMfa, MfaSetup, MfaStatus};
pub(crate) use password::PasswordHasher;
pub use password::{generate_one_time_password, hash_password_blocking, MIN_PASSWORD_CHARS};
pub use password_change::MAX_PASSWORD_CHARS;
pub use recovery::{FEW_RECOVERY_CODES, RECOVERY_CODES};
pub use session::{LoginOutcome, SessionKind};
pub use two_step::{
    PasswordStep, PendingLogin, SecondStep, PENDING_LOGIN_ATTEMPTS, PENDING_LOGIN_MS,
};

/// The roles a new installation marks as requiring two-step sign-in (an existing one
/// gets the same marks from the migration that brought it): those who see the most or
/// hold the keys of the site. The administrator changes the marks in the role editor.
pub const MFA_ROLES_BY_DEFAULT: [&str; 5] = [
    "general_manager",
    "sales_manager",
    "finance",
    "system_admin",
    "auditor",
];
