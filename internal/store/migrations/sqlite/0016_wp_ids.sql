-- The WordPress API answers with an imported object's WordPress id, so it
-- looks ids up from the local side too.
CREATE INDEX wp_import_map_local ON wp_import_map (kind, local_id);
