-- The store manager reads who accessed a customer (the `history` action on customers).
-- New installations get the grant from the default roles; this gives it to the built-in
-- general manager of an installation made before.
UPDATE roles SET policy = REPLACE(policy, '{"grants":[',
    '{"grants":[{"entity":"customer","action":"history","scope":"store","effect":"allow"},')
WHERE code = 'general_manager' AND builtin = TRUE AND policy NOT LIKE '%"action":"history"%';
