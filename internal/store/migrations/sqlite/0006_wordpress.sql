-- What a WordPress import brings besides articles: pages, the map from
-- WordPress ids to ours (for re-import and resume), attachments, comments
-- and redirects from old addresses.

-- Pages answer at /{slug}/ like articles but stay out of listings.
ALTER TABLE articles ADD COLUMN kind TEXT NOT NULL DEFAULT 'article';

-- One row per imported WordPress object; checksum is of its source fields,
-- so a second import skips what did not change.
CREATE TABLE wp_import_map (
    kind     TEXT NOT NULL,
    wp_id    INTEGER NOT NULL,
    local_id INTEGER NOT NULL,
    checksum TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kind, wp_id)
);

-- Attachments as WordPress described them, with where their file now is
-- (local_url is '' when the file was not found).
CREATE TABLE wp_attachments (
    wp_id       INTEGER PRIMARY KEY,
    parent_wp   INTEGER NOT NULL DEFAULT 0,
    title       TEXT NOT NULL DEFAULT '',
    url         TEXT NOT NULL DEFAULT '',
    local_url   TEXT NOT NULL DEFAULT '',
    sha256      TEXT NOT NULL DEFAULT '',
    alt         TEXT NOT NULL DEFAULT '',
    caption     TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    uploaded_at INTEGER NOT NULL DEFAULT 0
);

-- Readers' comments. Kept even while the site does not show them.
CREATE TABLE comments (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    wp_id        INTEGER NOT NULL DEFAULT 0,
    parent_wp_id INTEGER NOT NULL DEFAULT 0,
    author       TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    ip           TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'pending',
    kind         TEXT NOT NULL DEFAULT 'comment',
    created_at   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX comments_article ON comments (article_id, created_at);

-- Old addresses and where they now live; the site answers them with a
-- redirect before it would answer 404.
CREATE TABLE redirects (
    id         INTEGER PRIMARY KEY,
    from_path  TEXT NOT NULL UNIQUE,
    to_path    TEXT NOT NULL,
    status     INTEGER NOT NULL DEFAULT 301,
    created_by TEXT NOT NULL DEFAULT 'editor',
    created_at INTEGER NOT NULL DEFAULT 0
);
