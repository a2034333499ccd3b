//! Export requests, their approvals, the stores' chains, and the sealed files in chunks.
//! Nothing here holds personal data in clear: a file's chunks are sealed by the app, a
//! manifest holds keyed hashes.

use crate::error::StoreError;
use crate::rows::from_row;
use crate::tx::{on_tx, on_tx_atomic, Tx};
use dealervault_domain::ids::{DepartmentId, ExportId, StoreId, UserId};

/// A store's approval chain as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportChainRow {
    pub store_id: StoreId,
    pub direct_up_to: i64,
    pub decide_hours: i64,
    pub download_hours: i64,
    pub max_downloads: i64,
    pub steps: Vec<ChainStepRow>,
    pub updated_at: i64,
}

/// One step of a chain, or of a request's copy of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainStepRow {
    pub role_code: String,
    pub same_department: bool,
    pub min_rows: i64,
}

/// An export request as kept (its manifest is read on its own: it can be megabytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    pub id: ExportId,
    pub store_id: StoreId,
    pub department_id: Option<DepartmentId>,
    pub requested_by: UserId,
    pub entity: String,
    pub filter: String,
    pub fields: String,
    pub format: String,
    pub purpose: String,
    pub row_count: i64,
    pub status: String,
    pub fingerprint: i64,
    pub decide_by: i64,
    pub max_downloads: i64,
    pub download_hours: i64,
    pub download_until: Option<i64>,
    pub downloads: i64,
    pub file_rows: Option<i64>,
    pub file_chunks: Option<i64>,
    pub file_bytes: Option<i64>,
    pub generated_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One step of a request: waiting (no decision) or decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalRow {
    pub position: i64,
    pub role_code: String,
    pub same_department: bool,
    pub decided_by: Option<UserId>,
    pub decision: Option<String>,
    pub comment: String,
    pub decided_at: Option<i64>,
}

/// What leak tracing needs of an export with a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestRow {
    pub id: ExportId,
    pub requested_by: UserId,
    pub created_at: i64,
    pub fingerprint: i64,
    pub manifest: Vec<u8>,
}

/// A generated file's account, written when its last chunk is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub rows: i64,
    pub chunks: i64,
    pub bytes: i64,
    pub manifest: Vec<u8>,
    pub at: i64,
}

/// The unique key a second export with the same fingerprint breaks.
pub const FINGERPRINT_CONSTRAINT: &str = "exports_fingerprint_key";

from_row!(ChainStepRow, |row| ChainStepRow {
    role_code: row.try_get("role_code")?,
    same_department: row.try_get("same_department")?,
    min_rows: row.try_get("min_rows")?,
});

from_row!(ExportRow, |row| ExportRow {
    id: ExportId::from_stored(row.try_get("id")?),
    store_id: StoreId::from_stored(row.try_get("store_id")?),
    department_id: row
        .try_get::<Option<String>, _>("department_id")?
        .map(DepartmentId::from_stored),
    requested_by: UserId::from_stored(row.try_get("requested_by")?),
    entity: row.try_get("entity")?,
    filter: row.try_get("filter")?,
    fields: row.try_get("fields")?,
    format: row.try_get("format")?,
    purpose: row.try_get("purpose")?,
    row_count: row.try_get("row_count")?,
    status: row.try_get("status")?,
    fingerprint: row.try_get("fingerprint")?,
    decide_by: row.try_get("decide_by")?,
    max_downloads: row.try_get("max_downloads")?,
    download_hours: row.try_get("download_hours")?,
    download_until: row.try_get("download_until")?,
    downloads: row.try_get("downloads")?,
    file_rows: row.try_get("file_rows")?,
    file_chunks: row.try_get("file_chunks")?,
    file_bytes: row.try_get("file_bytes")?,
    generated_at: row.try_get("generated_at")?,
    created_at: row.try_get("created_at")?,
    updated_at: row.try_get("updated_at")?,
});

from_row!(ApprovalRow, |row| ApprovalRow {
    position: row.try_get("position")?,
    role_code: row.try_get("role_code")?,
    same_department: row.try_get("same_department")?,
    decided_by: row
        .try_get::<Option<String>, _>("decided_by")?
        .map(UserId::from_stored),
    decision: row.try_get("decision")?,
    comment: row.try_get("comment")?,
    decided_at: row.try_get("decided_at")?,
});

from_row!(ManifestRow, |row| ManifestRow {
    id: ExportId::from_stored(row.try_get("id")?),
    requested_by: UserId::from_stored(row.try_get("requested_by")?),
    created_at: row.try_get("created_at")?,
    fingerprint: row.try_get("fingerprint")?,
    manifest: row.try_get("manifest")?,
});

