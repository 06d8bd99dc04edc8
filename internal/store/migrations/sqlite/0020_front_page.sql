-- Stories editors pin to the front page: slot 1 leads, the next ones
-- stand beside it. A story leaves its slot when it is deleted.
CREATE TABLE front_slots (
    slot       INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    pinned_by  INTEGER NOT NULL DEFAULT 0,
    pinned_at  INTEGER NOT NULL
);

-- Readers' reads of each article, an hour to a row, for "most read" over
-- the last day and week; rows older than that are dropped as reads come.
CREATE TABLE article_reads (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    hour       INTEGER NOT NULL, -- Unix time of the hour's start
    reads      INTEGER NOT NULL,
    PRIMARY KEY (article_id, hour)
);
CREATE INDEX article_reads_hour ON article_reads (hour);
