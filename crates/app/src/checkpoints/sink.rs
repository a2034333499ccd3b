//! The outside sink: an append-only JSON-lines file of checkpoints, and an optional
//! webhook that receives each checkpoint too.

use dealervault_audit::Checkpoint;
use std::io::{self, BufRead, Write};
use std::path::Path;
use std::time::Duration;

/// The sink file's name inside the sink directory.
pub const SINK_FILE: &str = "checkpoints.jsonl";

/// Appends `checkpoint` as one line and fsyncs it. The directory is created 0700 and the
/// file 0600 when missing; the file is only ever opened for appending.
pub(crate) fn append(dir: &Path, checkpoint: &Checkpoint) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    let mut options = std::fs::OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        builder.mode(0o700);
        options.mode(0o600);
    }
    builder.create(dir)?;
    let mut file = options.open(dir.join(SINK_FILE))?;
    let mut line = checkpoint.to_line();
    line.push('\n');
    file.write_all(line.as_bytes())?;
    file.sync_all()
}

/// One line of the sink file: its number (from 1) and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SinkLine {
    pub line: usize,
    pub checkpoint: Result<Checkpoint, String>,
}

/// Every non-empty line of the sink file; none when the file does not exist yet.
pub fn read_sink(dir: &Path) -> io::Result<Vec<SinkLine>> {
    let file = match std::fs::File::open(dir.join(SINK_FILE)) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(e),
    };
    let mut lines = Vec::new();
    for (i, text) in io::BufReader::new(file).lines().enumerate() {
        let text = text?;
        if text.trim().is_empty() {
            continue;
        }
        lines.push(SinkLine {
            line: i + 1,
            checkpoint: Checkpoint::parse_line(&text),
        });
    }
    Ok(lines)
}

const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);

/// POSTs `checkpoint` as JSON to `url` (blocking: call from the blocking pool). The file
/// is the record; a webhook that fails is logged and skipped.
pub(crate) fn post(url: &str, checkpoint: &Checkpoint) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(WEBHOOK_TIMEOUT))
        .build()
        .into();
    if let Err(e) = agent.post(url).send_json(checkpoint) {
        tracing::warn!(error = %e, seq = checkpoint.seq, "audit checkpoint webhook failed");
    }
}
