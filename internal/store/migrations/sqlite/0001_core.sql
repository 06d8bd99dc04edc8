-- The newsroom's core: sections, tags, authors, articles and their links.
-- Times are whole seconds since the epoch, UTC.
CREATE TABLE sections (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES sections(id),
    slug        TEXT NOT NULL,
    name        TEXT NOT NULL,
    path        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE authors (
    id      INTEGER PRIMARY KEY,
    slug    TEXT NOT NULL UNIQUE,
    name    TEXT NOT NULL,
    bio     TEXT NOT NULL DEFAULT '',
    user_id INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE articles (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    standfirst      TEXT NOT NULL DEFAULT '',
    body_source     TEXT NOT NULL DEFAULT '',
    body_format     TEXT NOT NULL DEFAULT 'markdown',
    body_html       TEXT NOT NULL DEFAULT '',
    excerpt         TEXT NOT NULL DEFAULT '',
    manual_excerpt  TEXT NOT NULL DEFAULT '',
    lang            TEXT NOT NULL DEFAULT 'en',
    status          TEXT NOT NULL DEFAULT 'draft',
    published_at    INTEGER NOT NULL DEFAULT 0,
    updated_at      INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL DEFAULT 0,
    reading_minutes INTEGER NOT NULL DEFAULT 1,
    section_id      INTEGER REFERENCES sections(id),
    image_url       TEXT NOT NULL DEFAULT '',
    image_alt       TEXT NOT NULL DEFAULT '',
    image_caption   TEXT NOT NULL DEFAULT '',
    image_credit    TEXT NOT NULL DEFAULT '',
    image_width     INTEGER NOT NULL DEFAULT 0,
    image_height    INTEGER NOT NULL DEFAULT 0,
    image_srcset    TEXT NOT NULL DEFAULT '',
    seo_title       TEXT NOT NULL DEFAULT '',
    seo_description TEXT NOT NULL DEFAULT '',
    sticky          INTEGER NOT NULL DEFAULT 0,
    password        TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1,
    translation_of  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX articles_public ON articles (published_at DESC, status);
CREATE INDEX articles_section ON articles (section_id, published_at DESC);
CREATE INDEX articles_status ON articles (status, updated_at DESC);
CREATE INDEX articles_translation ON articles (translation_of);

-- published_at is copied into the link tables so a tag's or an author's
-- listing is one ordered index range, not a sort of thousands of rows.
CREATE TABLE article_tags (
    article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    tag_id       INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    published_at INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag ON article_tags (tag_id, published_at DESC);

CREATE TABLE article_authors (
    article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    author_id    INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL DEFAULT 0,
    published_at INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, author_id)
);
CREATE INDEX article_authors_author ON article_authors (author_id, published_at DESC);

-- Every save of an article is kept, so editors can compare and restore.
CREATE TABLE revisions (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    title       TEXT NOT NULL,
    standfirst  TEXT NOT NULL DEFAULT '',
    body_source TEXT NOT NULL DEFAULT '',
    body_format TEXT NOT NULL DEFAULT 'markdown',
    user_id     INTEGER NOT NULL DEFAULT 0,
    note        TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);
CREATE INDEX revisions_article ON revisions (article_id, version DESC);

-- One row whose generation grows with every change to public content, so
-- every instance of Dastan can tell that its page cache is stale.
CREATE TABLE site_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO site_state (id, generation) VALUES (1, 1);
