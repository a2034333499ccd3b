//! Which rows an export contained, as tokens only: for each cell of each row, the first
//! 8 bytes of the app's keyed hash of the cell's normalised text. No value is kept, and
//! without the key a token cannot be tested against a guessed value.
//!
//! Entries are kept sorted by token, so the rows holding a token are one binary search
//! away, and at 12 bytes each: 100,000 rows of 10 cells take about 12 MB.

use thiserror::Error;

use crate::normalise::normalise;

/// The format [`Manifest::to_bytes`] writes: magic, version, then little-endian fields.
const MAGIC: &[u8; 4] = b"DVXM";
const VERSION: u8 = 1;
const PREAMBLE: usize = MAGIC.len() + 1 + 3 * 4;
const ENTRY_BYTES: usize = 8 + 4;
/// A row number's top bit carries the token's strength.
const STRONG: u32 = 1 << 31;
/// Row numbers must leave the top bit free.
const MAX_ROWS: u32 = STRONG - 1;

/// A token: 8 bytes of the keyed hash of a normalised value.
pub(crate) fn token(index: &(dyn Fn(&str) -> [u8; 16] + Sync), text: &str) -> u64 {
    let hash = index(text);
    u64::from_be_bytes([
        hash[0], hash[1], hash[2], hash[3], hash[4], hash[5], hash[6], hash[7],
    ])
}

/// Why a manifest could not be built or read back.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ManifestError {
    #[error("an export manifest holds at most {MAX_ROWS} rows")]
    TooManyRows,
    #[error("these bytes are not an export manifest")]
    NotAManifest,
    #[error("export manifest format version {0} is not supported")]
    UnsupportedVersion(u8),
    #[error("the export manifest is corrupt")]
    Corrupt,
}

/// One cell of one row. Three `u32`s rather than a `u64` and a `u32` so that it packs
/// into 12 bytes; the derived order is the order of (token, row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Entry {
    token_high: u32,
    token_low: u32,
    row_and_strength: u32,
}

impl Entry {
    fn new(token: u64, row: u32, strong: bool) -> Self {
        Self::from_parts(token, row | if strong { STRONG } else { 0 })
    }

    fn from_parts(token: u64, row_and_strength: u32) -> Self {
        Self {
            token_high: (token >> 32) as u32,
            token_low: token as u32,
            row_and_strength,
        }
    }

    fn token(self) -> u64 {
        u64::from(self.token_high) << 32 | u64::from(self.token_low)
    }

    pub(crate) fn row(self) -> u32 {
        self.row_and_strength & !STRONG
    }

    /// Whether the value alone identifies a person (see [`crate::Normalised::strong`]).
    pub(crate) fn strong(self) -> bool {
        self.row_and_strength & STRONG != 0
    }
}

/// Collects an export's rows as they are written.
pub struct ManifestBuilder<'a> {
    index: &'a (dyn Fn(&str) -> [u8; 16] + Sync),
    headers: Vec<u64>,
    entries: Vec<Entry>,
    rows: u32,
}

impl std::fmt::Debug for ManifestBuilder<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManifestBuilder")
            .field("rows", &self.rows)
            .field("entries", &self.entries.len())
            .finish_non_exhaustive()
    }
}

impl<'a> ManifestBuilder<'a> {
    /// `headers` are the export's column names: a leaked file's header row is then
    /// recognised and not counted as a customer. `index` is the app's keyed hash.
    pub fn new(headers: &[&str], index: &'a (dyn Fn(&str) -> [u8; 16] + Sync)) -> Self {
        let mut headers: Vec<u64> = headers
            .iter()
            .filter_map(|h| normalise(h))
            .map(|n| token(index, &n.text))
            .collect();
        headers.sort_unstable();
        headers.dedup();
        Self {
            index,
            headers,
            entries: Vec::new(),
            rows: 0,
        }
    }

