use crate::app::AppConfig;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;

/// Login attempts allowed per account and per client address, each a token bucket that
/// refills over a minute. Kept in memory: a restart forgives, the persistent lockout
/// counter on the account does not.
#[derive(Debug)]
pub(crate) struct LoginLimits {
    per_account: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<String>,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

impl LoginLimits {
    pub(crate) fn new(config: &AppConfig) -> Self {
        Self {
            per_account: RateLimiter::keyed(per_minute(
                config.login_attempts_per_account_per_minute,
            )),
            per_address: RateLimiter::keyed(per_minute(
                config.login_attempts_per_address_per_minute,
            )),
        }
    }

    /// Takes one attempt from both buckets; `false` when either is empty.
    pub(crate) fn allow(&self, username: &str, address: Option<&str>) -> bool {
        let account_ok = self.per_account.check_key(&username.to_lowercase()).is_ok();
        let address_ok = address.is_none_or(|a| self.per_address.check_key(&a.to_string()).is_ok());
        // Forget idle keys now and then so a flood of random usernames cannot grow memory.
        if self.per_account.len() > 10_000 {
            self.per_account.retain_recent();
            self.per_address.retain_recent();
        }
        account_ok && address_ok
    }
}
