//! Newtypes for the values a dealership keeps about people, each parsed at the edge.

pub(crate) mod choice;
mod date;
mod email;
mod id_number;
mod mobile;
mod moment;
mod money;
mod period;
mod reason;
mod text;
mod vin;

pub(crate) use choice::choice;
pub use choice::{Gender, Source};
pub use date::{parse_date_within, BirthDate};
pub use email::Email;
pub use id_number::IdNumber;
pub use mobile::Mobile;
pub use moment::parse_local_minute;
pub use money::Fen;
pub use period::Period;
pub use reason::Reason;
pub use text::{Address, Label, Notes, PersonName, Terms, Wechat};
pub use vin::{check_digit, Vin};