    /// One data row, its cells as written but without the fingerprint.
    pub fn add_row(&mut self, cells: &[&str]) -> Result<(), ManifestError> {
        if self.rows == MAX_ROWS {
            return Err(ManifestError::TooManyRows);
        }
        for cell in cells {
            if let Some(n) = normalise(cell) {
                let token = token(self.index, &n.text);
                self.entries.push(Entry::new(token, self.rows, n.strong));
            }
        }
        self.rows += 1;
        Ok(())
    }

    pub fn finish(mut self) -> Manifest {
        self.entries.sort_unstable();
        // A value repeated within a row is one piece of evidence, not two.
        self.entries.dedup();
        self.entries.shrink_to_fit();
        Manifest {
            rows: self.rows,
            headers: self.headers,
            entries: self.entries,
        }
    }
}

/// The tokens of every row of one export.
#[derive(Clone, PartialEq, Eq)]
pub struct Manifest {
    rows: u32,
    headers: Vec<u64>,
    entries: Vec<Entry>,
}

impl std::fmt::Debug for Manifest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Manifest")
            .field("rows", &self.rows)
            .field("entries", &self.entries.len())
            .finish_non_exhaustive()
    }
}

impl Manifest {
    /// How many data rows the export had.
    pub fn rows(&self) -> usize {
        self.rows as usize
    }

    /// The entries for `token`, sorted by row.
    pub(crate) fn holders(&self, token: u64) -> &[Entry] {
        let start = self.entries.partition_point(|e| e.token() < token);
        let len = self.entries[start..].partition_point(|e| e.token() == token);
        &self.entries[start..start + len]
    }

    pub(crate) fn is_header(&self, token: u64) -> bool {
        self.headers.binary_search(&token).is_ok()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            PREAMBLE + 8 * self.headers.len() + ENTRY_BYTES * self.entries.len(),
        );
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.extend_from_slice(&self.rows.to_le_bytes());
        // Both lengths fit: the builder never holds more than `u32::MAX` of either
        // without running out of memory first, and `from_bytes` reads them as `u32`.
        out.extend_from_slice(&(self.headers.len() as u32).to_le_bytes());
        out.extend_from_slice(&(self.entries.len() as u32).to_le_bytes());
        for header in &self.headers {
            out.extend_from_slice(&header.to_le_bytes());
        }
        for entry in &self.entries {
            out.extend_from_slice(&entry.token().to_le_bytes());
            out.extend_from_slice(&entry.row_and_strength.to_le_bytes());
        }
        out
    }

    /// Reads what [`Manifest::to_bytes`] wrote, checking that it is whole and in order.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ManifestError> {
        let rest = bytes
            .strip_prefix(MAGIC)
            .ok_or(ManifestError::NotAManifest)?;
        let (&version, rest) = rest.split_first().ok_or(ManifestError::Corrupt)?;
        if version != VERSION {
            return Err(ManifestError::UnsupportedVersion(version));
        }
        let mut reader = Reader(rest);
        let rows = reader.u32()?;
        let header_count = reader.u32()? as usize;
        let entry_count = reader.u32()? as usize;
        let expected = header_count
            .checked_mul(8)
            .zip(entry_count.checked_mul(ENTRY_BYTES))
            .and_then(|(h, e)| h.checked_add(e));
        if rows > MAX_ROWS || expected != Some(reader.0.len()) {
            return Err(ManifestError::Corrupt);
        }
        let headers = (0..header_count)
            .map(|_| reader.u64())
            .collect::<Result<Vec<_>, _>>()?;
        let mut entries = Vec::with_capacity(entry_count);
        for _ in 0..entry_count {
            let token = reader.u64()?;
            entries.push(Entry::from_parts(token, reader.u32()?));
        }
        let ordered = headers.windows(2).all(|w| w[0] < w[1])
            && entries.windows(2).all(|w| w[0] < w[1])
            && entries.iter().all(|e| e.row() < rows);
        if !ordered {
            return Err(ManifestError::Corrupt);
        }
        Ok(Self {
            rows,
            headers,
            entries,
        })
    }
}

