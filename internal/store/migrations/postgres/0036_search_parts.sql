-- The search documents in parts of about 65,536 articles each, by id.
-- A search ranks the window of its newest matches (rankWindow), but GIN
-- hands over every match of the words at once, in no order: at a million
-- demo articles "kazakhstan oil exports" intersected the words' lists
-- over the whole archive (19 ms) and read the rows of all 17,923 matches
-- (26 ms) to keep the newest 1,001, and the cost grew with the archive.
-- Each part has its own full-text indexes, and a search reads the parts
-- newest first (readTermWindow), as many as its window needs: the work
-- follows the window, not the archive.
--
-- Parts are cut by rows, not by a fixed width of ids: the newest part
-- runs from its first id to no end (MAXVALUE), so a new document always
-- has a part to go to; once it holds search_part_rows() documents,
-- article_search_split closes it after its newest id and opens the next.
-- A part is named after its first id (article_search_0 for the first,
-- which has no lower end).
CREATE FUNCTION search_part_rows() RETURNS BIGINT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT 65536';

-- article_search_part makes the part of ids from lo up to hi (none when
-- NULL). Its documents move to the TOAST table past 128 bytes, as the
-- whole table's did (migration 0025).
CREATE FUNCTION article_search_part(lo BIGINT, hi BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TABLE %I PARTITION OF article_search FOR VALUES FROM (%s) TO (%s) WITH (toast_tuple_target = 128)',
        'article_search_' || lo, CASE WHEN lo = 0 THEN 'MINVALUE' ELSE lo::text END, COALESCE(hi::text, 'MAXVALUE'));
END $$;

-- article_search_split closes the open part when it is full, and returns
-- whether it did. One split runs at a time (an advisory lock: two that
-- had both counted would each wait for the other's lock on the part);
-- another asked meanwhile returns at once, as the one running sees the
-- same documents. Counting takes only a reader's lock; the cut takes the
-- table whole (searches and writers wait for it: the part is checked
-- against its new bounds, some 10–30 ms) and reads the newest id under
-- that lock, so no document can fall outside. Callers set a
-- lock_timeout: a cut that cannot have the table soon is left for later,
-- as the open part takes any number of documents meanwhile.
CREATE FUNCTION article_search_split() RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    lo BIGINT;
    hi BIGINT;
    n BIGINT;
    newest TEXT;
BEGIN
    IF NOT pg_try_advisory_xact_lock(7212036) THEN
        RETURN false;
    END IF;
    SELECT max(substring(c.relname FROM '^article_search_(\d+)$')::BIGINT) INTO lo
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = CAST('article_search' AS regclass);
    newest := 'article_search_' || lo;
    EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %I LIMIT %s) f', newest, search_part_rows()) INTO n;
    IF n < search_part_rows() THEN
        RETURN false;
    END IF;
    LOCK TABLE article_search IN ACCESS EXCLUSIVE MODE;
    -- Another writer may have cut it while this one waited.
    IF EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = CAST('article_search' AS regclass)
            AND substring(c.relname FROM '^article_search_(\d+)$')::BIGINT > lo) THEN
        RETURN false;
    END IF;
    EXECUTE format('SELECT max(article_id) + 1 FROM %I', newest) INTO hi;
    EXECUTE format('ALTER TABLE article_search DETACH PARTITION %I', newest);
    EXECUTE format('ALTER TABLE article_search ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)',
        newest, CASE WHEN lo = 0 THEN 'MINVALUE' ELSE lo::text END, hi);
    PERFORM article_search_part(hi, NULL);
    RETURN true;
END $$;

-- The documents move to the parted table. The parts are cut where every
-- search_part_rows()th document starts; the indexes are built, and the
-- foreign key checked, once the rows are in (row by row, the key's check
-- locked each document's article: three times the time and four times
-- the log).
SET LOCAL maintenance_work_mem = '256MB';
ALTER TABLE article_search RENAME TO article_search_whole;
ALTER TABLE article_search_whole RENAME CONSTRAINT article_search_pkey TO article_search_whole_pkey;
ALTER TABLE article_search_whole RENAME CONSTRAINT article_search_article_id_fkey TO article_search_whole_article_id_fkey;
ALTER INDEX article_search_date RENAME TO article_search_whole_date;
ALTER INDEX article_search_tsv RENAME TO article_search_whole_tsv;
ALTER INDEX article_search_pairs RENAME TO article_search_whole_pairs;
CREATE TABLE article_search (
    article_id   BIGINT NOT NULL,
    tsv          TSVECTOR NOT NULL,
    listed       INTEGER NOT NULL,
    published_at BIGINT NOT NULL,
    lang         TEXT NOT NULL,
    section_id   BIGINT NOT NULL,
    pairs        TSVECTOR NOT NULL,
    facets       TSVECTOR NOT NULL DEFAULT '',
    CONSTRAINT article_search_pkey PRIMARY KEY (article_id)
) PARTITION BY RANGE (article_id);
ALTER TABLE article_search ALTER COLUMN pairs SET STORAGE EXTERNAL, ALTER COLUMN facets SET STORAGE MAIN;
DO $$
DECLARE
    starts BIGINT[];
BEGIN
    SELECT array_agg(article_id ORDER BY article_id) INTO starts
        FROM (SELECT article_id, row_number() OVER (ORDER BY article_id) AS r FROM article_search_whole) d
        WHERE r % search_part_rows() = 1 AND r > 1;
    starts := ARRAY[0] || COALESCE(starts, ARRAY[]::BIGINT[]);
    FOR i IN 1 .. array_length(starts, 1) LOOP
        PERFORM article_search_part(starts[i], starts[i + 1]);
    END LOOP;
END $$;
INSERT INTO article_search (article_id, tsv, listed, published_at, lang, section_id, pairs, facets)
    SELECT article_id, tsv, listed, published_at, lang, section_id, pairs, facets FROM article_search_whole;
DROP TABLE article_search_whole;
ALTER TABLE article_search ADD CONSTRAINT article_search_article_id_fkey
    FOREIGN KEY (article_id) REFERENCES articles(id) ON DELETE CASCADE;
CREATE INDEX article_search_date ON article_search (published_at DESC, article_id DESC);
CREATE INDEX article_search_tsv ON article_search USING gin (tsv, facets);
CREATE INDEX article_search_pairs ON article_search USING gin (pairs);
ANALYZE article_search;
