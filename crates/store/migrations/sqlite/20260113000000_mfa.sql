-- Two-step sign-in (TOTP, RFC 6238) with recovery codes.
--
-- A role may require it of its holders. `mfa_marked_at` is when it became required:
-- a holder without it may still sign in for the site's grace period, counted from the
-- later of this and the account's creation. The application marks the default roles
-- at installation; an existing installation gets the same marks here, its grace
-- period starting now.
ALTER TABLE roles ADD COLUMN requires_mfa BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE roles ADD COLUMN mfa_marked_at BIGINT;
UPDATE roles
   SET requires_mfa = TRUE,
       mfa_marked_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000
 WHERE code IN ('general_manager', 'sales_manager', 'finance', 'system_admin', 'auditor');

-- The moment from which a session may only enrol (NULL: never), fixed at sign-in like
-- the idle timeout, so the request path reads no settings; cleared at enrolment.
ALTER TABLE sessions ADD COLUMN mfa_enrol_by BIGINT;

-- One row per account that began enrolling. `secret` is the TOTP key sealed under a
-- key derived from the master key and bound to the account (never in clear); NULL once
-- an administrator reset it. `confirmed_at` NULL: set up but not confirmed yet.
-- `last_step` is the last 30-second step whose code was accepted, so that no code is
-- accepted twice. `must_enrol`: reset by an administrator, enrol at the next sign-in.
CREATE TABLE user_mfa (
    user_id       TEXT NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret        BLOB,
    confirmed_at  BIGINT,
    last_step     BIGINT,
    must_enrol    BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at    BIGINT NOT NULL
);

-- Recovery codes, stored only as SHA-256 hashes (bound to the account); each works once.
CREATE TABLE mfa_recovery_codes (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash   TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    used_at     BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- The browser's sign-in between the password and the code: a random token (stored
-- hashed) in a cookie, a CSRF token for the code form, a short life and few attempts.
-- The password is never kept.
CREATE TABLE login_challenges (
    token_hash  TEXT NOT NULL PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    attempts    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX login_challenges_user_idx ON login_challenges (user_id);
CREATE INDEX login_challenges_expires_idx ON login_challenges (expires_at);
