-- Filters in the full-text index. A search in a tag joined the tag's
-- links to the search documents: at 100,000 demo articles, "газопровод"
-- in the tag energy read the 23,808 matches of the word and the tag's
-- 3,768 links from the table to keep 897; in a section, "pipeline" read
-- its 74,527 matches to keep 8,952. (An index of the section alone made
-- it worse: the planner then reads the section's rows and tests the
-- words on each document, unpacking it, as it does not know what that
-- costs.) facets holds the document's section, tags and authors as
-- lexemes (s8, t64, a5), and is the second column of the full-text
-- index: GIN intersects the words' matches with the filter's, and the
-- table is visited only for the articles that pass both. The store
-- writes it beside tsv (searchMeta.facetsLiteral); search_facets makes
-- the same from the links, for the documents already written, and for
-- tests that check the two agree. Kept in the row (MAIN): a filter
-- never unpacks it, and it is a few dozen bytes.
CREATE FUNCTION search_facets(id BIGINT, section BIGINT) RETURNS tsvector
LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
    SELECT array_to_tsvector(ARRAY(
        SELECT 's' || section WHERE section <> 0
        UNION SELECT 't' || tag_id FROM article_tags WHERE article_id = id
        UNION SELECT 'a' || author_id FROM article_authors WHERE article_id = id))
$$;

-- The full-text indexes go while every row is rewritten, and come back
-- after: a row's new version would otherwise enter each of them again.
DROP INDEX article_search_tsv;
DROP INDEX article_search_pairs;
ALTER TABLE article_search ADD COLUMN facets TSVECTOR NOT NULL DEFAULT '',
    ALTER COLUMN facets SET STORAGE MAIN;
UPDATE article_search SET facets = search_facets(article_id, section_id);
CREATE INDEX article_search_tsv ON article_search USING gin (tsv, facets);
CREATE INDEX article_search_pairs ON article_search USING gin (pairs);
