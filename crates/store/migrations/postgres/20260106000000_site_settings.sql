-- Settings an administrator changes in the staff app: a session keeps the idle timeout
-- in force when it began (so a change applies from the next sign-in), and each person
-- keeps the language they chose, wherever they sign in.
ALTER TABLE sessions ADD COLUMN idle_timeout_ms BIGINT NOT NULL DEFAULT 1800000;
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'zh' CHECK (lang IN ('zh', 'en'));
