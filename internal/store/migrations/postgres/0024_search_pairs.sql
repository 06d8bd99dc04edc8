-- Phrases. GIN knows which documents hold a phrase's words but not
-- where: a phrase search unpacked every candidate document to read its
-- positions (at 100,000 demo articles, "rail link" unpacked 56,345 for
-- 5,013 matches, to count them). pairs holds every two neighbouring
-- words of the document as one lexeme ('rail link'), without positions;
-- its index finds a two-word phrase's documents with no unpacking, and a
-- longer phrase's candidates among far fewer. The store writes it beside
-- tsv (search.TSVectors); search_pairs makes the same from a tsv, for the
-- documents already written, and for tests that check the two agree.
CREATE FUNCTION search_pairs(doc tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT COALESCE(array_to_tsvector(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme)), ''::tsvector)
    FROM (SELECT w.lexeme, p FROM unnest(doc) w, unnest(w.positions) p WHERE w.lexeme NOT LIKE '~%') a
    JOIN (SELECT w.lexeme, p FROM unnest(doc) w, unnest(w.positions) p WHERE w.lexeme NOT LIKE '~%') b ON b.p = a.p + 1
$$;

-- Added as a generated column, so the table is rewritten once with every
-- document's pairs (an UPDATE would leave a dead copy of each row), then
-- made a plain column the store writes. Stored EXTERNAL: a row too long
-- for its page moves its pairs, uncompressed, to the TOAST table first,
-- and keeps tsv inline (compressed) as before; counts read one row per
-- match, and ranking unpacks tsv, never the pairs.
ALTER TABLE article_search ADD COLUMN pairs TSVECTOR NOT NULL GENERATED ALWAYS AS (search_pairs(tsv)) STORED,
    ALTER COLUMN pairs SET STORAGE EXTERNAL;
ALTER TABLE article_search ALTER COLUMN pairs DROP EXPRESSION;
CREATE INDEX article_search_pairs ON article_search USING gin (pairs);
