-- The newsroom: people who sign in, their sessions, throttled sign-ins,
-- the audit log, and the trash. Times are whole seconds since the epoch, UTC.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0
);

-- Only the SHA-256 of a session token is kept: a copy of this table
-- signs nobody in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins per email and address, kept in the store so every
-- instance sees the same count.
CREATE TABLE signin_failures (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX audit_log_time ON audit_log (created_at DESC);

-- Who started an article (for "authors publish their own"), and the
-- trash: when an article went in and the status it comes back to.
ALTER TABLE articles ADD COLUMN created_by INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN deleted_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN trashed_from TEXT NOT NULL DEFAULT '';
-- The newsroom's list walks this index newest-changed first and filters,
-- counts and searches titles in it without reading the articles' rows.
CREATE INDEX articles_newsroom ON articles (updated_at DESC, status, lang, section_id, title);
CREATE INDEX articles_newsroom_section ON articles (section_id, updated_at DESC, status, lang);
CREATE INDEX articles_deleted ON articles (deleted_at);
