//! Persistence for SQLite and PostgreSQL.
//!
//! A [`Store`] hands out transactions ([`Tx`]); every query is a method on `Tx`, written
//! once and run on either backend. Row scopes ([`RowFilter`]) are turned into SQL here, so
//! rows outside an actor's scope are never loaded.
//!
//! [`RowFilter`]: dealervault_domain::access::RowFilter

mod access_reviews;
mod alerts;
mod audit;
mod audit_checkpoints;
mod audit_pack;
mod connect;
mod customer_filter;
mod customers;
mod data_keys;
mod deals;
mod error;
mod exports;
mod follow_ups;
mod handover;
mod honeytokens;
mod lead_funnel;
mod lead_keys;
mod leads;
mod mfa;
mod org;
mod ownership;
mod reveal;
mod roles;
mod rows;
mod sales_settings;
mod sessions;
mod settings;
mod sql;
mod test_drives;
mod tx;
mod users;
mod vehicles;

#[cfg(feature = "testing")]
pub mod testing;

pub use access_reviews::{AccessReviewRow, ReviewItemRow, ReviewProgressRow, QUARTER_CONSTRAINT};
pub use alerts::{
    AlertCommentRow, AlertRow, AlertRuleRow, DeliveryRow, EventCount, StoreAlertSettingsRow,
};
pub use audit::{ActivityCount, AuditQuery, AuditRow};
pub use audit_checkpoints::{ChainRow, CheckpointRow};
pub use audit_pack::{unpack_chain, ChainRowRef};
pub use connect::{Backend, Store};
pub use customer_filter::{CustomerQuery, CustomerSort, PageRequest};
pub use customers::{CustomerPage, SealedCustomer, SearchRow, SEALED_FIELDS};
pub use data_keys::DataKeyTable;
pub use deals::{DealQuery, DealRow, PaymentRow, ALLOCATION_CONSTRAINT, CONTRACT_CONSTRAINT};
pub use error::StoreError;
pub use exports::{
    ApprovalRow, ChainStepRow, ExportChainRow, ExportRow, GeneratedFile, ManifestRow,
    FINGERPRINT_CONSTRAINT,
};
pub use follow_ups::{FollowUpQuery, SealedFollowUp};
pub use handover::{OwnedRecord, StaffBook};
pub use honeytokens::{HoneytokenListing, HoneytokenRow};
pub use lead_funnel::FunnelRow;
pub use leads::{LeadPage, LeadQuery, SealedLead, StaleLead, OPEN_LEAD_STATUSES};
pub use mfa::{LoginChallengeRow, MfaRow, RecoveryCodeUse};
pub use ownership::{OwnerChange, OwnershipRow};
pub use rows::{DepartmentRow, RoleRow, SessionRow, StoreRow, TeamRow, UserRow};
pub use sales_settings::SalesSettingsRow;
pub use sessions::SessionHolder;
pub use test_drives::{SealedTestDrive, TestDriveQuery};
pub use tx::Tx;
pub use vehicles::{
    StockAgeRow, VehiclePage, VehicleQuery, VehicleRow, VehicleSort, VinSearch, VIN_CONSTRAINT,
};
