-- The sales floor: leads and the public pool, follow-ups, the ownership ledger, each
-- store's lead rules, and the vehicle stock. Personal fields are sealed envelopes (BLOB)
-- under the lead's own data key (lead_keys); plain columns hold codes, amounts in fen
-- and times in unix milliseconds.

-- How a store hands out new leads, and the rules of its public pool (公海).
CREATE TABLE store_sales_settings (
    store_id           TEXT NOT NULL PRIMARY KEY REFERENCES stores (id),
    assignment         TEXT NOT NULL DEFAULT 'manual'
                       CHECK (assignment IN ('manual', 'round_robin', 'by_model')),
    -- JSON list of {"model": "...", "user_id": "..."}: who takes leads for a model line.
    model_lines        TEXT NOT NULL DEFAULT '[]',
    -- The last salesperson round-robin gave a lead to.
    last_assignee_id   TEXT REFERENCES users (id),
    claims_per_day     BIGINT NOT NULL DEFAULT 10 CHECK (claims_per_day BETWEEN 0 AND 1000),
    return_after_days  BIGINT NOT NULL DEFAULT 7 CHECK (return_after_days BETWEEN 1 AND 365),
    updated_at         BIGINT NOT NULL
) WITHOUT ROWID;

-- A lead without an owner is in its store's pool.
CREATE TABLE leads (
    id                 TEXT NOT NULL PRIMARY KEY,
    store_id           TEXT NOT NULL REFERENCES stores (id),
    owner_id           TEXT REFERENCES users (id),
    status             TEXT NOT NULL CHECK (status IN ('new', 'contacted', 'visited',
                           'test_drive', 'quoted', 'ordered', 'delivered', 'lost')),
    lost_reason        TEXT,
    name               BLOB NOT NULL,
    mobile             BLOB NOT NULL,
    mobile_index       BLOB NOT NULL,
    wechat             BLOB,
    notes              BLOB,
    source             TEXT NOT NULL,
    intended_model     TEXT NOT NULL DEFAULT '',
    budget             BIGINT CHECK (budget >= 0),
    customer_id        TEXT REFERENCES customers (id),
    next_follow_up_at  BIGINT,
    -- The last time someone worked the lead: what the pool's automatic return looks at.
    worked_at          BIGINT NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    CONSTRAINT leads_mobile_index_check CHECK (length(mobile_index) = 16),
    CONSTRAINT leads_lost_reason_check CHECK ((status = 'lost') = (lost_reason IS NOT NULL))
);
CREATE INDEX leads_owner_idx ON leads (owner_id, updated_at);
CREATE INDEX leads_store_idx ON leads (store_id, owner_id, updated_at);
CREATE INDEX leads_mobile_index_idx ON leads (store_id, mobile_index);
CREATE INDEX leads_worked_idx ON leads (worked_at) WHERE owner_id IS NOT NULL;

CREATE TABLE lead_keys (
    lead_id      TEXT NOT NULL PRIMARY KEY REFERENCES leads (id),
    store_id     TEXT NOT NULL REFERENCES stores (id),
    kek_version  BIGINT NOT NULL,
    wrapped      BLOB NOT NULL,
    created_at   BIGINT NOT NULL,
    CONSTRAINT lead_keys_wrapped_check CHECK (length(wrapped) = 65)
) WITHOUT ROWID;
CREATE INDEX lead_keys_kek_version_idx ON lead_keys (kek_version, lead_id);

CREATE TABLE follow_ups (
    id          TEXT NOT NULL PRIMARY KEY,
    store_id    TEXT NOT NULL REFERENCES stores (id),
    lead_id     TEXT NOT NULL REFERENCES leads (id),
    owner_id    TEXT NOT NULL REFERENCES users (id),
    kind        TEXT NOT NULL CHECK (kind IN ('call', 'visit', 'wechat', 'message')),
    purpose     TEXT NOT NULL CHECK (purpose IN ('sales', 'after_delivery_1d',
                    'after_delivery_7d', 'after_delivery_30d')),
    state       TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'cancelled')),
    due_at      BIGINT NOT NULL,
    done_at     BIGINT,
    notes       BLOB,
    next_step   BLOB,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    CONSTRAINT follow_ups_done_check CHECK ((state = 'done') = (done_at IS NOT NULL))
);
CREATE INDEX follow_ups_owner_idx ON follow_ups (owner_id, state, due_at);
CREATE INDEX follow_ups_store_idx ON follow_ups (store_id, state, due_at);
CREATE INDEX follow_ups_lead_idx ON follow_ups (lead_id, due_at);

-- Who owned a record, from when to when, and why. `owner_id` NULL is a spell in the pool;
-- `ended_at` NULL is the current owner. Leads now; customers join with [people].
CREATE TABLE ownership (
    id          TEXT NOT NULL PRIMARY KEY,
    entity      TEXT NOT NULL CHECK (entity IN ('lead', 'customer')),
    record_id   TEXT NOT NULL,
    store_id    TEXT NOT NULL REFERENCES stores (id),
    owner_id    TEXT REFERENCES users (id),
    reason      TEXT NOT NULL CHECK (reason IN ('created', 'assigned', 'claimed',
                    'returned', 'handed_over', 'released')),
    changed_by  TEXT REFERENCES users (id),
    started_at  BIGINT NOT NULL,
    ended_at    BIGINT
);
CREATE INDEX ownership_record_idx ON ownership (entity, record_id, started_at);
-- Claims per person per day are counted here.
CREATE INDEX ownership_claims_idx ON ownership (changed_by, reason, started_at);

CREATE TABLE vehicles (
    id              TEXT NOT NULL PRIMARY KEY,
    store_id        TEXT NOT NULL REFERENCES stores (id),
    vin             TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('in_transit', 'in_stock', 'reserved',
                        'sold', 'delivered')),
    model           TEXT NOT NULL,
    trim            TEXT NOT NULL DEFAULT '',
    colour          TEXT NOT NULL DEFAULT '',
    location        TEXT NOT NULL DEFAULT '',
    list_price      BIGINT NOT NULL CHECK (list_price >= 0),
    cost_price      BIGINT CHECK (cost_price >= 0),
    supplier_terms  TEXT,
    -- Local date (YYYY-MM-DD) the vehicle came into stock; NULL while in transit.
    arrived_on      TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CONSTRAINT vehicles_vin_key UNIQUE (vin),
    CONSTRAINT vehicles_vin_check CHECK (length(vin) = 17)
);
CREATE INDEX vehicles_store_idx ON vehicles (store_id, status, arrived_on);
