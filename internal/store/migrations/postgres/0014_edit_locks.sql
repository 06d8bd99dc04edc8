-- Who is editing an article now, as WordPress's edit lock: one row per
-- article, held by one user since a time and kept by their editor page's
-- heartbeat. A lock whose heartbeat stopped (the browser went away) is
-- free for the next person to open the article.
CREATE TABLE edit_locks (
    article_id   BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    since        BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL
);
