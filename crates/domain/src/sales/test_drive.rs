//! Test drives (试驾): a demo vehicle booked for a time slot, the driver's licence, the
//! signed waiver and what the person said afterwards.

use crate::error::{FieldError, Rule};
use crate::values::{choice, parse_local_minute, IdNumber};
use std::fmt;

choice!(
    /// Where a test drive stands: booked, then driven, cancelled or missed.
    TestDriveState {
        Booked = "booked",
        Done = "done",
        Cancelled = "cancelled",
        NoShow = "no_show",
    }
);

impl TestDriveState {
    /// Only a booking moves; a drive that happened, was cancelled or was missed is
    /// history.
    pub fn moves(self) -> &'static [TestDriveState] {
        use TestDriveState::*;
        match self {
            Booked => &[Done, Cancelled, NoShow],
            Done | Cancelled | NoShow => &[],
        }
    }

    pub fn move_to(self, to: TestDriveState) -> Result<TestDriveState, FieldError> {
        if self.moves().contains(&to) {
            Ok(to)
        } else {
            Err(FieldError::new("state", Rule::NotAllowedNow))
        }
    }
}

/// A mainland China driving licence number (驾驶证号): since 2004 it is the holder's
/// 18-character resident ID number, so it is checked like one (GB 11643 check digit).
#[derive(Clone, PartialEq, Eq)]
pub struct DrivingLicence(IdNumber);

impl DrivingLicence {
    pub const FIELD: &'static str = "licence_number";

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        IdNumber::parse(Self::FIELD, input).map(Self)
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Debug for DrivingLicence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DrivingLicence(..)")
    }
}

/// The lengths a showroom books a demo car for.
pub const SLOT_MINUTES: [u32; 3] = [30, 60, 90];

/// A booked time, in unix milliseconds, start inclusive and end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub starts_at: i64,
    pub ends_at: i64,
}

impl Slot {
    /// From a form's `YYYY-MM-DDTHH:MM` (store time) and a length in minutes (30 when
    /// not given). Every problem is reported, each naming its field.
    pub fn parse(starts_at: &str, minutes: Option<u32>) -> Result<Self, Vec<FieldError>> {
        let start = parse_local_minute("starts_at", starts_at);
        let minutes = minutes.unwrap_or(SLOT_MINUTES[0]);
        let length = if SLOT_MINUTES.contains(&minutes) {
            Ok(i64::from(minutes) * 60_000)
        } else {
            Err(FieldError::new("duration_minutes", Rule::UnknownValue))
        };
        match (start, length) {
            (Ok(starts_at), Ok(length)) => Ok(Self {
                starts_at,
                ends_at: starts_at + length,
            }),
            (start, length) => Err(start.err().into_iter().chain(length.err()).collect()),
        }
    }

    /// Whether the two slots share a moment (touching ends do not).
    pub fn overlaps(&self, other: &Slot) -> bool {
        self.starts_at < other.ends_at && other.starts_at < self.ends_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TestDriveState::*;

    #[test]
    fn only_a_booking_moves() {
        assert_eq!(Booked.move_to(Done), Ok(Done));
        assert_eq!(Booked.move_to(NoShow), Ok(NoShow));
        for (from, to) in [
            (Done, Cancelled),
            (Cancelled, Done),
            (NoShow, Booked),
            (Booked, Booked),
        ] {
            assert_eq!(
                from.move_to(to),
                Err(FieldError::new("state", Rule::NotAllowedNow)),
                "{from:?} -> {to:?}"
            );
        }
    }

    #[test]
    fn a_licence_is_an_id_number_and_errors_name_the_field() {
        assert!(DrivingLicence::parse("11010519491231002x").is_ok());
        for (bad, rule) in [
            ("110105194912310020", Rule::InvalidIdNumber),
            ("B1234567", Rule::InvalidIdNumber),
            (" ", Rule::Required),
        ] {
            assert_eq!(
                DrivingLicence::parse(bad).map(|_| ()),
                Err(FieldError::new("licence_number", rule)),
                "{bad}"
            );
        }
        let licence = DrivingLicence::parse("11010519491231002X").expect("valid");
        assert_eq!(format!("{licence:?}"), "DrivingLicence(..)");
    }

    #[test]
    fn slots_default_to_half_an_hour_and_take_known_lengths_only() {
        let slot = Slot::parse("2026-01-02T09:30", None).expect("valid");
        assert_eq!(slot.starts_at, 1_767_317_400_000);
        assert_eq!(slot.ends_at - slot.starts_at, 30 * 60_000);
        let hour = Slot::parse("2026-01-02 09:30", Some(60)).expect("valid");
        assert_eq!(hour.ends_at - hour.starts_at, 60 * 60_000);
        let errors = Slot::parse("tomorrow", Some(45)).expect_err("two problems");
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["starts_at", "duration_minutes"]);
    }

    #[test]
    fn touching_slots_do_not_overlap() {
        let nine = Slot::parse("2026-01-02T09:00", Some(60)).expect("valid");
        let ten = Slot::parse("2026-01-02T10:00", None).expect("valid");
        let half_past = Slot::parse("2026-01-02T09:30", Some(90)).expect("valid");
        assert!(!nine.overlaps(&ten) && !ten.overlaps(&nine));
        assert!(nine.overlaps(&half_past) && half_past.overlaps(&ten));
    }
}
