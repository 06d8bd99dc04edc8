-- A session ends at its absolute end (expires_at, fixed at sign-in) or
-- after a while unused (idle_expires_at, moved on as it is used).
-- Sessions from before keep their absolute end as their idle end.
ALTER TABLE sessions ADD COLUMN idle_expires_at INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET idle_expires_at = expires_at;

-- One-time links an admin gives a user to set a new password. Only the
-- SHA-256 of the token is kept; a link works once, until expires_at.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_by INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- Sign-in counts nobody has touched for a day are deleted; this finds them.
CREATE INDEX signin_failures_updated ON signin_failures (updated_at);
