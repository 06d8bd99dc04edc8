-- Imports before this one kept any featured-image address an export gave,
-- javascript: and data: included, and the API, feeds and og:image passed
-- it on. Only http(s) and site-relative addresses stay, as imports now
-- keep; the article keeps its words and loses the image.
UPDATE articles SET image_url = '', image_srcset = '', image_width = 0, image_height = 0
WHERE image_url <> ''
  AND NOT (LOWER(image_url) LIKE 'http://%' OR LOWER(image_url) LIKE 'https://%'
           OR (image_url LIKE '/%' AND image_url NOT LIKE '//%'));
UPDATE wp_attachments SET url = ''
WHERE url <> ''
  AND NOT (LOWER(url) LIKE 'http://%' OR LOWER(url) LIKE 'https://%'
           OR (url LIKE '/%' AND url NOT LIKE '//%'));
