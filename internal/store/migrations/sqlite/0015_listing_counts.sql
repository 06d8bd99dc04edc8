-- "Page 3 of 1,204" and the API's totals counted every visible article of
-- a listing on each request: an index range that grows with the archive
-- (600,000 entries for News at a million articles). listing_counts holds,
-- for each listing, how many articles it has that readers see now or will
-- see (visible_from set); the writing transaction keeps it in step through
-- the triggers below, so a count is one row less the few articles scheduled
-- for later (store.countListing, store.VisibleCounts).
--   kind 'tag', 'author', 'section' (the section or any below it, as
--   article_sections links them): ref is that id;
--   'direct': articles whose own section is ref;
--   'site': every visible article, ref 0; 'lang:xx': those in language xx, ref 0.
CREATE TABLE listing_counts (
    kind TEXT    NOT NULL,
    ref  INTEGER NOT NULL,
    n    INTEGER NOT NULL,
    PRIMARY KEY (kind, ref)
) WITHOUT ROWID;

INSERT INTO listing_counts (kind, ref, n)
    SELECT 'tag', tag_id, COUNT(*) FROM article_tags WHERE visible_from IS NOT NULL GROUP BY tag_id;
INSERT INTO listing_counts (kind, ref, n)
    SELECT 'author', author_id, COUNT(*) FROM article_authors WHERE visible_from IS NOT NULL GROUP BY author_id;
INSERT INTO listing_counts (kind, ref, n)
    SELECT 'section', section_id, COUNT(*) FROM article_sections WHERE visible_from IS NOT NULL GROUP BY section_id;
INSERT INTO listing_counts (kind, ref, n)
    SELECT 'direct', section_id, COUNT(*) FROM articles INDEXED BY articles_visible
    WHERE visible_from IS NOT NULL AND section_id IS NOT NULL GROUP BY section_id;
INSERT INTO listing_counts (kind, ref, n)
    SELECT 'site', 0, COUNT(*) FROM articles INDEXED BY articles_visible WHERE visible_from IS NOT NULL;
INSERT INTO listing_counts (kind, ref, n)
    SELECT 'lang:' || lang, 0, COUNT(*) FROM articles INDEXED BY articles_lang_visible WHERE visible_from IS NOT NULL GROUP BY lang;

-- Each link table counts its rows into its kind: a row counts while its
-- visible_from is set.
CREATE TRIGGER article_tags_count_in AFTER INSERT ON article_tags WHEN NEW.visible_from IS NOT NULL
BEGIN
    INSERT INTO listing_counts (kind, ref, n) VALUES ('tag', NEW.tag_id, 1) ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER article_tags_count_out AFTER DELETE ON article_tags WHEN OLD.visible_from IS NOT NULL
BEGIN
    UPDATE listing_counts SET n = n - 1 WHERE kind = 'tag' AND ref = OLD.tag_id;
END;
CREATE TRIGGER article_tags_count_change AFTER UPDATE OF tag_id, visible_from ON article_tags
    WHEN (OLD.visible_from IS NULL) <> (NEW.visible_from IS NULL) OR OLD.tag_id <> NEW.tag_id
BEGIN
    UPDATE listing_counts SET n = n - 1 WHERE kind = 'tag' AND ref = OLD.tag_id AND OLD.visible_from IS NOT NULL;
    INSERT INTO listing_counts (kind, ref, n) SELECT 'tag', NEW.tag_id, 1 WHERE NEW.visible_from IS NOT NULL
        ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER article_authors_count_in AFTER INSERT ON article_authors WHEN NEW.visible_from IS NOT NULL
BEGIN
    INSERT INTO listing_counts (kind, ref, n) VALUES ('author', NEW.author_id, 1) ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER article_authors_count_out AFTER DELETE ON article_authors WHEN OLD.visible_from IS NOT NULL
BEGIN
    UPDATE listing_counts SET n = n - 1 WHERE kind = 'author' AND ref = OLD.author_id;
END;
CREATE TRIGGER article_authors_count_change AFTER UPDATE OF author_id, visible_from ON article_authors
    WHEN (OLD.visible_from IS NULL) <> (NEW.visible_from IS NULL) OR OLD.author_id <> NEW.author_id
