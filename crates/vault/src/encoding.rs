//! The unambiguous byte encoding used for every AAD and every HKDF `info`.
//!
//! A string is its length as a big-endian `u64` followed by its UTF-8 bytes; a number is
//! its fixed-width big-endian bytes. Every encoding starts with a versioned label naming
//! its purpose, so no two purposes (or two splits of the same characters into fields,
//! such as `"ab" + "c"` and `"a" + "bc"`) ever encode to the same bytes.

pub(crate) struct Encoder(Vec<u8>);

impl Encoder {
    /// Starts an encoding with its purpose label, e.g. `"dealervault/field/v1"`.
    pub(crate) fn new(label: &str) -> Self {
        Self(Vec::with_capacity(128)).str(label)
    }

    pub(crate) fn str(mut self, value: &str) -> Self {
        self.0
            .extend_from_slice(&(value.len() as u64).to_be_bytes());
        self.0.extend_from_slice(value.as_bytes());
        self
    }

    pub(crate) fn u32(mut self, value: u32) -> Self {
        self.0.extend_from_slice(&value.to_be_bytes());
        self
    }

    pub(crate) fn u8(mut self, value: u8) -> Self {
        self.0.push(value);
        self
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::Encoder;

    #[test]
    fn splits_of_the_same_characters_encode_differently() {
        let a = Encoder::new("l").str("ab").str("c").finish();
        let b = Encoder::new("l").str("a").str("bc").finish();
        assert_ne!(a, b);
    }

    #[test]
    fn layout_is_length_prefixed_big_endian() {
        let bytes = Encoder::new("x").u32(0x0102_0304).u8(9).finish();
        assert_eq!(bytes, [0, 0, 0, 0, 0, 0, 0, 1, b'x', 1, 2, 3, 4, 9]);
    }
}
