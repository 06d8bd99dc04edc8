-- "Page 2 of 892" counted a listing's visible links on every request, and
-- an edition's listing (one language) joined each link to its article:
-- at 100,000 articles News › Kazakhstan's count took 100–450 ms, and it
-- grows with the archive. listing_counts keeps each listing's count, as
-- SQLite does (its migrations 0015 and 0019; the same kinds: 'tag',
-- 'author', 'section' and 'tag:xx', 'author:xx', 'section:xx' by ref;
-- 'direct' by section; 'site' and 'lang:xx' with ref 0).
--
-- Unlike SQLite's, a count here is the SUM of its rows: writers only ever
-- add rows (+n or −n), so concurrent writers never wait for one another on
-- a shared counter row, nor deadlock. The triggers are per statement and
-- add one row per listing a statement changes (a demo fill's COPY of a
-- thousand articles adds a few hundred, not a thousand per listing), and
-- store.CompactListingCounts folds each listing's rows into one now and
-- then (a leader's job), so a count reads a few rows of one index range.
CREATE TABLE listing_counts (
    kind TEXT   NOT NULL,
    ref  BIGINT NOT NULL,
    n    BIGINT NOT NULL
);
CREATE INDEX listing_counts_listing ON listing_counts (kind, ref) INCLUDE (n);

INSERT INTO listing_counts (kind, ref, n)
    SELECT 'tag', tag_id, COUNT(*) FROM article_tags WHERE visible_from IS NOT NULL GROUP BY tag_id;
INSERT INTO listing_counts (kind, ref, n)
    SELECT 'author', author_id, COUNT(*) FROM article_authors WHERE visible_from IS NOT NULL GROUP BY author_id;
INSERT INTO listing_counts (kind, ref, n)
    SELECT 'section', section_id, COUNT(*) FROM article_sections WHERE visible_from IS NOT NULL GROUP BY section_id;
INSERT INTO listing_counts (kind, ref, n)
    SELECT 'direct', section_id, COUNT(*) FROM articles WHERE visible_from IS NOT NULL AND section_id IS NOT NULL GROUP BY section_id;
INSERT INTO listing_counts (kind, ref, n)
    SELECT 'site', 0, COUNT(*) FROM articles WHERE visible_from IS NOT NULL HAVING COUNT(*) > 0;
INSERT INTO listing_counts (kind, ref, n)
    SELECT 'lang:' || lang, 0, COUNT(*) FROM articles WHERE visible_from IS NOT NULL GROUP BY lang;
INSERT INTO listing_counts (kind, ref, n)
    SELECT 'tag:' || a.lang, lt.tag_id, COUNT(*) FROM article_tags lt JOIN articles a ON a.id = lt.article_id
    WHERE lt.visible_from IS NOT NULL GROUP BY a.lang, lt.tag_id;
INSERT INTO listing_counts (kind, ref, n)
    SELECT 'author:' || a.lang, lt.author_id, COUNT(*) FROM article_authors lt JOIN articles a ON a.id = lt.article_id
    WHERE lt.visible_from IS NOT NULL GROUP BY a.lang, lt.author_id;
INSERT INTO listing_counts (kind, ref, n)
    SELECT 'section:' || a.lang, lt.section_id, COUNT(*) FROM article_sections lt JOIN articles a ON a.id = lt.article_id
    WHERE lt.visible_from IS NOT NULL GROUP BY a.lang, lt.section_id;

-- A link counts while its visible_from is set, in its listing and in
-- that listing in its article's language (read when the statement ends:
-- links are written after their article, and an article that changes
-- language moves its links' counts itself, below). A statement's rows
-- that went out (-1) and came in (+1) are netted per listing, so an
-- update that changes no count adds no row. Purged articles' links,
-- removed by ON DELETE CASCADE, were not visible (trash): nothing to take.
-- TG_ARGV[0] is the kind; the link's listing column is read through
-- to_jsonb, so one function serves the three link tables.
CREATE FUNCTION listing_counts_links() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO listing_counts (kind, ref, n)
        SELECT k.kind, x.ref, SUM(x.d) FROM (
            SELECT TG_ARGV[0] AS kind, (to_jsonb(l) ->> TG_ARGV[1])::bigint AS ref, 1 AS d, l.article_id FROM new_links l WHERE l.visible_from IS NOT NULL
        ) x, LATERAL (SELECT x.kind UNION ALL SELECT x.kind || ':' || a.lang FROM articles a WHERE a.id = x.article_id) k(kind)
        GROUP BY k.kind, x.ref HAVING SUM(x.d) <> 0;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO listing_counts (kind, ref, n)
        SELECT k.kind, x.ref, SUM(x.d) FROM (
            SELECT TG_ARGV[0] AS kind, (to_jsonb(l) ->> TG_ARGV[1])::bigint AS ref, -1 AS d, l.article_id FROM old_links l WHERE l.visible_from IS NOT NULL
        ) x, LATERAL (SELECT x.kind UNION ALL SELECT x.kind || ':' || a.lang FROM articles a WHERE a.id = x.article_id) k(kind)
        GROUP BY k.kind, x.ref HAVING SUM(x.d) <> 0;
    ELSE
        INSERT INTO listing_counts (kind, ref, n)
        SELECT k.kind, x.ref, SUM(x.d) FROM (
            SELECT TG_ARGV[0] AS kind, (to_jsonb(l) ->> TG_ARGV[1])::bigint AS ref, -1 AS d, l.article_id FROM old_links l WHERE l.visible_from IS NOT NULL
            UNION ALL
            SELECT TG_ARGV[0], (to_jsonb(l) ->> TG_ARGV[1])::bigint, 1, l.article_id FROM new_links l WHERE l.visible_from IS NOT NULL
        ) x, LATERAL (SELECT x.kind UNION ALL SELECT x.kind || ':' || a.lang FROM articles a WHERE a.id = x.article_id) k(kind)
        GROUP BY k.kind, x.ref HAVING SUM(x.d) <> 0;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER article_tags_count_in AFTER INSERT ON article_tags REFERENCING NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_links('tag', 'tag_id');
CREATE TRIGGER article_tags_count_out AFTER DELETE ON article_tags REFERENCING OLD TABLE AS old_links
    FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_links('tag', 'tag_id');
CREATE TRIGGER article_tags_count_change AFTER UPDATE ON article_tags REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_links('tag', 'tag_id');
CREATE TRIGGER article_authors_count_in AFTER INSERT ON article_authors REFERENCING NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_links('author', 'author_id');
CREATE TRIGGER article_authors_count_out AFTER DELETE ON article_authors REFERENCING OLD TABLE AS old_links
    FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_links('author', 'author_id');
CREATE TRIGGER article_authors_count_change AFTER UPDATE ON article_authors REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_links('author', 'author_id');
CREATE TRIGGER article_sections_count_in AFTER INSERT ON article_sections REFERENCING NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_links('section', 'section_id');
CREATE TRIGGER article_sections_count_out AFTER DELETE ON article_sections REFERENCING OLD TABLE AS old_links
    FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_links('section', 'section_id');
CREATE TRIGGER article_sections_count_change AFTER UPDATE ON article_sections REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_links('section', 'section_id');

-- The articles count themselves into the site, their language and their
-- own section. An article that was visible and changes language moves
-- all its links' counts to the new language; if the same write hides it,
-- its links' trigger (which ran first, from articles_visibility) took
-- them from the new language already, so the two agree.
CREATE FUNCTION listing_counts_articles() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO listing_counts (kind, ref, n)
        SELECT k.kind, k.ref, COUNT(*) FROM new_articles a,
            LATERAL (VALUES ('site', 0::bigint), ('lang:' || a.lang, 0), ('direct', a.section_id)) k(kind, ref)
        WHERE a.visible_from IS NOT NULL AND k.ref IS NOT NULL GROUP BY k.kind, k.ref;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO listing_counts (kind, ref, n)
        SELECT k.kind, k.ref, -COUNT(*) FROM old_articles a,
            LATERAL (VALUES ('site', 0::bigint), ('lang:' || a.lang, 0), ('direct', a.section_id)) k(kind, ref)
        WHERE a.visible_from IS NOT NULL AND k.ref IS NOT NULL GROUP BY k.kind, k.ref;
    ELSE
        INSERT INTO listing_counts (kind, ref, n)
        SELECT k.kind, k.ref, SUM(x.d) FROM (
            SELECT -1 AS d, a.lang, a.section_id FROM old_articles a WHERE a.visible_from IS NOT NULL
            UNION ALL
            SELECT 1, a.lang, a.section_id FROM new_articles a WHERE a.visible_from IS NOT NULL
        ) x, LATERAL (VALUES ('site', 0::bigint), ('lang:' || x.lang, 0), ('direct', x.section_id)) k(kind, ref)
        WHERE k.ref IS NOT NULL GROUP BY k.kind, k.ref HAVING SUM(x.d) <> 0;
        INSERT INTO listing_counts (kind, ref, n)
        SELECT k.kind, k.ref, SUM(k.d) FROM old_articles o JOIN new_articles a ON a.id = o.id,
            LATERAL (SELECT 'tag:', tag_id FROM article_tags WHERE article_id = a.id
                UNION ALL SELECT 'author:', author_id FROM article_authors WHERE article_id = a.id
                UNION ALL SELECT 'section:', section_id FROM article_sections WHERE article_id = a.id) l(kind, ref),
            LATERAL (VALUES (l.kind || o.lang, l.ref, -1), (l.kind || a.lang, l.ref, 1)) k(kind, ref, d)
        WHERE o.lang <> a.lang AND o.visible_from IS NOT NULL
        GROUP BY k.kind, k.ref HAVING SUM(k.d) <> 0;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER articles_count_in AFTER INSERT ON articles REFERENCING NEW TABLE AS new_articles
    FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_articles();
CREATE TRIGGER articles_count_out AFTER DELETE ON articles REFERENCING OLD TABLE AS old_articles
    FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_articles();
CREATE TRIGGER articles_count_change AFTER UPDATE ON articles REFERENCING OLD TABLE AS old_articles NEW TABLE AS new_articles
    FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_articles();