BEGIN
    UPDATE listing_counts SET n = n - 1 WHERE kind = 'author' AND ref = OLD.author_id AND OLD.visible_from IS NOT NULL;
    INSERT INTO listing_counts (kind, ref, n) SELECT 'author', NEW.author_id, 1 WHERE NEW.visible_from IS NOT NULL
        ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER article_sections_count_in AFTER INSERT ON article_sections WHEN NEW.visible_from IS NOT NULL
BEGIN
    INSERT INTO listing_counts (kind, ref, n) VALUES ('section', NEW.section_id, 1) ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER article_sections_count_out AFTER DELETE ON article_sections WHEN OLD.visible_from IS NOT NULL
BEGIN
    UPDATE listing_counts SET n = n - 1 WHERE kind = 'section' AND ref = OLD.section_id;
END;
CREATE TRIGGER article_sections_count_change AFTER UPDATE OF section_id, visible_from ON article_sections
    WHEN (OLD.visible_from IS NULL) <> (NEW.visible_from IS NULL) OR OLD.section_id <> NEW.section_id
BEGIN
    UPDATE listing_counts SET n = n - 1 WHERE kind = 'section' AND ref = OLD.section_id AND OLD.visible_from IS NOT NULL;
    INSERT INTO listing_counts (kind, ref, n) SELECT 'section', NEW.section_id, 1 WHERE NEW.visible_from IS NOT NULL
        ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;

-- The articles count themselves into the site, their language and their
-- own section.
CREATE TRIGGER articles_count_in AFTER INSERT ON articles WHEN NEW.visible_from IS NOT NULL
BEGIN
    INSERT INTO listing_counts (kind, ref, n) VALUES ('site', 0, 1) ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
    INSERT INTO listing_counts (kind, ref, n) VALUES ('lang:' || NEW.lang, 0, 1) ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
    INSERT INTO listing_counts (kind, ref, n) SELECT 'direct', NEW.section_id, 1 WHERE NEW.section_id IS NOT NULL
        ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER articles_count_out AFTER DELETE ON articles WHEN OLD.visible_from IS NOT NULL
BEGIN
    UPDATE listing_counts SET n = n - 1 WHERE kind = 'site' AND ref = 0;
    UPDATE listing_counts SET n = n - 1 WHERE kind = 'lang:' || OLD.lang AND ref = 0;
    UPDATE listing_counts SET n = n - 1 WHERE kind = 'direct' AND ref = OLD.section_id;
END;
CREATE TRIGGER articles_count_change AFTER UPDATE OF status, published_at, kind, section_id, lang ON articles
    WHEN (OLD.visible_from IS NULL) <> (NEW.visible_from IS NULL) OR OLD.lang <> NEW.lang
        OR OLD.section_id IS NOT NEW.section_id
BEGIN
    UPDATE listing_counts SET n = n - 1 WHERE OLD.visible_from IS NOT NULL
        AND ((kind = 'site' AND ref = 0) OR (kind = 'lang:' || OLD.lang AND ref = 0) OR (kind = 'direct' AND ref = OLD.section_id));
    INSERT INTO listing_counts (kind, ref, n) SELECT 'site', 0, 1 WHERE NEW.visible_from IS NOT NULL
        ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
    INSERT INTO listing_counts (kind, ref, n) SELECT 'lang:' || NEW.lang, 0, 1 WHERE NEW.visible_from IS NOT NULL
        ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
    INSERT INTO listing_counts (kind, ref, n) SELECT 'direct', NEW.section_id, 1 WHERE NEW.visible_from IS NOT NULL
        AND NEW.section_id IS NOT NULL ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;

-- Deep pages of a listing skip their offset in the link's index alone:
-- with the article id in it, the index holds the listing's whole order
-- (newest first, ties by id) and answers without reading a row.
DROP INDEX article_tags_visible;
CREATE INDEX article_tags_visible ON article_tags (tag_id, visible_from DESC, article_id DESC);
DROP INDEX article_authors_visible;
CREATE INDEX article_authors_visible ON article_authors (author_id, visible_from DESC, article_id DESC);
DROP INDEX article_sections_visible;
CREATE INDEX article_sections_visible ON article_sections (section_id, visible_from DESC, article_id DESC);
