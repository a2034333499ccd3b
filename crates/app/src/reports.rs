//! Reports: counts over what the actor's scope covers, never a record. A report reads
//! aggregates through the same gate as a list (row filter in SQL, field plan, an audit
//! event per read), and shows no personal data: no name, no mobile, no record id.

mod funnel;
mod funnel_counts;

pub use funnel::{Funnel, FunnelQuery, OwnerFunnel, SourceFunnel};
pub use funnel_counts::{FunnelCounts, StageCount};
