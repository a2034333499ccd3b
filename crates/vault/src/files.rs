//! Writing secret-bearing files safely: owner-only (0600 on unix), never over an existing
//! file unless asked to replace it atomically, and flushed to disk with their directory.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use rand::rngs::OsRng;
use rand::RngCore;
use zeroize::Zeroizing;

/// Creates `path` (failing with `AlreadyExists` if anything is there, a dangling symlink
/// included), writes `contents` and syncs file and directory. A file left half-written by a
/// failed write is removed.
pub(crate) fn write_new(path: &Path, contents: &[u8]) -> io::Result<()> {
    let file = open_new_private(path)?;
    if let Err(e) = write_and_sync(file, contents) {
        let _ = fs::remove_file(path);
        return Err(e);
    }
    sync_dir(path)
}

/// Replaces `path` atomically: a temporary file in the same directory (0600) is written,
/// synced and renamed over `path`, and the directory is synced. Readers see the old file or
/// the new one, never a mixture; the temporary file does not survive a failure.
pub(crate) fn replace(path: &Path, contents: &[u8]) -> io::Result<()> {
    let temp = temp_path(path)?;
    let result = open_new_private(&temp)
        .and_then(|file| write_and_sync(file, contents))
        .and_then(|()| fs::rename(&temp, path));
    if let Err(e) = result {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    sync_dir(path)
}

/// Reads at most `limit` bytes into a zeroizing buffer; `Ok(None)` if the file is larger.
pub(crate) fn read_limited(path: &Path, limit: usize) -> io::Result<Option<Zeroizing<Vec<u8>>>> {
    let file = File::open(path)?;
    // Sized up front so the contents are never copied by a reallocation.
    let mut buffer = Zeroizing::new(Vec::with_capacity(limit + 1));
    file.take(limit as u64 + 1).read_to_end(&mut buffer)?;
    Ok((buffer.len() <= limit).then_some(buffer))
}

fn open_new_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

fn write_and_sync(mut file: File, contents: &[u8]) -> io::Result<()> {
    file.write_all(contents)?;
    file.sync_all()
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// `.<name>.<random>.tmp` beside `path`.
fn temp_path(path: &Path) -> io::Result<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path does not name a file"))?;
    let mut temp = OsString::from(".");
    temp.push(name);
    temp.push(format!(".{:016x}.tmp", OsRng.next_u64()));
    Ok(parent_dir(path).join(temp))
}

/// Makes a created or renamed directory entry durable (unix; elsewhere a no-op).
fn sync_dir(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(parent_dir(path))?.sync_all()?;
    }
    #[cfg(not(unix))]
    {
        let _ = path;
    }
    Ok(())
}
