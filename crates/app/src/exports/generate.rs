//! Writing an approved export's file, as its requester sees the rows now: their export
//! scope, their field levels (a masked field stays masked), only fields their role may
//! still export. Rows are read a chunk at a time and written through the file writer
//! into a spool that is sealed and stored 256 KiB at a time, so memory stays flat
//! whatever the row count. The manifest (keyed hashes of the personal cells, never
//! values) and the event naming every exported customer land with the file's last chunk.

use super::input::ParsedFilter;
use super::request::{exportable_fields, query_of_filter};
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event, refuse};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::{self, Entity, FieldSpec, Sensitivity};
use dealervault_domain::ids::CustomerId;
use dealervault_exportfile::{ExportWriter, FileFormat, Fingerprint, ManifestBuilder, Watermark};
use dealervault_policy::{Action, ExportRight, FieldLevel, FieldRule};
use dealervault_store::{ExportRow, GeneratedFile, StoreError};
use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

/// Customers read per query.
const ROWS_PER_READ: u32 = 1_000;
/// A generation that has not finished within this time is taken to have died.
const STALE_CLAIM_MS: i64 = 10 * 60 * 1000;
/// Clear bytes per sealed chunk.
pub(super) const CHUNK_BYTES: usize = 256 * 1024;

/// Where the writer puts bytes until they are sealed: shared, because the writer owns
/// its sink and the generation loop drains it between reads.
#[derive(Debug, Clone, Default)]
struct Spool(Arc<Mutex<Vec<u8>>>);

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Spool {
    /// The full chunks written so far; the rest stays for later.
    fn full_chunks(&self) -> Vec<Vec<u8>> {
        let mut buf = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let whole = buf.len() / CHUNK_BYTES * CHUNK_BYTES;
        let rest = buf.split_off(whole);
        let full = std::mem::replace(&mut *buf, rest);
        full.chunks(CHUNK_BYTES).map(<[u8]>::to_vec).collect()
    }

    fn rest(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// One column: its field and whether it is written masked.
struct Column {
    spec: &'static FieldSpec,
    masked: bool,
}

impl App {
    /// Generates the file of `row` (approved) for its requester `actor`; the export is
    /// `ready` afterwards. One generation at a time per export (a claim in the row); a
    /// failure halfway forgets the chunks written, so the next download starts afresh.
    pub(super) async fn generate_export(
        &self,
        actor: &Actor,
        row: &ExportRow,
    ) -> Result<(), AppError> {
        let mut tx = self.store().write().await?;
        let claimed = tx
            .claim_export_generation(&row.id, self.clock().now_ms(), STALE_CLAIM_MS)
            .await?;
        tx.commit().await?;
        if !claimed {
            return Err(AppError::Conflict("export_generating"));
        }
        let written = self.write_export_file(actor, row).await;
        if written.is_err() {
            let mut tx = self.store().write().await?;
            tx.release_export_generation(&row.id).await?;
            tx.commit().await?;
        }
        written
    }

    /// The file itself. A field the role may no longer export, or a lost export right,
    /// refuses the whole file (recorded as `customer.export`).
    async fn write_export_file(&self, actor: &Actor, row: &ExportRow) -> Result<(), AppError> {
        let verb = "customer.export";
        let filter = self
            .row_filter(actor, Entity::Customer, Action::Export, verb)
            .await?;
        let mut tx = self.store().read().await?;
        let plan = FieldPlan::of(actor, Entity::Customer, &self.settings(&mut tx).await?);
        drop(tx);
        let exportable = exportable_fields(actor, &plan);
        let mut columns = Vec::new();
        for name in row.fields.split(',') {
            match catalog::field(Entity::Customer, name) {
                Some(spec) if exportable.contains(&spec.name) => columns.push(Column {
                    spec,
                    // Masked stays masked unless the role's export right says clear.
                    masked: plan.level(spec.name) == FieldLevel::Masked
                        && actor
                            .policy
                            .field_rule(Entity::Customer, spec.name)
                            .map(FieldRule::export_right)
                            != Some(ExportRight::Clear),
                }),
                _ => {
                    let mut ev = event(self, actor, verb, Entity::Customer, Outcome::Denied);
                    ev.record_ids = vec![row.id.to_string()];
                    return Err(refuse(self, ev, AppError::Forbidden).await);
                }
            }
        }
        let format = match row.format.as_str() {
            "xlsx" => FileFormat::Xlsx,
            _ => FileFormat::Csv,
        };
        let headers: Vec<String> = columns
            .iter()
            .map(|c| format!("{} {}", c.spec.label_zh, c.spec.label_en))
            .collect();
        let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
        // The fingerprint goes into free text, never into values people paste elsewhere.
        let tagged: Vec<bool> = columns
            .iter()
            .map(|c| matches!(c.spec.name, "name" | "address" | "notes"))
            .collect();
        let watermark = Watermark {
            export_id: row.id.to_string(),
            exported_by: format!("{} ({})", actor.display_name, actor.username),
            exported_at: local_minute(self.clock().local_now()),
        };
        let fingerprint = Fingerprint(u32::try_from(row.fingerprint).unwrap_or(0));
        let spool = Spool::default();
        let mut writer = ExportWriter::new(
            format,
            spool.clone(),
            &watermark,
            fingerprint,
            &header_refs,
            &tagged,
        )
        .map_err(|_| AppError::Integrity)?;
        let cell_index = self.vault().export_cell_index();
        let index = |s: &str| cell_index.index(s);
        let mut manifest = ManifestBuilder::new(&header_refs, &index);
        let personal: Vec<bool> = columns
            .iter()
            .map(|c| c.spec.sensitivity >= Sensitivity::Personal)
            .collect();
        let visible: Vec<String> = columns.iter().map(|c| c.spec.name.to_string()).collect();
        let query =
            query_of_filter(&serde_json::from_str::<ParsedFilter>(&row.filter).unwrap_or_default());

        let mut exported: Vec<String> = Vec::new();
        let mut seq: u32 = 0;
        let mut bytes: usize = 0;
        let mut cells: Vec<String> = Vec::with_capacity(columns.len());
        let read = |after: Option<CustomerId>| {
            let (store, filter, query) = (self.store().clone(), filter.clone(), query.clone());
            tokio::spawn(async move {
                let mut tx = store.read().await?;
                tx.customers_after(&filter, &query, after.as_ref(), ROWS_PER_READ)
                    .await
            })
        };
        let mut next = Some(read(None));
        while let Some(reading) = next.take() {
            let batch = reading
                .await
                .map_err(|e| StoreError::Other(format!("reading export rows: {e}")))??;
            // The next rows are read while these are written, so the database and the
            // cryptography overlap. A short batch is the last.
            if batch.len() == ROWS_PER_READ as usize {
                next = batch.last().map(|c| read(Some(c.id.clone())));
            }
            for sealed in &batch {
                let Some(record) = self.vault().open_customer(sealed, &visible)? else {
                    continue;
                };
                cells.clear();
                for c in &columns {
                    let value = record.governed(c.spec.name).unwrap_or_default();
                    cells.push(if c.masked {
                        plan.mask_rule(c.spec).apply(value)
                    } else {
                        value.to_string()
                    });
                }
                let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
                writer.write_row(&refs).map_err(|_| AppError::Integrity)?;
                let personal_cells: Vec<&str> = refs
                    .iter()
                    .zip(&personal)
                    .filter_map(|(cell, p)| p.then_some(*cell))
                    .collect();
                manifest
                    .add_row(&personal_cells)
                    .map_err(|_| AppError::Invalid(vec![]))?;
                exported.push(record.id.to_string());
            }
            let full = spool.full_chunks();
            if !full.is_empty() {
                let mut tx = self.store().write().await?;
                for chunk in full {
                    bytes += chunk.len();
                    let sealed =
                        self.vault()
                            .seal_export_chunk(row.id.as_str(), seq, false, &chunk)?;
                    tx.insert_export_chunk(&row.id, i64::from(seq), &sealed)
                        .await?;
                    seq += 1;
                }
                tx.commit().await?;
            }
        }
        writer.finish().map_err(|_| AppError::Integrity)?;
        let tail = spool.rest();
        bytes += tail.len();
        let sealed = self
            .vault()
            .seal_export_chunk(row.id.as_str(), seq, true, &tail)?;
        let now = self.clock().now_ms();
        let mut tx = self.store().write().await?;
        tx.insert_export_chunk(&row.id, i64::from(seq), &sealed)
            .await?;
        let file = GeneratedFile {
            rows: i64::try_from(exported.len()).unwrap_or(i64::MAX),
            chunks: i64::from(seq) + 1,
            bytes: i64::try_from(bytes).unwrap_or(i64::MAX),
            manifest: manifest.finish().to_bytes(),
            at: now,
        };
        if !tx.record_export_file(&row.id, &file).await? {
            return Err(AppError::Conflict("export_decided"));
        }
        let mut ev = event(self, actor, verb, Entity::Customer, Outcome::Allowed);
        ev.record_ids = exported;
        ev.fields = visible;
        ev.reason = Some(format!("export {}", row.id));
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await
    }
}

/// `2026-11-30 14:05 +08:00`: the time on the watermark, in the store's zone.
fn local_minute(t: time::OffsetDateTime) -> String {
    let offset = t.offset();
    format!(
        "{} {:02}:{:02} {:+03}:{:02}",
        t.date(),
        t.hour(),
        t.minute(),
        offset.whole_hours(),
        offset.minutes_past_hour().unsigned_abs()
    )
}
