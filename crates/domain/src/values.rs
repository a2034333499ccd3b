//! Newtypes for the values a dealership keeps about people, each parsed at the edge.

mod choice;
mod date;
mod email;
mod id_number;
mod mobile;
mod reason;
mod text;

pub use choice::{Gender, Source};
pub use date::BirthDate;
pub use email::Email;
pub use id_number::IdNumber;
pub use mobile::Mobile;
pub use reason::Reason;
pub use text::{Address, Notes, PersonName, Wechat};
