//! Export files: writing them with the marks that name the export, remembering which
//! rows each contained, and telling, from a leaked file, which export it came from.
//! Pure: no database, no clock, no keys of its own; the app passes in the export's
//! id, time and fingerprint, and the keyed hash that makes tokens.

mod fingerprint;
mod manifest;
mod normalise;
mod read;
mod watermark;
mod write;

pub use fingerprint::{find_fingerprints, Fingerprint};
pub use manifest::{Manifest, ManifestBuilder, ManifestError};
pub use normalise::{normalise, Normalised};
pub use read::{read_leaked, LeakedFile, ReadError, MAX_BYTES, MAX_ROWS};
pub use watermark::{find_export_ids, Watermark};
pub use write::{ExportWriter, FileFormat, WriteError};
