use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use time::{OffsetDateTime, UtcOffset};

/// The time source of the use cases: the system clock in production, a clock that tests
/// move by hand to cross idle and absolute session timeouts without sleeping.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    manual: Option<Arc<AtomicI64>>,
}

/// How far China Standard Time runs ahead of UTC, for grouping stored times by local day.
pub const CHINA_OFFSET_MS: i64 = 8 * 60 * 60 * 1000;

/// Stores show times in China Standard Time, which has no daylight saving.
const CHINA: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    pub fn manual(start_ms: i64) -> Self {
        Self {
            manual: Some(Arc::new(AtomicI64::new(start_ms))),
        }
    }

    /// Moves a manual clock forward; the system clock ignores it.
    pub fn advance_ms(&self, ms: i64) {
        if let Some(m) = &self.manual {
            m.fetch_add(ms, Ordering::SeqCst);
        }
    }

    /// Unix milliseconds, UTC.
    pub fn now_ms(&self) -> i64 {
        match &self.manual {
            Some(m) => m.load(Ordering::SeqCst),
            None => (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64,
        }
    }

    /// The current moment in the store's zone (Asia/Shanghai).
    pub fn local_now(&self) -> OffsetDateTime {
        to_local(self.now_ms())
    }
}

/// A stored unix-millisecond time in the store's zone.
pub fn to_local(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(CHINA)
}
