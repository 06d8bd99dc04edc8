-- Who is editing an article now, as WordPress's edit lock: one row per
-- article, held by one user since a time and kept by their editor page's
-- heartbeat. A lock whose heartbeat stopped (the browser went away) is
-- free for the next person to open the article.
CREATE TABLE edit_locks (
    article_id   INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    since        INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL
);
