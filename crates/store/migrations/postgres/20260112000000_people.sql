-- PostgreSQL flavour of migrations/sqlite (same columns).
-- Leaving the company: an account frozen by its store manager or the administrator, at
-- once (dismissal) or at the end of a notice period, keeps when and why. A frozen
-- account signs in no more; its sessions and API tokens are gone.
ALTER TABLE users ADD COLUMN frozen_at BIGINT;
ALTER TABLE users ADD COLUMN freeze_reason TEXT;
-- A recorded resignation: the last day is `leaving_on` (the notice period runs until
-- then); at the store's closing time that day the account freezes by itself and its book
-- goes by this rule (`to_user` with `handover_to`, or `round_robin_team`).
ALTER TABLE users ADD COLUMN handover_rule TEXT CHECK (handover_rule IN ('to_user', 'round_robin_team'));
ALTER TABLE users ADD COLUMN handover_to TEXT REFERENCES users (id);
