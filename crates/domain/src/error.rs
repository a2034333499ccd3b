use std::fmt;

/// A value that failed to parse: names the field and the rule it broke, never the value
/// itself (the value may be personal data and must not reach logs or error bodies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub rule: Rule,
}

/// Why a field was refused; the web layer turns this into a translated message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Required,
    TooLong {
        max: usize,
    },
    InvalidCharacters,
    InvalidMobile,
    InvalidIdNumber,
    InvalidEmail,
    InvalidDate,
    InvalidWechat,
    UnknownValue,
    TooShort {
        min: usize,
    },
    /// A secret that does not match (the current password).
    Incorrect,
    /// A search that matches too much to be useful: narrow it down.
    TooBroad,
    /// A value the rules forbid for this account (a reused or guessable password).
    NotAllowed,
    /// Free text that goes into the audit log carries what looks like a mobile or an
    /// ID number.
    HoldsPersonalData,
    /// A number outside `min..=max`.
    OutOfRange {
        min: usize,
        max: usize,
    },
    /// A setting that is safe only towards a loopback or private-network host (plain,
    /// unencrypted SMTP).
    PrivateNetworkOnly,
    /// A password that mixes fewer kinds of characters (lower case, upper case, digits,
    /// others) than the site's policy asks.
    TooFewKinds {
        min: usize,
    },
    /// Not a 17-character VIN with a correct ISO 3779 check digit.
    InvalidVin,
    /// Not an amount of money in yuan with at most two decimals, within range.
    InvalidAmount,
    /// A change of status the record's current status does not allow.
    NotAllowedNow,
    /// An uploaded file with nothing in it.
    EmptyFile,
    /// An uploaded file that is not a spreadsheet or CSV (an image, a PDF…).
    UnsupportedFile,
    /// An uploaded file that is damaged and cannot be read.
    CorruptFile,
    /// An uploaded file above the size or row limit.
    FileTooLarge,
}

impl FieldError {
    pub fn new(field: &'static str, rule: Rule) -> Self {
        Self { field, rule }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self.rule {
            Rule::Required => "is required".to_string(),
            Rule::TooLong { max } => format!("is longer than {max} characters"),
            Rule::InvalidCharacters => "contains characters that are not allowed".to_string(),
            Rule::InvalidMobile => "is not a valid mainland China mobile number".to_string(),
            Rule::InvalidIdNumber => {
                "is not a valid 18-digit resident ID number (GB 11643)".to_string()
            }
            Rule::InvalidEmail => "is not a valid e-mail address".to_string(),
            Rule::InvalidDate => "is not a valid date (YYYY-MM-DD)".to_string(),
            Rule::InvalidWechat => "is not a valid WeChat ID".to_string(),
            Rule::UnknownValue => "is not one of the allowed values".to_string(),
            Rule::TooShort { min } => format!("is shorter than {min} characters"),
            Rule::Incorrect => "is not correct".to_string(),
            Rule::TooBroad => "matches too many records; narrow it down".to_string(),
            Rule::NotAllowed => "is not allowed".to_string(),
            Rule::OutOfRange { min, max } => format!("is not between {min} and {max}"),
            Rule::PrivateNetworkOnly => {
                "is allowed only for a loopback or private-network host".to_string()
            }
            Rule::TooFewKinds { min } => format!(
                "mixes fewer than {min} kinds of characters (lower case, upper case, digits, others)"
            ),
            Rule::InvalidVin => {
                "is not a valid 17-character VIN (ISO 3779 check digit)".to_string()
            }
            Rule::InvalidAmount => {
                "is not an amount in yuan with at most two decimals, up to 100 million".to_string()
            }
            Rule::NotAllowedNow => "cannot change like this from the current status".to_string(),
            Rule::EmptyFile => "is empty".to_string(),
            Rule::UnsupportedFile => "is not a spreadsheet or CSV file".to_string(),
            Rule::CorruptFile => "is damaged and cannot be read".to_string(),
            Rule::FileTooLarge => "is too large (at most 64 MiB and 1,000,000 rows)".to_string(),
            Rule::HoldsPersonalData => {
                "must not contain a mobile or ID number: it is kept in the audit log".to_string()
            }
        };
        write!(f, "{} {}", self.field, why)
    }
}

impl std::error::Error for FieldError {}
