-- The sitemap index dates each page of the articles' sitemap (a range of
-- 50,000 ids, feeds.MaxURLs) by its newest change readers may see. In this
-- index a page's articles are together, newest change first, so that date
-- is one short step into it whatever the archive's size, instead of a walk
-- over every article. The 50,000 must stay the store's sitemapPageIDs: the
-- query names the same expression.
CREATE INDEX articles_sitemap_pages ON articles (((id - 1) / 50000), updated_at DESC, status, published_at);
