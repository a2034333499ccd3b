-- DealerVault schema, PostgreSQL flavour. Table and column names match migrations/sqlite
-- exactly; only types differ (every integer is BIGINT so it decodes as i64). Business
-- tables carry store_id and their indexes lead with it so stores can later be split across
-- servers (Citus or one database per store group). Times are unix milliseconds (UTC).

CREATE TABLE stores (
    id        TEXT NOT NULL PRIMARY KEY,
    code      TEXT NOT NULL,
    name_zh   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    timezone  TEXT NOT NULL,
    CONSTRAINT stores_code_key UNIQUE (code)
);

CREATE TABLE departments (
    id        TEXT NOT NULL PRIMARY KEY,
    store_id  TEXT NOT NULL REFERENCES stores (id),
    code      TEXT NOT NULL,
    name_zh   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    CONSTRAINT departments_store_id_code_key UNIQUE (store_id, code)
);

CREATE TABLE teams (
    id             TEXT NOT NULL PRIMARY KEY,
    department_id  TEXT NOT NULL REFERENCES departments (id),
    store_id       TEXT NOT NULL REFERENCES stores (id),
    name           TEXT NOT NULL
);
CREATE INDEX teams_store_department_idx ON teams (store_id, department_id);

CREATE TABLE roles (
    id          TEXT NOT NULL PRIMARY KEY,
    code        TEXT NOT NULL,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    builtin     BOOLEAN NOT NULL,
    policy      TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    CONSTRAINT roles_code_key UNIQUE (code)
);

CREATE TABLE users (
    id                    TEXT NOT NULL PRIMARY KEY,
    username              TEXT NOT NULL,
    display_name          TEXT NOT NULL,
    password_hash         TEXT NOT NULL,
    role_id               TEXT NOT NULL REFERENCES roles (id),
    store_id              TEXT REFERENCES stores (id),
    department_id         TEXT REFERENCES departments (id),
    team_id               TEXT REFERENCES teams (id),
    status                TEXT NOT NULL,
    failed_logins         BIGINT NOT NULL DEFAULT 0,
    locked_until          BIGINT,
    must_change_password  BOOLEAN NOT NULL,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    CONSTRAINT users_username_key UNIQUE (username)
);
CREATE INDEX users_team_idx ON users (team_id);
CREATE INDEX users_department_idx ON users (department_id);
CREATE INDEX users_store_idx ON users (store_id);

CREATE TABLE sessions (
    token_hash    TEXT NOT NULL PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('api', 'web')),
    csrf_token    TEXT,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Personal fields are AES-256-GCM envelopes (the vault's field envelope, format 1) sealed
-- under the customer's data key, NULL where the value is absent; the store never sees a
-- clear value. Exact lookups go through blind indexes: 16-byte HMACs of the normalised
-- value under a per-field key, so equal values have equal indexes within one field.
CREATE TABLE customers (
    id               TEXT NOT NULL PRIMARY KEY,
    store_id         TEXT NOT NULL REFERENCES stores (id),
    owner_id         TEXT NOT NULL REFERENCES users (id),
    name             BYTEA NOT NULL,
    mobile           BYTEA NOT NULL,
    id_number        BYTEA,
    email            BYTEA,
    address          BYTEA,
    wechat           BYTEA,
    birth_date       BYTEA,
    notes            BYTEA,
    mobile_index     BYTEA NOT NULL,
    id_number_index  BYTEA,
    gender           TEXT NOT NULL,
    source           TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    CONSTRAINT customers_mobile_key UNIQUE (mobile_index),
    -- A blind index is exactly 16 bytes: a clear value written here by mistake is refused.
    CONSTRAINT customers_mobile_index_check CHECK (length(mobile_index) = 16),
    CONSTRAINT customers_id_number_index_check CHECK (length(id_number_index) = 16)
);
-- One index per row-scope shape and default sort, so a page is an index range scan:
-- own/team (owner), department/store (store), group (updated alone).
CREATE INDEX customers_owner_updated_idx ON customers (owner_id, updated_at DESC, id DESC);
CREATE INDEX customers_store_updated_idx ON customers (store_id, updated_at DESC, id DESC);
CREATE INDEX customers_store_created_idx ON customers (store_id, created_at DESC, id DESC);
CREATE INDEX customers_updated_idx ON customers (updated_at DESC, id DESC);
CREATE INDEX customers_id_number_index_idx ON customers (id_number_index);
-- Keyset walks by id within an owner or a store (a name search decrypts the rows in scope
-- chunk by chunk): each chunk is one range scan. Partial on a condition that always holds,
-- so that only the walks, which spell it out, can use them: list pages keep the sort
-- indexes above (SQLite, without statistics, would take the smaller walk index for a
-- team's list and sort every row in scope).
CREATE INDEX customers_owner_id_idx ON customers (owner_id, id) WHERE id IS NOT NULL;
CREATE INDEX customers_store_id_idx ON customers (store_id, id) WHERE id IS NOT NULL;

-- Each customer's data key, wrapped by a KEK that lives outside the database (the vault's
-- wrapped data key, format 1: 65 bytes). kek_version repeats the version inside `wrapped`
-- so a KEK rotation finds the keys still under an old version by index. Deleting a row
-- crypto-erases its customer: the customer row stays, and its envelopes cannot be opened.
CREATE TABLE customer_keys (
    customer_id  TEXT NOT NULL PRIMARY KEY REFERENCES customers (id),
    store_id     TEXT NOT NULL REFERENCES stores (id),
    kek_version  BIGINT NOT NULL,
    wrapped      BYTEA NOT NULL,
    created_at   BIGINT NOT NULL,
    CONSTRAINT customer_keys_wrapped_check CHECK (length(wrapped) = 65)
);
CREATE INDEX customer_keys_kek_version_idx ON customer_keys (kek_version, customer_id);

CREATE TABLE audit_log (
    seq             BIGINT NOT NULL PRIMARY KEY,
    at              BIGINT NOT NULL,
    actor_id        TEXT,
    actor_username  TEXT,
    action          TEXT NOT NULL,
    entity          TEXT NOT NULL,
    record_ids      TEXT NOT NULL,
    fields          TEXT NOT NULL,
    reason          TEXT,
    outcome         TEXT NOT NULL,
    client_addr     TEXT,
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, seq);
CREATE INDEX audit_log_action_idx ON audit_log (action, seq);
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- Record ids of each event, so "who touched customer X" is an index lookup rather than a
-- scan of the JSON lists.
CREATE TABLE audit_records (
    record_id  TEXT NOT NULL,
    seq        BIGINT NOT NULL REFERENCES audit_log (seq),
    PRIMARY KEY (record_id, seq)
);

-- The chain head, one row: appenders lock it so events get gap-free sequence numbers.
CREATE TABLE audit_head (
    id    BIGINT NOT NULL PRIMARY KEY CHECK (id = 1),
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE reveal_counts (
    user_id  TEXT NOT NULL REFERENCES users (id),
    day      TEXT NOT NULL,
    reveals  BIGINT NOT NULL,
    PRIMARY KEY (user_id, day)
);

CREATE TABLE settings (
    name   TEXT NOT NULL PRIMARY KEY,
    value  TEXT NOT NULL
);
