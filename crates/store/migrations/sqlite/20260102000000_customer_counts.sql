-- Customers per (store, owner), kept by triggers in the same transaction as every insert,
-- delete or change of owner, so that the total of a list is a sum over a few rows
-- instead of a count over every customer in scope (250,000 for one salesperson in a
-- large demo). Row filters apply to this table as they do to `customers`: it has the
-- same `store_id` and `owner_id` columns.
CREATE TABLE customer_counts (
    store_id TEXT NOT NULL REFERENCES stores (id),
    owner_id TEXT NOT NULL REFERENCES users (id),
    n        BIGINT NOT NULL,
    PRIMARY KEY (store_id, owner_id)
);
CREATE INDEX customer_counts_owner_idx ON customer_counts (owner_id);

INSERT INTO customer_counts (store_id, owner_id, n)
SELECT store_id, owner_id, COUNT(*) FROM customers GROUP BY store_id, owner_id;

CREATE TRIGGER customers_count_insert AFTER INSERT ON customers
BEGIN
    INSERT INTO customer_counts (store_id, owner_id, n) VALUES (NEW.store_id, NEW.owner_id, 1)
    ON CONFLICT (store_id, owner_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER customers_count_delete AFTER DELETE ON customers
BEGIN
    UPDATE customer_counts SET n = n - 1 WHERE store_id = OLD.store_id AND owner_id = OLD.owner_id;
END;

CREATE TRIGGER customers_count_move AFTER UPDATE OF store_id, owner_id ON customers
WHEN OLD.store_id <> NEW.store_id OR OLD.owner_id <> NEW.owner_id
BEGIN
    UPDATE customer_counts SET n = n - 1 WHERE store_id = OLD.store_id AND owner_id = OLD.owner_id;
    INSERT INTO customer_counts (store_id, owner_id, n) VALUES (NEW.store_id, NEW.owner_id, 1)
    ON CONFLICT (store_id, owner_id) DO UPDATE SET n = n + 1;
END;