/// Every column but the manifest.
const COLUMNS: &str = "id, store_id, department_id, requested_by, entity, filter, fields, \
                       format, purpose, row_count, status, fingerprint, decide_by, \
                       max_downloads, download_hours, download_until, downloads, file_rows, \
                       file_chunks, file_bytes, generated_at, created_at, updated_at";

impl Tx {
    /// The store's own chain, if it configured one.
    pub async fn export_chain(
        &mut self,
        store: &StoreId,
    ) -> Result<Option<ExportChainRow>, StoreError> {
        const HEAD: &str = "SELECT direct_up_to, decide_hours, download_hours, max_downloads, \
                            updated_at FROM export_chains WHERE store_id = $1";
        const STEPS: &str = "SELECT role_code, same_department, min_rows FROM \
                             export_chain_steps WHERE store_id = $1 ORDER BY position";
        let head: Option<(i64, i64, i64, i64, i64)> = on_tx!(self, c => sqlx::query_as(HEAD)
            .bind(store.as_str())
            .fetch_optional(&mut **c)
            .await)?;
        let Some((direct_up_to, decide_hours, download_hours, max_downloads, updated_at)) = head
        else {
            return Ok(None);
        };
        let steps: Vec<ChainStepRow> = on_tx!(self, c => sqlx::query_as(STEPS)
            .bind(store.as_str())
            .fetch_all(&mut **c)
            .await)?;
        Ok(Some(ExportChainRow {
            store_id: store.clone(),
            direct_up_to,
            decide_hours,
            download_hours,
            max_downloads,
            steps,
            updated_at,
        }))
    }

    /// Replaces the store's chain, steps and all.
    pub async fn save_export_chain(&mut self, chain: &ExportChainRow) -> Result<(), StoreError> {
        const UPSERT: &str = "INSERT INTO export_chains (store_id, direct_up_to, decide_hours, \
                              download_hours, max_downloads, updated_at) VALUES ($1, $2, $3, \
                              $4, $5, $6) ON CONFLICT (store_id) DO UPDATE SET \
                              direct_up_to = $2, decide_hours = $3, download_hours = $4, \
                              max_downloads = $5, updated_at = $6";
        const CLEAR: &str = "DELETE FROM export_chain_steps WHERE store_id = $1";
        const STEP: &str = "INSERT INTO export_chain_steps (store_id, position, role_code, \
                            same_department, min_rows) VALUES ($1, $2, $3, $4, $5)";
        let store = chain.store_id.as_str();
        on_tx!(self, c => sqlx::query(UPSERT)
            .bind(store)
            .bind(chain.direct_up_to)
            .bind(chain.decide_hours)
            .bind(chain.download_hours)
            .bind(chain.max_downloads)
            .bind(chain.updated_at)
            .execute(&mut **c)
            .await
            .map(drop))?;
        on_tx!(self, c => sqlx::query(CLEAR).bind(store).execute(&mut **c).await.map(drop))?;
        for (position, step) in (0_i64..).zip(&chain.steps) {
            on_tx!(self, c => sqlx::query(STEP)
                .bind(store)
                .bind(position)
                .bind(step.role_code.as_str())
                .bind(step.same_department)
                .bind(step.min_rows)
                .execute(&mut **c)
                .await
                .map(drop))?;
        }
        Ok(())
    }

