-- The renamed and merged tags whose articles' search documents are still
-- being made again (tag_docs.go), and the last article id made: the
-- rewriting runs after the rename commits, so a restart in the middle
-- resumes it from here instead of leaving the rest with the old name.
CREATE TABLE tag_doc_rewrites (
    tag_id INTEGER PRIMARY KEY,
    after_id INTEGER NOT NULL DEFAULT 0
);
