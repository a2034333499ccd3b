use crate::error::{FieldError, Rule};
use serde::{Deserialize, Serialize};

macro_rules! choice {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(field: &'static str, input: &str) -> Result<Self, FieldError> {
                match input.trim() {
                    "" => Err(FieldError::new(field, Rule::Required)),
                    $($code => Ok($name::$variant),)+
                    _ => Err(FieldError::new(field, Rule::UnknownValue)),
                }
            }
        }
    };
}

choice!(
    /// As the customer states it; `unknown` when not given.
    Gender { Male = "male", Female = "female", Unknown = "unknown" }
);

choice!(
    /// Where a customer came from: the channels a Chinese dealership tracks.
    Source {
        WalkIn = "walk_in",
        Phone = "phone",
        Website = "website",
        Autohome = "autohome",
        Dongchedi = "dongchedi",
        Referral = "referral",
        AutoShow = "auto_show",
        Campaign = "campaign",
        Other = "other",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in Source::ALL {
            assert_eq!(Source::parse("source", s.code()), Ok(*s));
        }
        assert!(Gender::parse("gender", "robot").is_err());
    }
}
