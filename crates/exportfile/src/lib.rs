//! Export files: writing them with the marks that name the export, remembering which
//! rows each contained, and telling, from a leaked file, which export it came from.
//! Pure: no database, no clock, no keys of its own; the app passes in the export's
//! id, time and fingerprint, and the keyed hash that makes tokens.
//!
//! # Three kinds of evidence
//!
//! - **Watermark** ([`Watermark`]): a visible line, first and last row of the file and
//!   the XLSX page header and footer, saying who exported it, when, and the export id.
//!   It deters, and it names the export for certain, but anyone can delete two rows.
//! - **Fingerprint** ([`Fingerprint`]): a random 32-bit code per export, written as 17
//!   zero-width characters after every non-empty cell of the tagged (free-text)
//!   columns. Invisible, and copied along with the text whenever a cell is copied, so it
//!   names the export from a few pasted rows. A careful leaker can strip it (a
//!   find-and-replace of the zero-width characters, retyping, a "clean" plain-text
//!   paste), and a save through a code page without those characters (Excel's "CSV" on
//!   Chinese Windows, GBK) turns it into question marks.
//! - **Manifest** ([`Manifest`]): for each row of the export, tokens of its values (8
//!   bytes of the app's keyed hash of each normalised value, never the value). A leaked
//!   row matches the export when one row of the export holds one of its strong values
//!   (mobile, ID number, e-mail) or two of its weak values that chance would rarely put
//!   together (a name and a masked mobile, not a district and a stock phrase). Content
//!   cannot be stripped without destroying what was leaked, but the same customers are
//!   in many exports, so it ranks exports rather than naming one.
//!
//! # What survives what
//!
//! | the leaked file                        | watermark | fingerprint | content |
//! |----------------------------------------|-----------|-------------|---------|
//! | the file as exported                   | yes       | yes         | yes     |
//! | some rows copied to a new file         | no        | yes¹        | yes     |
//! | rows shuffled, columns dropped         | yes²      | yes¹        | yes³    |
//! | re-saved CSV ⇄ XLSX (UTF-8)            | yes       | yes         | yes     |
//! | re-saved as GBK CSV                    | yes       | no          | yes     |
//! | zero-width characters removed          | yes²      | no          | yes     |
//! | mobiles rewritten (`+86`, spaces, `-`) | yes²      | yes¹        | yes⁴    |
//!
//! ¹ while a tagged column is kept. ² unless its rows are deleted. ³ while a strong
//! column or two rare weak ones are kept. ⁴ [`normalise`] undoes the usual rewritings,
//! Excel's number forms included (`13812345678.0`, `1.3812345678E+10`).
//!
//! # Using it
//!
//! Write with [`ExportWriter`] into any `Write` (rows stream; memory stays flat), feed
//! the same rows to a [`ManifestBuilder`] and keep [`Manifest::to_bytes`]. Given a
//! leaked file, [`read_leaked`] it once and [`score`] it against each kept export;
//! [`Evidence::confidence`] ranks them and [`Evidence::is_match`] says which count.

mod fingerprint;
mod manifest;
mod normalise;
mod read;
mod score;
mod watermark;
mod write;

pub use fingerprint::{find_fingerprints, Fingerprint};
pub use manifest::{Manifest, ManifestBuilder, ManifestError};
pub use normalise::{normalise, Normalised};
pub use read::{read_leaked, LeakedFile, ReadError, MAX_BYTES, MAX_ROWS};
pub use score::{score, Evidence};
pub use watermark::{find_export_ids, Watermark};
pub use write::{ExportWriter, FileFormat, WriteError};
