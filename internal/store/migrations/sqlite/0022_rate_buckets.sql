-- Rate limits' token buckets shared by every instance. SQLite has one
-- instance, whose buckets in memory are enough; the table keeps the two
-- schemas alike.
CREATE TABLE rate_buckets (
    key     TEXT PRIMARY KEY,
    tokens  REAL NOT NULL,
    last_at REAL NOT NULL,
    burst   REAL NOT NULL,
    rate    REAL NOT NULL,
    allowed INTEGER NOT NULL,
    expires INTEGER NOT NULL
);
CREATE INDEX rate_buckets_expires ON rate_buckets (expires);