    /// Inserts a request with its steps. A fingerprint already given to another export is
    /// `Conflict(FINGERPRINT_CONSTRAINT)` (the caller draws another).
    pub async fn insert_export(
        &mut self,
        e: &ExportRow,
        steps: &[ChainStepRow],
    ) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO exports (id, store_id, department_id, requested_by, \
                           entity, filter, fields, format, purpose, row_count, status, \
                           fingerprint, decide_by, max_downloads, download_hours, \
                           download_until, downloads, created_at, updated_at) VALUES ($1, $2, \
                           $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 0, \
                           $17, $17)";
        const STEP: &str = "INSERT INTO export_approvals (export_id, position, role_code, \
                            same_department) VALUES ($1, $2, $3, $4)";
        on_tx_atomic!(self, c => sqlx::query(SQL)
            .bind(e.id.as_str())
            .bind(e.store_id.as_str())
            .bind(e.department_id.as_ref().map(DepartmentId::as_str))
            .bind(e.requested_by.as_str())
            .bind(e.entity.as_str())
            .bind(e.filter.as_str())
            .bind(e.fields.as_str())
            .bind(e.format.as_str())
            .bind(e.purpose.as_str())
            .bind(e.row_count)
            .bind(e.status.as_str())
            .bind(e.fingerprint)
            .bind(e.decide_by)
            .bind(e.max_downloads)
            .bind(e.download_hours)
            .bind(e.download_until)
            .bind(e.created_at)
            .execute(&mut **c)
            .await
            .map(drop))?;
        for (position, step) in (0_i64..).zip(steps) {
            on_tx!(self, c => sqlx::query(STEP)
                .bind(e.id.as_str())
                .bind(position)
                .bind(step.role_code.as_str())
                .bind(step.same_department)
                .execute(&mut **c)
                .await
                .map(drop))?;
        }
        Ok(())
    }

    pub async fn export(&mut self, id: &ExportId) -> Result<Option<ExportRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM exports WHERE id = $1");
        let row: Option<ExportRow> = on_tx!(self, c => sqlx::query_as(&sql)
            .bind(id.as_str())
            .fetch_optional(&mut **c)
            .await)?;
        Ok(row)
    }

    /// The newest `limit` requests of one person.
    pub async fn exports_requested_by(
        &mut self,
        user: &UserId,
        limit: i64,
    ) -> Result<Vec<ExportRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM exports WHERE requested_by = $1 \
             ORDER BY created_at DESC, id DESC LIMIT $2"
        );
        let rows: Vec<ExportRow> = on_tx!(self, c => sqlx::query_as(&sql)
            .bind(user.as_str())
            .bind(limit)
            .fetch_all(&mut **c)
            .await)?;
        Ok(rows)
    }

    /// The newest `limit` requests made in a store: what its approvers choose from.
    pub async fn exports_in_store(
        &mut self,
        store: &StoreId,
        limit: i64,
    ) -> Result<Vec<ExportRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM exports WHERE store_id = $1 \
             ORDER BY created_at DESC, id DESC LIMIT $2"
        );
        let rows: Vec<ExportRow> = on_tx!(self, c => sqlx::query_as(&sql)
            .bind(store.as_str())
            .bind(limit)
            .fetch_all(&mut **c)
            .await)?;
        Ok(rows)
    }

    /// The requests of a store still waiting for a decision.
    pub async fn pending_exports_in_store(
        &mut self,
        store: &StoreId,
    ) -> Result<Vec<ExportRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM exports WHERE store_id = $1 AND status = 'pending' \
             ORDER BY created_at, id"
        );
        let rows: Vec<ExportRow> = on_tx!(self, c => sqlx::query_as(&sql)
            .bind(store.as_str())
            .fetch_all(&mut **c)
            .await)?;
        Ok(rows)
    }

    /// A request's steps, in order.
    pub async fn export_approvals(
        &mut self,
        id: &ExportId,
    ) -> Result<Vec<ApprovalRow>, StoreError> {
        const SQL: &str = "SELECT position, role_code, same_department, decided_by, decision, \
                           comment, decided_at FROM export_approvals WHERE export_id = $1 \
                           ORDER BY position";
        let rows: Vec<ApprovalRow> = on_tx!(self, c => sqlx::query_as(SQL)
            .bind(id.as_str())
            .fetch_all(&mut **c)
            .await)?;
        Ok(rows)
    }

    /// Records the decision on step `position`; only a step still waiting takes one.
    pub async fn decide_export_step(
        &mut self,
        id: &ExportId,
        position: i64,
        by: &UserId,
        decision: &str,
        comment: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE export_approvals SET decided_by = $3, decision = $4, \
                           comment = $5, decided_at = $6 WHERE export_id = $1 AND \
                           position = $2 AND decision IS NULL";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(position)
            .bind(by.as_str())
            .bind(decision)
            .bind(comment)
            .bind(at)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "export_approvals")
    }

    /// Moves a request from `from` to `to` (and sets its download window when given);
    /// `false` when it was no longer at `from` (another decision came first).
    pub async fn move_export(
        &mut self,
        id: &ExportId,
        from: &str,
        to: &str,
        download_until: Option<i64>,
        at: i64,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE exports SET status = $3, \
                           download_until = COALESCE($4, download_until), updated_at = $5 \
                           WHERE id = $1 AND status = $2";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(from)
            .bind(to)
            .bind(download_until)
            .bind(at)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    pub async fn insert_export_chunk(
        &mut self,
        id: &ExportId,
        seq: i64,
        sealed: &[u8],
    ) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO export_chunks (export_id, seq, sealed) VALUES ($1, $2, $3)";
        on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(seq)
            .bind(sealed)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    pub async fn export_chunk(
        &mut self,
        id: &ExportId,
        seq: i64,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        const SQL: &str = "SELECT sealed FROM export_chunks WHERE export_id = $1 AND seq = $2";
        let sealed: Option<Vec<u8>> = on_tx!(self, c => sqlx::query_scalar(SQL)
            .bind(id.as_str())
            .bind(seq)
            .fetch_optional(&mut **c)
            .await)?;
        Ok(sealed)
    }

    /// Forgets a file (the manifest stays).
    pub async fn delete_export_chunks(&mut self, id: &ExportId) -> Result<(), StoreError> {
        const SQL: &str = "DELETE FROM export_chunks WHERE export_id = $1";
        on_tx!(self, c => sqlx::query(SQL).bind(id.as_str()).execute(&mut **c).await.map(drop))?;
        Ok(())
    }

    /// Claims the generation of an approved export's file: `false` while another
    /// generation, started less than `stale_ms` ago, holds it. A stale claim (a process
    /// that died halfway) is taken over, its chunks forgotten first.
    pub async fn claim_export_generation(
        &mut self,
        id: &ExportId,
        now: i64,
        stale_ms: i64,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE exports SET generated_at = $2 WHERE id = $1 AND \
                           status = 'approved' AND (generated_at IS NULL OR generated_at < $3)";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(now)
            .bind(now - stale_ms)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        if n == 1 {
            self.delete_export_chunks(id).await?;
        }
        Ok(n == 1)
    }

    /// Gives up a claimed generation: its chunks are forgotten, the claim lifted.
    pub async fn release_export_generation(&mut self, id: &ExportId) -> Result<(), StoreError> {
        const SQL: &str =
            "UPDATE exports SET generated_at = NULL WHERE id = $1 AND status = 'approved'";
        self.delete_export_chunks(id).await?;
        on_tx!(self, c => sqlx::query(SQL).bind(id.as_str()).execute(&mut **c).await.map(drop))?;
        Ok(())
    }

    /// Forgets the files of exports whose downloads were used up and whose window has
    /// passed (the last download may still have been streaming before).
    pub async fn forget_spent_export_files(&mut self, now: i64) -> Result<(), StoreError> {
        const SQL: &str = "DELETE FROM export_chunks WHERE export_id IN (SELECT id FROM \
                           exports WHERE status = 'downloaded' AND download_until <= $1)";
        on_tx!(self, c => sqlx::query(SQL).bind(now).execute(&mut **c).await.map(drop))?;
        Ok(())
    }

    /// Marks an approved export's file written: `approved` → `ready`. `false` when it was
    /// no longer approved.
    pub async fn record_export_file(
        &mut self,
        id: &ExportId,
        file: &GeneratedFile,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE exports SET status = 'ready', file_rows = $2, \
                           file_chunks = $3, file_bytes = $4, manifest = $5, \
                           generated_at = $6, updated_at = $6 \
                           WHERE id = $1 AND status = 'approved'";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(file.rows)
            .bind(file.chunks)
            .bind(file.bytes)
            .bind(file.manifest.as_slice())
            .bind(file.at)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Counts one download of a ready export, within its limit and window; the last one
    /// moves it to `downloaded`. `false` when none is left.
    pub async fn count_export_download(
        &mut self,
        id: &ExportId,
        at: i64,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE exports SET downloads = downloads + 1, \
                           status = CASE WHEN downloads + 1 >= max_downloads \
                                    THEN 'downloaded' ELSE status END, updated_at = $2 \
                           WHERE id = $1 AND status = 'ready' AND downloads < max_downloads \
                           AND download_until > $2";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(at)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Requests whose time ran out at `now`: undecided past their deadline, or approved or
    /// ready past their download window. Their ids, up to `limit`.
    pub async fn lapsed_exports(
        &mut self,
        now: i64,
        limit: i64,
    ) -> Result<Vec<ExportId>, StoreError> {
        const SQL: &str = "SELECT id FROM exports WHERE \
                           (status = 'pending' AND decide_by <= $1) OR \
                           (status IN ('approved', 'ready') AND download_until <= $1) \
                           ORDER BY id LIMIT $2";
        let ids: Vec<String> = on_tx!(self, c => sqlx::query_scalar(SQL)
            .bind(now)
            .bind(limit)
            .fetch_all(&mut **c)
            .await)?;
        Ok(ids.into_iter().map(ExportId::from_stored).collect())
    }

    /// Exports whose file was generated, in id order after `after`, `limit` at a time:
    /// what a leaked file is compared with.
    pub async fn export_manifests(
        &mut self,
        after: Option<&ExportId>,
        limit: i64,
    ) -> Result<Vec<ManifestRow>, StoreError> {
        const SQL: &str = "SELECT id, requested_by, created_at, fingerprint, manifest \
                           FROM exports WHERE manifest IS NOT NULL AND id > $1 \
                           ORDER BY id LIMIT $2";
        let rows: Vec<ManifestRow> = on_tx!(self, c => sqlx::query_as(SQL)
            .bind(after.map_or("", ExportId::as_str))
            .bind(limit)
            .fetch_all(&mut **c)
            .await)?;
        Ok(rows)
    }
}