/// Little-endian fields from the front of a byte slice.
struct Reader<'b>(&'b [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], ManifestError> {
        let (head, rest) = self
            .0
            .split_first_chunk::<N>()
            .ok_or(ManifestError::Corrupt)?;
        self.0 = rest;
        Ok(*head)
    }

    fn u32(&mut self) -> Result<u32, ManifestError> {
        self.take().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Result<u64, ManifestError> {
        self.take().map(u64::from_le_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(text: &str) -> [u8; 16] {
        // Not keyed, which is enough to test the layout: FNV-1a, twice.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in text.bytes() {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        let mut out = [0; 16];
        out[..8].copy_from_slice(&hash.to_be_bytes());
        out[8..].copy_from_slice(&hash.rotate_left(17).to_be_bytes());
        out
    }

    fn sample() -> Manifest {
        let mut builder = ManifestBuilder::new(&["姓名", "手机"], &index);
        for row in [
            ["张三", "13812345678"],
            ["李四", "139 0000 1111"],
            ["张三", ""],
        ] {
            builder.add_row(&row).expect("few rows");
        }
        builder.finish()
    }

    #[test]
    fn tokens_lead_to_their_rows_and_strength() {
        let manifest = sample();
        assert_eq!(manifest.rows(), 3);
        let zhang = manifest.holders(token(&index, "张三"));
        assert_eq!(
            zhang.iter().map(|e| e.row()).collect::<Vec<_>>(),
            vec![0, 2]
        );
        assert!(zhang.iter().all(|e| !e.strong()));
        let mobile = manifest.holders(token(&index, "13900001111"));
        assert_eq!(mobile.len(), 1);
        assert!(mobile[0].strong());
        assert!(manifest.holders(token(&index, "王五")).is_empty());
        assert!(manifest.is_header(token(&index, "姓名")));
        assert!(!manifest.is_header(token(&index, "张三")));
    }

    #[test]
    fn bytes_round_trip() {
        let manifest = sample();
        let bytes = manifest.to_bytes();
        assert_eq!(bytes.len(), PREAMBLE + 2 * 8 + 5 * ENTRY_BYTES);
        assert_eq!(Manifest::from_bytes(&bytes), Ok(manifest));
    }

    #[test]
    fn damaged_bytes_are_refused_without_panicking() {
        let bytes = sample().to_bytes();
        for len in 0..bytes.len() {
            assert!(Manifest::from_bytes(&bytes[..len]).is_err(), "cut to {len}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(Manifest::from_bytes(&longer), Err(ManifestError::Corrupt));
        assert_eq!(
            Manifest::from_bytes(b"PK\x03\x04"),
            Err(ManifestError::NotAManifest)
        );
        let mut future = bytes.clone();
        future[4] = 2;
        assert_eq!(
            Manifest::from_bytes(&future),
            Err(ManifestError::UnsupportedVersion(2))
        );
        // Entries out of order, and a row beyond the row count.
        let first_entry = PREAMBLE + 2 * 8;
        let mut swapped = bytes.clone();
        swapped[first_entry..first_entry + 2 * ENTRY_BYTES].rotate_left(ENTRY_BYTES);
        assert_eq!(Manifest::from_bytes(&swapped), Err(ManifestError::Corrupt));
        let mut beyond = bytes.clone();
        beyond[first_entry + 8..first_entry + 12].copy_from_slice(&7u32.to_le_bytes());
        assert_eq!(Manifest::from_bytes(&beyond), Err(ManifestError::Corrupt));
        // Every single flipped bit either reads as some manifest or is refused.
        for at in 0..bytes.len() {
            for bit in 0..8 {
                let mut flipped = bytes.clone();
                flipped[at] ^= 1 << bit;
                let _ = Manifest::from_bytes(&flipped);
            }
        }
    }

    #[test]
    fn a_header_count_that_overflows_is_corrupt() {
        let mut bytes = sample().to_bytes();
        bytes[9..13].copy_from_slice(&u32::MAX.to_le_bytes());
        bytes[13..17].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(Manifest::from_bytes(&bytes), Err(ManifestError::Corrupt));
    }
}
