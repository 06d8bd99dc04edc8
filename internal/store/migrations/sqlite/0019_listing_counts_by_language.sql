-- Each edition lists one language (the English site, /ru/), so its
-- listings' counts are kept per language as well: kinds 'tag:xx',
-- 'author:xx' and 'section:xx' count what 'tag', 'author' and 'section'
-- do (migration 0015) among the articles in language xx. The link
-- triggers read the article's language; an article that changes language
-- moves its links' counts. articles_id_lang lets a listing of one language
-- test each linked article's language in an index, not in its row (where
-- the language sits after the body).
CREATE INDEX articles_id_lang ON articles (id, lang);
INSERT INTO listing_counts (kind, ref, n)
    SELECT 'tag:' || a.lang, lt.tag_id, COUNT(*) FROM articles a INDEXED BY articles_lang_visible JOIN article_tags lt ON lt.article_id = a.id
    WHERE a.visible_from IS NOT NULL GROUP BY a.lang, lt.tag_id;
DROP TRIGGER article_tags_count_in;
DROP TRIGGER article_tags_count_out;
DROP TRIGGER article_tags_count_change;
CREATE TRIGGER article_tags_count_in AFTER INSERT ON article_tags WHEN NEW.visible_from IS NOT NULL
BEGIN
    INSERT INTO listing_counts (kind, ref, n) VALUES ('tag', NEW.tag_id, 1) ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
    INSERT INTO listing_counts (kind, ref, n) SELECT 'tag:' || lang, NEW.tag_id, 1 FROM articles WHERE id = NEW.article_id
        ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER article_tags_count_out AFTER DELETE ON article_tags WHEN OLD.visible_from IS NOT NULL
BEGIN
    UPDATE listing_counts SET n = n - 1 WHERE kind = 'tag' AND ref = OLD.tag_id;
    UPDATE listing_counts SET n = n - 1 WHERE kind = (SELECT 'tag:' || lang FROM articles WHERE id = OLD.article_id) AND ref = OLD.tag_id;
END;
CREATE TRIGGER article_tags_count_change AFTER UPDATE OF tag_id, visible_from ON article_tags
    WHEN (OLD.visible_from IS NULL) <> (NEW.visible_from IS NULL) OR OLD.tag_id <> NEW.tag_id
BEGIN
    UPDATE listing_counts SET n = n - 1 WHERE OLD.visible_from IS NOT NULL AND ref = OLD.tag_id
        AND kind IN ('tag', (SELECT 'tag:' || lang FROM articles WHERE id = OLD.article_id));
    INSERT INTO listing_counts (kind, ref, n) SELECT 'tag', NEW.tag_id, 1 WHERE NEW.visible_from IS NOT NULL
        ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
    INSERT INTO listing_counts (kind, ref, n) SELECT 'tag:' || lang, NEW.tag_id, 1 FROM articles WHERE id = NEW.article_id
        AND NEW.visible_from IS NOT NULL ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;
INSERT INTO listing_counts (kind, ref, n)
    SELECT 'author:' || a.lang, lt.author_id, COUNT(*) FROM articles a INDEXED BY articles_lang_visible JOIN article_authors lt ON lt.article_id = a.id
    WHERE a.visible_from IS NOT NULL GROUP BY a.lang, lt.author_id;
DROP TRIGGER article_authors_count_in;
DROP TRIGGER article_authors_count_out;
DROP TRIGGER article_authors_count_change;
CREATE TRIGGER article_authors_count_in AFTER INSERT ON article_authors WHEN NEW.visible_from IS NOT NULL
BEGIN
    INSERT INTO listing_counts (kind, ref, n) VALUES ('author', NEW.author_id, 1) ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
    INSERT INTO listing_counts (kind, ref, n) SELECT 'author:' || lang, NEW.author_id, 1 FROM articles WHERE id = NEW.article_id
        ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER article_authors_count_out AFTER DELETE ON article_authors WHEN OLD.visible_from IS NOT NULL
BEGIN
    UPDATE listing_counts SET n = n - 1 WHERE kind = 'author' AND ref = OLD.author_id;
    UPDATE listing_counts SET n = n - 1 WHERE kind = (SELECT 'author:' || lang FROM articles WHERE id = OLD.article_id) AND ref = OLD.author_id;
END;
CREATE TRIGGER article_authors_count_change AFTER UPDATE OF author_id, visible_from ON article_authors
    WHEN (OLD.visible_from IS NULL) <> (NEW.visible_from IS NULL) OR OLD.author_id <> NEW.author_id
