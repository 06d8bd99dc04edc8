-- Sitemaps ask "which articles may readers see now, and when did each
-- change?" of every article. Those columns are stored after the bodies, so
-- answering from the table reads whole articles; this covering index, in
-- id order, answers without touching the table. Its leading id keeps it
-- out of the listings' way.
CREATE INDEX articles_sitemap ON articles (id, status, published_at, updated_at, section_id, slug);
