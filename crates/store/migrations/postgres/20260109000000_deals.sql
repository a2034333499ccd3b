-- PostgreSQL flavour of migrations/sqlite (same tables and columns). Deals on leads:
-- a quote, then perhaps an order with its contract, the vehicle allocated from stock,
-- payments and the delivery. Amounts are fen (BIGINT), times unix milliseconds, dates
-- local YYYY-MM-DD. No personal data: the person is the lead's.

CREATE TABLE deals (
    id                  TEXT NOT NULL PRIMARY KEY,
    store_id            TEXT NOT NULL REFERENCES stores (id),
    lead_id             TEXT NOT NULL REFERENCES leads (id),
    owner_id            TEXT NOT NULL REFERENCES users (id),
    state               TEXT NOT NULL CHECK (state IN ('quoted', 'ordered', 'delivered',
                            'cancelled')),
    model               TEXT NOT NULL,
    price               BIGINT NOT NULL CHECK (price >= 0),
    discount            BIGINT NOT NULL DEFAULT 0 CHECK (discount >= 0),
    accessories         TEXT NOT NULL DEFAULT '',
    accessories_price   BIGINT NOT NULL DEFAULT 0 CHECK (accessories_price >= 0),
    insurance_plan      TEXT NOT NULL CHECK (insurance_plan IN ('none', 'compulsory',
                            'comprehensive')),
    insurance_premium   BIGINT NOT NULL DEFAULT 0 CHECK (insurance_premium >= 0),
    financing           TEXT NOT NULL CHECK (financing IN ('cash', 'loan')),
    loan_amount         BIGINT CHECK (loan_amount >= 0),
    loan_term_months    BIGINT CHECK (loan_term_months IN (12, 24, 36, 48, 60)),
    trade_in            TEXT NOT NULL DEFAULT '',
    trade_in_value      BIGINT NOT NULL DEFAULT 0 CHECK (trade_in_value >= 0),
    total               BIGINT NOT NULL CHECK (total >= 0),
    contract_number     TEXT,
    deposit             BIGINT CHECK (deposit >= 0),
    delivery_date       TEXT,
    vehicle_id          TEXT REFERENCES vehicles (id),
    ordered_at          BIGINT,
    delivered_at        BIGINT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    CONSTRAINT deals_loan_check CHECK ((financing = 'loan') =
        (loan_amount IS NOT NULL AND loan_term_months IS NOT NULL)),
    CONSTRAINT deals_order_check CHECK (state IN ('quoted', 'cancelled')
        OR (contract_number IS NOT NULL AND ordered_at IS NOT NULL)),
    CONSTRAINT deals_delivered_check CHECK ((state = 'delivered') =
        (delivered_at IS NOT NULL AND vehicle_id IS NOT NULL))
);
-- A contract number is printed once per store.
CREATE UNIQUE INDEX deals_store_id_contract_number_key ON deals (store_id, contract_number);
-- One live deal per vehicle: an allocated car is not allocated twice.
CREATE UNIQUE INDEX deals_vehicle_id_key ON deals (vehicle_id)
    WHERE vehicle_id IS NOT NULL AND state IN ('ordered', 'delivered');
CREATE INDEX deals_lead_idx ON deals (lead_id, created_at);
CREATE INDEX deals_owner_idx ON deals (owner_id, state, updated_at);
CREATE INDEX deals_store_idx ON deals (store_id, state, updated_at);

CREATE TABLE deal_payments (
    id           TEXT NOT NULL PRIMARY KEY,
    deal_id      TEXT NOT NULL REFERENCES deals (id),
    kind         TEXT NOT NULL CHECK (kind IN ('deposit', 'payment', 'loan')),
    method       TEXT NOT NULL CHECK (method IN ('cash', 'card', 'transfer', 'wechat_pay',
                     'alipay', 'lender')),
    amount       BIGINT NOT NULL CHECK (amount > 0),
    received_on  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL REFERENCES users (id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX deal_payments_deal_idx ON deal_payments (deal_id, created_at);
