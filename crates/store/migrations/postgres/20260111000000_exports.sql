-- PostgreSQL flavour of migrations/sqlite (same tables and columns).
-- Exports (导出): a request names an entity, a filter, fields, a format and a purpose; the
-- store's approval chain gives it steps (each request keeps its own copy, so a later change
-- of the chain moves no waiting request); the file is generated at the first download, kept
-- sealed in chunks, downloadable a few times within a window; its manifest (keyed hashes
-- of the cells it held, never values) stays for leak tracing after the file is gone.
-- Times are unix milliseconds.

-- A store's chain. A store without a row has the built-in chain (the general manager
-- decides every export).
CREATE TABLE export_chains (
    store_id         TEXT NOT NULL PRIMARY KEY REFERENCES stores (id),
    direct_up_to     BIGINT NOT NULL CHECK (direct_up_to >= 0),
    decide_hours     BIGINT NOT NULL CHECK (decide_hours BETWEEN 1 AND 720),
    download_hours   BIGINT NOT NULL CHECK (download_hours BETWEEN 1 AND 720),
    max_downloads    BIGINT NOT NULL CHECK (max_downloads BETWEEN 1 AND 10),
    updated_at       BIGINT NOT NULL
);

CREATE TABLE export_chain_steps (
    store_id         TEXT NOT NULL REFERENCES export_chains (store_id),
    position         BIGINT NOT NULL CHECK (position >= 0),
    role_code        TEXT NOT NULL,
    same_department  BOOLEAN NOT NULL,
    min_rows         BIGINT NOT NULL CHECK (min_rows >= 0),
    PRIMARY KEY (store_id, position)
);

CREATE TABLE exports (
    id              TEXT NOT NULL PRIMARY KEY,
    store_id        TEXT NOT NULL REFERENCES stores (id),
    department_id   TEXT REFERENCES departments (id),
    requested_by    TEXT NOT NULL REFERENCES users (id),
    entity          TEXT NOT NULL CHECK (entity IN ('customers')),
    -- The filter as parsed (JSON) and the fields asked for, comma-separated.
    filter          TEXT NOT NULL,
    fields          TEXT NOT NULL,
    format          TEXT NOT NULL CHECK (format IN ('csv', 'xlsx')),
    purpose         TEXT NOT NULL,
    row_count       BIGINT NOT NULL CHECK (row_count >= 0),
    status          TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected',
                        'expired', 'ready', 'downloaded')),
    -- The invisible per-export code written into the file (32 bits).
    fingerprint     BIGINT NOT NULL,
    -- Undecided after this, the request expires.
    decide_by       BIGINT NOT NULL,
    max_downloads   BIGINT NOT NULL CHECK (max_downloads >= 1),
    download_hours  BIGINT NOT NULL CHECK (download_hours >= 1),
    -- Set once approved: the file may be downloaded until then.
    download_until  BIGINT,
    downloads       BIGINT NOT NULL DEFAULT 0 CHECK (downloads >= 0),
    -- The generated file: its rows, chunks and size; its manifest outlives it.
    file_rows       BIGINT,
    file_chunks     BIGINT,
    file_bytes      BIGINT,
    manifest        BYTEA,
    generated_at    BIGINT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CONSTRAINT exports_fingerprint_key UNIQUE (fingerprint),
    CONSTRAINT exports_file_check CHECK (status NOT IN ('ready', 'downloaded')
        OR (file_chunks IS NOT NULL AND manifest IS NOT NULL))
);
CREATE INDEX exports_requester_idx ON exports (requested_by, created_at);
CREATE INDEX exports_store_idx ON exports (store_id, status, created_at);

-- One row per step of a request, decided or waiting.
CREATE TABLE export_approvals (
    export_id        TEXT NOT NULL REFERENCES exports (id),
    position         BIGINT NOT NULL CHECK (position >= 0),
    role_code        TEXT NOT NULL,
    same_department  BOOLEAN NOT NULL,
    decided_by       TEXT REFERENCES users (id),
    decision         TEXT CHECK (decision IN ('approved', 'rejected')),
    comment          TEXT NOT NULL DEFAULT '',
    decided_at       BIGINT,
    PRIMARY KEY (export_id, position),
    CONSTRAINT export_approvals_decided_check CHECK ((decision IS NULL) =
        (decided_by IS NULL AND decided_at IS NULL))
);

-- The sealed file, in order. Deleted when the export expires or its downloads are used.
CREATE TABLE export_chunks (
    export_id  TEXT NOT NULL REFERENCES exports (id),
    seq        BIGINT NOT NULL CHECK (seq >= 0),
    sealed     BYTEA NOT NULL,
    PRIMARY KEY (export_id, seq)
);

-- Several export requests in a short time is a pattern of its own.
INSERT INTO alert_rules (kind, enabled, threshold, window_secs, severity, action, updated_at)
    VALUES ('frequent_exports', TRUE, 3, 86400, 'warning', 'none', 0);
