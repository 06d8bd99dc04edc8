-- The media library: uploaded images and the sizes made from them.
-- renditions is JSON {"<width>": "<storage key>"}; search_text is caption,
-- alt text, credit and file name lower-cased in Go, so a search folds
-- Cyrillic the same way on both engines.
CREATE TABLE media (
    id           INTEGER PRIMARY KEY,
    sha256       TEXT NOT NULL UNIQUE,
    filename     TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    bytes        INTEGER NOT NULL,
    alt          TEXT NOT NULL DEFAULT '',
    caption      TEXT NOT NULL DEFAULT '',
    credit       TEXT NOT NULL DEFAULT '',
    renditions   TEXT NOT NULL DEFAULT '{}',
    search_text  TEXT NOT NULL DEFAULT '',
    user_id      INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
);

CREATE INDEX media_created ON media (created_at DESC, id DESC);
