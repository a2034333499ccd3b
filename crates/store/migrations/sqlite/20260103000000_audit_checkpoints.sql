-- Signed checkpoints of the audit chain: (seq, hash of event seq, time, Ed25519 signature).
-- The same lines go to a sink outside the database, which is what verification trusts.
CREATE TABLE audit_checkpoints (
    seq        INTEGER NOT NULL PRIMARY KEY,
    hash       TEXT NOT NULL,
    at         BIGINT NOT NULL,
    signature  TEXT NOT NULL
);

-- Where the chain in the database starts: the last archived (seq, hash), or genesis.
CREATE TABLE audit_anchor (
    id    INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_anchor (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
