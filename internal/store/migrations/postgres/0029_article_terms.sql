-- Each article's search terms with their field-weighted frequencies and
-- the document's length (search.TermCounts), as SQLite keeps them
-- (its migration 0028): search ranks a query's window of newest matches
-- from these records in Go, by the same bm25 on both engines, instead of
-- ts_rank, which unpacked (detoasted) each ranked document's tsvector.
-- A record is 5 bytes a distinct term, often 2 KB: above PostgreSQL's
-- default threshold (about 2 KB) a row's values are compressed and moved
-- to the TOAST table, and reading them back is what ts_rank cost. The
-- table's rows may grow to a page (toast_tuple_target 8160) and the
-- record is kept in the row (STORAGE MAIN), so a search reads its window's
-- records from the table's own pages. The records of a store made before
-- this migration are written at the next start (fillArticleTerms), which
-- article_terms_fill asks for.
CREATE TABLE article_terms (
    article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    terms      BYTEA NOT NULL
) WITH (toast_tuple_target = 8160);
ALTER TABLE article_terms ALTER COLUMN terms SET STORAGE MAIN;
CREATE TABLE article_terms_fill (pending INTEGER NOT NULL);
INSERT INTO article_terms_fill (pending) SELECT 1 WHERE EXISTS (SELECT 1 FROM article_search);
