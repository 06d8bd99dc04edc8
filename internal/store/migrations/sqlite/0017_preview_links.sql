-- Links that show a draft to someone outside the newsroom. The link
-- carries its id, article and end, signed with the secret below; the row
-- lets the newsroom list and revoke it. Secrets are made once, on first
-- use, and shared by every instance through the store.
CREATE TABLE preview_links (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    created_by INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX preview_links_article ON preview_links (article_id);

CREATE TABLE secrets (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
