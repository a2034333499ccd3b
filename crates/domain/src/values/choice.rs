/// A closed set of codes: parsed from text, shown by code, listed in order.
macro_rules! choice {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(
                field: &'static str,
                input: &str,
            ) -> Result<Self, $crate::error::FieldError> {
                match input.trim() {
                    "" => Err($crate::error::FieldError::new(
                        field,
                        $crate::error::Rule::Required,
                    )),
                    $($code => Ok($name::$variant),)+
                    _ => Err($crate::error::FieldError::new(
                        field,
                        $crate::error::Rule::UnknownValue,
                    )),
                }
            }
        }
    };
}
pub(crate) use choice;

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
