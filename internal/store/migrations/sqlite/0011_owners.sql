-- The newsroom lists contributors and authors only the articles they
-- started; this index walks one person's articles newest-changed first.
CREATE INDEX articles_owner ON articles (created_by, updated_at DESC);
