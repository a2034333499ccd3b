//! Leak tracing: which export(s) a leaked file most likely came from. The file is read
//! whatever became of it (`dealervault-exportfile`), then compared with every export's
//! manifest — its watermark, its fingerprint, and which of its rows the export held,
//! through the keyed hashes of the cells — best match first. The auditor's page and the
//! `trace-leak` command both come here; neither shows a value of the file.

use crate::actor::Actor;
use crate::audit_trail::{event, record, system_event};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::ExportId;
use dealervault_exportfile::{read_leaked, score, Fingerprint, LeakedFile, Manifest, ReadError};
use dealervault_policy::Action;
use time::format_description::well_known::Rfc3339;

/// Manifests read per query (each can be megabytes).
const MANIFESTS_PER_READ: i64 = 16;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TraceReport {
    /// Best first; empty when nothing matched.
    pub candidates: Vec<TraceCandidate>,
    /// Data rows the file holds.
    pub rows_in_file: usize,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TraceCandidate {
    pub export_id: String,
    /// The requester's username.
    pub requested_by: String,
    pub requested_by_name: String,
    /// RFC 3339, UTC.
    pub requested_at: String,
    /// 0–1: at least 0.9 when a watermark or fingerprint names the export, up to 0.89
    /// from the rows alone.
    pub confidence: f64,
    pub rows_matched: usize,
    pub watermark: bool,
    pub fingerprint: bool,
}

impl App {
    /// For the auditor's upload page: recorded as `export.trace` with the candidates.
    pub async fn trace_leak(&self, actor: &Actor, bytes: &[u8]) -> Result<TraceReport, AppError> {
        self.permit(actor, Entity::AuditLog, Action::View, "export.trace")
            .await?;
        let report = self.trace(bytes).await;
        let mut ev = event(
            self,
            actor,
            "export.trace",
            Entity::AuditLog,
            if report.is_ok() {
                Outcome::Allowed
            } else {
                Outcome::Failed
            },
        );
        if let Ok(r) = &report {
            ev.record_ids = r.candidates.iter().map(|c| c.export_id.clone()).collect();
        }
        record(self, ev).await?;
        report
    }

    /// For `dealervault trace-leak` on the server itself: recorded as the system's.
    pub async fn trace_leak_locally(&self, bytes: &[u8]) -> Result<TraceReport, AppError> {
        let report = self.trace(bytes).await?;
        let ids = report
            .candidates
            .iter()
            .map(|c| c.export_id.clone())
            .collect();
        let ev = system_event(self.clock().now_ms(), "export.trace", "audit_log", ids);
        record(self, ev).await?;
        Ok(report)
    }

    async fn trace(&self, bytes: &[u8]) -> Result<TraceReport, AppError> {
        let file = read_leaked(bytes).map_err(|e| AppError::invalid("file", rule_of(&e)))?;
        let cell_index = self.vault().export_cell_index();
        let index = |s: &str| cell_index.index(s);
        let mut found = Vec::new();
        let mut rows_in_file = 0;
        let mut after: Option<ExportId> = None;
        loop {
            let mut tx = self.store().read().await?;
            let batch = tx
                .export_manifests(after.as_ref(), MANIFESTS_PER_READ)
                .await?;
            drop(tx);
            for row in &batch {
                let Ok(manifest) = Manifest::from_bytes(&row.manifest) else {
                    tracing::warn!(export = %row.id, "an export's manifest cannot be read");
                    continue;
                };
                let evidence = evidence_for(&file, &manifest, &index, row);
                rows_in_file = rows_in_file.max(evidence.rows_in_file);
                if evidence.is_match() {
                    // Who and when, not the manifest: it can be megabytes.
                    let who = (row.id.clone(), row.requested_by.clone(), row.created_at);
                    found.push((who, evidence));
                }
            }
            after = batch.last().map(|r| r.id.clone());
            if batch.len() < MANIFESTS_PER_READ as usize {
                break;
            }
        }
        found.sort_by(|((_, _, a_at), x), ((_, _, b_at), y)| {
            y.confidence()
                .total_cmp(&x.confidence())
                .then(y.rows_matched.cmp(&x.rows_matched))
                .then(b_at.cmp(a_at))
        });
        let mut tx = self.store().read().await?;
        let mut candidates = Vec::with_capacity(found.len());
        for ((id, requested_by, requested_at), evidence) in found {
            let person = tx.user_by_id(&requested_by).await?;
            candidates.push(TraceCandidate {
                export_id: id.to_string(),
                requested_by: person
                    .as_ref()
                    .map(|u| u.username.clone())
                    .unwrap_or_default(),
                requested_by_name: person.map(|u| u.display_name).unwrap_or_default(),
                requested_at: rfc3339(requested_at),
                confidence: (evidence.confidence() * 1000.0).round() / 1000.0,
                rows_matched: evidence.rows_matched,
                watermark: evidence.watermark,
                fingerprint: evidence.fingerprint,
            });
        }
        Ok(TraceReport {
            candidates,
            rows_in_file,
        })
    }
}

fn evidence_for(
    file: &LeakedFile,
    manifest: &Manifest,
    index: &(dyn Fn(&str) -> [u8; 16] + Sync),
    row: &dealervault_store::ManifestRow,
) -> dealervault_exportfile::Evidence {
    let fingerprint = Fingerprint(u32::try_from(row.fingerprint).unwrap_or(0));
    score(file, manifest, index, row.id.as_str(), fingerprint)
}

fn rule_of(e: &ReadError) -> Rule {
    match e {
        ReadError::Empty => Rule::EmptyFile,
        ReadError::Unsupported(_) => Rule::UnsupportedFile,
        ReadError::Corrupt(_) => Rule::CorruptFile,
        ReadError::TooLarge => Rule::FileTooLarge,
    }
}

fn rfc3339(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}
