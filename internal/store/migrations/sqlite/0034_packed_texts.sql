-- From this version on, long texts (articles' body_source, body_html and
-- body_text, revisions' body_source) may be stored packed: a BLOB whose
-- first byte names its format (internal/store/packed.go). A binary older
-- than this migration would show them as bytes; newer ones refuse to open
-- a store whose schema is newer than they know (migrate.go).
SELECT 1;
