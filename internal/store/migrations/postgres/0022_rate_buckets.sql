-- Rate limits' token buckets shared by every instance, so that a client's
-- budget holds however many instances it reaches.
CREATE TABLE rate_buckets (
    key     TEXT PRIMARY KEY,
    tokens  DOUBLE PRECISION NOT NULL,
    last_at DOUBLE PRECISION NOT NULL, -- seconds since the epoch
    burst   DOUBLE PRECISION NOT NULL,
    rate    DOUBLE PRECISION NOT NULL, -- tokens a second
    allowed BOOLEAN NOT NULL,          -- whether the last request took one
    expires BIGINT NOT NULL            -- full again by then: forgetting it changes nothing
);
CREATE INDEX rate_buckets_expires ON rate_buckets (expires);
