-- Full-text search. The analyzer (internal/search) turns each field into
-- weighted stems and name keys in Go, stored as a tsvector literal, so
-- both engines match the very same terms. Every article is indexed, and
-- searches join articles to show readers only what they may see.
-- Beside the document, what searches filter on, so they never read the
-- articles table's wide rows: listed is 1 for published and scheduled
-- articles, which are visible once published_at has passed.
CREATE TABLE article_search (
    article_id   BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    tsv          TSVECTOR NOT NULL,
    listed       INTEGER NOT NULL,
    published_at BIGINT NOT NULL,
    lang         TEXT NOT NULL,
    section_id   BIGINT NOT NULL
);
CREATE INDEX article_search_tsv ON article_search USING gin (tsv);

-- The body as plain text, for snippets cut without re-rendering HTML.
ALTER TABLE articles ADD COLUMN body_text TEXT NOT NULL DEFAULT '';
