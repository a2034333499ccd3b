-- Anomaly alerts over the audit log, and honeytoken customers. The engine is stateless
-- over the log: `alert_cursor` remembers the last evaluated sequence number and moves in
-- the same transaction as the alerts it raises, so a restart neither loses nor repeats
-- an alert, and two servers never both raise one.

-- A person's last working day (YYYY-MM-DD, the store's calendar), set by offboarding.
ALTER TABLE users ADD COLUMN leaving_on TEXT;

-- One row per rule kind, configured by the system administrator.
CREATE TABLE alert_rules (
    kind         TEXT NOT NULL PRIMARY KEY,
    enabled      BOOLEAN NOT NULL,
    threshold    BIGINT NOT NULL CHECK (threshold >= 1),
    window_secs  BIGINT NOT NULL CHECK (window_secs >= 1),
    severity     TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    action       TEXT NOT NULL CHECK (action IN ('none', 'require_relogin', 'freeze')),
    updated_at   BIGINT NOT NULL
);
INSERT INTO alert_rules (kind, enabled, threshold, window_secs, severity, action, updated_at) VALUES
    ('bulk_view',        TRUE,  200, 3600,  'warning',  'none', 0),
    ('bulk_reveal',      TRUE,  30,  3600,  'warning',  'none', 0),
    ('off_hours',        TRUE,  20,  3600,  'info',     'none', 0),
    ('outside_network',  TRUE,  1,   3600,  'warning',  'none', 0),
    ('large_export',     TRUE,  1000, 86400, 'warning', 'none', 0),
    ('refused_attempts', TRUE,  10,  3600,  'warning',  'none', 0),
    ('failed_logins',    TRUE,  10,  900,   'warning',  'none', 0),
    ('notice_period',    TRUE,  1,   86400, 'warning',  'none', 0),
    ('honeytoken',       TRUE,  1,   3600,  'critical', 'none', 0);

-- Business hours (minutes of the day, in the store's zone) and the networks staff work
-- from (a JSON list of CIDRs; empty = not checked). A store without a row has the defaults.
CREATE TABLE store_alert_settings (
    store_id      TEXT NOT NULL PRIMARY KEY REFERENCES stores (id),
    open_minute   BIGINT NOT NULL CHECK (open_minute >= 0 AND open_minute < 1440),
    close_minute  BIGINT NOT NULL CHECK (close_minute >= 0 AND close_minute <= 1440),
    networks      TEXT NOT NULL
);

CREATE TABLE alert_cursor (
    id   INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL
);
-- An existing installation starts at its current head: history is not re-judged.
INSERT INTO alert_cursor (id, seq) SELECT 1, seq FROM audit_head;

-- Opaque ids and counts only: an alert never carries personal data.
CREATE TABLE alerts (
    id                TEXT NOT NULL PRIMARY KEY,
    kind              TEXT NOT NULL,
    severity          TEXT NOT NULL,
    subject_user_id   TEXT NOT NULL REFERENCES users (id),
    subject_username  TEXT NOT NULL,
    store_id          TEXT REFERENCES stores (id),
    department_id     TEXT REFERENCES departments (id),
    event_count       BIGINT NOT NULL,
    threshold         BIGINT NOT NULL,
    window_secs       BIGINT NOT NULL,
    record_ids        TEXT NOT NULL,
    last_seq          BIGINT NOT NULL,
    action_taken      TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('open', 'acknowledged')),
    acknowledged_by   TEXT REFERENCES users (id),
    acknowledged_at   BIGINT
);
CREATE INDEX alerts_store_created_idx ON alerts (store_id, created_at DESC);
CREATE INDEX alerts_department_created_idx ON alerts (department_id, created_at DESC);
CREATE INDEX alerts_created_idx ON alerts (created_at DESC);
CREATE INDEX alerts_rule_subject_idx ON alerts (kind, subject_user_id, created_at);

CREATE TABLE alert_comments (
    id               TEXT NOT NULL PRIMARY KEY,
    alert_id         TEXT NOT NULL REFERENCES alerts (id),
    author_id        TEXT NOT NULL REFERENCES users (id),
    author_username  TEXT NOT NULL,
    body             TEXT NOT NULL,
    created_at       BIGINT NOT NULL
);
CREATE INDEX alert_comments_alert_idx ON alert_comments (alert_id, created_at);

-- The outbox of alert deliveries (webhook, e-mail), retried with backoff.
CREATE TABLE alert_deliveries (
    id               TEXT NOT NULL PRIMARY KEY,
    alert_id         TEXT NOT NULL REFERENCES alerts (id),
    channel          TEXT NOT NULL CHECK (channel IN ('webhook', 'email')),
    attempts         BIGINT NOT NULL,
    next_attempt_at  BIGINT NOT NULL,
    last_error       TEXT,
    delivered_at     BIGINT,
    created_at       BIGINT NOT NULL
);
CREATE INDEX alert_deliveries_due_idx ON alert_deliveries (next_attempt_at)
    WHERE delivered_at IS NULL;

-- Decoy customers: ordinary customer rows that nobody has a reason to open.
CREATE TABLE honeytokens (
    customer_id  TEXT NOT NULL PRIMARY KEY REFERENCES customers (id),
    store_id     TEXT NOT NULL REFERENCES stores (id),
    planted_by   TEXT NOT NULL REFERENCES users (id),
    planted_at   BIGINT NOT NULL,
    retired_at   BIGINT
);

-- Who reads alerts, for installations made before alerts existed (new ones get these
-- grants from the default roles): the auditor group-wide, a general manager for the
-- store, a sales manager for the department. Each reads and acknowledges.
UPDATE roles SET policy = REPLACE(policy, '{"grants":[',
    '{"grants":[{"entity":"alert","action":"view","scope":"group","effect":"allow"},{"entity":"alert","action":"edit","scope":"group","effect":"allow"},')
WHERE code = 'auditor' AND builtin = TRUE AND policy NOT LIKE '%"entity":"alert"%';
UPDATE roles SET policy = REPLACE(policy, '{"grants":[',
    '{"grants":[{"entity":"alert","action":"view","scope":"store","effect":"allow"},{"entity":"alert","action":"edit","scope":"store","effect":"allow"},')
WHERE code = 'general_manager' AND builtin = TRUE AND policy NOT LIKE '%"entity":"alert"%';
UPDATE roles SET policy = REPLACE(policy, '{"grants":[',
    '{"grants":[{"entity":"alert","action":"view","scope":"department","effect":"allow"},{"entity":"alert","action":"edit","scope":"department","effect":"allow"},')
WHERE code = 'sales_manager' AND builtin = TRUE AND policy NOT LIKE '%"entity":"alert"%';
