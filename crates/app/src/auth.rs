//! Who is asking: passwords, login limits and sessions.

mod limits;
mod password;
mod password_change;
mod session;

pub(crate) use limits::LoginLimits;
pub(crate) use password::PasswordHasher;
pub use password::{generate_one_time_password, hash_password_blocking, MIN_PASSWORD_CHARS};
pub use password_change::MAX_PASSWORD_CHARS;
pub use session::{LoginOutcome, SessionKind};
