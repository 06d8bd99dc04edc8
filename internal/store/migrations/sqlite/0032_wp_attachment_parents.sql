-- An import finds a post's attachments (what an id-less [gallery] shows)
-- by the post, a batch of posts at a time, rather than holding every
-- attachment of the archive in memory.
CREATE INDEX wp_attachments_parent ON wp_attachments (parent_wp, wp_id);
