-- Official currency rates against the US dollar, one row per bank's answer
-- for a day. bank_date is the date the bank put on the rate (UTC midnight,
-- whole seconds); demo rows are generated history and never win over real
-- ones.
CREATE TABLE rates (
    currency      TEXT NOT NULL,
    base          TEXT NOT NULL DEFAULT 'USD',
    bank_date     INTEGER NOT NULL,
    units_per_usd REAL NOT NULL,
    source        TEXT NOT NULL,
    fetched_at    INTEGER NOT NULL DEFAULT 0,
    demo          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (currency, base, bank_date, source)
);
CREATE INDEX rates_real ON rates (currency, demo, bank_date DESC);
