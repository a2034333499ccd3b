//! Opaque identifiers: UUIDv7 as text, never sequential numbers in URLs.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A new random, time-ordered identifier.
            pub fn generate() -> Self {
                Self(uuid::Uuid::now_v7().to_string())
            }

            /// Accepts only the canonical UUID text form, so ids from URLs cannot smuggle
            /// anything else into queries or logs.
            pub fn parse(s: &str) -> Option<Self> {
                uuid::Uuid::try_parse(s).ok().map(|u| Self(u.to_string()))
            }

            /// Wraps an id read back from storage, where it was written by `generate`.
            pub fn from_stored(s: String) -> Self {
                Self(s)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )+};
}

id_type!(
    /// A customer of a store.
    CustomerId,
    /// An employee's account.
    UserId,
    /// A store (a 4S shop) of the group.
    StoreId,
    /// A department of a store (sales, after-sales, finance...).
    DepartmentId,
    /// A team inside a department.
    TeamId,
    /// A role: a named set of grants and field levels.
    RoleId,
    /// A sales lead (线索), owned or in the store's public pool.
    LeadId,
    /// A follow-up task on a lead: a call, a visit, a message.
    FollowUpId,
    /// A vehicle of the stock, by VIN.
    VehicleId,
    /// A deal on a lead: a quote, then perhaps an order and a delivery.
    DealId,
    /// A payment received on an order.
    PaymentId,
    /// A test drive (试驾) of a vehicle by a lead.
    TestDriveId,
    /// An export request and, once approved, its file.
    ExportId,
    /// A quarter's access review (权限复核): one campaign over every active account.
    AccessReviewId,
    /// One account's line in an access review, for its reviewer to keep or remove.
    ReviewItemId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_only_uuids() {
        let id = CustomerId::generate();
        assert_eq!(CustomerId::parse(id.as_str()), Some(id));
        assert_eq!(CustomerId::parse("1"), None);
        assert_eq!(CustomerId::parse("' OR 1=1 --"), None);
    }

    #[test]
    fn generated_ids_differ() {
        assert_ne!(UserId::generate(), UserId::generate());
    }
}
