-- Each article's search terms with their field-weighted frequencies and
-- the document's length (search.TermCounts), written with its search
-- document: search ranks a query's newest matches from these records in
-- Go, as FTS5's bm25 would, without bm25's walk of each query term's
-- whole list of documents. The records of a store made before this
-- migration are written at the next start (fillArticleTerms), which
-- article_terms_fill asks for.
CREATE TABLE article_terms (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    terms      BLOB NOT NULL
);
CREATE TABLE article_terms_fill (pending INTEGER NOT NULL);
INSERT INTO article_terms_fill (pending) SELECT 1 WHERE EXISTS (SELECT 1 FROM article_search_meta);
