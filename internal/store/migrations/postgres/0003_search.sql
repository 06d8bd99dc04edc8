-- Full-text search. The analyzer (internal/search) turns each field into
-- weighted stems and name keys in Go, stored as a tsvector literal, so
-- both engines match the very same terms. Every article is indexed, and
-- searches join articles to show readers only what they may see.
CREATE TABLE article_search (
    article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    tsv        TSVECTOR NOT NULL
);
CREATE INDEX article_search_tsv ON article_search USING gin (tsv);

-- The body as plain text, for snippets cut without re-rendering HTML.
ALTER TABLE articles ADD COLUMN body_text TEXT NOT NULL DEFAULT '';
