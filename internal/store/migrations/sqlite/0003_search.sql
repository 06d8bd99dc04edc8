-- Full-text search. The analyzer (internal/search) turns each field into
-- stems and name keys in Go; FTS5 only indexes its output, so both engines
-- match the very same terms. Contentless: the text lives in articles.
-- rowid is the article id; every article is indexed, and searches join
-- articles to show readers only what they may see.
CREATE VIRTUAL TABLE article_search USING fts5(
    title, standfirst, tags, body,
    content = '', contentless_delete = 1,
    tokenize = "unicode61 remove_diacritics 0 tokenchars '~'"
);

-- What searches filter on, in rows small enough that joining tens of
-- thousands of matches stays in memory (the articles table's rows carry
-- whole bodies). listed is 1 for published and scheduled articles; they
-- are visible once published_at has passed.
CREATE TABLE article_search_meta (
    article_id   INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    listed       INTEGER NOT NULL,
    published_at INTEGER NOT NULL,
    lang         TEXT NOT NULL,
    section_id   INTEGER NOT NULL
);

-- The body as plain text, for snippets cut without re-rendering HTML.
ALTER TABLE articles ADD COLUMN body_text TEXT NOT NULL DEFAULT '';

CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN
    DELETE FROM article_search WHERE rowid = old.id;
END;
