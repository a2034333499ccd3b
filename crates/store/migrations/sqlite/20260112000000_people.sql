-- Leaving the company: an account frozen by its store manager or the administrator, at
-- once (dismissal) or at the end of a notice period, keeps when and why. A frozen
-- account signs in no more; its sessions and API tokens are gone.
ALTER TABLE users ADD COLUMN frozen_at BIGINT;
ALTER TABLE users ADD COLUMN freeze_reason TEXT;
