-- Deep pages of a listing skip their offset in the link's index alone:
-- with the article id in it, the index holds the listing's whole order
-- (newest first, ties by id) and answers without reading a row; a page
-- past the middle reads it backwards (store.pageIDs).
DROP INDEX article_tags_visible;
CREATE INDEX article_tags_visible ON article_tags (tag_id, visible_from DESC, article_id DESC);
DROP INDEX article_authors_visible;
CREATE INDEX article_authors_visible ON article_authors (author_id, visible_from DESC, article_id DESC);
DROP INDEX article_sections_visible;
CREATE INDEX article_sections_visible ON article_sections (section_id, visible_from DESC, article_id DESC);
