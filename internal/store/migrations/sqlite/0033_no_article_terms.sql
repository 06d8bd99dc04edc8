-- SQLite no longer keeps each article's record of terms (0028): a search
-- counts a match's terms from FTS5's own position lists and sizes
-- (fts_terms.go), and its archive's totals from FTS5's (ftsTotals), so
-- the records were written by every save and import and read by nothing.
-- Writing them was a twentieth of an import's CPU, and a table of some
-- 1.4 KB a row. PostgreSQL still ranks from its records (its 0029).
DROP TABLE article_terms;
DROP TABLE article_terms_fill;
