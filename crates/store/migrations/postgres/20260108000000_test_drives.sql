-- Test drives (试驾): a stock vehicle booked for a slot by a lead. The licence number and
-- the feedback are sealed envelopes (BYTEA) under the lead's data key (lead_keys), like a
-- follow-up's notes; times are unix milliseconds.
CREATE TABLE test_drives (
    id              TEXT NOT NULL PRIMARY KEY,
    store_id        TEXT NOT NULL REFERENCES stores (id),
    lead_id         TEXT NOT NULL REFERENCES leads (id),
    vehicle_id      TEXT NOT NULL REFERENCES vehicles (id),
    owner_id        TEXT NOT NULL REFERENCES users (id),
    state           TEXT NOT NULL DEFAULT 'booked'
                    CHECK (state IN ('booked', 'done', 'cancelled', 'no_show')),
    starts_at       BIGINT NOT NULL,
    ends_at         BIGINT NOT NULL,
    licence_number  BYTEA NOT NULL,
    waiver_signed   BOOLEAN NOT NULL DEFAULT FALSE,
    feedback        BYTEA,
    done_at         BIGINT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CONSTRAINT test_drives_slot_check CHECK (ends_at > starts_at),
    CONSTRAINT test_drives_done_check CHECK ((state = 'done') = (done_at IS NOT NULL)),
    -- A drive happens only with the waiver signed.
    CONSTRAINT test_drives_waiver_check CHECK (state <> 'done' OR waiver_signed)
);
-- The store's day, by vehicle; and the overlap check of a vehicle's bookings.
CREATE INDEX test_drives_store_idx ON test_drives (store_id, starts_at);
CREATE INDEX test_drives_vehicle_idx ON test_drives (vehicle_id, starts_at);
CREATE INDEX test_drives_owner_idx ON test_drives (owner_id, starts_at);
CREATE INDEX test_drives_lead_idx ON test_drives (lead_id, starts_at);
