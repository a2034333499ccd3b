-- The furthest funnel stage a lead reached. `status` alone forgets it when a lead is
-- lost, and the funnel report must count a lead lost after a quote as quoted. Kept by
-- the store's lead insert and update (the one place every status change passes
-- through); never `lost`, which is an end, not a stage.
ALTER TABLE leads ADD COLUMN reached TEXT NOT NULL DEFAULT 'new'
    CONSTRAINT leads_reached_check CHECK (reached IN ('new', 'contacted', 'visited',
        'test_drive', 'quoted', 'ordered', 'delivered'));

UPDATE leads SET reached = status WHERE status <> 'lost';

-- A lead lost before this column existed: the best its completed follow-ups tell (a
-- visit means it reached the showroom, any other sales follow-up that it was contacted).
UPDATE leads SET reached = CASE
        WHEN EXISTS (SELECT 1 FROM follow_ups f WHERE f.lead_id = leads.id
                     AND f.state = 'done' AND f.kind = 'visit') THEN 'visited'
        ELSE 'contacted'
    END
WHERE status = 'lost'
  AND EXISTS (SELECT 1 FROM follow_ups f WHERE f.lead_id = leads.id
              AND f.state = 'done' AND f.purpose = 'sales');

-- The report counts the leads created in a period, per store or per owner.
CREATE INDEX leads_store_created_idx ON leads (store_id, created_at);
CREATE INDEX leads_owner_created_idx ON leads (owner_id, created_at);
