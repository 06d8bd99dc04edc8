-- Counting a search's matches visits the row of each match: PostgreSQL's
-- bitmap scans read the row even when the index alone answers the match.
-- Rows that kept their document inline (compressed) were about 1 KB, so
-- a word in much of the archive visited nearly every page of the table
-- (13,363 pages at 100,000 demo articles). With a target of 128 bytes,
-- a row's documents move to the TOAST table whenever the row would pass
-- PostgreSQL's threshold (2 KB), which all but the shortest articles do:
-- rows of about 100 bytes, and the same count visits 1,350 pages.
-- Ranking unpacks tsv from the TOAST table instead of from the row, for
-- the few it ranks. The USING clause rewrites every row through the
-- toaster; pairs stays EXTERNAL (migration 0024).
ALTER TABLE article_search SET (toast_tuple_target = 128);
ALTER TABLE article_search ALTER COLUMN tsv SET DATA TYPE tsvector USING tsv || ''::tsvector;

-- Searches by date read their page in this order. A word in much of the
-- archive meets a page of its matches within the newest few dozen
-- entries of this index (pool denseWindow), where listing every match
-- from the full-text index visited a row for each of them (74,527 for
-- "pipeline" at 100,000 demo articles) to sort them.
CREATE INDEX article_search_date ON article_search (published_at DESC, article_id DESC);
