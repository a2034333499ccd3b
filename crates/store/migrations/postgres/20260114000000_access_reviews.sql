-- PostgreSQL flavour of migrations/sqlite (same tables and columns).
-- Quarterly access reviews (权限复核): once a quarter every active account's rights are
-- put before the person who answers for them — the department's manager, the store's
-- manager, the administrator, or for the administrator the auditor — to keep or remove.
-- Times are unix milliseconds; `due_on` is the last day in the stores' calendar and
-- `due_at` the instant after it ends.
CREATE TABLE access_reviews (
    id          TEXT NOT NULL PRIMARY KEY,
    quarter     TEXT NOT NULL UNIQUE,
    -- NULL: started by the sweep on the quarter's first day.
    started_by  TEXT REFERENCES users (id),
    started_at  BIGINT NOT NULL,
    due_on      TEXT NOT NULL,
    due_at      BIGINT NOT NULL
);

-- One account's line: where it sat and what it could do when the campaign started (the
-- snapshot: `rights` is JSON of row scopes and fields seen in clear or masked, never a
-- value of any record), who reviews it now and who did first, and the decision.
CREATE TABLE access_review_items (
    id                 TEXT NOT NULL PRIMARY KEY,
    review_id          TEXT NOT NULL REFERENCES access_reviews (id),
    store_id           TEXT REFERENCES stores (id),
    department_id      TEXT REFERENCES departments (id),
    team_id            TEXT REFERENCES teams (id),
    user_id            TEXT NOT NULL REFERENCES users (id),
    role_id            TEXT NOT NULL REFERENCES roles (id),
    rights             TEXT NOT NULL,
    first_reviewer_id  TEXT REFERENCES users (id),
    reviewer_id        TEXT REFERENCES users (id),
    due_on             TEXT NOT NULL,
    due_at             BIGINT NOT NULL,
    escalated_at       BIGINT,
    alerted_at         BIGINT,
    decision           TEXT CHECK (decision IN ('keep', 'remove')),
    comment            TEXT NOT NULL DEFAULT '',
    decided_by         TEXT REFERENCES users (id),
    decided_at         BIGINT,
    CHECK ((decision IS NULL) = (decided_at IS NULL)),
    UNIQUE (review_id, user_id)
);
CREATE INDEX access_review_items_reviewer_idx ON access_review_items (reviewer_id, decided_at);
CREATE INDEX access_review_items_store_idx ON access_review_items (store_id, review_id);
CREATE INDEX access_review_items_due_idx ON access_review_items (due_at) WHERE decided_at IS NULL;

-- An item nobody decided in time, with nobody left to escalate it to: the auditor hears.
INSERT INTO alert_rules (kind, enabled, threshold, window_secs, severity, action, updated_at)
    VALUES ('access_review_overdue', TRUE, 1, 86400, 'warning', 'none', 0);
