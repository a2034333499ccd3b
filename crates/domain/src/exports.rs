//! Exports (导出) of the issue [export]: the vocabulary the approval chain is decided in.
//! A request names rows and fields; the store's chain says who must approve it, one
//! step after the other, by the size of the export; each decision is checked here —
//! nobody approves their own request, only the step's approver decides it, a decided or
//! expired request takes no decision — so that the use cases only carry them out.

mod chain;
mod status;

pub use chain::{ApprovalChain, ApprovalStep, Approver, Decision, Refusal, Request};
pub use status::{ExportFormat, ExportStatus};
