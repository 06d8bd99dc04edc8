-- A bank's answer that jumped too far from the last good rate waits here,
-- one per currency, until a fetch answers the same value again; it is
-- never shown.
CREATE TABLE rates_held (
    currency      TEXT NOT NULL,
    base          TEXT NOT NULL DEFAULT 'USD',
    bank_date     INTEGER NOT NULL,
    units_per_usd REAL NOT NULL,
    source        TEXT NOT NULL,
    fetched_at    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (currency, base)
);

-- Rates dated in the future (a bank once answered 01.01.2099) took the
-- ticker for good; they are refused now, and those kept before go.
DELETE FROM rates WHERE bank_date > CAST(strftime('%s', 'now') AS INTEGER) + 2 * 86400;
