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

CREATE FUNCTION customer_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE customer_counts SET n = n - 1 WHERE store_id = OLD.store_id AND owner_id = OLD.owner_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO customer_counts (store_id, owner_id, n) VALUES (NEW.store_id, NEW.owner_id, 1)
        ON CONFLICT (store_id, owner_id) DO UPDATE SET n = customer_counts.n + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER customers_count AFTER INSERT OR DELETE ON customers
FOR EACH ROW EXECUTE FUNCTION customer_counts_track();

CREATE TRIGGER customers_count_move AFTER UPDATE OF store_id, owner_id ON customers
FOR EACH ROW WHEN (OLD.store_id IS DISTINCT FROM NEW.store_id OR OLD.owner_id IS DISTINCT FROM NEW.owner_id)
EXECUTE FUNCTION customer_counts_track();
