-- Listings readers see are ordered, counted ranges of one index each.
-- visible_from is when readers may first see an article: its publication
-- time if it is a published or scheduled article, NULL otherwise (pages,
-- imported from WordPress, answer only at their own address). It is copied into
-- each link table, and article_sections links an article to its section
-- and every ancestor (News shows Kazakhstan's stories), so a listing and
-- its "of 144" count never sort or join thousands of rows.
-- The status test here and in the trigger below is news.Status.Live, the
-- rule's one statement in Go (internal/news/article.go); the store's
-- TestVisibilityRuleAgrees checks that they agree.
ALTER TABLE articles ADD COLUMN visible_from BIGINT
    GENERATED ALWAYS AS (CASE WHEN status IN ('published', 'scheduled') AND kind = 'article' THEN published_at END) STORED;
CREATE INDEX articles_visible ON articles (visible_from DESC);
CREATE INDEX articles_lang_visible ON articles (lang, visible_from DESC);

ALTER TABLE article_tags ADD COLUMN visible_from BIGINT;
UPDATE article_tags SET visible_from = a.visible_from FROM articles a WHERE a.id = article_tags.article_id;
DROP INDEX article_tags_tag;
CREATE INDEX article_tags_visible ON article_tags (tag_id, visible_from DESC);

ALTER TABLE article_authors ADD COLUMN visible_from BIGINT;
UPDATE article_authors SET visible_from = a.visible_from FROM articles a WHERE a.id = article_authors.article_id;
DROP INDEX article_authors_author;
CREATE INDEX article_authors_visible ON article_authors (author_id, visible_from DESC);

CREATE TABLE article_sections (
    article_id   BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    section_id   BIGINT NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    visible_from BIGINT,
    PRIMARY KEY (article_id, section_id)
);
CREATE INDEX article_sections_visible ON article_sections (section_id, visible_from DESC);
INSERT INTO article_sections (article_id, section_id, visible_from)
    SELECT a.id, s.id, a.visible_from FROM articles a
    JOIN sections me ON me.id = a.section_id
    JOIN sections s ON s.path = me.path OR me.path LIKE s.path || '/%';

-- Whoever changes an article's status or time, the links and the search
-- document's filters follow ("listed" is news.Status.Live).
CREATE FUNCTION articles_visibility() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE article_tags SET visible_from = NEW.visible_from WHERE article_id = NEW.id;
    UPDATE article_authors SET visible_from = NEW.visible_from WHERE article_id = NEW.id;
    UPDATE article_sections SET visible_from = NEW.visible_from WHERE article_id = NEW.id;
    UPDATE article_search SET listed = CASE WHEN NEW.status IN ('published', 'scheduled') THEN 1 ELSE 0 END,
        published_at = NEW.published_at WHERE article_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER articles_visibility AFTER UPDATE OF status, published_at, kind ON articles
    FOR EACH ROW EXECUTE FUNCTION articles_visibility();