BEGIN
    UPDATE listing_counts SET n = n - 1 WHERE OLD.visible_from IS NOT NULL AND ref = OLD.author_id
        AND kind IN ('author', (SELECT 'author:' || lang FROM articles WHERE id = OLD.article_id));
    INSERT INTO listing_counts (kind, ref, n) SELECT 'author', NEW.author_id, 1 WHERE NEW.visible_from IS NOT NULL
        ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
    INSERT INTO listing_counts (kind, ref, n) SELECT 'author:' || lang, NEW.author_id, 1 FROM articles WHERE id = NEW.article_id
        AND NEW.visible_from IS NOT NULL ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;
INSERT INTO listing_counts (kind, ref, n)
    SELECT 'section:' || a.lang, lt.section_id, COUNT(*) FROM articles a INDEXED BY articles_lang_visible JOIN article_sections lt ON lt.article_id = a.id
    WHERE a.visible_from IS NOT NULL GROUP BY a.lang, lt.section_id;
DROP TRIGGER article_sections_count_in;
DROP TRIGGER article_sections_count_out;
DROP TRIGGER article_sections_count_change;
CREATE TRIGGER article_sections_count_in AFTER INSERT ON article_sections WHEN NEW.visible_from IS NOT NULL
BEGIN
    INSERT INTO listing_counts (kind, ref, n) VALUES ('section', NEW.section_id, 1) ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
    INSERT INTO listing_counts (kind, ref, n) SELECT 'section:' || lang, NEW.section_id, 1 FROM articles WHERE id = NEW.article_id
        ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER article_sections_count_out AFTER DELETE ON article_sections WHEN OLD.visible_from IS NOT NULL
BEGIN
    UPDATE listing_counts SET n = n - 1 WHERE kind = 'section' AND ref = OLD.section_id;
    UPDATE listing_counts SET n = n - 1 WHERE kind = (SELECT 'section:' || lang FROM articles WHERE id = OLD.article_id) AND ref = OLD.section_id;
END;
CREATE TRIGGER article_sections_count_change AFTER UPDATE OF section_id, visible_from ON article_sections
    WHEN (OLD.visible_from IS NULL) <> (NEW.visible_from IS NULL) OR OLD.section_id <> NEW.section_id
BEGIN
    UPDATE listing_counts SET n = n - 1 WHERE OLD.visible_from IS NOT NULL AND ref = OLD.section_id
        AND kind IN ('section', (SELECT 'section:' || lang FROM articles WHERE id = OLD.article_id));
    INSERT INTO listing_counts (kind, ref, n) SELECT 'section', NEW.section_id, 1 WHERE NEW.visible_from IS NOT NULL
        ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
    INSERT INTO listing_counts (kind, ref, n) SELECT 'section:' || lang, NEW.section_id, 1 FROM articles WHERE id = NEW.article_id
        AND NEW.visible_from IS NOT NULL ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;
-- An article that was visible and changes language moves its links'
-- counts to the new one; if the same write hides it, the links' own
-- trigger then takes them from the new language, whichever runs first.
CREATE TRIGGER articles_count_lang AFTER UPDATE OF lang ON articles
    WHEN OLD.lang <> NEW.lang AND OLD.visible_from IS NOT NULL
BEGIN
    UPDATE listing_counts SET n = n - 1 WHERE kind = 'tag:' || OLD.lang AND ref IN (SELECT tag_id FROM article_tags WHERE article_id = NEW.id);
    INSERT INTO listing_counts (kind, ref, n) SELECT 'tag:' || NEW.lang, tag_id, 1 FROM article_tags WHERE article_id = NEW.id AND true
        ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
    UPDATE listing_counts SET n = n - 1 WHERE kind = 'author:' || OLD.lang AND ref IN (SELECT author_id FROM article_authors WHERE article_id = NEW.id);
    INSERT INTO listing_counts (kind, ref, n) SELECT 'author:' || NEW.lang, author_id, 1 FROM article_authors WHERE article_id = NEW.id AND true
        ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
    UPDATE listing_counts SET n = n - 1 WHERE kind = 'section:' || OLD.lang AND ref IN (SELECT section_id FROM article_sections WHERE article_id = NEW.id);
    INSERT INTO listing_counts (kind, ref, n) SELECT 'section:' || NEW.lang, section_id, 1 FROM article_sections WHERE article_id = NEW.id AND true
        ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;
